import { type ClientOptions, HttpClient } from "@core/http";
import { InvalidRequestError } from "@sdk/errors";
// Inlined by the bundler (only these two strings): `changeset version` bumps one place, not two.
import { name as SDK_NAME, version as SDK_VERSION } from "../package.json";
import { DEFAULT_SERVER, IAM_SERVERS, type IamSecurity, type IamServer, TOKEN_CACHE_FACTORY } from "./api.js";
import { InvalidCredentialsError } from "./errors.js";
// Only the zeroed counters: the token machinery is reached through the credentials (see
// TOKEN_CACHE_FACTORY); size.test.ts checks it stays out of an API-key-only bundle.
import {
  emptyStats,
  type ServiceAccountTokenCache,
  type ServiceAccountTokens,
  type serviceAccountTokensFor,
  type TokenRefreshOptions,
  type TokenStats,
} from "./service-account/tokens.js";

/**
 * Checked here, not when the first token is cached: a NaN ratio would silently turn renewal off, and
 * a margin past the lifetime would renew on nearly every call.
 */
function checkTokenRefresh(refresh: TokenRefreshOptions | undefined): void {
  const bad = (path: string, expected: string) =>
    new InvalidRequestError(`${SDK_NAME} client`, [{ path, expected, message: `must be ${expected}` }]);
  if (refresh === undefined) return;
  const { ratio, maxMarginMs, waitUntil } = refresh;
  if (ratio !== undefined && !(typeof ratio === "number" && ratio >= 0 && ratio < 1)) {
    throw bad("tokenRefresh.ratio", "a number from 0 up to (not including) 1");
  }
  if (maxMarginMs !== undefined && !(Number.isFinite(maxMarginMs) && maxMarginMs >= 0)) {
    throw bad("tokenRefresh.maxMarginMs", "a finite number of ms, 0 or more");
  }
  if (waitUntil !== undefined && typeof waitUntil !== "function") {
    throw bad("tokenRefresh.waitUntil", "a function (promise) => void");
  }
}

export interface IamClientOptions extends Omit<ClientOptions<IamSecurity>, "server"> {
  /** `uat` (default) https://uat.apexapis.com, `prod` https://api.apexapis.com, `sbx` https://sbx.apexapis.com. */
  server?: IamServer;
  /**
   * The clock (ms since the epoch) for service-account tokens: the JWS `datetime`/`iat` and token
   * expiry. Default `Date.now`; inject one in tests or to correct a skewed clock.
   */
  now?: () => number;
  /** When service-account tokens are renewed ahead of expiry. */
  tokenRefresh?: TokenRefreshOptions;
}

/**
 * The transport of the IAM SDK: pass it to the standalone functions (`listSigningKeys(core, ...)`) for
 * the smallest bundles, or use `IamClient`, which adds one method per operation.
 */
export class IamCore extends HttpClient<IamSecurity> {
  #tokens: ServiceAccountTokens | undefined;

  constructor(options: IamClientOptions = {}) {
    super(
      {
        sdk: SDK_NAME,
        version: SDK_VERSION,
        servers: IAM_SERVERS,
        defaultServer: DEFAULT_SERVER,
        securitySchemes: [
          { field: "apiKeyAuth", type: "apiKey", in: "header", name: "x-api-key" },
          {
            field: "serviceAccount",
            type: "custom",
            apply: (value, ctx) => this.#tokensFor(value).apply(value, ctx),
            onUnauthorized: (value, ctx) => this.#tokensFor(value).onUnauthorized(value, ctx),
          },
          { field: "bearerAuth", type: "http", scheme: "bearer" },
        ],
      },
      options,
    );
    checkTokenRefresh(options.tokenRefresh);
  }

  /** The token cache, created by the first service-account credentials this client is given. */
  #tokensFor(credentials: unknown): ServiceAccountTokens {
    if (this.#tokens) return this.#tokens;
    const factory = (credentials as { [TOKEN_CACHE_FACTORY]?: typeof serviceAccountTokensFor } | null)?.[
      TOKEN_CACHE_FACTORY
    ];
    if (typeof factory !== "function") {
      throw new InvalidCredentialsError(
        "serviceAccount",
        "must be the result of parseServiceAccountCredentials(file)",
      );
    }
    const options = this.options as IamClientOptions;
    this.#tokens = factory(this, options.now ?? Date.now, options.tokenRefresh);
    return this.#tokens;
  }

  /** The cache of service-account access tokens: `stats()` and `clear()`. */
  get serviceAccountTokens(): ServiceAccountTokenCache {
    return Object.freeze({
      stats: (): TokenStats => this.#tokens?.stats() ?? emptyStats(),
      clear: () => this.#tokens?.clear(),
    });
  }
}
