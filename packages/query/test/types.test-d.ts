import type { AccessToken, ApiKeyDetails, AuthClient, SDKError, User } from "@sdk/auth";
import type { IamClient, ListSigningKeysResponse, Token } from "@sdk/iam";
import {
  getAccessMutationOptions,
  getAccessQueryOptions,
  getAccessTokenMutationOptions,
  getUserQueryOptions,
  validateApiKeyQueryOptions,
} from "@sdk/query/auth";
import {
  generateServiceAccountTokenMutationOptions,
  listSigningKeysInfiniteQueryOptions,
  listSigningKeysQueryOptions,
} from "@sdk/query/iam";
import {
  type InfiniteData,
  type InfiniteQueryObserverOptions,
  MutationObserver,
  type QueryClient,
  type QueryObserverOptions,
} from "@tanstack/query-core";
import { describe, expectTypeOf, it } from "vitest";

declare const qc: QueryClient;
declare const auth: AuthClient;
declare const iam: IamClient;

describe("query options", () => {
  it("type the data by their key and their query function", () => {
    expectTypeOf(qc.getQueryData(validateApiKeyQueryOptions(auth).queryKey)).toEqualTypeOf<
      ApiKeyDetails | undefined
    >();
    expectTypeOf(qc.fetchQuery(getUserQueryOptions(auth))).resolves.toEqualTypeOf<User>();
    expectTypeOf(
      qc.fetchQuery(listSigningKeysQueryOptions(iam)),
    ).resolves.toEqualTypeOf<ListSigningKeysResponse>();
    expectTypeOf(qc.fetchInfiniteQuery(listSigningKeysInfiniteQueryOptions(iam))).resolves.toEqualTypeOf<
      InfiniteData<ListSigningKeysResponse, string>
    >();
    expectTypeOf(qc.getQueryData(listSigningKeysInfiniteQueryOptions(iam).queryKey)).toEqualTypeOf<
      InfiniteData<ListSigningKeysResponse, string> | undefined
    >();
  });

  it("carry the SDK's error type in the key", () => {
    expectTypeOf(
      qc.getQueryState(validateApiKeyQueryOptions(auth).queryKey)!.error,
    ).toEqualTypeOf<SDKError | null>();
  });

  it("are what QueryObserver / useQuery and InfiniteQueryObserver / useInfiniteQuery take", () => {
    const a = validateApiKeyQueryOptions(auth);
    expectTypeOf(a).toExtend<
      QueryObserverOptions<ApiKeyDetails, SDKError, ApiKeyDetails, ApiKeyDetails, typeof a.queryKey>
    >();
    const i = listSigningKeysInfiniteQueryOptions(iam);
    expectTypeOf(i).toExtend<
      InfiniteQueryObserverOptions<
        ListSigningKeysResponse,
        SDKError,
        InfiniteData<ListSigningKeysResponse, string>,
        typeof i.queryKey,
        string
      >
    >();
  });

  it("getAccess as a query takes no `passive` (it is always passive)", () => {
    getAccessQueryOptions(auth, { genLockId: "g" });
    // @ts-expect-error passive is not an input of the query
    getAccessQueryOptions(auth, { passive: false });
  });

  it("take the SDK's call options but not a signal (the query's is used)", () => {
    validateApiKeyQueryOptions(auth, { timeoutMs: 1000, headers: { "x-trace": "1" }, scope: "acme" });
    // @ts-expect-error signal comes from the query
    validateApiKeyQueryOptions(auth, { signal: new AbortController().signal });
  });
});

describe("mutation options", () => {
  it("type the variables and the result", () => {
    const token = new MutationObserver(qc, getAccessTokenMutationOptions(auth));
    expectTypeOf(token.mutate).parameter(0).toEqualTypeOf<{ workspaceId: string }>();
    expectTypeOf(token.mutate({ workspaceId: "w" })).resolves.toEqualTypeOf<AccessToken>();
    const access = new MutationObserver(qc, getAccessMutationOptions(auth));
    access.mutate({ genLockId: "g", passive: false });
    const exchange = new MutationObserver(qc, generateServiceAccountTokenMutationOptions(iam));
    expectTypeOf(exchange.mutate({ jws: "a.b.c" })).resolves.toEqualTypeOf<Token>();
  });
});
