// The IAM Authentication API (spec/iam.openapi.yaml, spec/iam-service-accounts.md): token exchange, signing
// keys, and a protected `whoami` route (not in the contract) to test the bearer-token flow end to end.
import { createHash } from "node:crypto";
import {
  bearerToken,
  header,
  iamError,
  json,
  type MockResponse,
  type RequestContext,
  type RouteDef,
} from "./http.js";
import { decodeJws, signJwt, verifyJws } from "./jwt.js";
import { MOCK_IAM_AUDIENCE, MOCK_IAM_ISSUER, seed } from "./seed.js";
import { type MockState, serviceAccountKey } from "./state.js";

/** How far the JWS `datetime` claim may be from the server clock (replay protection). */
export const JWS_MAX_SKEW_MS = 5 * 60 * 1000;
/** Allowance on the access token's `nbf` (clients' and servers' clocks differ a little). */
const NBF_SKEW_S = 30;

const apiKeys = new Set<string>(seed.iamApiKeys);

function requireApiKey(ctx: RequestContext): MockResponse | undefined {
  const key = header(ctx, "x-api-key");
  if (key === undefined) return iamError(401, "API_KEY_MISSING", "Missing x-api-key header.");
  if (!apiKeys.has(key)) return iamError(401, "API_KEY_INVALID", "The API key is not valid.");
  return undefined;
}

const unauthenticated = (reason: string, message: string) => iamError(401, reason, message);

function generateAccessToken(ctx: RequestContext, state: MockState): MockResponse {
  let body: unknown;
  try {
    body = JSON.parse(ctx.rawBody);
  } catch {
    return iamError(400, "INVALID_REQUEST_BODY", 'The request body must be JSON: {"jws": "<signed JWT>"}.');
  }
  const jwsText = body && typeof body === "object" ? (body as Record<string, unknown>).jws : undefined;
  if (typeof jwsText !== "string" || jwsText === "") {
    return iamError(400, "INVALID_REQUEST_BODY", "Field jws is required and must be a string.", {
      field: "jws",
    });
  }
  const jws = decodeJws(jwsText);
  if (!jws) return unauthenticated("JWS_MALFORMED", "The jws is not a compact JSON Web Signature.");
  if (jws.header.alg !== "RS256") {
    return unauthenticated("JWS_ALGORITHM_UNSUPPORTED", "The jws must be signed with RS256.");
  }
  const { name, organization, datetime } = jws.payload;
  if (typeof name !== "string" || typeof organization !== "string") {
    return unauthenticated("JWS_MALFORMED", "The jws claims must include name and organization.");
  }
  const entry = state.serviceAccounts.get(serviceAccountKey(name, organization));
  if (!entry) return unauthenticated("SERVICE_ACCOUNT_UNKNOWN", "No such service account.");
  if (!verifyJws(jws, "RS256", entry.publicKey)) {
    return unauthenticated("JWS_SIGNATURE_INVALID", "The jws signature does not verify.");
  }
  const at = typeof datetime === "string" ? Date.parse(datetime) : Number.NaN;
  if (!Number.isFinite(at) || Math.abs(at - state.clock.now()) > JWS_MAX_SKEW_MS) {
    return unauthenticated(
      "JWS_DATETIME_OUT_OF_RANGE",
      "The jws datetime claim must be within 5 minutes of the server time.",
    );
  }
  const iat = Math.floor(state.clock.now() / 1000);
  const exp = iat + state.ttlSeconds;
  const jti = state.newJti();
  const active = state.keys.active;
  const token = signJwt(
    { typ: "JWT", kid: active.kid },
    // The claims of upstream's tokens: who (sub, identity_class, sa_kid), for whom (iss, aud), when.
    {
      iss: MOCK_IAM_ISSUER,
      aud: MOCK_IAM_AUDIENCE,
      sub: entry.account.id,
      identity_class: "SERVICE_ACCOUNT",
      sa_kid: entry.account.keyId,
      jti,
      iat,
      nbf: iat,
      exp,
    },
    state.tokenAlgorithm,
    active.privateKey,
  );
  state.issued.set(jti, { api: "iam", exp });
  return json(200, { access_token: token, expires_in: state.ttlSeconds, token_type: "Bearer" });
}

// Page tokens are opaque to clients: base64url("<offset>.<checksum>"); the checksum makes edits detectable.
function pageChecksum(offset: number): string {
  return createHash("sha256").update(`mock-api keys page ${offset}`).digest("hex").slice(0, 12);
}
export function encodePageToken(offset: number): string {
  return Buffer.from(`${offset}.${pageChecksum(offset)}`).toString("base64url");
}
function decodePageToken(token: string, count: number): number | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const m = /^(\d{1,9})\.([0-9a-f]{12})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!m) return undefined;
  const offset = Number(m[1]);
  return m[2] === pageChecksum(offset) && offset > 0 && offset < count ? offset : undefined;
}

function listKeys(ctx: RequestContext, state: MockState): MockResponse {
  const sizeText = ctx.query.get("page_size");
  let size = 100;
  if (sizeText !== null) {
    size = /^\d{1,7}$/.test(sizeText) ? Number(sizeText) : Number.NaN;
    if (!(size >= 1 && size <= 1000)) {
      return iamError(400, "INVALID_PAGE_SIZE", "page_size must be an integer between 1 and 1000.", {
        field: "page_size",
      });
    }
  }
  const tokenText = ctx.query.get("page_token");
  let offset = 0;
  if (tokenText !== null && tokenText !== "") {
    const decoded = decodePageToken(tokenText, state.keys.count);
    if (decoded === undefined) {
      return iamError(400, "INVALID_PAGE_TOKEN", "page_token is not valid.", { field: "page_token" });
    }
    offset = decoded;
  }
  const end = Math.min(offset + size, state.keys.count);
  const keys = [];
  for (let i = offset; i < end; i++) keys.push(state.keys.at(i));
  // The last page carries no next_page_token at all (the contract stops on "absent or empty").
  return json(200, end < state.keys.count ? { keys, next_page_token: encodePageToken(end) } : { keys });
}

function whoami(ctx: RequestContext, state: MockState): MockResponse {
  const token = bearerToken(ctx);
  if (!token) return unauthenticated("TOKEN_INVALID", "Missing Authorization: Bearer <access token>.");
  if (ctx.tokenFault === "expired-token")
    return unauthenticated("TOKEN_EXPIRED", "The access token has expired.");
  if (ctx.tokenFault === "revoked-token")
    return unauthenticated("TOKEN_REVOKED", "The access token was revoked.");
  const jws = decodeJws(token);
  const kid = jws?.header.kid;
  const key = typeof kid === "string" ? state.keys.real.get(kid) : undefined;
  const alg = jws?.header.alg;
  if (!jws || !key || (alg !== "PS256" && alg !== "RS256") || !verifyJws(jws, alg, key.publicKey)) {
    return unauthenticated("TOKEN_INVALID", "The access token is not valid.");
  }
  const { sub, exp, nbf, jti, iss, aud } = jws.payload;
  const account = seed.serviceAccounts.find((a) => a.id === sub);
  if (
    iss !== MOCK_IAM_ISSUER ||
    aud !== MOCK_IAM_AUDIENCE ||
    !account ||
    typeof exp !== "number" ||
    typeof jti !== "string"
  ) {
    return unauthenticated("TOKEN_INVALID", "The access token is not valid.");
  }
  // A well-signed token this server no longer knows (issued before a reset) counts as revoked.
  if (state.revoked.has(jti) || state.issued.get(jti)?.api !== "iam") {
    return unauthenticated("TOKEN_REVOKED", "The access token was revoked.");
  }
  const nowS = state.clock.now() / 1000;
  if (exp <= nowS) return unauthenticated("TOKEN_EXPIRED", "The access token has expired.");
  if (typeof nbf === "number" && nbf > nowS + NBF_SKEW_S) {
    return unauthenticated("TOKEN_INVALID", "The access token is not valid yet.");
  }
  const { name, organization } = account.credentials;
  return json(200, { sub, name, organization, exp });
}

export function iamRoutes(state: MockState): RouteDef[] {
  const withKey =
    (fn: (ctx: RequestContext, state: MockState) => MockResponse) =>
    (ctx: RequestContext): MockResponse =>
      requireApiKey(ctx) ?? fn(ctx, state);
  return [
    {
      method: "POST",
      path: "/iam/v1/serviceAccounts:generateAccessToken",
      api: "iam",
      handler: withKey(generateAccessToken),
      drift: { missing: "access_token", enumField: { path: "token_type", value: "PoP" } },
    },
    {
      method: "GET",
      path: "/iam/v1/keys",
      api: "iam",
      handler: withKey(listKeys),
      drift: { missing: "keys", enumField: { path: "keys.0.kty", value: "PQC" } },
    },
    {
      method: "GET",
      path: "/iam/v1/whoami",
      bearer: true,
      api: "iam",
      handler: withKey(whoami),
      drift: { missing: "sub" },
    },
  ];
}
