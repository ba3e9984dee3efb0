// Compact JWS/JWT with node:crypto only: an implementation independent of the SDK's WebCrypto code,
// so a bug there is not mirrored here.
import { constants, createHmac, type KeyObject, sign, timingSafeEqual, verify } from "node:crypto";

export type JwsAlgorithm = "RS256" | "PS256" | "HS256";

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  if (!B64URL.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS; `undefined` when it is not one (no signature check here). */
export function decodeJws(token: string): DecodedJws | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  if (!s || !B64URL.test(s)) return undefined;
  const header = decodeJsonSegment(h);
  const payload = decodeJsonSegment(p);
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
}

// PS256 per RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash.
const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };

export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  alg: JwsAlgorithm,
  key: KeyObject | string,
): string {
  const signingInput = `${base64url(JSON.stringify({ ...header, alg }))}.${base64url(JSON.stringify(payload))}`;
  const data = Buffer.from(signingInput);
  let signature: Buffer;
  if (alg === "HS256") signature = createHmac("sha256", key).update(data).digest();
  else if (alg === "PS256") signature = sign("sha256", data, { key: key as KeyObject, ...pss });
  else signature = sign("sha256", data, key as KeyObject);
  return `${signingInput}.${base64url(signature)}`;
}

/** Verifies the signature of a decoded JWS with the algorithm the caller pins (never the header's word alone). */
export function verifyJws(jws: DecodedJws, alg: JwsAlgorithm, key: KeyObject | string): boolean {
  const data = Buffer.from(jws.signingInput);
  try {
    if (alg === "HS256") {
      const expected = createHmac("sha256", key).update(data).digest();
      return expected.length === jws.signature.length && timingSafeEqual(expected, jws.signature);
    }
    if (alg === "PS256") return verify("sha256", data, { key: key as KeyObject, ...pss }, jws.signature);
    return verify("sha256", data, key as KeyObject, jws.signature);
  } catch {
    return false;
  }
}
