// Type-only: the credentials module imports the token cache, which imports this file.
import type { ServiceAccountCredentials } from "./credentials.js";
import { base64urlJSON, bytesToBase64url, epochMsOption, subtle, utf8Bytes } from "./encoding.js";
import { signingKeyOf } from "./key-material.js";

export interface SignJwsOptions {
  /** The signing time (ms since the epoch, or a Date); default now. Sets `datetime` and `iat`. */
  now?: number | Date;
}

/** The claims a service-account JWS carries; the server reads `name`, `organization` and `datetime`. */
export interface ServiceAccountJwsClaims {
  name: string;
  organization: string;
  /** ISO-8601 UTC, e.g. `2025-01-31T12:00:00.000Z`. */
  datetime: string;
  /** Seconds since the epoch. */
  iat: number;
}

/**
 * Signs the JWS that `generateServiceAccountToken` exchanges for an access token: RS256 over
 * `{ name, organization, datetime, iat }`, with WebCrypto (so it runs in browsers and edge runtimes).
 */
export async function signServiceAccountJws(
  credentials: ServiceAccountCredentials,
  options: SignJwsOptions = {},
): Promise<string> {
  const nowMs = epochMsOption(options.now, "signServiceAccountJws");
  const key = await signingKeyOf(credentials);
  const claims: ServiceAccountJwsClaims = {
    name: credentials.name,
    organization: credentials.organization,
    datetime: new Date(nowMs).toISOString(),
    iat: Math.floor(nowMs / 1000),
  };
  const signingInput = `${base64urlJSON({ alg: "RS256", typ: "JWT" })}.${base64urlJSON(claims)}`;
  const signature = await subtle().sign("RSASSA-PKCS1-v1_5", key, utf8Bytes(signingInput));
  return `${signingInput}.${bytesToBase64url(new Uint8Array(signature))}`;
}
