import { type ClientOptions, HttpClient } from "@core/http";
import {
  DEFAULT_SERVER,
  IAM_SERVERS,
  type IamSecurity,
  type IamServer,
  SDK_NAME,
  SDK_VERSION,
} from "./api.js";
import { generateServiceAccountToken } from "./operations/generate-service-account-token.js";
import { signServiceAccountJws } from "./service-account/jws.js";
import {
  type ServiceAccountTokenCache,
  ServiceAccountTokens,
  type TokenRefreshOptions,
} from "./service-account/tokens.js";

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

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The transport of the IAM SDK: pass it to the standalone functions (`listSigningKeys(core, ...)`) for
 * the smallest bundles, or use `IamClient`, which adds one method per operation.
 */
export class IamCore extends HttpClient<IamSecurity> {
  readonly #tokenCache: ServiceAccountTokenCache;

  constructor(options: IamClientOptions = {}) {
    // The `serviceAccount` scheme needs this client to fetch tokens: it is wired after `super`.
    let tokens: ServiceAccountTokens | undefined;
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
            apply: (value, ctx) => tokens!.apply(value, ctx),
            onUnauthorized: (value, ctx) => tokens!.onUnauthorized(value, ctx),
          },
          { field: "bearerAuth", type: "http", scheme: "bearer" },
        ],
      },
      options,
    );
    const now = options.now ?? Date.now;
    tokens = new ServiceAccountTokens(
      async (credentials, apiKey, serverURL) =>
        generateServiceAccountToken(
          this,
          { jws: await signServiceAccountJws(credentials, { now: now() }) },
          { security: { apiKeyAuth: apiKey }, serverURL },
        ),
      now,
      options.tokenRefresh,
    );
    const cache = tokens;
    this.#tokenCache = Object.freeze({ stats: () => cache.stats(), clear: () => cache.clear() });
  }

  /** The cache of service-account access tokens: `stats()` and `clear()`. */
  get serviceAccountTokens(): ServiceAccountTokenCache {
    return this.#tokenCache;
  }

  /** The base URL calls go to (unless a call sets `serverURL`). */
  get serverURL(): string {
    return this.options.serverURL ?? IAM_SERVERS[(this.options.server as IamServer) ?? DEFAULT_SERVER];
  }

  // The options hold credentials: show where the client talks to, nothing else.
  toJSON(): { sdk: string; serverURL: string } {
    return { sdk: `${SDK_NAME}@${SDK_VERSION}`, serverURL: this.serverURL };
  }

  [INSPECT](): string {
    return `${this.constructor.name} ${JSON.stringify(this.toJSON())}`;
  }
}
