import type { APIPromise, CallOptions } from "@core/http";
import type { AuthSecurity } from "./api.js";
import { AuthCore } from "./core.js";
import type { AccessDetails, AccessToken, ApiKeyDetails, User } from "./models.js";
import { type GetAccessInput, getAccess } from "./operations/get-access.js";
import { type GetAccessTokenInput, getAccessToken } from "./operations/get-access-token.js";
import { getUser } from "./operations/get-user.js";
import { validateApiKey } from "./operations/validate-api-key.js";

/**
 * The registry Auth API client: one method per operation. For the smallest bundles, use `AuthCore`
 * with the standalone functions instead (`validateApiKey(core)`, ...): same behaviour.
 */
export class AuthClient extends AuthCore {
  /** Validates the current credential and returns the workspace it belongs to. */
  validateApiKey(options?: CallOptions<AuthSecurity>): APIPromise<ApiKeyDetails> {
    return validateApiKey(this, options);
  }

  /** Gets the user the current credential belongs to. */
  getUser(options?: CallOptions<AuthSecurity>): APIPromise<User> {
    return getUser(this, options);
  }

  /** Gets or refreshes an access token for a workspace. Sends no credentials. */
  getAccessToken(input: GetAccessTokenInput, options?: CallOptions<AuthSecurity>): APIPromise<AccessToken> {
    return getAccessToken(this, input, options);
  }

  /**
   * Checks whether generation is permitted for a run of the CLI (and counts it, unless `passive`).
   * Retries 408/500/502/503 and connection failures by default.
   */
  getAccess(input?: GetAccessInput, options?: CallOptions<AuthSecurity>): APIPromise<AccessDetails> {
    return getAccess(this, input, options);
  }
}
