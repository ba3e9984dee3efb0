import { InvalidRequestError } from "@sdk/errors";
import { createFetch } from "ofetch";
import type { AttemptState, Pipeline } from "./attempt.js";
import { checkMaxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES } from "./body.js";
import type { ApiDescription, CallOptions, ClientOptions, FetchLike, OfetchLike } from "./config.js";
import { checkTimeout, DEFAULT_TOTAL_TIMEOUT_MS } from "./deadline.js";
import { execute } from "./execute.js";
import { type ComposedHooks, composeHooks } from "./hooks.js";
import type { InputOf, Operation, OutputOf } from "./operation.js";
import { APIPromise } from "./promise.js";
import { checkRetryConfig } from "./retry.js";
import { resolveServer } from "./url.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** The ofetch instance every attempt goes through: the user's, or one on their `fetch`. */
function transport(
  options: ClientOptions<any>,
  hooks: ComposedHooks,
  where: string,
): OfetchLike & { marksSent: boolean } {
  if (options.$fetch && options.fetch) {
    throw new InvalidRequestError(where, [
      { path: "$fetch", expected: "either `$fetch` or `fetch`", message: "cannot be set with `fetch`" },
    ]);
  }
  const userFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = (options.$fetch ?? createFetch({ fetch: userFetch })) as OfetchLike & {
    native?: FetchLike;
    create?: (defaults: object, globals: object) => OfetchLike;
  };
  if (typeof base.create !== "function" || typeof base.native !== "function") {
    if (hooks.beforeRequest) {
      throw new InvalidRequestError(where, [
        {
          path: "$fetch",
          expected: "an ofetch instance (with create and native)",
          message: "cannot run beforeRequest hooks",
        },
      ]);
    }
    return { raw: base.raw.bind(base), marksSent: false };
  }
  const native = base.native;
  const beforeRequest = hooks.beforeRequest;
  // The adapter under ofetch (below the user's own defaults and hooks, which `create` keeps): where the
  // built request is known to be sent, and where `beforeRequest` hooks see it, once per attempt.
  const adapter = (input: any, init: any): Promise<Response> => {
    const state: AttemptState = init.attempt;
    state.sent = true;
    if (!beforeRequest) return native(input, init);
    return beforeRequest(state.ctx, new Request(input, init)).then((request) =>
      // The attempt's signal, redirect mode and dispatcher again: a hook may return a new Request
      // without them, and the timeout, the caller's abort and the redirect rule must still apply.
      native(request, {
        signal: init.signal,
        redirect: "manual",
        dispatcher: init.dispatcher,
      } as RequestInit),
    );
  };
  const instance = base.create({}, { fetch: adapter });
  return { raw: instance.raw.bind(instance), marksSent: true };
}

/**
 * The transport one SDK client stands on: its API description plus the user's options. SDK "core"
 * clients extend it; standalone functions take it as their first argument.
 */
export class HttpClient<S = unknown> {
  readonly api: ApiDescription<S>;
  // Private: the options hold credentials, and `util.inspect(client, { customInspect: false })`
  // shows every own field (private fields are not shown).
  readonly #options: Readonly<ClientOptions<S>>;
  readonly #pipeline: Pipeline<S>;

  constructor(api: ApiDescription<S>, options: ClientOptions<S> = {}) {
    this.api = api;
    this.#options = { ...options };
    const where = `${api.sdk} client`;
    const serverURL = resolveServer(
      api.servers,
      options.server ?? api.defaultServer,
      options.serverURL,
      where,
    );
    checkRetryConfig(options.retries, where);
    checkTimeout(options.timeoutMs, "timeoutMs", where);
    checkTimeout(options.totalTimeoutMs, "totalTimeoutMs", where);
    checkMaxResponseBytes(options.maxResponseBytes, where);
    // Composed once per client, never per call.
    const hooks = composeHooks(options.hooks);
    const $fetch = transport(options, hooks, where);
    const logger = options.logger;
    const security = options.security;
    this.#pipeline = {
      serverURL,
      credentials: (call) => ({
        schemes: api.securitySchemes,
        // Not async: a plain value is handed back without a promise (the stage awaits either).
        read: () => {
          const source = call?.security ?? security;
          return typeof source === "function" ? (source as () => S | Promise<S>)() : source;
        },
      }),
      userAgent: options.userAgent ?? `${api.sdk}/${api.version}`,
      hooks,
      logger,
      $fetch,
      marksSent: $fetch.marksSent,
      trustsFetch: !options.fetch && !options.$fetch && !hooks.beforeRequest,
      defaults: {
        retries: options.retries,
        timeoutMs: options.timeoutMs,
        totalTimeoutMs: options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
        maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      },
    };
  }

  /** The options this client was built with (they hold credentials: not shown by inspection). */
  get options(): Readonly<ClientOptions<S>> {
    return this.#options;
  }

  /** The base URL calls go to (unless a call sets `serverURL`). */
  get serverURL(): string {
    return this.#pipeline.serverURL;
  }

  // `options` holds credentials: JSON and inspection show which API and where, nothing else.
  toJSON(): { sdk: string; serverURL: string } {
    return { sdk: `${this.api.sdk}@${this.api.version}`, serverURL: this.serverURL };
  }

  [INSPECT](): string {
    return `${this.constructor.name} ${JSON.stringify(this.toJSON())}`;
  }

  /** Runs one operation. */
  request<O extends Operation<any, any, any>>(
    operation: O,
    input: InputOf<O>,
    options?: CallOptions<S>,
  ): APIPromise<OutputOf<O>> {
    return new APIPromise(execute(this.#pipeline, operation, input, options));
  }
}
