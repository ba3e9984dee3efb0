import { type APIPromise, type CallOptions, defineOperation } from "@core/http";
import type { AuthSecurity } from "../api.js";
import type { AuthCore } from "../core.js";
import { AuthError } from "../errors.js";
import { type ApiKeyDetails, ApiKeyDetailsSchema } from "../models.js";

export const validateApiKeyOperation = defineOperation({
  id: "validateApiKey",
  name: "auth.validateApiKey",
  method: "GET",
  path: "/v1/auth/validate",
  output: ApiKeyDetailsSchema,
  errors: { "4XX": AuthError },
});

/** Validates the current credential and returns the workspace it belongs to. */
export function validateApiKey(
  client: AuthCore,
  options?: CallOptions<AuthSecurity>,
): APIPromise<ApiKeyDetails> {
  return client.request(validateApiKeyOperation, undefined, options);
}
