import { InvalidCredentialsError } from "../errors.js";
import { base64ToBytes } from "./encoding.js";

// The credentials file carries a PKCS#8 PEM ("BEGIN PRIVATE KEY"). WebCrypto imports PKCS#8 DER only, so
// the PEM is unwrapped here and its structure checked, to report a bad paste with a precise message
// (never the key itself) before WebCrypto's generic "DataError". PKCS#1 ("BEGIN RSA PRIVATE KEY") is
// wrapped into PKCS#8, since older tooling still writes it.

const bad = (problem: string) => new InvalidCredentialsError("privateKey", problem);

// 1.2.840.113549.1.1.1 rsaEncryption, DER-encoded with its tag and length.
const RSA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

interface Tlv {
  tag: number;
  /** First byte of the value. */
  start: number;
  /** One past the last byte of the value. */
  end: number;
}

function readTlv(bytes: Uint8Array, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset]!;
  let length = bytes[offset + 1]!;
  let p = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!;
  }
  return p + length > limit ? undefined : { tag, start: p, end: p + length };
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return [0x80 | out.length, ...out];
}

function tlv(tag: number, value: ArrayLike<number>): number[] {
  return [tag, ...encodeLength(value.length), ...Array.from(value)];
}

function wrapPkcs1(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const algorithm = tlv(0x30, [...RSA_OID, 0x05, 0x00]);
  return Uint8Array.from(tlv(0x30, [...tlv(0x02, [0]), ...algorithm, ...tlv(0x04, pkcs1)]));
}

/** Checks a PKCS#8 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier(rsaEncryption), OCTET STRING }. */
function checkPkcs8(der: Uint8Array): void {
  const outer = readTlv(der, 0, der.length);
  if (outer?.tag !== 0x30 || outer.end !== der.length) {
    throw bad("is truncated or corrupted (not a DER-encoded PKCS#8 key)");
  }
  const version = readTlv(der, outer.start, outer.end);
  const algorithm = version && version.tag === 0x02 ? readTlv(der, version.end, outer.end) : undefined;
  const oid = algorithm?.tag === 0x30 ? readTlv(der, algorithm.start, algorithm.end) : undefined;
  if (!algorithm || !oid || oid.tag !== 0x06) throw bad("is not a PKCS#8 private key");
  const oidBytes = der.subarray(oid.start - 2, oid.end);
  if (oidBytes.length !== RSA_OID.length || RSA_OID.some((b, i) => oidBytes[i] !== b)) {
    throw bad("is not an RSA key (RS256 needs an RSA private key)");
  }
  const key = readTlv(der, algorithm.end, outer.end);
  if (key?.tag !== 0x04) throw bad("is not a PKCS#8 private key");
  checkRsaModulus(der, key.start, key.end, "an RSA private key");
}

/**
 * An RSA-4096 PKCS#8 PEM is about 3.3 KB: a `privateKey` past this is refused before it is scanned.
 * Every step below is a single forward scan (`indexOf`, a character-class regex), so the cost is
 * linear in the input whatever it holds (e.g. thousands of repeated BEGIN lines).
 */
export const MAX_PEM_CHARS = 16 * 1024;

/** RFC 8017 / NIST SP 800-131A: RSA keys under 2048 bits are refused. */
export const MIN_RSA_BITS = 2048;

const BEGIN = "-----BEGIN ";
const DASHES = "-----";

/** The first PEM block: its label and body, found with forward scans only. */
function firstBlock(text: string): { label: string; body: string } | undefined {
  const begin = text.indexOf(BEGIN);
  if (begin < 0) return undefined;
  const labelStart = begin + BEGIN.length;
  const labelEnd = text.indexOf(DASHES, labelStart);
  // A label is short and plain ("PRIVATE KEY", "RSA PRIVATE KEY", ...).
  if (labelEnd < 0 || labelEnd - labelStart > 40) return undefined;
  const label = text.slice(labelStart, labelEnd);
  if (!/^[A-Z0-9 ]+$/.test(label)) return undefined;
  const bodyStart = labelEnd + DASHES.length;
  const end = text.indexOf(`-----END ${label}-----`, bodyStart);
  return end < 0 ? undefined : { label, body: text.slice(bodyStart, end) };
}

/** Bit length of a DER INTEGER's value (leading zero bytes skipped). */
function integerBits(der: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && der[i] === 0) i++;
  return i === end ? 0 : (end - i - 1) * 8 + (32 - Math.clz32(der[i]!));
}

/** RSAPrivateKey (PKCS#1) at [start, end): SEQUENCE { INTEGER version, INTEGER modulus, ... }. */
function checkRsaModulus(der: Uint8Array, start: number, end: number, what: string): void {
  const outer = readTlv(der, start, end);
  const version = outer?.tag === 0x30 ? readTlv(der, outer.start, outer.end) : undefined;
  const modulus = version?.tag === 0x02 ? readTlv(der, version.end, outer!.end) : undefined;
  if (modulus?.tag !== 0x02) throw bad(`is truncated or corrupted (not ${what})`);
  const bits = integerBits(der, modulus.start, modulus.end);
  if (bits < MIN_RSA_BITS) {
    throw bad(`is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`);
  }
}

/** PEM text (real or escaped `\n` newlines) → PKCS#8 DER of an RSA private key of ≥ 2048 bits. */
export function pemToPkcs8(pem: string): Uint8Array<ArrayBuffer> {
  if (pem.length > MAX_PEM_CHARS) {
    throw bad(`is larger than ${MAX_PEM_CHARS / 1024} KiB; a PEM private key is a few KB`);
  }
  // Files pasted through env vars and JSON encoders often carry "\n" as two characters.
  const text = pem.replace(/\\r/g, "").replace(/\\n/g, "\n").trim();
  const match = firstBlock(text);
  if (!match) {
    throw bad(
      text.includes("-----BEGIN")
        ? "has a BEGIN line without a matching END line (truncated?)"
        : 'is not a PEM block ("-----BEGIN PRIVATE KEY-----" ... "-----END PRIVATE KEY-----")',
    );
  }
  const label = match.label;
  if (label === "ENCRYPTED PRIVATE KEY") throw bad("is encrypted; the credentials file carries a plain key");
  if (label !== "PRIVATE KEY" && label !== "RSA PRIVATE KEY") {
    throw bad(`is a "${label}" block, not a private key`);
  }
  const der = base64ToBytes(match.body.replace(/\s+/g, ""));
  if (!der || der.length === 0) throw bad("has a PEM body that is not valid base64");
  if (label === "RSA PRIVATE KEY") {
    // RSAPrivateKey: SEQUENCE { INTEGER version, INTEGER modulus, ... }; WebCrypto checks the rest.
    const outer = readTlv(der, 0, der.length);
    const whole = outer?.tag === 0x30 && outer.end === der.length;
    const version = whole ? readTlv(der, outer.start, outer.end) : undefined;
    if (version?.tag !== 0x02) throw bad("is truncated or corrupted (not a PKCS#1 RSA key)");
    checkRsaModulus(der, 0, der.length, "a PKCS#1 RSA key");
    return wrapPkcs1(der);
  }
  checkPkcs8(der);
  return der;
}
