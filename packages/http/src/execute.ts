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
  /** Sends one attempt: ofetch adds the query and serializes the body; `execute` reads the body. */
  readonly send: (url: string, init: AttemptInit) => Promise<Response>;
}

type ResolvedRetryLayer = Parameters<typeof resolveRetry>[0];

/** Per-attempt state handed to the fetch adapter (see client.ts). */
export interface AttemptState {
  ctx: HookContext;
  hooks: readonly Hooks[];
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
  const result = v.safeParse(op.input, input);
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

/** `promise`, or the signal's reason as soon as it aborts (the promise itself runs on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
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

/** The credential values an attempt sent, long enough not to be confused with ordinary data. */
function sentSecrets(applied: AppliedSecurity): string[] {
  const out = new Set<string>();
  for (const value of [...Object.values(applied.headers), ...Object.values(applied.query)]) {
    const bare = value.replace(/^(?:bearer|basic)\s+/i, "");
    for (const secret of [value, bare, JSON.stringify(bare).slice(1, -1)]) {
      if (secret.length >= 8) out.add(secret);
    }
  }
  return [...out];
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
  body: string,
  request: { method: string; url: string },
): APIError {
  const headers = response.headers;
  const json = isJSONContentType(headers.get("content-type")) && body ? parseJSON(body) : undefined;
  const raw = json?.ok ? json.value : undefined;
  const init = { status: response.status, statusText: response.statusText, headers, body, response, request };
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
  const fail = (message: string, cause?: unknown) =>
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
    if (!json.ok) throw fail(`the body is not valid JSON (${(json.error as Error).message})`, json.error);
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
  const userSignal = options?.signal;
  const logger = client.logger;

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
        security =
          userSignal && source instanceof Promise ? await abortable(source, userSignal) : await source;
        selected = selectSchemes(client.schemes, op.security, security);
      } catch (error) {
        if (userSignal?.aborted) throw new RequestAbortedError(requestInfo, userSignal.reason);
        // A credential getter that throws (a vault, a file) must not escape untyped.
        throw asSDKError(error, `${op.id}: reading credentials`);
      }
      if (!selected) throw missingCredentials(op.id, client.schemes, op.security, security);
      schemes = selected;
    }
    let applied: AppliedSecurity;
    try {
      const applying = applySecurity(schemes, { security: security as S, hook: ctx, signal: userSignal });
      // A custom scheme may wait on a shared token request: the caller's abort ends this call's wait.
      applied = await (userSignal ? abortable(applying, userSignal) : applying);
    } catch (error) {
      if (userSignal?.aborted) throw new RequestAbortedError(requestInfo, userSignal.reason);
      throw asSDKError(error, `${op.id}: obtaining credentials`);
    }

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
    const state: AttemptState = { ctx, hooks: client.hooks };
    if (logger) {
      const shown = redactHeaders(headers);
      // A scheme may put a credential under a header name no generic list knows (e.g. x-registry-token).
      for (const name in applied.headers) shown[name.toLowerCase()] = REDACTED;
      logger.debug(`[${op.id}] → ${method} ${url} (attempt ${attempt})`, shown);
    }

    let response: Response | undefined;
    let text = "";
    let failure: unknown;
    try {
      // The URL is already joined (no `baseURL`): ofetch would join it again with ufo on every attempt.
      response = await client.send(url, {
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
      text = await readText(response);
    } catch (error) {
      if (state.hookError !== undefined) throw asSDKError(state.hookError, `${op.id}: beforeRequest hook`);
      if (!state.sent) {
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
          const replaced = await hook.afterSuccess(ctx, response);
          if (replaced && replaced !== response) {
            response = replaced;
            text = await readText(replaced);
          }
        } catch (error) {
          throw asSDKError(error, `${op.id}: afterSuccess hook`);
        }
      }
    }
    let error: unknown =
      failure ?? (response && (response.status < 200 || response.status >= 300) ? undefined : null);
    if (error === undefined) {
      error = buildAPIError(op, response!, scrubSecrets(text, sentSecrets(applied)), requestInfo);
    }
    if (error !== null) {
      for (const hook of client.hooks) {
        if (!hook.afterError) continue;
        let result: Awaited<ReturnType<NonNullable<Hooks["afterError"]>>>;
        try {
          result = await hook.afterError(ctx, response, error);
        } catch (hookError) {
          throw asSDKError(hookError, `${op.id}: afterError hook`);
        }
        if (result?.error !== undefined) throw asSDKError(result.error, `${op.id}: afterError hook`);
        if (result?.response) {
          response = result.response;
          text = await readText(response);
          error = response.ok
            ? null
            : buildAPIError(op, response, scrubSecrets(text, sentSecrets(applied)), requestInfo);
          if (error === null) break;
        }
      }
    }

    if (error === null) {
      logger?.debug(`[${op.id}] ← ${response!.status} in ${Date.now() - started} ms`);
      const data = parseSuccess(op, response!, text) as T;
      return { data, response: response!, attempts: attempt, elapsedMs: Date.now() - started };
    }

    const status = response?.status;
    // A rejected credential gets one fresh try when a scheme can renew it (e.g. a revoked token).
    if (status === 401 && !refreshed && applied.refreshers.length) {
      refreshed = true;
      let renewed = false;
      for (const refresh of applied.refreshers) renewed = (await refresh().catch(() => false)) || renewed;
      if (renewed) {
        logger?.debug(`[${op.id}] 401: credentials renewed, retrying once`);
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
    logger?.debug(`[${op.id}] retrying in ${delay} ms after ${status ?? (error as Error).name}`);
    try {
      await sleep(delay, userSignal);
    } catch {
      throw new RequestAbortedError(requestInfo, userSignal?.reason);
    }
  }
}
