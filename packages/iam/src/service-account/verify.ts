import { InvalidRequestError } from "@sdk/errors";
import type { IamCore } from "../core.js";
import { TokenVerificationError, type TokenVerificationReason } from "../errors.js";
import type { SigningKey } from "../models.js";
import { listSigningKeys } from "../operations/list-signing-keys.js";
import { base64urlToBytes, decodeJwt, epochMsOption, subtle, utf8Bytes } from "./encoding.js";

/** The claims of an IAM access token, as the mock and upstream issue them; others are kept. */
export interface AccessTokenClaims {
  iss?: string;
  /** The service account, e.g. `serviceAccounts/…`. */
  sub?: string;
  aud?: string | string[];
  /** Expiry, seconds since the epoch. Required: a token without it is rejected as malformed. */
  exp: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  name?: string;
  organization?: string;
  [claim: string]: unknown;
}

export interface VerifyCommonOptions {
  /** The verification time (ms since the epoch, or a Date); default now. */
  now?: number | Date;
  /** Allowance for clocks that differ, applied to `exp` and `nbf` (default 60 s). */
  clockSkewSeconds?: number;
  /** When set, the `iss` claim must equal it. */
  issuer?: string;
}

export type VerifyAccessTokenOptions = VerifyCommonOptions &
  (
    | {
        /** The signing keys, e.g. collected from `listSigningKeys`; `null` entries are ignored. */
        keys: readonly (SigningKey | null | undefined)[];
        client?: undefined;
      }
    | {
        /**
         * A client to list the signing keys with (every page). They are cached per client for an hour
         * and listed again, at most every 30 s, when a token names a `kid` the cache does not hold.
         */
        client: IamCore;
        keys?: undefined;
      }
  );

const DEFAULT_SKEW_SECONDS = 60;
const KEYS_MAX_AGE_MS = 60 * 60 * 1000;
const REFETCH_COOLDOWN_MS = 30 * 1000;

/** The accepted algorithms, each pinned to RSA keys; `none` and HMAC are never accepted. */
const ALGORITHMS = {
  RS256: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  PS256: { import: { name: "RSA-PSS", hash: "SHA-256" }, verify: { name: "RSA-PSS", saltLength: 32 } },
} as const;
type Algorithm = keyof typeof ALGORITHMS;

/** `exp`/`nbf` for a message; a forged value may be out of Date's range. */
function when(seconds: number): string {
  return Math.abs(seconds) < 8.64e12 ? new Date(seconds * 1000).toISOString() : `${seconds} s`;
}

const fail = (reason: TokenVerificationReason, detail: string, kid?: string): never => {
  throw new TokenVerificationError(reason, detail, kid);
};

/** Header values are attacker-controlled: show them only when they are short and plain. */
function shown(value: unknown): string {
  return typeof value === "string" && /^[\w.:-]{1,128}$/.test(value) ? `"${value}"` : "(not shown)";
}

// Imported keys, per JWK object and algorithm (the same JWK may serve RS256 and PS256 when it has no `alg`).
const importedKeys = new WeakMap<object, Map<Algorithm, Promise<CryptoKey | undefined>>>();

/** RFC 7518 §3.3 and §3.5: RS256/PS256 keys MUST be at least 2048 bits; WebCrypto would take less. */
function modulusBits(n: string): number {
  const bytes = base64urlToBytes(n);
  if (!bytes) return 0;
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return i === bytes.length ? 0 : (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

function importKey(jwk: SigningKey, alg: Algorithm): Promise<CryptoKey | undefined> {
  let byAlg = importedKeys.get(jwk);
  if (!byAlg) importedKeys.set(jwk, (byAlg = new Map()));
  let key = byAlg.get(alg);
  if (!key) {
    const { n, e } = jwk;
    key =
      typeof n === "string" && typeof e === "string" && modulusBits(n) >= 2048
        ? subtle()
            .importKey("jwk", { kty: "RSA", n, e, ext: true }, ALGORITHMS[alg].import, false, ["verify"])
            .catch(() => undefined)
        : Promise.resolve(undefined);
    byAlg.set(alg, key);
  }
  return key;
}

/** The signing keys of one client, listed lazily and cached. */
class RemoteKeys {
  #byKid: Map<string, SigningKey> | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;

  constructor(private readonly client: IamCore) {}

  async find(kid: string, now: number): Promise<SigningKey | undefined> {
    if (!this.#byKid || now - this.#loadedAt >= KEYS_MAX_AGE_MS) await this.#load(now);
    let key = this.#byKid!.get(kid);
    // An unknown kid may be a key rotated in since the last listing: list once more, but not on
    // every forged kid an attacker sends.
    if (!key && now - this.#loadedAt >= REFETCH_COOLDOWN_MS) {
      await this.#load(now);
      key = this.#byKid!.get(kid);
    }
    return key;
  }

  #load(now: number): Promise<void> {
    this.#inflight ??= (async () => {
      try {
        const byKid = new Map<string, SigningKey>();
        for await (const key of listSigningKeys(this.client, { pageSize: 1000 })) {
          if (typeof key.kid === "string" && !byKid.has(key.kid)) byKid.set(key.kid, key);
        }
        this.#byKid = byKid;
        this.#loadedAt = now;
      } finally {
        this.#inflight = undefined;
      }
    })();
    return this.#inflight;
  }
}

const remoteKeys = new WeakMap<IamCore, RemoteKeys>();

function keyFinder(
  options: VerifyAccessTokenOptions,
  now: number,
): (kid: string) => Promise<SigningKey | undefined> {
  if (options.client) {
    const client = options.client;
    let cache = remoteKeys.get(client);
    if (!cache) remoteKeys.set(client, (cache = new RemoteKeys(client)));
    return (kid) => cache.find(kid, now);
  }
  const keys = options.keys as readonly (SigningKey | null | undefined)[];
  return async (kid) => keys.find((k): k is SigningKey => k != null && k.kid === kid);
}

function badOption(path: string, expected: string, message: string): InvalidRequestError {
  return new InvalidRequestError("verifyAccessToken", [{ path, expected, message }]);
}

/**
 * A NaN time or skew would make every expiry comparison false, and so accept an expired token:
 * the options are checked before anything else.
 */
function checkOptions(options: VerifyAccessTokenOptions | undefined): { nowMs: number; skew: number } {
  if (typeof options !== "object" || options === null) {
    throw badOption("options", "an object", "needs `keys` or `client`");
  }
  if (!options.client && !Array.isArray(options.keys)) {
    throw badOption("keys", "an array of signing keys, or a `client`", "needs `keys` or `client`");
  }
  const nowMs = epochMsOption(options.now, "verifyAccessToken");
  const skew = options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (typeof skew !== "number" || !Number.isFinite(skew) || skew < 0) {
    throw badOption(
      "clockSkewSeconds",
      "a finite number ≥ 0",
      "must be a finite number of seconds, 0 or more",
    );
  }
  return { nowMs, skew };
}

/**
 * Verifies an IAM access token against the API's signing keys and returns its claims: the `kid` must
 * name a listed RSA key, `alg` must be RS256 or PS256 (and equal the key's `alg` when it has one), the
 * signature must verify, and `exp`/`nbf` must hold within the clock-skew allowance. Anything else
 * throws `TokenVerificationError` with a `reason`; the token never appears in the error. Invalid options
 * (no `keys` or `client`, a `now` or `clockSkewSeconds` that is not a valid number) throw
 * `InvalidRequestError` first.
 */
export async function verifyAccessToken(
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenClaims> {
  const { nowMs, skew } = checkOptions(options);
  const decoded = typeof token === "string" ? decodeJwt(token) : undefined;
  if (!decoded) {
    return fail(
      "malformed",
      "not a compact JWS (three base64url segments: JSON header, JSON claims, signature)",
    );
  }
  const { header, claims } = decoded;
  const alg = header.alg;
  if (typeof alg !== "string") return fail("malformed", "the header has no alg");
  // Checked before any key lookup, so forged tokens cost no listing.
  if (!Object.hasOwn(ALGORITHMS, alg)) {
    return fail("unsupported_alg", `alg ${shown(alg)} is not accepted; only RS256 and PS256 are`);
  }
  const algorithm = alg as Algorithm;
  if (header.crit !== undefined) return fail("malformed", "critical header extensions are not supported");
  const kid = header.kid;
  if (typeof kid !== "string" || kid === "") return fail("unknown_kid", "the header has no kid");
  const safeKid = shown(kid) === "(not shown)" ? undefined : kid;

  const key = await keyFinder(options, nowMs)(kid);
  if (!key) return fail("unknown_kid", `no signing key has kid ${shown(kid)}`, safeKid);
  if (key.use !== undefined && key.use !== "sig") {
    return fail("invalid_key", `the key ${shown(kid)} is not a signing key (use ${shown(key.use)})`, safeKid);
  }
  if (key.kty !== "RSA") {
    return fail("unsupported_alg", `${alg} needs an RSA key; the key is kty ${shown(key.kty)}`, safeKid);
  }
  if (key.alg !== undefined && key.alg !== alg) {
    return fail("unsupported_alg", `the key is for ${shown(key.alg)}, the token says ${alg}`, safeKid);
  }
  const cryptoKey = await importKey(key, algorithm);
  if (!cryptoKey)
    return fail(
      "invalid_key",
      `the key ${shown(kid)} is not a usable RSA public key (2048 bits or more)`,
      safeKid,
    );
  const valid = await subtle().verify(
    ALGORITHMS[algorithm].verify,
    cryptoKey,
    decoded.signature,
    utf8Bytes(decoded.signingInput),
  );
  if (!valid) return fail("bad_signature", "the signature does not verify", safeKid);

  const { exp, nbf } = claims;
  if (typeof exp !== "number" || !Number.isFinite(exp))
    return fail("malformed", "exp is missing or not a number", safeKid);
  if (nbf !== undefined && (typeof nbf !== "number" || !Number.isFinite(nbf))) {
    return fail("malformed", "nbf is not a number", safeKid);
  }
  const nowS = nowMs / 1000;
  if (nowS >= exp + skew) {
    return fail("expired", `expired at ${when(exp)}`, safeKid);
  }
  if (nbf !== undefined && nowS + skew < nbf) {
    return fail("not_yet_valid", `not valid before ${when(nbf)}`, safeKid);
  }
  if (options.issuer !== undefined && claims.iss !== options.issuer) {
    return fail("claim_mismatch", "iss is not the expected issuer", safeKid);
  }
  return claims as AccessTokenClaims;
}
