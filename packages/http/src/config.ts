import type { Hooks, Logger } from "./hooks.js";
import type { RetryConfig } from "./retry.js";
import type { SecurityScheme } from "./security.js";

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

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
  /** Per attempt, ms. Unset: no timeout. */
  timeoutMs?: number;
  /** A custom fetch: proxies, test doubles, edge runtimes. */
  fetch?: FetchLike;
  userAgent?: string;
  hooks?: Hooks | readonly Hooks[];
  logger?: Logger;
}

export interface CallOptions<S = unknown> {
  retries?: RetryConfig;
  timeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  serverURL?: string;
  /** Wins over the client's security for this call. */
  security?: SecuritySource<S>;
}
