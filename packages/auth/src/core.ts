// The transport class of the SDK (same role as packages/iam/src/core.ts): the standalone functions take it.
import { type ClientOptions, HttpClient } from "@core/http";
import { AUTH_API, type AuthSecurity, type AuthServer } from "./api.js";

export interface AuthClientOptions extends Omit<ClientOptions<AuthSecurity>, "server"> {
  /** A named server: `prod` (default) is https://api.prod.speakeasy.com. `serverURL` wins over it. */
  server?: AuthServer;
}

/**
 * The transport of the Auth SDK: pass it to the standalone functions (`validateApiKey(core)`) for the
 * smallest bundles, or use `AuthClient`, which adds one method per operation.
 */
export class AuthCore extends HttpClient<AuthSecurity> {
  constructor(options: AuthClientOptions = {}) {
    super(AUTH_API, options);
  }
}
