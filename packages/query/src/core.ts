// What the `auth` and `iam` entries share: the shape of query keys and of the options they return.
// Nothing here imports an SDK, so `@sdk/query/iam` never loads `@sdk/auth` (and the reverse).
import type { DataTag, InfiniteData, QueryFunctionContext, QueryKey } from "@tanstack/query-core";

/**
 * Where a key's data comes from: the server's base URL and, when one QueryClient serves several
 * identities, the caller's `scope`. Never a credential.
 */
export interface KeyOrigin {
  /** The base URL calls go to (the call's `serverURL`, or the client's), without user info or query. */
  server: string;
  /** The caller's label for whose data this is (e.g. a workspace slug); absent unless given. */
  scope?: string;
}

/**
 * Every key is `[sdk, origin, operation, params]` (infinite queries add `"infinite"`), so a prefix
 * selects all of an SDK (`[sdk]`), of a server (`[sdk, { server }]`, matched partially) or of an operation.
 */
export type SdkQueryKey<Op extends string = string, P extends object = object> =
  | readonly [sdk: string, origin: KeyOrigin, operation: Op, params: P]
  | readonly [sdk: string, origin: KeyOrigin, operation: Op, params: P, kind: "infinite"];

/** What the factories take besides the operation's input: the SDK's per-call options minus `signal`. */
export type FactoryOptions<CallOpts> = Omit<CallOpts, "signal"> & {
  /**
   * Partitions the cache when one QueryClient serves several identities (credentials are never part
   * of a key, so two API keys on one server would otherwise share entries). Not a secret: it is
   * shown in keys, devtools and dehydrated state.
   */
  scope?: string;
};

/** Options for `useQuery` / `queryClient.fetchQuery`; spread them to add `staleTime`, `select`, ... */
export interface SdkQueryOptions<TData, TKey extends QueryKey, TError> {
  queryKey: DataTag<TKey, TData, TError>;
  queryFn: (context: QueryFunctionContext<TKey>) => Promise<TData>;
  /** `false`: the SDK's own retry policy (Retry-After, idempotency, per operation) already ran. */
  retry: false;
}

/** Options for `useInfiniteQuery` / `InfiniteQueryObserver`; the page param is the page token. */
export interface SdkInfiniteQueryOptions<TPage, TKey extends QueryKey, TError> {
  queryKey: DataTag<TKey, InfiniteData<TPage, string>, TError>;
  queryFn: (context: QueryFunctionContext<TKey, string>) => Promise<TPage>;
  /** The first page's token; `""` is the first page of the listing. */
  initialPageParam: string;
  getNextPageParam: (
    lastPage: TPage,
    allPages: TPage[],
    lastPageParam: string,
    allPageParams: string[],
  ) => string | undefined;
  retry: false;
}

/** Options for `useMutation` / `MutationObserver`. The key names the server and operation only. */
export interface SdkMutationOptions<TData, TVariables> {
  mutationKey: readonly [sdk: string, origin: KeyOrigin, operation: string];
  mutationFn: (variables: TVariables) => Promise<TData>;
  /** `false` (TanStack's default for mutations too): the SDK's own retry policy already ran. */
  retry: false;
  /**
   * `0` for what mints a token: the mutation (its variables, e.g. a JWS, and the token it returned)
   * leaves the mutation cache as soon as no observer (no `useMutation`) holds it.
   */
  gcTime?: number;
}

/**
 * The server as keys show it: origin and path of the URL, without user info, query or fragment (a
 * URL may carry a credential; the SDK refuses such a URL, but the key would be stored first).
 */
export function keyServer(serverURL: string): string {
  let url: URL;
  try {
    url = new URL(serverURL);
  } catch {
    // The call will fail with the SDK's typed error; the key must not show what it was given.
    return "(invalid server URL)";
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** What keys read from the factory options: the call's server and the caller's scope. */
export interface KeyOptions {
  serverURL?: string | undefined;
  scope?: string | undefined;
}

/** The origin part of a key: the call's server (or the client's) and the caller's scope. */
export function keyOrigin(client: { readonly serverURL: string }, options?: KeyOptions): KeyOrigin {
  const origin: KeyOrigin = { server: keyServer(options?.serverURL ?? client.serverURL) };
  if (options?.scope !== undefined) origin.scope = options.scope;
  return origin;
}

/** Only the fields an operation reads, in a fixed order, none undefined: same input, same key. */
export function keyParams<T extends object>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** The SDK's per-call options: everything given but `scope`, plus the query's `signal`. */
type CallOf<O> = Omit<O, "scope"> & { signal?: AbortSignal };

function callOptions<O extends KeyOptions>(options: O | undefined, signal?: AbortSignal): CallOf<O> {
  const { scope: _scope, ...rest } = options ?? ({} as O);
  return (signal ? { ...rest, signal } : rest) as CallOf<O>;
}

type Client = { readonly serverURL: string };
type Key<Op extends string, P extends object> = readonly [string, KeyOrigin, Op, P];
type InfiniteKey<Op extends string, P extends object> = readonly [string, KeyOrigin, Op, P, "infinite"];

/**
 * The three option builders of one SDK (`sdk` names it in keys), typed with its error class. Each
 * SDK entry (`auth.ts`, `iam.ts`) declares its operations with them in a few lines.
 */
export function optionsBuilders<TError, Sdk extends string = string>(sdk: Sdk) {
  return {
    /** The key prefix of every query of this SDK on a client's server (and scope). */
    prefix(client: Client, options?: KeyOptions): readonly [sdk: Sdk, origin: KeyOrigin] {
      return [sdk, keyOrigin(client, options)];
    },

    query<TData, Op extends string, P extends object, O extends KeyOptions>(
      client: Client,
      operation: Op,
      params: P,
      options: O | undefined,
      run: (call: CallOf<O>) => PromiseLike<TData>,
    ): SdkQueryOptions<TData, Key<Op, P>, TError> {
      const queryKey: Key<Op, P> = [sdk, keyOrigin(client, options), operation, keyParams(params)];
      return {
        queryKey: queryKey as DataTag<Key<Op, P>, TData, TError>,
        // The query's signal is aborted when TanStack cancels it (`cancelQueries`, an unmount with
        // no other observer): the SDK then aborts the request.
        queryFn: async ({ signal }) => run(callOptions(options, signal)),
        retry: false,
      };
    },

    infiniteQuery<TPage, Op extends string, P extends object, O extends KeyOptions>(
      client: Client,
      operation: Op,
      params: P,
      options: O | undefined,
      page: {
        /** The first page's token (`""`: the first page of the listing). */
        initial: string | undefined;
        /** The next page's token in a page; empty or absent on the last page. */
        next: (page: TPage) => string | null | undefined;
        /** Fetches one page; `token` is undefined for the listing's first page. */
        run: (token: string | undefined, call: CallOf<O>) => PromiseLike<TPage>;
      },
    ): SdkInfiniteQueryOptions<TPage, InfiniteKey<Op, P>, TError> {
      const queryKey: InfiniteKey<Op, P> = [
        sdk,
        keyOrigin(client, options),
        operation,
        keyParams(params),
        "infinite",
      ];
      return {
        queryKey: queryKey as DataTag<InfiniteKey<Op, P>, InfiniteData<TPage, string>, TError>,
        queryFn: async ({ signal, pageParam }) =>
          page.run(pageParam || undefined, callOptions(options, signal)),
        initialPageParam: page.initial ?? "",
        // Pages are fetched one `fetchNextPage()` at a time (a refetch re-walks only the pages already
        // loaded; `maxPages` caps them). A token the server already gave ends the listing instead of
        // serving the same page forever.
        getNextPageParam: (last, _all, _lastParam, allParams) => {
          const token = page.next(last);
          return token && !allParams.includes(token) ? token : undefined;
        },
        retry: false,
      };
    },

    mutation<TData, TVariables, O extends KeyOptions>(
      client: Client,
      operation: string,
      options: O | undefined,
      run: (variables: TVariables, call: CallOf<O>) => PromiseLike<TData>,
      mints?: "mints a token",
    ): SdkMutationOptions<TData, TVariables> {
      return {
        mutationKey: [sdk, keyOrigin(client, options), operation],
        mutationFn: async (variables) => run(variables, callOptions(options)),
        retry: false,
        ...(mints ? { gcTime: 0 } : {}),
      };
    },
  };
}
