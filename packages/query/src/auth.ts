// TanStack Query options for @sdk/auth. Reads are queries; what mints a token or counts a generation
// is a mutation, so a refetch (on focus, on mount, on an interval) can never do either.
import {
  type AccessDetails,
  type AccessToken,
  type ApiKeyDetails,
  type AuthCore,
  type AuthSecurity,
  type CallOptions,
  type GetAccessInput,
  type GetAccessTokenInput,
  getAccess,
  getAccessToken,
  getUser,
  type SDKError,
  type User,
  validateApiKey,
} from "@sdk/auth";
import { type FactoryOptions, type KeyOrigin, optionsBuilders } from "./core.js";

// Re-exported: the factories' signatures name them, so each entry is complete on its own.
export type {
  FactoryOptions,
  KeyOrigin,
  SdkInfiniteQueryOptions,
  SdkMutationOptions,
  SdkQueryOptions,
} from "./core.js";

/** The SDK's per-call options (but `signal`: the query's is used) plus an optional cache `scope`. */
export type AuthQueryOptions = FactoryOptions<CallOptions<AuthSecurity>>;

const SDK = "@sdk/auth";
const build = optionsBuilders<SDKError, typeof SDK>(SDK);

/**
 * The key prefix of every @sdk/auth query on this client's server (and scope): pass it to
 * `invalidateQueries` / `removeQueries` (it matches partially).
 */
export function authQueryKey(
  client: AuthCore,
  options?: Pick<AuthQueryOptions, "serverURL" | "scope">,
): readonly [sdk: "@sdk/auth", origin: KeyOrigin] {
  return build.prefix(client, options);
}

/** `validateApiKey`: the workspace the current credential belongs to. */
export function validateApiKeyQueryOptions(client: AuthCore, options?: AuthQueryOptions) {
  return build.query<ApiKeyDetails, "validateApiKey", {}, AuthQueryOptions>(
    client,
    "validateApiKey",
    {},
    options,
    (call) => validateApiKey(client, call),
  );
}

/** `getUser`: the user the current credential belongs to. */
export function getUserQueryOptions(client: AuthCore, options?: AuthQueryOptions) {
  return build.query<User, "getUser", {}, AuthQueryOptions>(client, "getUser", {}, options, (call) =>
    getUser(client, call),
  );
}

/** What the `getAccess` query reads: `passive` is always on (see `getAccessQueryOptions`). */
export type GetAccessQueryInput = Omit<NonNullable<GetAccessInput>, "passive">;

/**
 * `getAccess` as a read: always sent with `passive: true`, so fetching it (and every refetch) never
 * counts a generation. To check and count one run of the CLI, use `getAccessMutationOptions`.
 */
export function getAccessQueryOptions(
  client: AuthCore,
  input?: GetAccessQueryInput,
  options?: AuthQueryOptions,
) {
  const params = { genLockId: input?.genLockId, targetType: input?.targetType, passive: true as const };
  return build.query<AccessDetails, "getAccess", typeof params, AuthQueryOptions>(
    client,
    "getAccess",
    params,
    options,
    (call) => getAccess(client, params, call),
  );
}

/**
 * `getAccess` as a change: counts a generation unless the variables say `passive: true`. Not cached;
 * invalidate `getAccessQueryOptions(...).queryKey` after it to refresh a passive read.
 */
export function getAccessMutationOptions(client: AuthCore, options?: AuthQueryOptions) {
  return build.mutation<AccessDetails, GetAccessInput | undefined, AuthQueryOptions>(
    client,
    "getAccess",
    options,
    (input, call) => getAccess(client, input, call),
  );
}

/**
 * `getAccessToken`: mints (or refreshes) a workspace access token, so it is a mutation: a token in
 * the query cache would be shown by devtools, kept in dehydrated state and refetched on focus.
 */
export function getAccessTokenMutationOptions(client: AuthCore, options?: AuthQueryOptions) {
  return build.mutation<AccessToken, GetAccessTokenInput, AuthQueryOptions>(
    client,
    "getAccessToken",
    options,
    (input, call) => getAccessToken(client, input, call),
    "mints a token",
  );
}
