// Stage "body": the response body read as text under a byte limit. ofetch hands the stream over
// (`responseType: "stream"`); it is counted as it arrives and cancelled once over `maxResponseBytes`.
import { InvalidRequestError, type RequestInfo, ResponseTooLargeError } from "@sdk/errors";

/** Default `maxResponseBytes`: 8 MiB, far above any page of these APIs, far below a memory problem. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export function checkMaxResponseBytes(value: unknown, where: string): void {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return;
  throw new InvalidRequestError(where, [
    {
      path: "maxResponseBytes",
      expected: "a whole number of bytes, or Infinity",
      message: "is not a usable limit",
    },
  ]);
}

function tooLarge(request: RequestInfo, response: Response, limit: number, seen: number) {
  return new ResponseTooLargeError(request, {
    status: response.status,
    maxResponseBytes: limit,
    receivedBytes: seen,
    headers: response.headers,
  });
}

/**
 * The body as text, at most `limit` bytes. A `Content-Length` over the limit is refused before
 * reading; an identity-encoded body from the platform's fetch whose length is declared cannot run
 * past it (HTTP framing), so it is read in one go; anything else is counted chunk by chunk.
 */
export async function readBody(
  response: Response,
  limit: number,
  request: RequestInfo,
  trustLength: boolean,
): Promise<string> {
  if (response.bodyUsed) return "";
  const body = response.body;
  if (!body) return "";
  const declared = response.headers.get("content-length");
  const length = declared === null ? Number.NaN : Number(declared);
  if (length > limit) {
    body.cancel().catch(() => {});
    throw tooLarge(request, response, limit, length);
  }
  if (limit === Number.POSITIVE_INFINITY) return response.text();
  // Decompressed bodies (content-encoding) may be far larger than their declared length.
  if (trustLength && length >= 0 && !response.headers.has("content-encoding")) return response.text();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge(request, response, limit, seen);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const all = new Uint8Array(seen);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
