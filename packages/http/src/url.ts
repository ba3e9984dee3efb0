// Stage "url": the server a call goes to, its path and query, and its headers, checked before sending.
import { InvalidRequestError } from "@sdk/errors";
import type { WireRequest } from "./operation.js";

/**
 * An absolute http(s) URL, or a typed error before anything is sent (fetch would otherwise fail with
 * a bare TypeError, read as a connection error). The value is not quoted: a URL may carry credentials.
 */
export function checkServerURL(url: unknown, where: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {}
  if (parsed && (parsed.username || parsed.password)) {
    // fetch refuses such a URL, and every error and log line would show the password.
    throw new InvalidRequestError(where, [
      {
        path: "serverURL",
        expected: "a URL without user name or password",
        received: "string",
        message: "must not contain credentials (set them in `security`)",
      },
    ]);
  }
  const protocol = parsed?.protocol;
  if (protocol !== "http:" && protocol !== "https:") {
    throw new InvalidRequestError(where, [
      {
        path: "serverURL",
        expected: "an absolute http(s) URL",
        received: typeof url,
        message: "must be an absolute http:// or https:// URL",
      },
    ]);
  }
  return url as string;
}

/** The client's named server or URL: resolved and checked once, when the client is built. */
export function resolveServer(
  servers: Readonly<Record<string, string>>,
  name: string,
  serverURL: string | undefined,
  where: string,
): string {
  // Own keys only: `server: "toString"` must not pick up Object.prototype.toString.
  const url = serverURL ?? (Object.hasOwn(servers, name) ? servers[name] : undefined);
  if (url === undefined) {
    const names = Object.keys(servers).join(", ");
    throw new InvalidRequestError(where, [
      { path: "server", expected: names, message: `unknown server; expected one of ${names}` },
    ]);
  }
  return checkServerURL(url, where);
}

/** The full URL of an operation's path (no query: ofetch adds it). */
export function buildURL(
  baseURL: string,
  template: string,
  params: WireRequest["path"],
  where: string,
): string {
  return baseURL.replace(/\/+$/, "") + buildPath(template, params, where);
}

function buildPath(template: string, params: WireRequest["path"], where: string): string {
  if (!template.includes("{")) return template; // most paths have no parameter: skip the regex
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === "") {
      throw new InvalidRequestError(where, [
        { path: name, expected: "a path parameter", message: "is required in the path" },
      ]);
    }
    return encodeComponent(where, name, String(value));
  });
}

/** encodeURIComponent throws a bare URIError on a lone surrogate: a caller's input error, typed as one. */
function encodeComponent(where: string, path: string, text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    throw new InvalidRequestError(where, [
      { path, expected: "well-formed Unicode text", message: "contains a lone surrogate" },
    ]);
  }
}

/**
 * Form style is ofetch's query encoding: arrays exploded, booleans as true/false. null and undefined
 * are dropped here: "left out" is the contract.
 */
export function cleanQuery(
  where: string,
  ...queries: (Record<string, unknown> | undefined)[]
): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const query of queries) {
    for (const key in query) {
      let value = query[key];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) value = value.filter((item) => item !== undefined && item !== null);
      // URLSearchParams (ofetch's encoder) would silently send U+FFFD for a lone surrogate.
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === "string") encodeComponent(where, `query.${key}`, item);
      }
      (out ??= {})[key] = value;
    }
  }
  return out;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// What fetch refuses in a header value: NUL, CR, LF, or a character above U+00FF.
const BAD_HEADER_VALUE = /[\0\r\n\u0100-\uffff]/;

/** Header names are case-insensitive: a later source replaces an earlier one whatever the case. */
export function mergeHeaders(...sources: (Record<string, string> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    for (const name in source) {
      const value = source[name];
      if (value !== undefined) out[name.toLowerCase()] = value;
    }
  }
  return out;
}

/**
 * fetch rejects a bad header with a TypeError that quotes the value, and header values are often
 * credentials (an API key read from a file with its trailing newline): check first, name the header only.
 */
export function checkHeaders(where: string, headers: Record<string, string>): void {
  for (const name in headers) {
    const value = headers[name]!;
    if (!HEADER_NAME.test(name) || BAD_HEADER_VALUE.test(value)) {
      throw new InvalidRequestError(where, [
        {
          path: `headers.${HEADER_NAME.test(name) ? name : "(invalid name)"}`,
          expected: "a header name token and a value without line breaks or characters beyond U+00FF",
          received: "string",
          message: "is not a valid HTTP header",
        },
      ]);
    }
  }
}
