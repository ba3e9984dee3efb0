// TanStack Query options for @sdk/iam: the signing-key listing is a query (one page) or an infinite
// query (page after page); the token exchange mints a token, so it is a mutation.
import {
  type CallOptions,
  type GenerateServiceAccountTokenInput,
  generateServiceAccountToken,
  type IamCore,
  type IamSecurity,
  type ListSigningKeysInput,
  type ListSigningKeysResponse,
  listSigningKeys,
  type SDKError,
  type Token,
} from "@sdk/iam";
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
export type IamQueryOptions = FactoryOptions<CallOptions<IamSecurity>>;

const SDK = "@sdk/iam";
const build = optionsBuilders<SDKError, typeof SDK>(SDK);

/**
 * The key prefix of every @sdk/iam query on this client's server (and scope): pass it to
 * `invalidateQueries` / `removeQueries` (it matches partially).
 */
export function iamQueryKey(
  client: IamCore,
  options?: Pick<IamQueryOptions, "serverURL" | "scope">,
): readonly [sdk: "@sdk/iam", origin: KeyOrigin] {
  return build.prefix(client, options);
}

/** What a listing's key holds: the page size and the start token (`""` and none: the first page). */
function pageParams(input: ListSigningKeysInput | undefined) {
  return { pageSize: input?.pageSize, pageToken: input?.pageToken || undefined };
}

/** `listSigningKeys`: one page (`pageToken` absent or `""`: the first). */
export function listSigningKeysQueryOptions(
  client: IamCore,
  input?: ListSigningKeysInput,
  options?: IamQueryOptions,
) {
  const params = pageParams(input);
  return build.query<ListSigningKeysResponse, "listSigningKeys", typeof params, IamQueryOptions>(
    client,
    "listSigningKeys",
    params,
    options,
    // Awaiting the SDK's page promise fetches that one page, never the next.
    (call) => listSigningKeys(client, params, call),
  );
}

/** What the infinite listing reads: the page size, and where to start (default: the first page). */
export type ListSigningKeysInfiniteInput = ListSigningKeysInput;

/**
 * `listSigningKeys` page after page: `fetchNextPage()` fetches the page its last page's
 * `nextPageToken` names; `hasNextPage` is false after the last one. `data.pages[i].keys` holds the keys.
 */
export function listSigningKeysInfiniteQueryOptions(
  client: IamCore,
  input?: ListSigningKeysInfiniteInput,
  options?: IamQueryOptions,
) {
  const params = pageParams(input);
  return build.infiniteQuery<ListSigningKeysResponse, "listSigningKeys", typeof params, IamQueryOptions>(
    client,
    "listSigningKeys",
    params,
    options,
    {
      initial: params.pageToken,
      next: (page) => page.nextPageToken,
      run: (pageToken, call) => listSigningKeys(client, { pageSize: params.pageSize, pageToken }, call),
    },
  );
}

/**
 * `generateServiceAccountToken`: exchanges a signed JWS for an access token. A mutation: a token must
 * not sit in the query cache (devtools, dehydrated state) or be minted again by a refetch.
 */
export function generateServiceAccountTokenMutationOptions(client: IamCore, options?: IamQueryOptions) {
  return build.mutation<Token, GenerateServiceAccountTokenInput, IamQueryOptions>(
    client,
    "generateServiceAccountToken",
    options,
    (input, call) => generateServiceAccountToken(client, input, call),
    "mints a token",
  );
}
