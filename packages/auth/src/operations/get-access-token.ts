import { type APIPromise, type CallOptions, defineOperation } from "@core/http";
import * as v from "valibot";
import type { AuthSecurity } from "../api.js";
import type { AuthCore } from "../core.js";
import { AuthError } from "../errors.js";
import { type AccessToken, AccessTokenSchema } from "../models.js";

export const GetAccessTokenInputSchema = v.object({
  /** The workspace ID. */
  workspaceId: v.pipe(v.string(), v.minLength(1, "a non-empty string")),
});
export interface GetAccessTokenInput {
  /** The workspace ID. */
  workspaceId: string;
}

export const getAccessTokenOperation = defineOperation({
  id: "getAccessToken",
  name: "auth.getAccessToken",
  secrets: { response: ["access_token", "accessToken", "refresh_token", "refreshToken"] },
  method: "GET",
  path: "/v1/auth/access_token",
  input: GetAccessTokenInputSchema,
  request: (input) => ({ query: { workspace_id: input.workspaceId } }),
  output: AccessTokenSchema,
  errors: { "4XX": AuthError },
  // The contract's `security: []`: the workspace id alone selects the token; no credential is sent.
  security: null,
});

/** Gets or refreshes an access token for a workspace. Sends no credentials. */
export function getAccessToken(
  client: AuthCore,
  input: GetAccessTokenInput,
  options?: CallOptions<AuthSecurity>,
): APIPromise<AccessToken> {
  return client.request(getAccessTokenOperation, input, options);
}
