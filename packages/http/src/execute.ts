import {
  APIError,
  ConnectionError,
  InvalidRequestError,
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
import { type AppliedSecurity, applySecurity, type SecurityScheme, selectSchemes } from "./security.js";
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
  readonly baseURL: (callServerURL: string | undefined) => string;
  readonly schemes: readonly SecurityScheme<S>[];
  readonly security: (callOptions: CallOptions<S> | undefined) => Promise<S | undefined>;
  readonly retries: ResolvedRetryLayer;
  readonly timeoutMs: number | undefined;
  readonly userAgent: string;
  readonly hooks: readonly Hooks[];
  readonly logger: Logger | undefined;
  readonly send: (url: string, init: AttemptInit) => Promise<Response & { _data?: unknown }>;
}

type ResolvedRetryLayer = Parameters<typeof resolveRetry>[0];

/** Per-attempt state handed through ofetch to the fetch adapter (see client.ts). */
export interface AttemptState {
  ctx: HookContext;
  hooks: readonly Hooks[];
  hookError?: unknown;
}

export interface AttemptInit {
  baseURL: string;
  method: string;
  query: Record<string, unknown> | undefined;
  body: unknown;
  headers: Record<string, string>;
  signal: AbortSignal;
  attempt: AttemptState;
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
  if (!result.success) throw new InvalidRequestError(op.id, toIssues(result.issues));
  return result.output;
}

function buildPath(op: Operation<any, any, any>, params: WireRequest["path"]): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === "") {
      throw new InvalidRequestError(op.id, [
        { path: name, expected: "a path parameter", message: "is required in the path" },
      ]);
    }
    return encodeURIComponent(String(value));
  });
}

function cleanQuery(query: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!query) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    (out ??= {})[key] = value;
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

function pickErrorClass(op: Operation<any, any, any>, status: number): ErrorClass {
  const map = op.errors;
  if (!map) return APIError;
  return map[String(status)] ?? map[`${Math.floor(status / 100)}XX`] ?? map.default ?? APIError;
}

async function readText(response: Response & { _data?: unknown }): Promise<string> {
  if (typeof response._data === "string") return response._data;
  if ("_data" in response) return response._data == null ? "" : String(response._data);
  return response.bodyUsed ? "" : await response.text();
}

function parseJSON(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
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
      issues: toIssues(result.issues),
      status: response.status,
      headers: response.headers,
      body,
      response,
    });
  }
  return result.output;
}

const TIMEOUT = Symbol("timeout");

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
  const baseURL = client.baseURL(options?.serverURL);
  const method = op.method;
  const url = baseURL.replace(/\/+$/, "") + path;
  const requestInfo = { method, url };
  const policy: ResolvedRetry = resolveRetry(op.retry, client.retries, options?.retries);
  const safeToRetry = op.idempotent ?? isIdempotent(method);
  const timeoutMs = options?.timeoutMs ?? client.timeoutMs;
  const userSignal = options?.signal;
  const logger = client.logger;
  const query = cleanQuery(wire.query);

  let attempt = 0;
  let retries = 0;
  let refreshed = false;
  for (;;) {
    attempt++;
    if (userSignal?.aborted) throw new RequestAbortedError(requestInfo, userSignal.reason);
    const ctx: HookContext = { operationId: op.id, method, baseURL, attempt };

    const security = await client.security(options);
    const schemes = selectSchemes(client.schemes, op.security, security);
    if (!schemes) {
      const fields = client.schemes.map((s) => s.field).join(" | ");
      throw new InvalidRequestError(op.id, [
        { path: "security", expected: fields, message: `no credentials configured; set one of ${fields}` },
      ]);
    }
    let applied: AppliedSecurity;
    try {
      applied = await applySecurity(schemes, { security: security as S, hook: ctx, signal: userSignal });
    } catch (error) {
      throw asSDKError(error, `${op.id}: obtaining credentials`);
    }

    const headers: Record<string, string> = { accept: "application/json", "user-agent": client.userAgent };
    Object.assign(headers, wire.headers, applied.headers, options?.headers);
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs !== undefined && timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort(TIMEOUT);
          }, timeoutMs)
        : undefined;
    const onUserAbort = () => controller.abort(userSignal!.reason);
    userSignal?.addEventListener("abort", onUserAbort, { once: true });
    const state: AttemptState = { ctx, hooks: client.hooks };
    logger?.debug(`[${op.id}] → ${method} ${url} (attempt ${attempt})`, redactHeaders(headers));

    let response: (Response & { _data?: unknown }) | undefined;
    let body = "";
    let failure: unknown;
    try {
      response = await client.send(path, {
        baseURL,
        method,
        query: applied.query && Object.keys(applied.query).length ? { ...query, ...applied.query } : query,
        body: wire.body,
        headers,
        signal: controller.signal,
        attempt: state,
      });
      body = await readText(response);
    } catch (error) {
      if (state.hookError !== undefined) throw asSDKError(state.hookError, `${op.id}: beforeRequest hook`);
      const cause = (error as { cause?: unknown })?.cause ?? error;
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
            body = await readText(replaced);
          }
        } catch (error) {
          throw asSDKError(error, `${op.id}: afterSuccess hook`);
        }
      }
    }
    let error: unknown =
      failure ?? (response && (response.status < 200 || response.status >= 300) ? undefined : null);
    if (error === undefined) error = buildAPIError(op, response!, body, requestInfo);
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
          body = await readText(response);
          error = response.ok ? null : buildAPIError(op, response, body, requestInfo);
          if (error === null) break;
        }
      }
    }

    if (error === null) {
      logger?.debug(`[${op.id}] ← ${response!.status} in ${Date.now() - started} ms`);
      const data = parseSuccess(op, response!, body) as T;
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
