// The pipeline of one call, composed from one module per stage (see ARCHITECTURE.md):
//   url → decode (input) → deadlines → [ credentials → send → body → hooks → errors ] × retry
//   → decode (output), every error through the redaction stage on its way out.
import { DeadlineExceededError, RequestAbortedError } from "@sdk/errors";
import { type Outcome, type Pipeline, type PreparedCall, runAttempt } from "./attempt.js";
import { checkMaxResponseBytes } from "./body.js";
import type { CallOptions } from "./config.js";
import { abortable, CallClock, checkTimeout } from "./deadline.js";
import { parseSuccess, validateInput } from "./decode.js";
import type { CallContext } from "./hooks.js";
import type { Operation, WireRequest } from "./operation.js";
import { Redactor, redactingLogger } from "./redact.js";
import {
  checkRetryConfig,
  isIdempotent,
  matchesStatus,
  type ResolvedRetry,
  resolveRetry,
  retryDelay,
} from "./retry.js";
import { buildURL, checkServerURL } from "./url.js";

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

export { isJSONContentType } from "./decode.js";

/** Runs one declared operation. */
export async function execute<S, T>(
  pipeline: Pipeline<S>,
  op: Operation<any, any, any>,
  input: unknown,
  options: CallOptions<S> | undefined,
): Promise<ResponseMeta<T>> {
  const name = op.name ?? op.id;
  const redactor = new Redactor(op.secrets);
  // Every line goes through the call's redactor: it knows what this call sent.
  const log = pipeline.logger && redactingLogger(pipeline.logger, redactor);
  let clock: CallClock | undefined;
  const { beforeCall, afterCall } = pipeline.hooks;
  const context: CallContext = { operationId: op.id, operation: name, method: op.method, url: "" };
  beforeCall?.(context);
  let attempts = 0;
  let last: Outcome | undefined;
  try {
    const call = prepare(pipeline, op, input, options, name, redactor, context);
    clock = new CallClock(options?.totalTimeoutMs ?? pipeline.defaults.totalTimeoutMs, options?.signal);
    let policy: ResolvedRetry | undefined; // resolved on the first failure only
    let refreshed = false;
    for (let attempt = 1, retries = 0; ; attempt++) {
      attempts = attempt;
      const outcome = await runAttempt(pipeline, op, call, options, clock, attempt, redactor, log);
      last = outcome;
      if (outcome.error === null) {
        const data = parseSuccess(op, name, outcome.response!, outcome.text) as T;
        afterCall?.(context, { attempts, response: outcome.response, error: undefined });
        return {
          data,
          response: outcome.response!,
          attempts: attempt,
          elapsedMs: Date.now() - clock.started,
        };
      }
      // A rejected credential gets one fresh try when a scheme can renew it (e.g. a revoked token).
      if (!refreshed && outcome.response?.status === 401 && outcome.applied.refreshers.length) {
        refreshed = true;
        if (await renew(outcome, clock, call, attempt)) continue;
      }
      policy ??= resolveRetry(op.retry, pipeline.defaults.retries, options?.retries);
      if (!shouldRetry(policy, op, call, outcome, retries)) throw outcome.error;
      retries++;
      const delay = retryDelay(retries, policy.backoff, outcome.response?.headers);
      if (delay >= clock.remaining()) {
        // The wait would end past the deadline: end now, not after it.
        throw new DeadlineExceededError(call.request, clock.totalMs, attempt, {
          cause: outcome.error,
          reason: `a retry in ${delay} ms would pass it`,
        });
      }
      if (Date.now() + delay - clock.started > policy.backoff.maxElapsedTime) throw outcome.error;
      log?.(
        `[${name}] retrying in ${delay} ms after ${outcome.response?.status ?? (outcome.error as Error).name}`,
      );
      await clock.sleep(delay).catch((reason) => {
        throw clock!.ended(call.request, attempt) ?? reason;
      });
    }
  } catch (error) {
    const sealed = redactor.error(error, name);
    afterCall?.(context, { attempts, response: last?.response, error: sealed });
    throw sealed;
  } finally {
    clock?.dispose();
  }
}

/** Everything checked and built once per call, before anything is sent. */
function prepare<S>(
  pipeline: Pipeline<S>,
  op: Operation<any, any, any>,
  input: unknown,
  options: CallOptions<S> | undefined,
  name: string,
  redactor: Redactor,
  context: CallContext,
): PreparedCall {
  const validated = validateInput(op, input, name);
  const wire: WireRequest = op.request ? op.request(validated) : {};
  redactor.addFieldsOf(wire.body);
  redactor.addFieldsOf(wire.query);
  const baseURL =
    options?.serverURL === undefined ? pipeline.serverURL : checkServerURL(options.serverURL, name);
  const timeoutMs = options?.timeoutMs ?? pipeline.defaults.timeoutMs;
  const maxResponseBytes = options?.maxResponseBytes ?? pipeline.defaults.maxResponseBytes;
  if (options) {
    checkTimeout(options.timeoutMs, "timeoutMs", name);
    checkTimeout(options.totalTimeoutMs, "totalTimeoutMs", name);
    checkMaxResponseBytes(options.maxResponseBytes, name);
    // The client's retries were checked when it was built; a call's own are checked here.
    if (options.retries) checkRetryConfig(options.retries, name);
  }
  const request = { method: op.method, url: buildURL(baseURL, op.path, wire.path, name) };
  context.url = request.url;
  return { name, request, baseURL, wire, timeoutMs, maxResponseBytes, context };
}

/** Asks the schemes that secured a 401'd attempt for fresh credentials, under the call's deadline. */
async function renew(
  outcome: Outcome,
  clock: CallClock,
  call: PreparedCall,
  attempt: number,
): Promise<boolean> {
  let renewed = false;
  for (const refresh of outcome.applied.refreshers) {
    try {
      renewed =
        (await abortable(
          refresh().catch(() => false),
          clock.signal,
        )) || renewed;
    } catch (reason) {
      throw clock.ended(call.request, attempt) ?? reason;
    }
  }
  return renewed;
}

/** Retried: an error the policy names, of an operation safe to repeat, under the retry cap. */
function shouldRetry(
  policy: ResolvedRetry,
  op: Operation<any, any, any>,
  call: PreparedCall,
  outcome: Outcome,
  retries: number,
): boolean {
  if (!policy.enabled || retries >= policy.maxRetries) return false;
  if (!(op.idempotent ?? isIdempotent(call.request.method))) return false;
  if (outcome.error instanceof RequestAbortedError || outcome.error instanceof DeadlineExceededError)
    return false;
  const status = outcome.response?.status;
  return status !== undefined ? matchesStatus(status, policy.statusCodes) : policy.retryConnectionErrors;
}
