// Hooks run in this order for every attempt: security is applied, then `beforeRequest`, then the
// request is sent; then `afterSuccess` (2xx) or `afterError` (non-2xx response or no response).

export interface HookContext {
  /** The operation's id, e.g. `validateApiKey`. */
  operationId: string;
  method: string;
  /** The resolved server URL this call goes to. */
  baseURL: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

export interface ErrorHookResult {
  /** A response to use instead (e.g. served from a cache); treated like a fresh one. */
  response?: Response;
  /** An error to throw instead. */
  error?: unknown;
}

// `void` in the return types is deliberate: a hook that only observes returns nothing at all.
export interface Hooks {
  /** May return a changed or new Request; runs after security is applied, once per attempt. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an observing hook returns nothing (see above)
  beforeRequest?(ctx: HookContext, request: Request): Request | void | Promise<Request | void>;
  /** A 2xx response arrived; may return a replacement. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an observing hook returns nothing (see above)
  afterSuccess?(ctx: HookContext, response: Response): Response | void | Promise<Response | void>;
  /** A non-2xx response, or no response (`response` undefined); may replace either. */
  afterError?(
    ctx: HookContext,
    response: Response | undefined,
    error: unknown,
    // biome-ignore lint/suspicious/noConfusingVoidType: an observing hook returns nothing (see above)
  ): ErrorHookResult | void | Promise<ErrorHookResult | void>;
}

/** Opt-in debug logging; `console` fits. Lines never contain credentials. */
export interface Logger {
  debug(message: string, ...data: unknown[]): void;
}

export function hookList(hooks: Hooks | readonly Hooks[] | undefined): readonly Hooks[] {
  if (!hooks) return [];
  return Array.isArray(hooks) ? hooks : [hooks as Hooks];
}
