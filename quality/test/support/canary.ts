import { inspect } from "node:util";

/** Every rendering of a thrown value a user or a log pipeline might see. */
export function renderings(error: unknown): Record<string, string> {
  const e = error as Error;
  let json: string;
  try {
    json = JSON.stringify(error) ?? "";
  } catch (failure) {
    json = `JSON.stringify threw: ${(failure as Error).message}`;
  }
  return {
    message: String(e?.message ?? ""),
    stack: String(e?.stack ?? ""),
    toString: String(error),
    json,
    inspect: inspect(error, { depth: Number.POSITIVE_INFINITY }),
    inspectHidden: inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  };
}

// A JWT/JWS with real-looking segments: any in an error or a log line is a leaked token or JWS.
const JWT_SHAPED = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/;

/** The canaries found in `text` (by name), plus any JWT-shaped string. */
export function findCanaries(text: string, canaries: Record<string, string>): string[] {
  const found = Object.entries(canaries)
    .filter(([, value]) => value && text.includes(value))
    .map(([name]) => name);
  if (JWT_SHAPED.test(text)) found.push("a JWT-shaped string");
  return found;
}

/** The private key's base64 lines, each a canary: a key leaks as well in pieces. */
export function pemCanaries(pem: string, prefix: string): Record<string, string> {
  const lines = pem
    .split(/\r?\n|\\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("-----"));
  return Object.fromEntries(
    lines.filter((l) => l.length >= 32).map((line, i) => [`${prefix} line ${i + 1}`, line]),
  );
}
