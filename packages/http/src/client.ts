import { InvalidRequestError } from "@sdk/errors";
import { createFetch } from "ofetch";
import type { ApiDescription, CallOptions, ClientOptions, FetchLike } from "./config.js";
import { type AttemptState, type ExecutorContext, execute, type ResponseMeta } from "./execute.js";
import { hookList } from "./hooks.js";
import type { InputOf, ItemOf, Operation, OutputOf } from "./operation.js";
import { PagePromise } from "./pagination.js";
import { APIPromise } from "./promise.js";
import { checkRetryConfig } from "./retry.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * An absolute http(s) URL, or a typed error before anything is sent (fetch would otherwise fail with
 * a bare TypeError, read as a connection error). The value is not quoted: a URL may carry credentials.
 */
function checkServerURL(url: unknown, where: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {}
  if (parsed && (parsed.username || parsed.password)) {
    // fetch refuses such a URL, and every error and log line would show the password: credentials
    // go in `security`.
    throw new InvalidRequestError(where, [
      {
        path: "serverURL",
        expected: "a URL without user name or password",
        received: "string",
        message: "must not contain credentials (set them in `security`)",
      },
    ]);
  }
  const protocol = parsed?.protocol;
  if (protocol !== "http:" && protocol !== "https:") {
    throw new InvalidRequestError(where, [
      {
        path: "serverURL",
        expected: "an absolute http(s) URL",
        received: typeof url,
        message: "must be an absolute http:// or https:// URL",
      },
    ]);
  }
  return url as string;
}

/**
 * The transport one SDK client stands on: its API description plus the user's options. SDK "core"
 * clients extend it; standalone functions take it as their first argument.
 */
export class HttpClient<S = unknown> {
  readonly api: ApiDescription<S>;
  readonly options: Readonly<ClientOptions<S>>;
  readonly #executor: ExecutorContext<S>;
  readonly #serverURL: string;

  constructor(api: ApiDescription<S>, options: ClientOptions<S> = {}) {
    this.api = api;
    this.options = { ...options };
    const name = options.server ?? api.defaultServer;
    // Own keys only: `server: "toString"` must not pick up Object.prototype.toString.
    const serverURL = options.serverURL ?? (Object.hasOwn(api.servers, name) ? api.servers[name] : undefined);
    if (serverURL === undefined) {
      const names = Object.keys(api.servers).join(", ");
      throw new InvalidRequestError(`${api.sdk} client`, [
        { path: "server", expected: names, message: `unknown server; expected one of ${names}` },
      ]);
    }
    this.#serverURL = checkServerURL(serverURL, `${api.sdk} client`);
    checkRetryConfig(options.retries, `${api.sdk} client`);
    const userFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const hooks = hookList(options.hooks);
    const hasBeforeRequest = hooks.some((h) => h.beforeRequest);
    // ofetch adds the query to the URL and serializes the JSON body (execute.ts reads the body); the
    // adapter below is where the built request meets `beforeRequest` hooks (once per attempt, as a
    // Request) and then the user's fetch.
    const $fetch = createFetch({
      fetch: async (url: any, init: any) => {
        const attempt: AttemptState = init.attempt;
        attempt.sent = true;
        // Redirects are not followed: fetch would send the API key (any header but Authorization) on
        // to whatever host a 3xx names. A 3xx is an APIError that says so.
        const clean: RequestInit = { method: init.method, headers: init.headers, redirect: "manual" };
        if (init.body !== undefined) clean.body = init.body;
        if (init.signal) clean.signal = init.signal;
        if (!hasBeforeRequest) return userFetch(url, clean);
        let request = new Request(url, clean);
        try {
          for (const hook of hooks) {
            if (!hook.beforeRequest) continue;
            const replaced = await hook.beforeRequest(attempt.ctx, request);
            // Any Request-like (a polyfill's, another realm's): what fetch needs is a URL to send to.
            if (replaced !== undefined && typeof (replaced as Request | null)?.url !== "string") {
              throw new TypeError("a beforeRequest hook must return a Request or nothing");
            }
            request = replaced ?? request;
          }
        } catch (error) {
          attempt.hookError = error;
          throw error;
        }
        // The attempt's signal and redirect mode again: a hook may return a new Request without them,
        // and the timeout, the caller's abort and the redirect rule must still apply.
        return userFetch(
          request,
          clean.signal ? { signal: clean.signal, redirect: "manual" } : { redirect: "manual" },
        );
      },
    });
    const security = options.security;
    this.#executor = {
      baseURL: (callServerURL, operationId) =>
        callServerURL === undefined ? serverURL : checkServerURL(callServerURL, operationId),
      schemes: api.securitySchemes,
      // Not async: a plain value is handed back without a promise (execute awaits either).
      security: (call) => {
        const source = call?.security ?? security;
        return typeof source === "function" ? (source as () => S | Promise<S>)() : source;
      },
      retries: options.retries,
      timeoutMs: options.timeoutMs,
      userAgent: options.userAgent ?? `${api.sdk}/${api.version}`,
      hooks,
      logger: options.logger,
      // No wrapper: execute.ts passes ofetch's options as one literal (why: see there).
      mayIgnoreSignal: options.fetch !== undefined || hasBeforeRequest,
      send: $fetch.raw as ExecutorContext<S>["send"],
    };
  }

  /** The base URL calls go to (unless a call sets `serverURL`). */
  get serverURL(): string {
    return this.#serverURL;
  }

  // `options` holds credentials: JSON and inspection show which API and where, nothing else.
  toJSON(): { sdk: string; serverURL: string } {
    return { sdk: `${this.api.sdk}@${this.api.version}`, serverURL: this.#serverURL };
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
    return new APIPromise(execute(this.#executor, operation, input, options));
  }

  /** Runs a cursor-paginated operation: awaitable first page, async-iterable items. */
  paginate<O extends Operation<any, any, any>>(
    operation: O,
    input: InputOf<O>,
    options?: CallOptions<S>,
  ): PagePromise<OutputOf<O>, ItemOf<O>> {
    const pagination = operation.pagination;
    if (!pagination) {
      throw new InvalidRequestError(operation.id, [
        {
          path: "operation.pagination",
          expected: "a cursor pagination",
          message: "is not a paginated operation",
        },
      ]);
    }
    const base = (input ?? {}) as Record<string, unknown>;
    const fetchPage = (token: string | undefined): Promise<ResponseMeta<OutputOf<O>>> =>
      execute(this.#executor, operation, { ...base, [pagination.inputToken]: token }, options);
    let firstToken: string | undefined;
    try {
      firstToken = base[pagination.inputToken] as string | undefined;
    } catch {
      // A getter that throws: the first page's input check reports it, typed.
    }
    return new PagePromise(
      execute(this.#executor, operation, input, options),
      fetchPage,
      pagination,
      firstToken,
      operation.id,
    );
  }
}
