// Stage "deadlines": one clock per call. The call's signal fires on the caller's abort or when
// `totalTimeoutMs` passes; each attempt adds its own `timeoutMs`, which also covers obtaining
// credentials. Every wait of the pipeline (credentials, fetch, body, hooks, backoff) is raced with
// one of these signals, so nothing outlives the deadline.
import {
  DeadlineExceededError,
  InvalidRequestError,
  RequestAbortedError,
  type RequestInfo,
  RequestTimeoutError,
  type SDKError,
} from "@sdk/errors";

/** setTimeout's largest delay (2^31 - 1 ms, ~24.8 days). */
export const MAX_TIMEOUT = 2_147_483_647;

/** A call with no `totalTimeoutMs` (client or call) ends after 2 minutes, all attempts and waits included. */
export const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;

/** Throws an InvalidRequestError unless `value` is undefined or a usable number of ms. */
export function checkTimeout(value: unknown, path: string, where: string): void {
  if (value === undefined || (typeof value === "number" && value >= 0 && value <= MAX_TIMEOUT)) return;
  // setTimeout takes Infinity, NaN or anything past 2^31 - 1 ms as 1 ms: fail now, not in 1 ms.
  throw new InvalidRequestError(where, [
    { path, expected: `a number of ms from 0 to ${MAX_TIMEOUT}`, message: "is not a usable timeout" },
  ]);
}

/**
 * `value`, or the signal's reason as soon as it aborts (the promise itself runs on). Without a signal,
 * or for a value that is already there, `value` itself: no promise is made on the common path.
 * `value` always gets a handler, even when the signal won: a rejection it settles with later (say, a
 * token request the caller stopped waiting for) is never an unhandled rejection.
 */
export function abortable<T>(value: T | PromiseLike<T>, signal: AbortSignal | undefined): T | PromiseLike<T> {
  if (!signal || typeof (value as PromiseLike<T> | undefined)?.then !== "function") return value;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    Promise.resolve(value)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** One attempt's signal and what ended it. */
export interface AttemptClock {
  readonly signal: AbortSignal;
  readonly timedOut: () => boolean;
  readonly done: () => void;
}

export class CallClock {
  readonly started = Date.now();
  readonly totalMs: number;
  readonly #user: AbortSignal | undefined;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #onUserAbort: (() => void) | undefined;
  // The abort reasons are DOMExceptions named TimeoutError (what fetch and AbortSignal.timeout use),
  // told apart by identity; made when the timer fires (most calls never need one).
  #deadline: DOMException | undefined;

  constructor(totalMs: number, user: AbortSignal | undefined) {
    this.totalMs = totalMs;
    this.#user = user;
    const controller = this.#controller;
    this.#timer = setTimeout(() => {
      this.#deadline = new DOMException(`deadline of ${totalMs} ms exceeded`, "TimeoutError");
      controller.abort(this.#deadline);
    }, totalMs);
    if (user) {
      this.#onUserAbort = () => controller.abort(user.reason);
      if (user.aborted) this.#onUserAbort();
      else user.addEventListener("abort", this.#onUserAbort, { once: true });
    }
  }

  /** Fires on the caller's abort or at the deadline. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get userAborted(): boolean {
    return this.#user?.aborted === true;
  }

  get expired(): boolean {
    return (
      this.#deadline !== undefined && this.#controller.signal.reason === this.#deadline && !this.userAborted
    );
  }

  remaining(): number {
    return this.totalMs - (Date.now() - this.started);
  }

  /** The signal of one attempt: the call's, plus `timeoutMs` when set (0 or unset: none). */
  attempt(timeoutMs: number | undefined): AttemptClock {
    if (!timeoutMs) return { signal: this.signal, timedOut: () => false, done: () => {} };
    const controller = new AbortController();
    const call = this.signal;
    const onCall = () => controller.abort(call.reason);
    if (call.aborted) onCall();
    else call.addEventListener("abort", onCall, { once: true });
    let reason: DOMException | undefined;
    const timer = setTimeout(() => {
      reason = new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError");
      controller.abort(reason);
    }, timeoutMs);
    return {
      signal: controller.signal,
      timedOut: () => reason !== undefined && controller.signal.reason === reason,
      done: () => {
        clearTimeout(timer);
        call.removeEventListener("abort", onCall);
      },
    };
  }

  /** Waits `ms`, or rejects as soon as the call's signal fires. */
  sleep(ms: number): Promise<void> {
    const signal = this.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * The typed error for a failure while a signal had fired: the caller's abort, the call's deadline or
   * the attempt's timeout, in that order. Undefined when none fired (the failure is something else).
   */
  ended(
    request: RequestInfo,
    attempts: number,
    attempt?: AttemptClock,
    timeoutMs?: number,
    cause?: unknown,
  ): SDKError | undefined {
    if (this.userAborted) return new RequestAbortedError(request, this.#user!.reason);
    if (this.expired) return new DeadlineExceededError(request, this.totalMs, attempts, { cause });
    if (attempt?.timedOut()) return new RequestTimeoutError(request, timeoutMs!, { cause });
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    if (this.#onUserAbort) this.#user!.removeEventListener("abort", this.#onUserAbort);
  }
}
