import type { RetryConfig, SecurityRequirement } from "@core/http";
import type { ServiceAccountCredentials } from "./service-account/credentials.js";

/** The servers of the IAM API; `uat` is the default. */
export const IAM_SERVERS = {
  uat: "https://uat.apexapis.com",
  prod: "https://api.apexapis.com",
  sbx: "https://sbx.apexapis.com",
} as const satisfies Record<IamServer, string>;
/** A named server of the IAM API (`IAM_SERVERS` in `@sdk/iam/schemas` has their URLs). */
export type IamServer = "uat" | "prod" | "sbx";
export const DEFAULT_SERVER: IamServer = "uat";

/** Credentials of an IAM client (or of one call). */
export interface IamSecurity {
  /** `x-api-key`: every IAM operation needs it; the two Authentication operations need only it. */
  apiKeyAuth?: string | undefined;
  /**
   * Service-account credentials (from `parseServiceAccountCredentials`): protected calls then carry
   * `Authorization: Bearer <access token>`, fetched, shared, renewed and refreshed on 401 by the client.
   */
  serviceAccount?: ServiceAccountCredentials | undefined;
  /** An access token you obtained yourself, for protected calls (no automatic renewal). */
  bearerAuth?: string | undefined;
}

/** What the two Authentication operations need: the API key alone, never a token. */
export const API_KEY_ONLY: SecurityRequirement = [["apiKeyAuth"]];

/** What every other operation of the IAM API family needs: the API key plus an access token. */
export const PROTECTED: SecurityRequirement = [
  ["apiKeyAuth", "serviceAccount"],
  ["apiKeyAuth", "bearerAuth"],
];

/**
 * How an `IamCore` reaches the service-account machinery (JWS signing, the token cache, the token
 * operation): through the credentials it is given, never by importing it, so an app that only uses an
 * API key does not bundle it. `Symbol.for`: credentials parsed by another copy of @sdk/iam still work.
 */
export const TOKEN_CACHE_FACTORY: unique symbol = Symbol.for("@sdk/iam.serviceAccountTokens");

/** The retry policy of every IAM operation unless the client or the call sets its own. */
export const DEFAULT_RETRY: RetryConfig = {
  strategy: "backoff",
  backoff: { initialInterval: 500, maxInterval: 5000, exponent: 1.5, maxElapsedTime: 60_000 },
  retryConnectionErrors: true,
  statusCodes: [429, 504],
};
