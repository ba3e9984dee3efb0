// Hooks run in this order for every attempt: security is applied, then `beforeRequest`, then the
// request is sent; then `afterSuccess` (2xx) or `afterError` (non-2xx response or no response).

/** One call, the same object for all its attempts (a key for per-call state, e.g. a tracing span). */
export interface CallContext {
  /** The operation's id, e.g. `validateApiKey`. */
  operationId: string;
  /** The SDK method, e.g. `auth.validateApiKey` (the operation's `name`, else its id). */
  operation: string;
  method: string;
  /** The URL without its query (query values may be credentials). */
  url: string;
}

/** How a call ended, for `afterCall`: `error` has passed the redaction stage. */
export interface CallOutcome {
  attempts: number;
  response: Response | undefined;
  error: unknown;
}

export interface HookContext {
  /** The operation's id, e.g. `validateApiKey`. */
  operationId: string;
  method: string;
  /** The resolved server URL this call goes to. */
  baseURL: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** The call this attempt belongs to (the same object for every attempt of a call). */
  call: CallContext;
}

export interface ErrorHookResult {
  /** A response to use instead (e.g. served from a cache); treated like a fresh one. */
  response?: Response;
  /** An error to throw instead. */
  error?: unknown;
}

// `void` in the return types is deliberate: a hook that only observes returns nothing at all.
export interface Hooks {
  /** A call starts (before its input is checked). Observers only: what it throws is ignored. */
  beforeCall?(call: CallContext): void;
  /** A call ended, in success or failure (its error already redacted). What it throws is ignored. */
  afterCall?(call: CallContext, outcome: CallOutcome): void;
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

/** Which kind of hook failed, for the error that says so. */
export class HookFailure {
  constructor(
    readonly stage: "beforeRequest" | "afterSuccess" | "afterError",
    readonly error: unknown,
  ) {}
}

/**
 * The client's hooks composed once, when the client is built: one function per stage, or undefined
 * when no hook has that stage (the pipeline then skips it without a loop or a promise). A hook that
 * throws rejects with a HookFailure naming its stage.
 */
export interface ComposedHooks {
  beforeCall: ((call: CallContext) => void) | undefined;
  afterCall: ((call: CallContext, outcome: CallOutcome) => void) | undefined;
  beforeRequest: ((ctx: HookContext, request: Request) => Promise<Request>) | undefined;
  afterSuccess: ((ctx: HookContext, response: Response) => Promise<Response>) | undefined;
  /**
   * Each hook in turn may replace the outcome: `settle` turns a replacement response into the error
   * it means (null for a success), and a success ends the loop.
   */
  afterError:
    | ((
        ctx: HookContext,
        outcome: { response: Response | undefined; error: unknown },
        settle: (response: Response) => Promise<unknown>,
      ) => Promise<{ response: Response | undefined; error: unknown }>)
    | undefined;
}

export function composeHooks(hooks: Hooks | readonly Hooks[] | undefined): ComposedHooks {
  const list = hookList(hooks);
  const before = list.filter((h) => h.beforeRequest);
  const success = list.filter((h) => h.afterSuccess);
  const failure = list.filter((h) => h.afterError);
  const starts = list.filter((h) => h.beforeCall);
  const ends = list.filter((h) => h.afterCall);
  return {
    // Observers: telemetry must not fail a call.
    beforeCall: starts.length
      ? (call) => {
          for (const hook of starts) {
            try {
              hook.beforeCall!(call);
            } catch {}
          }
        }
      : undefined,
    afterCall: ends.length
      ? (call, outcome) => {
          for (const hook of ends) {
            try {
              hook.afterCall!(call, outcome);
            } catch {}
          }
        }
      : undefined,
    beforeRequest: before.length
      ? async (ctx, request) => {
          for (const hook of before) {
            let replaced: unknown;
            try {
              replaced = await hook.beforeRequest!(ctx, request);
            } catch (error) {
              throw new HookFailure("beforeRequest", error);
            }
            // Any Request-like (a polyfill's, another realm's): what fetch needs is a URL to send to.
            if (replaced !== undefined && typeof (replaced as Request | null)?.url !== "string") {
              throw new HookFailure(
                "beforeRequest",
                new TypeError("a beforeRequest hook must return a Request or nothing"),
              );
            }
            request = (replaced as Request | undefined) ?? request;
          }
          return request;
        }
      : undefined,
    afterSuccess: success.length
      ? async (ctx, response) => {
          for (const hook of success) {
            try {
              const replaced = await hook.afterSuccess!(ctx, response);
              if (replaced) response = replaced;
            } catch (error) {
              throw new HookFailure("afterSuccess", error);
            }
          }
          return response;
        }
      : undefined,
    afterError: failure.length
      ? async (ctx, outcome, settle) => {
          let { response, error } = outcome;
          for (const hook of failure) {
            let result: Awaited<ReturnType<NonNullable<Hooks["afterError"]>>>;
            try {
              result = await hook.afterError!(ctx, response, error);
            } catch (hookError) {
              throw new HookFailure("afterError", hookError);
            }
            if (result?.error !== undefined) throw new HookFailure("afterError", result.error);
            if (result?.response) {
              response = result.response;
              error = await settle(response);
              if (error === null) break;
            }
          }
          return { response, error };
        }
      : undefined,
  };
}
