import type { Hooks, Logger } from "./hooks.js";
import type { RetryConfig } from "./retry.js";
import type { SecurityScheme } from "./security.js";

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * An ofetch instance (`ofetch.create({...})` of ofetch 1.5 or 2.x): every attempt goes through its
 * `raw`, so its defaults, `fetch` and `onRequest`/`onResponse` hooks apply to each one.
 */
export interface OfetchLike {
  raw(request: any, options?: any): Promise<Response>;
}

/** A value, or a getter re-read for every request (so credentials can rotate). */
export type SecuritySource<S> = S | (() => S | Promise<S>);

/** What an SDK tells the transport about its API. */
export interface ApiDescription<S> {
  /** Package name and version, for the user agent. */
  sdk: string;
  version: string;
  servers: Readonly<Record<string, string>>;
  defaultServer: string;
  securitySchemes: readonly SecurityScheme<S>[];
}

export interface ClientOptions<S> {
  /** A named server of the API. */
  server?: string;
  /** Any base URL; wins over `server`. */
  serverURL?: string;
  security?: SecuritySource<S>;
  retries?: RetryConfig;
  /** Per attempt (obtaining credentials included), ms. Unset or 0: no per-attempt timeout. */
  timeoutMs?: number;
  /**
   * The whole call (every attempt, wait and credential refresh), ms: past it, a
   * `DeadlineExceededError`. Default `DEFAULT_TOTAL_TIMEOUT_MS` (2 minutes).
   */
  totalTimeoutMs?: number;
  /** The largest response body read, bytes (default 8 MiB; `Infinity` for none): past it, `ResponseTooLargeError`. */
  maxResponseBytes?: number;
  /** A custom fetch: proxies, test doubles, edge runtimes. */
  fetch?: FetchLike;
  /** Your own ofetch instance (`ofetch.create(...)`): carries every attempt, its hooks run. Not with `fetch`. */
  $fetch?: OfetchLike;
  userAgent?: string;
  hooks?: Hooks | readonly Hooks[];
  logger?: Logger;
}

export interface CallOptions<S = unknown> {
  retries?: RetryConfig;
  timeoutMs?: number;
  totalTimeoutMs?: number;
  maxResponseBytes?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  serverURL?: string;
  /** Wins over the client's security for this call. */
  security?: SecuritySource<S>;
}
