// One attempt: credentials, then ofetch sends, then the body is read under its limit, then the
// client's hooks see the outcome. Everything it waits for is raced with the attempt's signal.
import { InvalidRequestError, REDACTED, type RequestInfo, redactHeaders, SDKError } from "@sdk/errors";
import { readBody } from "./body.js";
import type { CallOptions, OfetchLike } from "./config.js";
import { abortable, type CallClock } from "./deadline.js";
import { buildAPIError, transportFailure } from "./error-map.js";
import { type CallContext, type ComposedHooks, type HookContext, HookFailure, type Logger } from "./hooks.js";
import type { Operation, WireRequest } from "./operation.js";
import type { Redactor } from "./redact.js";
import { type AppliedSecurity, type CredentialSource, obtainCredentials } from "./security.js";
import { checkHeaders, cleanQuery, mergeHeaders } from "./url.js";

/** What the pipeline needs from a client, built once per client (see client.ts). */
export interface Pipeline<S> {
  readonly serverURL: string;
  readonly credentials: (call: CallOptions<S> | undefined) => CredentialSource<S>;
  readonly userAgent: string;
  readonly hooks: ComposedHooks;
  readonly logger: Logger | undefined;
  /** Sends one attempt (the user's ofetch instance, or one on their `fetch`), with `sent` noted. */
  readonly $fetch: OfetchLike;
  /** The fetch adapter notes on each attempt whether its request was built (see AttemptState). */
  readonly marksSent: boolean;
  /** The platform's fetch carries every attempt: it honours the signal, and a Content-Length holds. */
  readonly trustsFetch: boolean;
  readonly defaults: {
    retries: CallOptions["retries"];
    timeoutMs: number | undefined;
    totalTimeoutMs: number;
    maxResponseBytes: number;
  };
}

/** Per-attempt state handed through ofetch to the fetch adapter (see client.ts). */
export interface AttemptState {
  ctx: HookContext;
  /** Set by the fetch adapter: the request was built and handed to fetch. */
  sent?: boolean;
}

/** A call, prepared once: what every attempt sends. */
export interface PreparedCall {
  readonly name: string;
  readonly request: RequestInfo;
  readonly baseURL: string;
  readonly wire: WireRequest;
  readonly timeoutMs: number | undefined;
  readonly maxResponseBytes: number;
  readonly context: CallContext;
}

export interface Outcome {
  response: Response | undefined;
  text: string;
  /** null: a success. */
  error: unknown;
  applied: AppliedSecurity;
}

/** Typed failures pass through; anything else a hook or a getter threw is wrapped, never untyped. */
function asSDKError(error: unknown, what: string): SDKError {
  return error instanceof SDKError ? error : new SDKError(`${what} failed`, { cause: error });
}

export async function runAttempt<S>(
  pipeline: Pipeline<S>,
  op: Operation<any, any, any>,
  call: PreparedCall,
  options: CallOptions<S> | undefined,
  clock: CallClock,
  number: number,
  redactor: Redactor,
  log: ((message: string, details?: unknown) => void) | undefined,
): Promise<Outcome> {
  const { name, request } = call;
  const ctx: HookContext = {
    operationId: op.id,
    method: request.method,
    baseURL: call.baseURL,
    attempt: number,
    call: call.context,
  };
  const timer = clock.attempt(call.timeoutMs);
  // A custom fetch or hook may ignore the signal: its promises are raced with it.
  const race = <T>(value: T | PromiseLike<T>) => abortable(value, timer.signal);
  const ended = (cause?: unknown) => clock.ended(request, number, timer, call.timeoutMs, cause);
  try {
    let applied: AppliedSecurity;
    try {
      applied = await obtainCredentials(
        pipeline.credentials(options),
        op.security,
        name,
        ctx,
        timer.signal,
        race,
      );
    } catch (error) {
      throw ended(error) ?? asSDKError(error, `${name}: obtaining credentials`);
    }
    for (const name in applied.headers) redactor.add(applied.headers[name]);
    for (const name in applied.query) redactor.add(applied.query[name]);

    const headers = mergeHeaders(
      { accept: "application/json", "user-agent": pipeline.userAgent },
      call.wire.headers,
      applied.headers,
      options?.headers,
    );
    checkHeaders(name, headers);
    if (log) {
      const shown = redactHeaders(headers);
      // A scheme may put a credential under a header name no generic list knows (e.g. x-registry-token).
      for (const header in applied.headers) shown[header.toLowerCase()] = REDACTED;
      log(`[${name}] → ${request.method} ${request.url} (attempt ${number})`, shown);
    }

    const state: AttemptState = { ctx };
    let response: Response | undefined;
    let text = "";
    let error: unknown = null;
    try {
      // One literal per attempt: ofetch spreads it into its own options (which V8 does fastest for a
      // plain literal). Retries, timeouts and error statuses are ours; the body is read by readBody.
      const sending = pipeline.$fetch.raw(request.url, {
        method: request.method,
        query: cleanQuery(name, call.wire.query, applied.query),
        body: call.wire.body,
        headers,
        signal: timer.signal,
        // Redirects are not followed: fetch would send the API key (any header but Authorization) on
        // to whatever host a 3xx names. A 3xx is an APIError that says so.
        redirect: "manual",
        attempt: state,
        retry: false,
        ignoreResponseError: true,
        responseType: "stream",
      });
      response = await (pipeline.trustsFetch ? sending : race(sending));
      const reading = readBody(response, call.maxResponseBytes, request, pipeline.trustsFetch);
      text = await (pipeline.trustsFetch ? reading : race(reading));
    } catch (failure) {
      if (failure instanceof HookFailure) throw failure;
      if (failure instanceof SDKError) throw failure; // ResponseTooLargeError
      const hookFailure = (failure as { cause?: unknown })?.cause;
      if (hookFailure instanceof HookFailure) throw hookFailure;
      const cause =
        (failure as Error)?.name === "FetchError" ? ((failure as Error).cause ?? failure) : failure;
      // Sent or not, a fired signal says what happened; else the request could not be built or sent.
      const sent = !pipeline.marksSent || state.sent === true;
      error = ended(cause) ?? transportFailure(failure, sent, name, request);
      if (error instanceof InvalidRequestError) throw error;
      response = undefined;
    }

    const settle = async (replacement: Response): Promise<unknown> => {
      response = replacement;
      text = await readBody(replacement, call.maxResponseBytes, request, false);
      return replacement.ok ? null : buildAPIError(op, name, replacement, text, request);
    };
    if (response && error === null) {
      if (response.status >= 200 && response.status < 300) {
        if (pipeline.hooks.afterSuccess) {
          const replaced = await race(pipeline.hooks.afterSuccess(ctx, response));
          if (replaced !== response) await settle(replaced);
        }
      } else {
        error = buildAPIError(op, name, response, text, request);
      }
    }
    if (error !== null && pipeline.hooks.afterError) {
      const after = await race(pipeline.hooks.afterError(ctx, { response, error }, settle));
      response = after.response;
      error = after.error;
    }
    log?.(`[${name}] ← ${response?.status ?? (error as Error).name} in ${Date.now() - clock.started} ms`);
    return { response, text, error, applied };
  } catch (error) {
    if (error instanceof HookFailure) {
      throw ended(error.error) ?? asSDKError(error.error, `${name}: ${error.stage} hook`);
    }
    throw ended(error) ?? error;
  } finally {
    timer.done();
  }
}
