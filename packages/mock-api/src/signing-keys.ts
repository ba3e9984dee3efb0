// The IAM issuer's key list. A few real RSA keys sign tokens; the rest are "filler" public keys (old rotations,
// other regions) so that clients must page through `GET /iam/v1/keys` and match on `kid`. Fillers are computed
// on demand from the index, so even 100,000 listed keys cost nothing until they are read.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { TEST_ONLY_FILLER_MODULI, TEST_ONLY_ISSUER_PRIVATE_KEYS } from "./fixtures/test-keys.js";

export interface SigningKeyJwk {
  kty: "RSA";
  kid: string;
  n: string;
  e: string;
  alg: string;
  use: "sig";
  /** Present on fillers only: an extra JWK member clients must tolerate. */
  x5t?: string;
}

export interface RealIssuerKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  n: string;
}

let realKeysCache: RealIssuerKey[] | undefined;

/** The issuer's real key pairs (parsed once per process). `kid` is the RFC 7638 SHA-256 thumbprint, in hex. */
export function realIssuerKeys(): RealIssuerKey[] {
  realKeysCache ??= TEST_ONLY_ISSUER_PRIVATE_KEYS.map((pem) => {
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    const jwk = publicKey.export({ format: "jwk" });
    const n = jwk.n!;
    const kid = createHash("sha256")
      .update(JSON.stringify({ e: jwk.e, kty: "RSA", n }))
      .digest("hex");
    return { kid, privateKey, publicKey, n };
  });
  return realKeysCache;
}

export interface KeyDirectory {
  count: number;
  /** The listed key at `index` (0 <= index < count). */
  at(index: number): SigningKeyJwk;
  /** Real keys by kid (only these verify tokens). */
  real: Map<string, RealIssuerKey>;
  /** The key that signs new tokens: the newest real key, i.e. the last one in list order. */
  active: RealIssuerKey;
}

export function createKeyDirectory(count: number, alg: "PS256" | "RS256"): KeyDirectory {
  const reals = realIssuerKeys().slice(0, Math.min(count, realIssuerKeys().length));
  // Spread the real keys through the list (e.g. indices 62, 125, 187 of 250) so a client has to walk pages.
  const positions = new Map<number, RealIssuerKey>();
  reals.forEach((key, j) => {
    positions.set(Math.floor(((j + 1) * count) / (reals.length + 1)), key);
  });
  const cache = new Map<number, SigningKeyJwk>();
  return {
    count,
    real: new Map(reals.map((k) => [k.kid, k])),
    active: reals[reals.length - 1]!,
    at(index) {
      const real = positions.get(index);
      if (real) return { kty: "RSA", kid: real.kid, n: real.n, e: "AQAB", alg, use: "sig" };
      let filler = cache.get(index);
      if (!filler) {
        const digest = createHash("sha256").update(`mock-api filler signing key ${index}`).digest();
        filler = {
          kty: "RSA",
          kid: digest.toString("hex"),
          n: TEST_ONLY_FILLER_MODULI[index % TEST_ONLY_FILLER_MODULI.length]!,
          e: "AQAB",
          alg,
          use: "sig",
          x5t: digest.subarray(0, 20).toString("base64url"),
        };
        // Bounded so a 100,000-key walk does not keep every entry alive.
        if (cache.size < 2000) cache.set(index, filler);
      }
      return filler;
    },
  };
}
