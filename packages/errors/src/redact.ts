// Credentials must never reach a message, a log line, toString, JSON.stringify or util.inspect.
// Everything an error or a log line shows passes through these helpers.

export const REDACTED = "[REDACTED]";

/** Header names whose values are credentials. */
const SENSITIVE_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "x-workspace-identifier",
  "cookie",
  "set-cookie",
]);

/** Body and object keys whose values are credentials (compared without case, `_` or `-`). */
const SENSITIVE_KEYS = new Set(
  [
    "jws",
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "private_key",
    "privateKey",
    "api_key",
    "apiKey",
    "apiKeyAuth",
    "bearer",
    "password",
    "secret",
    "client_secret",
    "authorization",
    "workspace_identifier",
    "serviceAccount",
    "x-api-key",
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

// Names whose words say "credential" whatever the vendor: x-auth-token, api-key, x-amz-security-token,
// x-session-id, x-signature. Whole words only: www-authenticate, x-ratelimit-remaining-tokens and
// access-control-allow-credentials carry none.
const CREDENTIAL_HEADER =
  /(?:^|[-_])(?:auth|token|key|apikey|secret|password|passwd|cookie|session|signature|credential|jwt)(?:$|[-_])/i;

export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_HEADERS.has(lower) || (CREDENTIAL_HEADER.test(lower) && lower !== "idempotency-key");
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(normalizeKey(key));
}

// PEM blocks and bearer values (JWTs: see redactJwts).
const PEM_RE = /-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g;
const BEARER_RE = /(bearer\s+)[^\s",]+/gi;
// An Authorization value keeps its scheme name and loses its credentials, whatever the scheme (Basic...).
const AUTHORIZATION_RE = /((?:proxy-)?authorization"?\s*[:=]\s*"?)([a-z][\w-]*\s+)?[^\s",&}]+/gi;
// Same names as SENSITIVE_KEYS, with `_`/`-` variants (`x-api-key`, `client_secret`...).
const KEY_NAMES =
  "jws|(?:access|refresh|id)[_-]?token|private[_-]?key|api[_-]?key(?:[_-]?auth)?|bearer[_-]?auth|password|secret|token|workspace[_-]?identifier";
const VALUE = String.raw`("(?:[^"\\]|\\.)*"|[^\s,&}]+)`;
// A quoted (JSON) key counts when it ENDS with a credential name: "clientSecret", "x-api-key".
const QUOTED_KEY_RE = new RegExp(String.raw`("[\w-]*?(?:${KEY_NAMES})"\s*:\s*)${VALUE}`, "gi");
// A bare key (query string, header line, log text) must start a word, so "generateAccessToken: jws" keeps
// its words; and a validation message ("jws: expected string, ...", "security.apiKey: must be a
// string") names a field, it carries no value: a credential is not a word of prose followed by a space.
const PROSE = "(?:expected|must|is|are|contains|cannot|repeats|needs)\\s";
const BARE_KEY_RE = new RegExp(
  String.raw`((?<![a-z0-9])(?:${KEY_NAMES})\s*[:=]\s*)(?!${PROSE})${VALUE}`,
  "gi",
);

// A run of JWT characters (base64url and dots): JWTs are looked for inside runs, in linear time. A
// regex for the JWT itself (/eyJ[\w-]*\.[\w-]*\.[\w-]*/) backtracks: 300 KB of "eyJ-eyJ-..." took
// tens of seconds, in an error a hostile server can provoke.
const JWT_RUN = /[\w.-]{10,}/g;

/**
 * JWTs/JWSs: from an "eyJ" (a JSON header, base64url) that does not continue a word, through that
 * segment and the next two dot-separated ones. A prefix stays ("sk-" of "sk-eyJ...").
 */
function redactJwts(run: string): string {
  if (!run.includes("eyJ")) return run;
  const parts = run.split(".");
  if (parts.length < 3) return run;
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const at = i + 2 < parts.length ? jwtStart(part) : -1;
    out += (i ? "." : "") + (at < 0 ? part : `${part.slice(0, at)}${REDACTED}`);
    if (at >= 0) i += 2;
  }
  return out;
}

function jwtStart(part: string): number {
  for (let at = part.indexOf("eyJ"); at >= 0; at = part.indexOf("eyJ", at + 1)) {
    if (at === 0 || !/[A-Za-z0-9]/.test(part[at - 1]!)) return at;
  }
  return -1;
}

/** Removes anything credential-shaped from free text (a body excerpt, a cause's message). */
export function redactText(text: string): string {
  return text
    .replace(PEM_RE, REDACTED)
    .replace(JWT_RUN, redactJwts)
    .replace(AUTHORIZATION_RE, `$1$2${REDACTED}`)
    .replace(BEARER_RE, `$1${REDACTED}`)
    .replace(QUOTED_KEY_RE, (_m, key: string) => `${key}"${REDACTED}"`)
    .replace(BARE_KEY_RE, (_m, key: string) => `${key}"${REDACTED}"`);
}

/** A copy of `value` with credential-named keys masked and credential-shaped strings removed. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value !== "object" || value === null) return value;
  // Deeper than any API model: not shown, rather than shown unredacted.
  if (depth > 8) return "[…]";
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) && item != null ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

export type HeadersLike =
  | Headers
  | Record<string, string | string[] | undefined>
  | Iterable<[string, string]>;

/** Headers as a plain object, with credential headers masked. */
export function redactHeaders(headers: HeadersLike | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries: Iterable<[string, unknown]> =
    typeof (headers as Headers).forEach === "function" && typeof (headers as Headers).get === "function"
      ? (headers as Headers).entries()
      : Symbol.iterator in headers
        ? (headers as Iterable<[string, string]>)
        : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = isSensitiveHeader(name) ? REDACTED : redactText(String(value));
  }
  return out;
}
