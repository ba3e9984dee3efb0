import { InvalidRequestError } from "@sdk/errors";
import * as v from "valibot";
import { toIssues } from "./validation.js";

// Stage "retry": exponential backoff with jitter, Retry-After honoured as a floor, always finite.

export interface BackoffConfig {
  /** First delay, ms. */
  initialInterval: number;
  /** Largest backoff delay, ms (a longer Retry-After is waited if the deadline allows it). */
  maxInterval: number;
  /** Growth factor between attempts. */
  exponent: number;
  /** No retry starts after this much time since the first attempt, ms. */
  maxElapsedTime: number;
}

export interface RetryConfig {
  strategy: "backoff" | "none";
  backoff?: Partial<BackoffConfig>;
  /** Retry when no response arrived (reset, refused, per-attempt timeout). */
  retryConnectionErrors?: boolean;
  /** Status codes to retry; `"5XX"`-style ranges allowed. */
  statusCodes?: readonly (number | string)[];
  /**
   * Retries after the first attempt, at most `MAX_RETRIES` (a larger value, or `Infinity`, is an
   * InvalidRequestError when the client is built or the call is made). Default `DEFAULT_MAX_RETRIES`.
   */
  maxRetries?: number;
}

/** Retries after the first attempt unless configured: 4 attempts in all. */
export const DEFAULT_MAX_RETRIES = 3;
/** No configuration retries more than this (11 attempts in all). */
export const MAX_RETRIES = 10;
/** Every retry waits at least this (with jitter, up to twice as long), whatever the backoff or Retry-After. */
export const MIN_RETRY_DELAY_MS = 100;

export interface ResolvedRetry {
  enabled: boolean;
  backoff: BackoffConfig;
  retryConnectionErrors: boolean;
  statusCodes: readonly (number | string)[];
  maxRetries: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = {
  initialInterval: 500,
  maxInterval: 60_000,
  exponent: 1.5,
  maxElapsedTime: 3_600_000,
};

/** 501 and 505 are never worth retrying: the server will not change its mind. */
export const DEFAULT_RETRY_CODES: readonly number[] = [408, 429, 500, 502, 503, 504];

const ms = v.optional(v.pipe(v.number(), v.minValue(0)));
const retryCount = v.optional(
  v.pipe(
    v.number(),
    v.check((n) => Number.isInteger(n) && n >= 0 && n <= MAX_RETRIES, `an integer from 0 to ${MAX_RETRIES}`),
  ),
);
const STATUS_CODE = /^(?:[1-5]\d\d|[1-5]XX)$/i;

/**
 * A retry configuration as a JavaScript caller may pass it. Unchecked, `initialInterval: NaN` meant
 * retrying in a tight loop (hundreds of requests a second), and `strategy: "sometimes"` or
 * `statusCodes: ["5XXX"]` silently meant nothing. (`check`s rather than `picklist`/`union`: the
 * schema reuses the valibot functions every SDK model already bundles.)
 */
const RetryConfigSchema = v.object({
  strategy: v.pipe(
    v.unknown(),
    v.check((s) => s === "backoff" || s === "none", '"backoff" or "none"'),
  ),
  backoff: v.optional(
    v.object({
      initialInterval: ms,
      maxInterval: ms,
      exponent: v.optional(v.pipe(v.number(), v.minValue(1))),
      maxElapsedTime: ms,
    }),
  ),
  statusCodes: v.optional(
    v.array(
      v.pipe(
        v.unknown(),
        v.check((code) => STATUS_CODE.test(String(code)), 'a status code (503, "503") or range ("5XX")'),
      ),
    ),
  ),
  maxRetries: retryCount,
});

/** Throws an InvalidRequestError (as `where`) naming what is wrong with `retries`, before anything is sent. */
export function checkRetryConfig(retries: unknown, where: string): void {
  if (retries === undefined) return;
  const result = v.safeParse(RetryConfigSchema, retries);
  if (!result.success) {
    const issues = toIssues(result.issues, RetryConfigSchema);
    throw new InvalidRequestError(
      where,
      issues.map((issue) => ({ ...issue, path: issue.path ? `retries.${issue.path}` : "retries" })),
    );
  }
}

/** Later layers win: operation default < client < call. */
export function resolveRetry(...layers: (RetryConfig | undefined)[]): ResolvedRetry {
  let strategy: RetryConfig["strategy"] = "none";
  let backoff = DEFAULT_BACKOFF;
  let retryConnectionErrors = false;
  let statusCodes: readonly (number | string)[] = DEFAULT_RETRY_CODES;
  let maxRetries = DEFAULT_MAX_RETRIES;
  for (const layer of layers) {
    if (!layer) continue;
    strategy = layer.strategy;
    if (layer.backoff) backoff = { ...backoff, ...layer.backoff };
    if (layer.retryConnectionErrors !== undefined) retryConnectionErrors = layer.retryConnectionErrors;
    if (layer.statusCodes) statusCodes = layer.statusCodes;
    if (layer.maxRetries !== undefined) maxRetries = layer.maxRetries;
  }
  return { enabled: strategy === "backoff", backoff, retryConnectionErrors, statusCodes, maxRetries };
}

export function matchesStatus(status: number, codes: readonly (number | string)[]): boolean {
  for (const code of codes) {
    if (code === status) return true;
    if (typeof code === "string") {
      if (code === String(status)) return true;
      if (/^[1-5]XX$/i.test(code) && Math.floor(status / 100) === Number(code[0])) return true;
    }
  }
  return false;
}

/**
 * Delay before retry number `retry` (1-based): exponential, capped, with equal jitter, and never
 * under the floor (`MIN_RETRY_DELAY_MS` to twice that, jittered).
 */
export function backoffDelay(
  retry: number,
  backoff: BackoffConfig,
  random: () => number = Math.random,
): number {
  const base = Math.min(backoff.maxInterval, backoff.initialInterval * backoff.exponent ** (retry - 1));
  const jittered = base / 2 + random() * (base / 2);
  return Math.round(Math.max(jittered, MIN_RETRY_DELAY_MS * (1 + random())));
}

/** The wait before a retry: the backoff, raised to the server's hint (a floor, never a shortcut). */
export function retryDelay(retry: number, backoff: BackoffConfig, headers: Headers | undefined): number {
  const delay = backoffDelay(retry, backoff);
  const hinted = headers ? retryAfterMs(headers) : undefined;
  return hinted === undefined ? delay : Math.max(delay, Math.ceil(hinted));
}

/**
 * The server's own wait hint: `retry-after-ms`, then `Retry-After` as seconds or an HTTP date.
 * Returns undefined when absent or unparsable.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}
