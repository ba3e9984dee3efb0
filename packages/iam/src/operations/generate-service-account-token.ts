import { type CallOptions, defineOperation } from "@core/http";
import * as v from "valibot";
import { API_KEY_ONLY, DEFAULT_RETRY, type IamSecurity } from "../api.js";
import type { IamCore } from "../core.js";
import { StatusError } from "../errors.js";
import { TokenSchema } from "../models.js";

export const GenerateServiceAccountTokenInputSchema = v.object({
  /** A JWS signed with the service account's private key (see `signServiceAccountJws`). */
  jws: v.pipe(v.string(), v.minLength(1, "a non-empty JWS")),
});
export interface GenerateServiceAccountTokenInput {
  /** A JWS signed with the service account's private key (see `signServiceAccountJws`). */
  jws: string;
}

export const generateServiceAccountTokenOperation = defineOperation({
  // The contract's operationId: what hooks see as `ctx.operationId` and errors name as `operation`.
  id: "Authentication_GenerateServiceAccountToken",
  name: "iam.generateServiceAccountToken",
  // The JWS is a bearer credential until it expires; the token answers it.
  secrets: { request: ["jws"], response: ["access_token", "accessToken"] },
  method: "POST",
  path: "/iam/v1/serviceAccounts:generateAccessToken",
  input: GenerateServiceAccountTokenInputSchema,
  request: (input) => ({ body: { jws: input.jws } }),
  output: TokenSchema,
  errors: { "400": StatusError, "401": StatusError, "500": StatusError },
  // Only the API key: the operation that issues tokens cannot need one.
  security: API_KEY_ONLY,
  retry: DEFAULT_RETRY,
  // Exchanging the same JWS twice only issues a second token: safe to repeat.
  idempotent: true,
});

/** Creates an access token for a service account, in exchange for a signed JWS. */
export function generateServiceAccountToken(
  client: IamCore,
  input: GenerateServiceAccountTokenInput,
  options?: CallOptions<IamSecurity>,
) {
  return client.request(generateServiceAccountTokenOperation, input, options);
}
