import { InvalidRequestError, SDKError } from "@sdk/errors";

// Byte/text helpers on web platform APIs only (TextEncoder, atob, btoa): they run in Node 20+,
// browsers, Deno, Bun and edge runtimes alike.

// Pure: an app that never signs or verifies does not keep them.
const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true });

/**
 * A `now` option (a Date or ms since the epoch, default the current time) as ms. An invalid Date is
 * NaN, which would make every time comparison false: refused with InvalidRequestError instead.
 */
export function epochMsOption(now: number | Date | undefined, operation: string): number {
  const ms = now === undefined ? Date.now() : +now;
  if (!Number.isFinite(ms)) {
    throw new InvalidRequestError(operation, [
      { path: "now", expected: "a valid time", message: "expected a Date or ms since the epoch" },
    ]);
  }
  return ms;
}

export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** Strict UTF-8 decoding; undefined for invalid sequences. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function toBinary(bytes: Uint8Array): string {
  let binary = "";
  // Chunked: spreading a large array into fromCharCode would overflow the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return binary;
}

function fromBinary(binary: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64url(bytes: Uint8Array): string {
  return btoa(toBinary(bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Unpadded base64url (RFC 7515 §2); undefined when the text is not that. */
export function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  try {
    return fromBinary(atob(padded));
  } catch {
    return undefined;
  }
}

/** Standard base64 (a PEM body, whitespace already removed); undefined when it is not that. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    return fromBinary(atob(text));
  } catch {
    return undefined;
  }
}

export function base64urlJSON(value: unknown): string {
  return bytesToBase64url(utf8Bytes(JSON.stringify(value)));
}

/** A base64url segment holding a JSON object; undefined otherwise. */
export function decodeJSONSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = base64urlToBytes(segment);
  const text = bytes && utf8Text(bytes);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Uint8Array<ArrayBuffer>;
}

/** Splits a compact JWS (no signature check); undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJSONSegment(h);
  const claims = decodeJSONSegment(p);
  const signature = base64urlToBytes(s);
  if (!header || !claims || !signature) return undefined;
  return { header, claims, signingInput: `${h}.${p}`, signature };
}

/** WebCrypto, or a clear error where it is missing (old runtimes, insecure browser contexts). */
export function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new SDKError(
      "WebCrypto (crypto.subtle) is not available: @sdk/iam needs Node 20+, Deno, Bun, an edge runtime or a browser page served over https (or localhost)",
    );
  }
  return s;
}
