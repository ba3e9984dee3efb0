// Stage "redaction": the one place a call's secrets are scrubbed. A call collects the values it must
// never show (every credential it sent, the request fields and response fields its operation declares
// secret, and any field named like a credential in a body it read); every error it throws and every
// log line it writes passes through `Redactor` on its way out.
import { isSensitiveKey, REDACTED, SDKError } from "@sdk/errors";
import { PARSED } from "./decode.js";

/** Field names an operation declares secret, on the request (`jws`) and in responses (`access_token`). */
export interface SecretFields {
  request?: readonly string[];
  response?: readonly string[];
}

/** Shorter values are too likely to occur in ordinary data (and so are their encodings). */
const MIN_SECRET_LENGTH = 8;
/** How deep a body or an error's fields are searched and scrubbed. */
const MAX_DEPTH = 16;

export class Redactor {
  readonly #secrets = new Set<string>();
  readonly #fields: ReadonlySet<string>;
  #list: string[] | undefined;
  // Values and bodies are noted as the call goes and searched only when something must be scrubbed:
  // most calls succeed and never pay for it.
  #pendingValues: unknown[] = [];
  #pendingBodies: unknown[] = [];

  constructor(fields: SecretFields | undefined) {
    this.#fields = new Set([...(fields?.request ?? []), ...(fields?.response ?? [])]);
  }

  /** A value that must never be shown (searched lazily, with the forms a server may echo it in). */
  add(value: unknown): void {
    this.#pendingValues.push(value);
  }

  /** A body whose declared secret fields (and credential-named fields) must never be shown. */
  addFieldsOf(value: unknown): void {
    if (typeof value === "object" && value !== null) this.#pendingBodies.push(value);
  }

  #addNow(value: unknown): void {
    if (typeof value !== "string") return;
    const bare = value.replace(/^(?:bearer|basic)\s+/i, "");
    if (bare.length < MIN_SECRET_LENGTH) return;
    const escaped = JSON.stringify(bare).slice(1, -1);
    const forms = [value, bare, escaped, escaped.replaceAll("/", "\\/")];
    for (const encode of [encodeURIComponent, btoa]) {
      try {
        forms.push(encode(bare));
      } catch {
        // A lone surrogate, or text beyond Latin-1: no such form could have been echoed.
      }
    }
    for (const form of forms) this.#secrets.add(form);
  }

  /** The values of declared secret fields, and of credential-named fields, anywhere in `value`. */
  #collect(value: unknown, depth = 0): void {
    if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return;
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === "string" && (this.#fields.has(key) || isSensitiveKey(key))) this.#addNow(item);
      else this.#collect(item, depth + 1);
    }
  }

  get #values(): string[] {
    if (this.#pendingValues.length || this.#pendingBodies.length) {
      for (const value of this.#pendingValues) this.#addNow(value);
      for (const body of this.#pendingBodies) this.#collect(body);
      this.#pendingValues = [];
      this.#pendingBodies = [];
      this.#list = undefined;
    }
    // Longest first: a secret's encoding may contain another secret.
    this.#list ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    return this.#list;
  }

  text(text: string): string {
    for (const secret of this.#values) if (text.includes(secret)) text = text.split(secret).join(REDACTED);
    return text;
  }

  /** `value` with every string scrubbed; the same reference when nothing was found. */
  deep(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
    if (value instanceof Headers) return this.headers(value);
    if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof Response) return value;
    let out: any;
    for (const [key, item] of Object.entries(value)) {
      const clean = this.deep(item, depth + 1);
      if (clean !== item) (out ??= Array.isArray(value) ? [...value] : { ...value })[key] = clean;
    }
    return out ?? value;
  }

  headers(headers: Headers): Headers {
    let out: Headers | undefined;
    headers.forEach((value, name) => {
      const clean = this.text(value);
      if (clean !== value) (out ??= new Headers(headers)).set(name, clean);
    });
    return out ?? headers;
  }

  /**
   * `error` typed (an SDKError, whatever a hook, a getter or fetch threw) and free of this call's
   * secrets in every own property (message, stack, body, data, headers, details, issues...) and
   * its chain of causes. SDKErrors are mended in place; a foreign cause that quotes a secret is
   * replaced by a masked copy (the caller's own error object is never altered).
   */
  error(error: unknown, name: string): SDKError {
    let sealed: SDKError;
    try {
      sealed = error instanceof SDKError ? error : new SDKError(`${name} failed`, { cause: error });
    } catch {
      // `instanceof` itself threw (a Proxy): wrap it, unread.
      sealed = new SDKError(`${name} failed`, { cause: error });
    }
    try {
      this.addFieldsOf(PARSED.get(sealed) ?? (sealed as { data?: unknown }).data);
      if (this.#values.length) this.#scrubChain(sealed);
    } catch {
      // A frozen error that quotes a secret: not shown at all.
      return new SDKError(`${name} failed (its error quoted a secret and could not be masked)`);
    }
    return sealed;
  }

  #scrubChain(sealed: SDKError): void {
    for (let e: SDKError = sealed, depth = 0; depth < 4; depth++) {
      this.#scrubOwn(e);
      const cause: unknown = (e as { cause?: unknown }).cause;
      let ours = false;
      try {
        ours = cause instanceof SDKError;
      } catch {}
      if (ours) {
        e = cause as SDKError;
        continue;
      }
      const shown = ["message", "stack"].map((key) => peek(cause, key)).join("\n");
      if (shown !== this.text(shown)) {
        const copy = new Error(this.text(peek(cause, "message")));
        copy.name = peek(cause, "name") || "Error";
        copy.stack = this.text(peek(cause, "stack"));
        mend(e, "cause", copy);
      }
      break;
    }
  }

  #scrubOwn(error: SDKError): void {
    for (const key of Reflect.ownKeys(error)) {
      if (key === "cause" || typeof key === "symbol") continue;
      const value = (error as any)[key];
      if (key === "response" && value instanceof Response) {
        const headers = this.headers(value.headers);
        if (headers !== value.headers) {
          mend(
            error,
            key,
            new Response(null, { status: value.status, statusText: value.statusText, headers }),
          );
        }
        continue;
      }
      const clean = this.deep(value);
      if (clean !== value) mend(error, key, clean);
    }
    // `stack` may be an accessor on the prototype chain (not an own key) in some engines.
    const stack = error.stack;
    if (typeof stack === "string" && this.text(stack) !== stack) mend(error, "stack", this.text(stack));
  }
}

/** Redefines a property, keeping its enumerability (hidden fields stay hidden). */
function mend(target: object, key: string, value: unknown): void {
  const enumerable = Object.getOwnPropertyDescriptor(target, key)?.enumerable ?? false;
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable });
}

/** Reads a property of a foreign value that may be a Proxy or have throwing getters. */
function peek(value: any, key: string): string {
  try {
    return String(value?.[key] ?? "");
  } catch {
    return "";
  }
}

/** The client's logger through the call's redactor, unable to fail a call (a logger that throws is skipped). */
export function redactingLogger(
  logger: { debug(message: string, ...data: unknown[]): void },
  redactor: Redactor,
): (message: string, details?: unknown) => void {
  return (message, details) => {
    try {
      if (details === undefined) logger.debug(redactor.text(message));
      else logger.debug(redactor.text(message), redactor.deep(details));
    } catch {
      // Logging is best effort.
    }
  };
}
