import { hasKind, KINDS, kindsOf } from "./brand.js";
import { redactHeaders, redactText, redactValue } from "./redact.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Defines properties that must not show up in `JSON.stringify`, spreads or default inspection. */
function hide(target: object, props: Record<PropertyKey, unknown>): void {
  // Reflect.ownKeys, not Object.entries: the KINDS brand is a symbol key, which Object.entries skips.
  for (const key of Reflect.ownKeys(props)) {
    Object.defineProperty(target, key, {
      value: props[key],
      enumerable: false,
      writable: false,
      configurable: true,
    });
  }
}

export interface SDKErrorOptions {
  cause?: unknown;
}

/** The base of every error an @sdk package throws. */
export class SDKError extends Error {
  /** The brand checked by `instanceof`; subclasses in other packages set their own, namespaced. */
  static readonly kind: string = "@sdk/errors.SDKError";

  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class `instanceof` asks about (maybe a subclass), named once to say so.
    // biome-ignore lint/complexity/noUselessThisAlias: see above
    // biome-ignore lint/complexity/noThisInStatic: see above
    const cls: typeof SDKError = this;
    // A subclass without its own `kind` inherits its parent's and would claim the parent's instances:
    // the ordinary prototype check is the right answer for it.
    if (!Object.hasOwn(cls, "kind")) return Function.prototype[Symbol.hasInstance].call(cls, value);
    return hasKind(value, cls.kind);
  }

  declare readonly [KINDS]: readonly string[];

  constructor(message: string, options?: SDKErrorOptions) {
    super(redactText(message));
    const kinds = kindsOf(new.target);
    hide(this, { [KINDS]: kinds, name: kinds[0]!.slice(kinds[0]!.lastIndexOf(".") + 1) });
    // `cause` stays readable but out of the default inspection: a cause may carry a request.
    if (options && "cause" in options) hide(this, { cause: options.cause });
  }

  /**
   * Safe, credential-free fields for `toJSON` and inspection; subclasses add theirs. Not named `details`:
   * error subclasses expose API fields by name, and google.rpc.Status has a `details` field.
   */
  protected safeFields(): Record<string, unknown> {
    return {};
  }

  toJSON(): Record<string, unknown> {
    const cause =
      this.cause instanceof Error
        ? { name: this.cause.name, message: redactText(this.cause.message) }
        : undefined;
    return { name: this.name, message: this.message, ...this.safeFields(), ...(cause ? { cause } : {}) };
  }

  override toString(): string {
    return `${this.name}: ${this.message}`;
  }

  [INSPECT](): string {
    const { name: _n, message: _m, ...rest } = this.toJSON();
    const fields = Object.keys(rest).length ? ` ${JSON.stringify(rest, null, 2)}` : "";
    return `${redactText(this.stack ?? this.toString())}${fields}`;
  }
}

export interface RequestInfo {
  method: string;
  url: string;
}

export interface APIErrorInit<TData = unknown> {
  status: number;
  statusText?: string;
  headers: Headers;
  body: string;
  data?: TData;
  response?: Response;
  request: RequestInfo;
  message?: string;
  cause?: unknown;
  /** The SDK method that made the call, e.g. `auth.getUser`: it starts the message. */
  operation?: string;
  /** The server's id for this request (see `requestIdOf`): in the message tail and in `toJSON()`. */
  requestId?: string;
}

const EXCERPT_LENGTH = 200;

/** Response headers that carry the server's request id, in the order they are looked up. */
export const REQUEST_ID_HEADERS = [
  "x-request-id",
  "request-id",
  "x-amzn-requestid",
  "x-amz-request-id",
  "x-ms-request-id",
  "x-correlation-id",
  "x-trace-id",
] as const;

const REQUEST_ID = /^[\w.:/+=@-]{1,128}$/;

/**
 * The server's id for a request, from the first of `REQUEST_ID_HEADERS` present. A value that does not
 * look like an id (too long, spaces, quotes) is not shown: a header is the server's free text.
 */
export function requestIdOf(headers: Headers | undefined): string | undefined {
  if (!headers || typeof headers.get !== "function") return undefined;
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name)?.trim();
    if (value) return REQUEST_ID.test(value) ? value : undefined;
  }
  return undefined;
}

/** An HTML page (a proxy's or a gateway's) is not pasted into a message: its size is. */
function looksLikeHTML(headers: Headers | undefined, body: string): boolean {
  const type = headers && typeof headers.get === "function" ? headers.get("content-type") : null;
  if (type && /^\s*(?:text\/html|application\/xhtml)/i.test(type)) return true;
  return /^\s*<(?:!doctype\s+html|html[\s>])/i.test(body.slice(0, 200));
}

/** The summary a message shows for a response body. */
export function bodySummary(headers: Headers | undefined, body: string): string {
  if (!body) return "(empty body)";
  if (looksLikeHTML(headers, body)) return `HTML response (${byteLength(body)} bytes)`;
  return excerpt(body);
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function tail(requestId: string | undefined): string {
  return requestId ? ` [request id ${requestId}]` : "";
}

function excerpt(body: string): string {
  // Cut well past what is shown before redacting: the redaction of a huge body would block the event
  // loop, and a secret cut at 4,000 characters is never among the first 200.
  const text = redactText(body.slice(0, 4000).replace(/\s+/g, " ").trim());
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}

function pathOf(url: string): string {
  const match = /^[a-z]+:\/\/[^/]+(\/[^?#]*)?/i.exec(url);
  return match ? match[1] || "/" : url;
}

/** Any non-success HTTP response. SDKs subclass it for their typed error bodies. */
export class APIError<TData = unknown> extends SDKError {
  static override readonly kind: string = "@sdk/errors.APIError";

  readonly status: number;
  readonly method: string;
  readonly url: string;
  declare readonly headers: Headers;
  /** The response body as text (kept whole; excerpts in messages are redacted). */
  declare readonly body: string;
  /** The parsed JSON body, when the response was JSON. */
  declare readonly data: TData;
  /** The raw response. Its body has been read already: use `body` or `data`. */
  declare readonly response: Response | undefined;

  constructor(init: APIErrorInit<TData>) {
    const statusLine = `${init.status}${init.statusText ? ` ${init.statusText}` : ""}`;
    const summary = init.message ?? bodySummary(init.headers, init.body);
    const requestId = init.requestId ?? requestIdOf(init.headers);
    const who = init.operation ? `${init.operation}: ` : "";
    super(
      `${who}${init.request.method} ${pathOf(init.request.url)} failed with ${statusLine}: ${summary}${tail(requestId)}`,
      { cause: init.cause },
    );
    this.status = init.status;
    this.method = init.request.method;
    this.url = init.request.url;
    this.requestId = requestId;
    hide(this, { headers: init.headers, body: init.body, data: init.data, response: init.response });
  }

  /** The server's id for this request (`x-request-id`, else the other `REQUEST_ID_HEADERS`). */
  readonly requestId: string | undefined;

  protected override safeFields(): Record<string, unknown> {
    return {
      status: this.status,
      method: this.method,
      url: this.url,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      headers: redactHeaders(this.headers),
      data: redactValue(this.data),
    };
  }
}

export interface ValidationIssue {
  /** Dot path of the offending field, e.g. `keys.3.kid`; empty for the root. */
  path: string;
  /** What was expected there, e.g. `string` or `<=1000`. */
  expected: string;
  /** The type that was received (never the value: values may be credentials). */
  received?: string;
  message: string;
}

function describeIssues(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path || "(root)"}: ${i.message}`);
  if (issues.length > 5) shown.push(`and ${issues.length - 5} more`);
  return shown.join("; ");
}

/** The caller's input failed validation; nothing was sent. */
export class InvalidRequestError extends SDKError {
  static override readonly kind: string = "@sdk/errors.InvalidRequestError";
  readonly operation: string;
  readonly issues: readonly ValidationIssue[];

  constructor(operation: string, issues: readonly ValidationIssue[], options?: SDKErrorOptions) {
    super(`Invalid input for ${operation}: ${describeIssues(issues)}`, options);
    this.operation = operation;
    this.issues = issues;
  }

  protected override safeFields(): Record<string, unknown> {
    return { operation: this.operation, issues: redactValue(this.issues) };
  }
}

export interface ResponseValidationInit {
  operation: string;
  issues: readonly ValidationIssue[];
  status: number;
  headers: Headers;
  body: string;
  response?: Response;
  message?: string;
  cause?: unknown;
  requestId?: string;
}

/** A response arrived but was not what the contract promises (bad JSON, wrong type, missing field). */
export class ResponseValidationError extends SDKError {
  static override readonly kind: string = "@sdk/errors.ResponseValidationError";
  readonly operation: string;
  readonly issues: readonly ValidationIssue[];
  readonly status: number;
  declare readonly headers: Headers;
  /** The raw response body, kept for debugging. */
  declare readonly body: string;
  declare readonly response: Response | undefined;

  constructor(init: ResponseValidationInit) {
    const reason = init.message ?? describeIssues(init.issues);
    const requestId = init.requestId ?? requestIdOf(init.headers);
    super(`Unexpected response from ${init.operation} (status ${init.status}): ${reason}${tail(requestId)}`, {
      cause: init.cause,
    });
    this.operation = init.operation;
    this.issues = init.issues;
    this.status = init.status;
    this.requestId = requestId;
    hide(this, { headers: init.headers, body: init.body, response: init.response });
  }

  readonly requestId: string | undefined;

  protected override safeFields(): Record<string, unknown> {
    return {
      operation: this.operation,
      status: this.status,
      issues: redactValue(this.issues),
      ...(this.requestId ? { requestId: this.requestId } : {}),
    };
  }
}

/** The request never got a response: DNS, refused or reset connection, TLS. The cause is kept. */
export class ConnectionError extends SDKError {
  static override readonly kind: string = "@sdk/errors.ConnectionError";
  readonly method: string;
  readonly url: string;

  constructor(request: RequestInfo, cause: unknown) {
    const reason = describeCause(cause);
    super(`${request.method} ${request.url} could not connect${reason ? `: ${reason}` : ""}`, { cause });
    this.method = request.method;
    this.url = request.url;
  }

  protected override safeFields(): Record<string, unknown> {
    return { method: this.method, url: this.url };
  }
}

function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let c: any = cause, depth = 0; c && depth < 4; c = c.cause, depth++) {
    const text = c.code ? `${c.message ?? ""} (${c.code})` : String(c.message ?? c);
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(": ");
}

/** An attempt took longer than `timeoutMs` (our timeout, not the caller's signal). */
export class RequestTimeoutError extends SDKError {
  static override readonly kind: string = "@sdk/errors.RequestTimeoutError";
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;

  constructor(request: RequestInfo, timeoutMs: number, options?: SDKErrorOptions) {
    super(`${request.method} ${request.url} timed out after ${timeoutMs} ms`, options);
    this.method = request.method;
    this.url = request.url;
    this.timeoutMs = timeoutMs;
  }

  protected override safeFields(): Record<string, unknown> {
    return { method: this.method, url: this.url, timeoutMs: this.timeoutMs };
  }
}

/** The caller's `AbortSignal` fired. Never retried. */
export class RequestAbortedError extends SDKError {
  static override readonly kind: string = "@sdk/errors.RequestAbortedError";
  readonly method: string;
  readonly url: string;

  constructor(request: RequestInfo, reason?: unknown) {
    super(`${request.method} ${request.url} was aborted by the caller`, { cause: reason });
    this.method = request.method;
    this.url = request.url;
  }

  protected override safeFields(): Record<string, unknown> {
    return { method: this.method, url: this.url };
  }
}

/**
 * The whole call ran out of time: `totalTimeoutMs` (all attempts, waits and credential refreshes)
 * passed, or a server's `Retry-After` asked for a wait beyond it. Not `RequestAbortedError`, which
 * stays for the caller's own signal; `cause` is the last failure, if any.
 */
export class DeadlineExceededError extends SDKError {
  static override readonly kind: string = "@sdk/errors.DeadlineExceededError";
  readonly method: string;
  readonly url: string;
  readonly totalTimeoutMs: number;
  /** Attempts made before the deadline ended the call. */
  readonly attempts: number;

  constructor(
    request: RequestInfo,
    totalTimeoutMs: number,
    attempts: number,
    options?: SDKErrorOptions & { reason?: string },
  ) {
    const reason = options?.reason ? ` (${options.reason})` : "";
    super(`${request.method} ${request.url}: deadline of ${totalTimeoutMs} ms exceeded${reason}`, options);
    this.method = request.method;
    this.url = request.url;
    this.totalTimeoutMs = totalTimeoutMs;
    this.attempts = attempts;
  }

  protected override safeFields(): Record<string, unknown> {
    return {
      method: this.method,
      url: this.url,
      totalTimeoutMs: this.totalTimeoutMs,
      attempts: this.attempts,
    };
  }
}

/**
 * A response body was larger than `maxResponseBytes`: the read was cancelled (or, with a
 * `Content-Length` over the limit, never started). Nothing of the body is kept.
 */
export class ResponseTooLargeError extends SDKError {
  static override readonly kind: string = "@sdk/errors.ResponseTooLargeError";
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly maxResponseBytes: number;
  /** Bytes seen when reading stopped, or the declared `Content-Length`. */
  readonly receivedBytes: number;
  readonly requestId: string | undefined;

  constructor(
    request: RequestInfo,
    init: { status: number; maxResponseBytes: number; receivedBytes: number; headers?: Headers },
  ) {
    const requestId = requestIdOf(init.headers);
    super(
      `${request.method} ${request.url}: response body over ${init.maxResponseBytes} bytes (status ${init.status}, ${init.receivedBytes} bytes seen)${tail(requestId)}`,
    );
    this.method = request.method;
    this.url = request.url;
    this.status = init.status;
    this.maxResponseBytes = init.maxResponseBytes;
    this.receivedBytes = init.receivedBytes;
    this.requestId = requestId;
  }

  protected override safeFields(): Record<string, unknown> {
    return {
      method: this.method,
      url: this.url,
      status: this.status,
      maxResponseBytes: this.maxResponseBytes,
      receivedBytes: this.receivedBytes,
      ...(this.requestId ? { requestId: this.requestId } : {}),
    };
  }
}
