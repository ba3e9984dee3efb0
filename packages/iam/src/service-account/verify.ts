import { InvalidRequestError, SDKError } from "@sdk/errors";
import type { IamClientOptions, IamCore } from "../core.js";
import { TokenVerificationError, type TokenVerificationReason } from "../errors.js";
import type { SigningKey } from "../models.js";
import { listSigningKeys } from "../operations/list-signing-keys.js";
import { base64urlToBytes, decodeJSONSegment, epochMsOption, subtle } from "./encoding.js";

// Verification of untrusted tokens is jose's `jwtVerify` (signature, `alg` allow-list, `crit`, time
// and `iss`/`aud` checks); this file keeps to what jose cannot know: where the keys come from (our
// paged listing, cached per client), which listed key may be used, and the mapping of every failure to
// a `TokenVerificationError` reason. jose is imported on the first verification only, so importing
// @sdk/iam (or bundling an app that never verifies) costs nothing for it.

/** The claims of an IAM access token, as the API issues them; others are kept. */
export interface AccessTokenClaims {
  /** `apexapis.com`. */
  iss?: string;
  /** The service account's id (a UUID). */
  sub?: string;
  /** `apexapis.com`. */
  aud?: string | string[];
  /** Expiry, seconds since the epoch. Required: a token without it is rejected as malformed. */
  exp: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  /** `SERVICE_ACCOUNT` for service-account tokens. */
  identity_class?: string;
  /** The id of the service-account key the token was exchanged for. */
  sa_kid?: string;
  [claim: string]: unknown;
}

export interface VerifyCommonOptions {
  /** The verification time (ms since the epoch, or a Date); default now. Only `exp`/`nbf` read it. */
  now?: number | Date;
  /** Allowance for clocks that differ, applied to `exp` and `nbf` (default 60 s). */
  clockSkewSeconds?: number;
  /** When set, the `iss` claim must equal it (or one of them); a token without `iss` is refused. */
  issuer?: string | readonly string[];
  /** When set, `aud` must name it (or one of them); a token without `aud` is refused. */
  audience?: string | readonly string[];
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
         * A client to list the signing keys with (at most `VERIFY_LIMITS.maxKeyPages` pages). They are
         * cached per client for an hour and listed again, at most once per cool-down, when a token
         * names a `kid` the cache does not hold.
         */
        client: IamCore;
        keys?: undefined;
      }
  );

/** The documented bounds of `verifyAccessToken`. */
export const VERIFY_LIMITS = Object.freeze({
  /** Longer tokens are refused (`malformed`) before any decoding. */
  maxTokenLength: 16 * 1024,
  /** A key listing longer than this many pages (of 1000 keys) ends in `keys_unavailable`. */
  maxKeyPages: 50,
  /** One whole key listing (every page, no retries) must end within this, else `keys_unavailable`. */
  keyListingDeadlineMs: 8000,
  /** Listed keys are used this long, then listed again. */
  keysMaxAgeMs: 60 * 60 * 1000,
  /** An unknown `kid` re-lists the keys at most once per this, for all callers of a client together. */
  relistCooldownMs: 30 * 1000,
  /** After a failed listing, verifications fail fast (`keys_unavailable`) for this long. */
  failureCooldownMs: 5 * 1000,
});

const DEFAULT_SKEW_SECONDS = 60;

/** The accepted algorithms, each pinned to RSA keys; `none` and HMAC are never accepted. */
const ALGORITHMS = {
  RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  PS256: { name: "RSA-PSS", hash: "SHA-256" },
} as const;
type Algorithm = keyof typeof ALGORITHMS;

const fail = (reason: TokenVerificationReason, detail: string, kid?: string, cause?: unknown): never => {
  throw new TokenVerificationError(reason, detail, kid, cause === undefined ? undefined : { cause });
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
            .importKey("jwk", { kty: "RSA", n, e, ext: true }, ALGORITHMS[alg], false, ["verify"])
            .catch(() => undefined)
        : Promise.resolve(undefined);
    byAlg.set(alg, key);
  }
  return key;
}

/** The signing keys of one client, listed lazily and cached; one listing at a time, shared. */
class RemoteKeys {
  #byKid: Map<string, SigningKey> | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;
  /** When the last listing started (successful or not): the cool-downs count from here. */
  #attemptAt = Number.NEGATIVE_INFINITY;
  #failure: { detail: string; cause: unknown } | undefined;
  #inflight: Promise<void> | undefined;

  // The client's own clock (not a verification's `now` option): a `now` far in the past or future,
  // used to check one token, must not age or refresh the cache that every other call shares.
  constructor(
    private readonly client: IamCore,
    private readonly clock: () => number,
  ) {}

  async find(kid: string): Promise<SigningKey | undefined> {
    if (!this.#byKid || this.clock() - this.#loadedAt >= VERIFY_LIMITS.keysMaxAgeMs) await this.#load();
    let key = this.#byKid!.get(kid);
    // An unknown kid may be a key rotated in since the last listing: list once more, but not on
    // every forged kid an attacker sends.
    if (!key && this.clock() - this.#attemptAt >= VERIFY_LIMITS.relistCooldownMs) {
      await this.#load();
      key = this.#byKid!.get(kid);
    }
    return key;
  }

  #load(): Promise<void> {
    if (this.#inflight) return this.#inflight;
    const now = this.clock();
    if (this.#failure && now - this.#attemptAt < VERIFY_LIMITS.failureCooldownMs) {
      // Failing fast: a key endpoint in trouble is not asked again by every token that arrives.
      return Promise.reject(
        new TokenVerificationError(
          "keys_unavailable",
          `${this.#failure.detail} (not asked again for ${VERIFY_LIMITS.failureCooldownMs / 1000} s)`,
          undefined,
          { cause: this.#failure.cause },
        ),
      );
    }
    this.#attemptAt = now;
    const request = this.#list().then(
      (byKid) => {
        this.#byKid = byKid;
        this.#loadedAt = now;
        this.#failure = undefined;
      },
      (error: unknown) => {
        const detail =
          error instanceof TokenVerificationError ? error.message : "the signing keys could not be listed";
        const cause = error instanceof TokenVerificationError ? error.cause : error;
        this.#failure = { detail, cause };
        return fail("keys_unavailable", detail, undefined, cause);
      },
    );
    const settle = () => {
      if (this.#inflight === request) this.#inflight = undefined;
    };
    this.#inflight = request;
    request.then(settle, settle);
    return request;
  }

  async #list(): Promise<Map<string, SigningKey>> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), VERIFY_LIMITS.keyListingDeadlineMs);
    try {
      const byKid = new Map<string, SigningKey>();
      let pages = 0;
      // No retries: a verification waiting on a key endpoint in trouble fails fast instead of
      // walking the retry ladder for every page; the cool-downs above pace the next attempt.
      const listing = listSigningKeys(
        this.client,
        { pageSize: 1000 },
        { retries: { strategy: "none" }, signal: deadline.signal },
      );
      for await (const page of listing.pages()) {
        if (++pages > VERIFY_LIMITS.maxKeyPages) {
          fail("keys_unavailable", `the key listing has more than ${VERIFY_LIMITS.maxKeyPages} pages`);
        }
        for (const key of page.keys) {
          if (key && typeof key.kid === "string" && !byKid.has(key.kid)) byKid.set(key.kid, key);
        }
      }
      return byKid;
    } finally {
      clearTimeout(timer);
    }
  }
}

const remoteKeys = new WeakMap<IamCore, RemoteKeys>();

function keyFinder(options: VerifyAccessTokenOptions): (kid: string) => Promise<SigningKey | undefined> {
  if (options.client) {
    const client = options.client;
    let cache = remoteKeys.get(client);
    if (!cache) {
      const clock = (client.options as IamClientOptions).now ?? Date.now;
      remoteKeys.set(client, (cache = new RemoteKeys(client, clock)));
    }
    return (kid) => cache.find(kid);
  }
  const keys = options.keys as readonly (SigningKey | null | undefined)[];
  return async (kid) => keys.find((k): k is SigningKey => k != null && k.kid === kid);
}

function badOption(path: string, expected: string, message: string): InvalidRequestError {
  return new InvalidRequestError("verifyAccessToken", [{ path, expected, message }]);
}

function stringsOption(value: unknown, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === "string" && s !== "")) {
    throw badOption(path, "a non-empty string or list of them", "must be a string or a list of strings");
  }
  return list;
}

interface CheckedOptions {
  nowMs: number;
  skew: number;
  issuer: string[] | undefined;
  audience: string[] | undefined;
}

/**
 * A NaN time or skew would make every expiry comparison false, and so accept an expired token:
 * the options are checked before anything else.
 */
function checkOptions(options: VerifyAccessTokenOptions | undefined): CheckedOptions {
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
  return {
    nowMs,
    skew,
    issuer: stringsOption(options.issuer, "issuer"),
    audience: stringsOption(options.audience, "audience"),
  };
}

const isTime = (v: unknown) => typeof v === "number" && Number.isFinite(v);

/**
 * The claim types, checked before jose compares anything (a wrong type is `malformed`, never a pass
 * nor a TypeError). Only a check: nothing here is trusted until the signature has verified.
 */
function claimTypeProblem(claims: Record<string, unknown>): string | undefined {
  if (!isTime(claims.exp)) return "exp is missing or not a number";
  for (const name of ["nbf", "iat"] as const) {
    if (claims[name] !== undefined && !isTime(claims[name])) return `${name} is not a number`;
  }
  for (const name of ["iss", "sub", "jti"] as const) {
    if (claims[name] !== undefined && typeof claims[name] !== "string") return `${name} is not a string`;
  }
  const aud = claims.aud;
  if (aud !== undefined && typeof aud !== "string") {
    if (!Array.isArray(aud) || !aud.every((a) => typeof a === "string")) {
      return "aud is neither a string nor a list of strings";
    }
  }
  return undefined;
}

/** jose's error codes → our reasons. jose's own messages and causes are not kept (they carry claims). */
function reasonFor(error: unknown): { reason: TokenVerificationReason; detail: string } {
  const { code, claim, reason } = (error ?? {}) as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return { reason: "bad_signature", detail: "the signature does not verify" };
    case "ERR_JWT_EXPIRED":
      return { reason: "expired", detail: "exp is in the past" };
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (claim === "nbf" && reason === "check_failed") {
        return { reason: "not_yet_valid", detail: "nbf is in the future" };
      }
      if ((claim === "iss" || claim === "aud") && reason !== "invalid") {
        return {
          reason: "claim_mismatch",
          detail: `${claim} is ${reason === "missing" ? "missing" : "not the expected one"}`,
        };
      }
      return { reason: "malformed", detail: `the ${shown(claim)} claim is not valid` };
    case "ERR_JOSE_ALG_NOT_ALLOWED":
    case "ERR_JOSE_NOT_SUPPORTED":
      return { reason: "unsupported_alg", detail: "the algorithm is not accepted" };
    default:
      // A TypeError from jose's key checks (size, algorithm, usages): the key, not the token, is at fault.
      if (error instanceof TypeError) return { reason: "invalid_key", detail: "the key cannot verify it" };
      return { reason: "malformed", detail: "not a valid JWT" };
  }
}

let jose: Promise<typeof import("jose/jwt/verify")> | undefined;

/**
 * Verifies an IAM access token against the API's signing keys and returns its claims. In order: the
 * options (invalid ones throw `InvalidRequestError`), the size (`VERIFY_LIMITS.maxTokenLength`), the
 * shape and claim types (`malformed`), `alg` (RS256/PS256 only), the key (`kid` listed, meant for
 * verifying signatures, RSA ≥ 2048 bits, its `alg` if any equal to the token's), the signature, then
 * `exp`/`nbf` within the clock-skew allowance and `iss`/`aud` when asked. Anything else throws
 * `TokenVerificationError` with a `reason`; the token never appears in the error.
 */
export async function verifyAccessToken(
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenClaims> {
  const { nowMs, skew, issuer, audience } = checkOptions(options);
  if (typeof token !== "string") return fail("malformed", "the token is not a string");
  // Size first: nothing is decoded or parsed for a token no issuer would send.
  if (token.length > VERIFY_LIMITS.maxTokenLength) {
    return fail("malformed", `the token is longer than ${VERIFY_LIMITS.maxTokenLength} characters`);
  }
  const parts = token.split(".");
  const header = parts.length === 3 ? decodeJSONSegment(parts[0]!) : undefined;
  const claims = header ? decodeJSONSegment(parts[1]!) : undefined;
  if (!header || !claims || !/^[A-Za-z0-9_-]*$/.test(parts[2]!)) {
    return fail(
      "malformed",
      "not a compact JWS (three base64url segments: JSON header, JSON claims, signature)",
    );
  }
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
  const typeProblem = claimTypeProblem(claims);
  if (typeProblem) return fail("malformed", typeProblem, safeKid);

  const findKey = keyFinder(options);
  const resolveKey = async (): Promise<CryptoKey> => {
    const key = await findKey(kid);
    if (!key) return fail("unknown_kid", `no signing key has kid ${shown(kid)}`, safeKid);
    // RFC 7517 §4.2/§4.3: a key whose `use` or `key_ops` say otherwise is not for verifying signatures.
    const ops = key.key_ops;
    if (
      (key.use !== undefined && key.use !== "sig") ||
      (ops !== undefined && !(Array.isArray(ops) && ops.includes("verify")))
    ) {
      return fail("invalid_key", `the key ${shown(kid)} is not meant for verifying signatures`, safeKid);
    }
    if (key.kty !== "RSA") {
      return fail("unsupported_alg", `${alg} needs an RSA key; the key is kty ${shown(key.kty)}`, safeKid);
    }
    if (key.alg !== undefined && key.alg !== alg) {
      return fail("unsupported_alg", `the key is for ${shown(key.alg)}, the token says ${alg}`, safeKid);
    }
    const cryptoKey = await importKey(key, algorithm);
    if (!cryptoKey) {
      return fail(
        "invalid_key",
        `the key ${shown(kid)} is not a usable RSA public key (2048 bits or more)`,
        safeKid,
      );
    }
    return cryptoKey;
  };

  jose ??= import("jose/jwt/verify");
  const { jwtVerify } = await jose.catch((error: unknown) => {
    jose = undefined;
    throw new SDKError("verifyAccessToken could not load its dependency jose", { cause: error });
  });
  try {
    const { payload } = await jwtVerify(token, resolveKey, {
      algorithms: [algorithm],
      currentDate: new Date(nowMs),
      clockTolerance: skew,
      requiredClaims: ["exp"],
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
    });
    return payload as AccessTokenClaims;
  } catch (error) {
    if (error instanceof TokenVerificationError) throw error;
    const { reason, detail } = reasonFor(error);
    return fail(reason, detail, safeKid);
  }
}
