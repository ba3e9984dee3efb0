import {
  APIError,
  ConnectionError,
  InvalidRequestError,
  REDACTED,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
  redactHeaders,
  SDKError,
} from "@sdk/errors";
import * as v from "valibot";
import type { CallOptions } from "./config.js";
import type { HookContext, Hooks, Logger } from "./hooks.js";
import type { ErrorClass, Operation, WireRequest } from "./operation.js";
import {
  backoffDelay,
  checkRetryConfig,
  isIdempotent,
  matchesStatus,
  type ResolvedRetry,
  resolveRetry,
  retryAfterMs,
} from "./retry.js";
import {
  type AppliedSecurity,
  applySecurity,
  missingCredentials,
  type SecurityScheme,
  selectSchemes,
} from "./security.js";
import { toIssues } from "./validation.js";

/** What a call resolves to with `.withResponse()`. */
export interface ResponseMeta<T> {
  data: T;
  /** The final response (its body has been read). */
  response: Response;
  /** Attempts made, 1 when the first one succeeded. */
  attempts: number;
  /** From the first attempt to the parsed result, ms. */
  elapsedMs: number;
}

/** Everything the executor needs from a client; `HttpClient` provides it. */
export interface ExecutorContext<S> {
  /** The client's server URL, or a per-call one once checked (an InvalidRequestError if not a URL). */
  readonly baseURL: (callServerURL: string | undefined, operationId: string) => string;
  readonly schemes: readonly SecurityScheme<S>[];
  readonly security: (callOptions: CallOptions<S> | undefined) => S | undefined | Promise<S | undefined>;
  readonly retries: ResolvedRetryLayer;
  readonly timeoutMs: number | undefined;
  readonly userAgent: string;
  readonly hooks: readonly Hooks[];
  readonly logger: Logger | undefined;
  /** A custom fetch or a beforeRequest hook is in the way: the signal is not known to be honoured. */
  readonly mayIgnoreSignal: boolean;
  /** Sends one attempt: ofetch adds the query and serializes the body; `execute` reads the body. */
  readonly send: (url: string, init: AttemptInit) => Promise<Response>;
}

type ResolvedRetryLayer = Parameters<typeof resolveRetry>[0];

/** Per-attempt state handed to the fetch adapter (see client.ts). */
export interface AttemptState {
  ctx: HookContext;
  hookError?: unknown;
  /** Set by the fetch adapter: the request was built and handed to fetch. */
  sent?: boolean;
}

export interface AttemptInit {
  method: string;
  /** Wire query; ofetch encodes it (form style). */
  query: Record<string, unknown> | undefined;
  /** Wire body; ofetch serializes plain values as JSON. */
  body: unknown;
  headers: Record<string, string>;
  /** Only set when the attempt can be aborted (a timeout or the caller's signal). */
  signal: AbortSignal | undefined;
  attempt: AttemptState;
  // ofetch options: retries, Retry-After and per-attempt timeouts are ours, error statuses are read
  // here, and the body is read here (see readText).
  retry: false;
  ignoreResponseError: true;
  responseType: "stream";
}

const JSON_TYPE = /^application\/(?:[\w!#$%&*.^`~-]*\+)?json\s*(?:;|$)/i;

export function isJSONContentType(contentType: string | null): boolean {
  return contentType !== null && JSON_TYPE.test(contentType);
}

/** Typed failures pass through; anything else a hook or fetch threw is wrapped so nothing escapes untyped. */
function asSDKError(error: unknown, what: string): SDKError {
  return error instanceof SDKError ? error : new SDKError(`${what} failed`, { cause: error });
}

function validateInput(op: Operation<any, any, any>, input: unknown): unknown {
  if (!op.input) return undefined;
  let result: v.SafeParseResult<v.GenericSchema>;
  try {
    result = v.safeParse(op.input, input);
  } catch (error) {
    // A getter or a Proxy trap of the input threw while it was read.
    throw new InvalidRequestError(
      op.id,
      [{ path: "(input)", expected: "plain data", message: "could not be read" }],
      { cause: error },
    );
  }
  if (!result.success) throw new InvalidRequestError(op.id, toIssues(result.issues, op.input));
  return result.output;
}

function buildPath(op: Operation<any, any, any>, params: WireRequest["path"]): string {
  if (!op.path.includes("{")) return op.path; // most paths have no parameter: skip the regex
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === "") {
      throw new InvalidRequestError(op.id, [
        { path: name, expected: "a path parameter", message: "is required in the path" },
      ]);
    }
    return encodeComponent(op, name, String(value));
  });
}

/** encodeURIComponent throws a bare URIError on a lone surrogate: a caller's input error, typed as one. */
function encodeComponent(op: Operation<any, any, any>, path: string, text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    throw new InvalidRequestError(op.id, [
      { path, expected: "well-formed Unicode text", message: "contains a lone surrogate" },
    ]);
  }
}

/**
 * Form style is ofetch's (ufo's) query encoding: arrays exploded, booleans as true/false. It writes
 * `null` as a bare key, so null and undefined are dropped here: "left out" is the contract.
 */
function cleanQuery(
  ...queries: (Record<string, unknown> | undefined)[]
): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const query of queries) {
    for (const key in query) {
      let value = query[key];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) value = value.filter((item) => item !== undefined && item !== null);
      (out ??= {})[key] = value;
    }
  }
  return out;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// What fetch refuses in a header value: NUL, CR, LF, or a character above U+00FF.
const BAD_HEADER_VALUE = /[\0\r\n\u0100-\uffff]/;

/**
 * fetch rejects a bad header with a TypeError that quotes the value, and header values are often
 * credentials (an API key read from a file with its trailing newline): check first, name the header only.
 */
function checkHeaders(op: Operation<any, any, any>, headers: Record<string, string>): void {
  for (const name in headers) {
    const value = headers[name]!;
    if (!HEADER_NAME.test(name) || BAD_HEADER_VALUE.test(value)) {
      throw new InvalidRequestError(op.id, [
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

/** Header names are case-insensitive: a later source replaces an earlier one whatever the case. */
function mergeHeaders(...sources: (Record<string, string> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    for (const name in source) {
      const value = source[name];
      if (value !== undefined) out[name.toLowerCase()] = value;
    }
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * `value`, or the signal's reason as soon as it aborts (the promise itself runs on). Without a signal,
 * or for a value that is already there, `value` itself: no promise is made on the common path.
 */
function abortable<T>(value: T | PromiseLike<T>, signal: AbortSignal | undefined): T | PromiseLike<T> {
  if (!signal || typeof (value as PromiseLike<T> | undefined)?.then !== "function") return value;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(value)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** setTimeout's largest delay (2^31 - 1 ms, ~24.8 days). */
const MAX_TIMEOUT = 2_147_483_647;

/** The client's logger, unable to fail a call: a logger that throws (or has no `debug`) is skipped. */
function quietLogger(logger: Logger): (message: string, details?: unknown) => void {
  return (message, details) => {
    try {
      if (details === undefined) logger.debug(message);
      else logger.debug(message, details);
    } catch {
      // Logging is best effort.
    }
  };
}

function pickErrorClass(op: Operation<any, any, any>, status: number): ErrorClass {
  const map = op.errors;
  if (!map) return APIError;
  return map[String(status)] ?? map[`${Math.floor(status / 100)}XX`] ?? map.default ?? APIError;
}

/**
 * The body as text, read here rather than by ofetch: ofetch would keep it on the Response as
 * `_data`, and undici holds a Response for a while after the call, so every page's text outlived its
 * request and was promoted to the old generation (4× the GC work of raw fetch on a 100-key page).
 */
function readText(response: Response): Promise<string> | string {
  return response.bodyUsed ? "" : response.text();
}

function parseJSON(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * The credential values an attempt sent, long enough not to be confused with ordinary data, and the
 * forms a server may echo them in: JSON-escaped (also with `\/`), URL-encoded, base64.
 */
function sentSecrets(applied: AppliedSecurity | undefined): string[] {
  const out = new Set<string>();
  if (!applied) return [];
  for (const value of [...Object.values(applied.headers), ...Object.values(applied.query)]) {
    const bare = value.replace(/^(?:bearer|basic)\s+/i, "");
    // Shorter values are too likely to occur in ordinary data (and so are their encodings).
    if (bare.length < 8) continue;
    const escaped = JSON.stringify(bare).slice(1, -1);
    const forms = [value, bare, escaped, escaped.replaceAll("/", "\\/")];
    for (const encode of [encodeURIComponent, btoa]) {
      try {
        forms.push(encode(bare));
      } catch {
        // A lone surrogate, or text beyond Latin-1: no such form could have been echoed.
      }
    }
    for (const secret of forms) out.add(secret);
  }
  return [...out];
}

/** `value` with every string scrubbed of `secrets`; the same reference when nothing was found. */
function scrubDeep(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value, secrets);
  if (typeof value !== "object" || value === null || depth > 16) return value;
  let out: any;
  const entries = Object.entries(value);
  for (const [key, item] of entries) {
    const clean = scrubDeep(item, secrets, depth + 1);
    if (clean !== item) (out ??= Array.isArray(value) ? [...value] : { ...value })[key] = clean;
  }
  return out ?? value;
}

/** Response headers that echo a credential: a copy with it masked (the same object when none does). */
function scrubHeaders(headers: Headers, secrets: readonly string[]): Headers {
  let out: Headers | undefined;
  headers.forEach((value, name) => {
    const clean = scrubSecrets(value, secrets);
    if (clean !== value) (out ??= new Headers(headers)).set(name, clean);
  });
  return out ?? headers;
}

/** Reads a property of a foreign value that may be a Proxy or have throwing getters. */
function peek(value: any, key: string): string {
  try {
    return String(value?.[key] ?? "");
  } catch {
    return "";
  }
}

/**
 * The last word on anything `execute` throws: typed (an SDKError, whatever a hook, a getter or fetch
 * threw), and free of the credentials the call sent, in its message, stack and causes. Those may quote
 * a credential (a proxy's "refused request with <key>"), which no pattern would recognize. SDKErrors
 * are mended in place; a foreign cause that quotes a secret is replaced by a masked copy (the caller's
 * own error object is never altered).
 */
function sealError(error: unknown, operationId: string, applied: AppliedSecurity | undefined): SDKError {
  let sealed: SDKError;
  try {
    sealed = asSDKError(error, operationId);
  } catch {
    // `instanceof` itself threw (a Proxy): wrap it, unread.
    sealed = new SDKError(`${operationId} failed`, { cause: error });
  }
  const secrets = sentSecrets(applied);
  try {
    scrubChain(sealed, secrets);
  } catch {
    // A frozen error that quotes a credential: not shown at all.
    return new SDKError(`${operationId} failed (its error quoted a credential and could not be masked)`);
  }
  return sealed;
}

/** Masks `secrets` in an SDKError's message and stack, and in its chain of causes (see sealError). */
function scrubChain(sealed: SDKError, secrets: readonly string[]): void {
  const scrub = (text: string) => scrubSecrets(text, secrets);
  const mend = (target: object, key: string, value: unknown) =>
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
  for (let e: SDKError = sealed, depth = 0; secrets.length && depth < 4; depth++) {
    for (const key of ["message", "stack"] as const) {
      const text = e[key] ?? "";
      const clean = scrub(text);
      if (clean !== text) mend(e, key, clean);
    }
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
    if (shown !== scrub(shown)) {
      const copy = new Error(scrub(peek(cause, "message")));
      copy.name = peek(cause, "name") || "Error";
      copy.stack = scrub(peek(cause, "stack"));
      mend(e, "cause", copy);
    }
    break;
  }
}

/**
 * A server may echo a credential in an error ("invalid API key sk_live_..."): an error's message,
 * `body` and `data` are shown and logged, so the values this attempt sent are masked there.
 */
function scrubSecrets(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(REDACTED);
  return text;
}

function buildAPIError(
  op: Operation<any, any, any>,
  response: Response,
  text: string,
  request: { method: string; url: string },
  applied: AppliedSecurity | undefined,
): APIError {
  const secrets = sentSecrets(applied);
  let body = scrubSecrets(text, secrets);
  const headers = scrubHeaders(response.headers, secrets);
  const json = isJSONContentType(headers.get("content-type")) && body ? parseJSON(body) : undefined;
  let raw = json?.ok ? json.value : undefined;
  const clean = scrubDeep(raw, secrets);
  if (clean !== raw) {
    // The parsed body held a credential its text hid (escaped as `\u0073k_...`): the text follows suit.
    raw = clean;
    body = JSON.stringify(clean);
  }
  // Redirects are not followed (fetch's `redirect: "manual"`): the credentials stay with this server.
  const redirected = REDIRECTS.has(response.status) || response.type === "opaqueredirect";
  const message = redirected ? "redirect not followed (credentials stay with this server)" : undefined;
  const init = {
    status: response.status,
    statusText: response.statusText,
    headers,
    body,
    response,
    request,
    message,
  };
  const ErrorType = pickErrorClass(op, response.status);
  if (ErrorType === APIError) return new APIError({ ...init, data: raw });
  if (ErrorType.dataSchema) {
    const parsed = v.safeParse(ErrorType.dataSchema, raw);
    // A typed error whose body is not the declared shape degrades to a plain APIError, never a crash.
    if (!parsed.success) return new APIError({ ...init, data: raw });
    return new ErrorType({ ...init, data: parsed.output });
  }
  return new ErrorType({ ...init, data: raw });
}

function parseSuccess(op: Operation<any, any, any>, response: Response, body: string): unknown {
  const contentType = response.headers.get("content-type");
  const fail = (message: string, cause?: SyntaxError) =>
    new ResponseValidationError({
      operation: op.id,
      issues: [],
      status: response.status,
      headers: response.headers,
      body,
      response,
      message,
      cause,
    });
  let value: unknown;
  if (body === "" && (response.status === 204 || response.status === 205)) {
    value = undefined;
  } else if (!isJSONContentType(contentType)) {
    throw fail(`expected a JSON body but the content type is ${contentType ?? "missing"}`);
  } else {
    const json = parseJSON(body);
    if (!json.ok) {
      // Not V8's SyntaxError as it is: its message quotes the body, which may hold a credential.
      const at = /position (\d+)/.exec(String((json.error as Error).message))?.[1];
      const where = at ? `at position ${at} of ${body.length}` : `${body.length} characters`;
      throw fail(`the body is not valid JSON (${where})`, new SyntaxError(`invalid JSON ${where}`));
    }
    value = json.value;
  }
  const result = v.safeParse(op.output, value);
  if (!result.success) {
    throw new ResponseValidationError({
      operation: op.id,
      issues: toIssues(result.issues, op.output),
      status: response.status,
      headers: response.headers,
      body,
      response,
    });
  }
  return result.output;
}

/** Runs one declared operation: validate, secure, send, retry, hook, parse. */
export async function execute<S, T>(
  client: ExecutorContext<S>,
  op: Operation<any, any, any>,
  input: unknown,
  options: CallOptions<S> | undefined,
): Promise<ResponseMeta<T>> {
  // What the latest attempt sent: every error thrown is scrubbed of it (see sealError).
  let sent: AppliedSecurity | undefined;
  try {
    const started = Date.now();
    const validated = validateInput(op, input);
    const wire: WireRequest = op.request ? op.request(validated) : {};
    const path = buildPath(op, wire.path);
    const baseURL = client.baseURL(options?.serverURL, op.id);
    const method = op.method;
    const url = baseURL.replace(/\/+$/, "") + path;
    const requestInfo = { method, url };
    // Resolved on the first failure only: most calls succeed at once.
    let policy: ResolvedRetry | undefined;
    const timeoutMs = options?.timeoutMs ?? client.timeoutMs;
    if (
      timeoutMs !== undefined &&
      !(typeof timeoutMs === "number" && timeoutMs >= 0 && timeoutMs <= MAX_TIMEOUT)
    ) {
      // setTimeout takes Infinity, NaN or anything past 2^31 - 1 ms as 1 ms: fail now, not in 1 ms.
      throw new InvalidRequestError(op.id, [
        {
          path: "timeoutMs",
          expected: `a number of ms from 0 to ${MAX_TIMEOUT}`,
          message: "is not a usable timeout",
        },
      ]);
    }
    // The client's retries were checked when it was built; a call's own are checked here, before sending.
    if (options?.retries) checkRetryConfig(options.retries, op.id);
    const userSignal = options?.signal;
    const log = client.logger && quietLogger(client.logger);
    // A failure while the caller's signal is aborted is the abort; anything else is typed here.
    const failed = (error: unknown, what: string): SDKError =>
      userSignal?.aborted
        ? new RequestAbortedError(requestInfo, userSignal.reason)
        : asSDKError(error, `${op.id}: ${what}`);

    // An operation that sends no credentials (`security: []`) never reads them: a credential getter that
    // itself calls such an operation (exchanging a key for a token) would otherwise call itself forever.
    const anonymous = op.security === null || op.security?.length === 0;

    let attempt = 0;
    let retries = 0;
    let refreshed = false;
    for (;;) {
      attempt++;
      if (userSignal?.aborted) throw new RequestAbortedError(requestInfo, userSignal.reason);
      const ctx: HookContext = { operationId: op.id, method, baseURL, attempt };

      let security: S | undefined;
      let schemes: SecurityScheme<S>[] = [];
      if (!anonymous) {
        let selected: SecurityScheme<S>[] | undefined;
        try {
          const source = client.security(options);
          // A getter may be slow (a vault, a file): the caller's abort must not wait for it.
          security = await abortable(source, userSignal);
          selected = selectSchemes(client.schemes, op.security, security);
        } catch (error) {
          // A credential getter that throws (a vault, a file) must not escape untyped.
          throw failed(error, "reading credentials");
        }
        if (!selected) throw missingCredentials(op.id, client.schemes, op.security, security);
        schemes = selected;
      }
      let applied: AppliedSecurity;
      try {
        const applying = applySecurity(schemes, { security: security as S, hook: ctx, signal: userSignal });
        // A custom scheme may wait on a shared token request: the caller's abort ends this call's wait.
        applied = await abortable(applying, userSignal);
      } catch (error) {
        throw failed(error, "obtaining credentials");
      }
      sent = applied;

      const headers = mergeHeaders(
        { accept: "application/json", "user-agent": client.userAgent },
        wire.headers,
        applied.headers,
        options?.headers,
      );
      checkHeaders(op, headers);
      const query = cleanQuery(wire.query, applied.query);
      // An AbortController only when the attempt can be aborted: creating one and handing its signal to
      // fetch is a measurable share of a request's client-side cost.
      const hasTimeout = timeoutMs !== undefined && timeoutMs > 0;
      const controller = hasTimeout || userSignal ? new AbortController() : undefined;
      let timedOut = false;
      const timer = hasTimeout
        ? setTimeout(() => {
            timedOut = true;
            controller!.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError"));
          }, timeoutMs)
        : undefined;
      const onUserAbort = () => controller!.abort(userSignal!.reason);
      userSignal?.addEventListener("abort", onUserAbort, { once: true });
      const state: AttemptState = { ctx };
      if (log) {
        const shown = redactHeaders(headers);
        // A scheme may put a credential under a header name no generic list knows (e.g. x-registry-token).
        for (const name in applied.headers) shown[name.toLowerCase()] = REDACTED;
        log(`[${op.id}] → ${method} ${url} (attempt ${attempt})`, shown);
      }

      let response: Response | undefined;
      let text = "";
      let failure: unknown;
      try {
        // The URL is already joined (no `baseURL`): ofetch would join it again with ufo on every attempt.
        const sending = client.send(url, {
          method,
          query,
          body: wire.body,
          headers,
          signal: controller?.signal,
          attempt: state,
          // ofetch options in this same literal: ofetch spreads them into a fresh object per call, which
          // V8 does several times faster for a plain literal than for a spread or ofetch `defaults`.
          retry: false,
          ignoreResponseError: true,
          responseType: "stream",
        });
        // The platform's fetch honours the signal for the response and its body; a custom fetch or a
        // beforeRequest hook may not (or return a body that never ends): the signal bounds them here.
        const bound = controller && client.mayIgnoreSignal ? controller.signal : undefined;
        response = await abortable(sending, bound);
        text = await abortable(readText(response), bound);
      } catch (error) {
        if (state.hookError !== undefined) throw failed(state.hookError, "beforeRequest hook");
        if (!state.sent && !userSignal?.aborted && !timedOut) {
          // ofetch failed to build the request (a lone surrogate in the query, a body JSON cannot
          // serialize): the caller's input, not the network.
          throw new InvalidRequestError(
            op.id,
            [
              {
                path: "request",
                expected: "an encodable query and a JSON-serializable body",
                message: "cannot be encoded",
              },
            ],
            { cause: error },
          );
        }
        // ofetch wraps fetch's failure in a FetchError whose message quotes the full URL (and so a query
        // credential): keep the original failure as the cause.
        const cause = (error as Error)?.name === "FetchError" ? ((error as Error).cause ?? error) : error;
        if (userSignal?.aborted) failure = new RequestAbortedError(requestInfo, userSignal.reason);
        else if (timedOut) failure = new RequestTimeoutError(requestInfo, timeoutMs!, { cause });
        else failure = new ConnectionError(requestInfo, cause);
        response = undefined;
      } finally {
        if (timer) clearTimeout(timer);
        userSignal?.removeEventListener("abort", onUserAbort);
      }

      // Hooks see every attempt's outcome and may replace it.
      if (response && response.status >= 200 && response.status < 300) {
        for (const hook of client.hooks) {
          if (!hook.afterSuccess) continue;
          try {
            const replacing = hook.afterSuccess(ctx, response);
            const replaced = await abortable(replacing, userSignal);
            if (replaced && replaced !== response) {
              response = replaced;
              text = await readText(replaced);
            }
          } catch (error) {
            throw failed(error, "afterSuccess hook");
          }
        }
      }
      let error: unknown =
        failure ?? (response && (response.status < 200 || response.status >= 300) ? undefined : null);
      if (error === undefined) error = buildAPIError(op, response!, text, requestInfo, applied);
      if (error !== null) {
        for (const hook of client.hooks) {
          if (!hook.afterError) continue;
          let result: Awaited<ReturnType<NonNullable<Hooks["afterError"]>>>;
          try {
            const deciding = hook.afterError(ctx, response, error);
            result = await abortable(deciding, userSignal);
          } catch (hookError) {
            throw failed(hookError, "afterError hook");
          }
          if (result?.error !== undefined) throw asSDKError(result.error, `${op.id}: afterError hook`);
          if (result?.response) {
            response = result.response;
            text = await readText(response);
            error = response.ok ? null : buildAPIError(op, response, text, requestInfo, applied);
            if (error === null) break;
          }
        }
      }

      log?.(`[${op.id}] ← ${response?.status ?? (error as Error).name} in ${Date.now() - started} ms`);
      if (error === null) {
        const data = parseSuccess(op, response!, text) as T;
        return { data, response: response!, attempts: attempt, elapsedMs: Date.now() - started };
      }

      const status = response?.status;
      // A rejected credential gets one fresh try when a scheme can renew it (e.g. a revoked token).
      if (status === 401 && !refreshed && applied.refreshers.length) {
        refreshed = true;
        let renewed = false;
        for (const refresh of applied.refreshers) {
          const renewing = refresh().catch(() => false);
          // A token request may hang: the caller's abort ends this call's wait for it.
          try {
            renewed = (await abortable(renewing, userSignal)) || renewed;
          } catch (error) {
            throw failed(error, "renewing credentials");
          }
        }
        if (renewed) {
          log?.(`[${op.id}] 401: credentials renewed, retrying once`);
          continue;
        }
      }

      policy ??= resolveRetry(op.retry, client.retries, options?.retries);
      const safeToRetry = op.idempotent ?? isIdempotent(method);
      const retryable =
        error instanceof RequestAbortedError
          ? false
          : status !== undefined
            ? matchesStatus(status, policy.statusCodes)
            : policy.retryConnectionErrors;
      if (!policy.enabled || !retryable || !safeToRetry || retries >= policy.maxRetries) throw error;
      retries++;

      const hinted = response ? retryAfterMs(response.headers) : undefined;
      const delay =
        hinted !== undefined
          ? Math.min(hinted, policy.backoff.maxInterval)
          : backoffDelay(retries, policy.backoff);
      if (Date.now() + delay - started > policy.backoff.maxElapsedTime) throw error;
      log?.(`[${op.id}] retrying in ${delay} ms after ${status ?? (error as Error).name}`);
      try {
        await sleep(delay, userSignal);
      } catch {
        throw new RequestAbortedError(requestInfo, userSignal?.reason);
      }
    }
  } catch (error) {
    throw sealError(error, op.id, sent);
  }
}
