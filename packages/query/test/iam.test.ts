import {
  APIError,
  parseServiceAccountCredentials,
  RequestAbortedError,
  StatusError,
  signServiceAccountJws,
} from "@sdk/iam";
import {
  generateServiceAccountTokenMutationOptions,
  iamQueryKey,
  listSigningKeysInfiniteQueryOptions,
  listSigningKeysQueryOptions,
} from "@sdk/query/iam";
import { hashKey, InfiniteQueryObserver, isCancelledError, MutationObserver } from "@tanstack/query-core";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  abortMidRequest,
  countRoute,
  iamClient,
  leaked,
  observedFetch,
  rejectionOf,
  seededSecrets,
  useMockApi,
  useQueryClient,
} from "./helpers.js";

const KEYS = "GET /iam/v1/keys";
const TOKEN = "POST /iam/v1/serviceAccounts:generateAccessToken";

const mock = useMockApi();
const qc = useQueryClient();

/** What a mounted useInfiniteQuery runs: a subscribed observer (until the test ends), first page fetched. */
async function mountedListing(pageSize: number) {
  const options = listSigningKeysInfiniteQueryOptions(iamClient(mock.server), { pageSize });
  const observer = new InfiniteQueryObserver(qc.client, options);
  onTestFinished(observer.subscribe(() => {}));
  await observer.refetch();
  return observer;
}

describe("listSigningKeys as an infinite query", () => {
  it("pages through every key with fetchNextPage, one request per page, then stops", async () => {
    const { server } = mock;
    const observer = await mountedListing(100);
    let result = observer.getCurrentResult();
    expect(result.data?.pages).toHaveLength(1);
    expect(result.hasNextPage).toBe(true);
    while (result.hasNextPage) result = await observer.fetchNextPage();
    const pages = result.data!.pages;
    expect(pages.map((p) => p.keys.length)).toEqual([100, 100, 50]);
    expect(result.data!.pageParams).toEqual(["", pages[0]!.nextPageToken, pages[1]!.nextPageToken]);
    const kids = pages.flatMap((p) => p.keys.map((k) => k.kid));
    expect(new Set(kids).size).toBe(server.issuer.keyCount);
    for (const kid of server.issuer.signingKids) expect(kids).toContain(kid);
    expect(countRoute(server, KEYS)).toBe(3);
    // The first page went without a token; each next one with its predecessor's.
    const tokens = server.requests.filter((r) => r.route === KEYS).map((r) => r.query.page_token);
    expect(tokens).toEqual([undefined, pages[0]!.nextPageToken, pages[1]!.nextPageToken]);

    // Cached: a second reader of the same key sees the same pages without a request.
    const options = listSigningKeysInfiniteQueryOptions(iamClient(server), { pageSize: 100 });
    const again = await qc.client.fetchInfiniteQuery({ ...options, staleTime: 60_000 });
    expect(again.pages).toBe(pages);
    expect(countRoute(server, KEYS)).toBe(3);
  });

  it("stops when the server repeats a page token instead of serving the same page forever", () => {
    const options = listSigningKeysInfiniteQueryOptions(iamClient(mock.server));
    const page = { keys: [], nextPageToken: "t1" };
    expect(options.getNextPageParam(page, [page], "", [""])).toBe("t1");
    expect(options.getNextPageParam(page, [page, page], "t1", ["", "t1"])).toBeUndefined();
    expect(options.getNextPageParam({ keys: [] }, [page], "t1", ["", "t1"])).toBeUndefined();
    expect(options.getNextPageParam({ keys: [], nextPageToken: "" }, [page], "", [""])).toBeUndefined();
  });

  it("starts from a given page token, under its own key", async () => {
    const { server } = mock;
    const client = iamClient(server);
    const first = await qc.client.fetchQuery(listSigningKeysQueryOptions(client, { pageSize: 200 }));
    const from = listSigningKeysInfiniteQueryOptions(client, {
      pageSize: 200,
      pageToken: first.nextPageToken,
    });
    expect(from.initialPageParam).toBe(first.nextPageToken);
    const data = await qc.client.fetchInfiniteQuery(from);
    expect(data.pages[0]!.keys).toHaveLength(50);
    expect(data.pages[0]!.nextPageToken ?? "").toBe("");
    expect(hashKey(from.queryKey)).not.toBe(
      hashKey(listSigningKeysInfiniteQueryOptions(client, { pageSize: 200 }).queryKey),
    );
  });

  it("a failing page is the SDK's typed error; the pages before it stay", async () => {
    const { server } = mock;
    const observer = await mountedListing(100);
    server.faults.add({ kind: "status", status: 500, route: KEYS });
    const result = await observer.fetchNextPage();
    expect(result.error).toBeInstanceOf(StatusError);
    expect((result.error as StatusError).status).toBe(500);
    expect(result.data?.pages).toHaveLength(1);
    expect(countRoute(server, KEYS)).toBe(2); // no retry on top of the SDK's policy
  });
});

describe("listSigningKeys as a query", () => {
  it("fetches one page, caches it, and keys it by page size and token", async () => {
    const { server } = mock;
    const client = iamClient(server);
    const page = await qc.client.fetchQuery({
      ...listSigningKeysQueryOptions(client, { pageSize: 10 }),
      staleTime: 60_000,
    });
    expect(page.keys).toHaveLength(10);
    await qc.client.fetchQuery({
      ...listSigningKeysQueryOptions(client, { pageSize: 10 }),
      staleTime: 60_000,
    });
    expect(countRoute(server, KEYS)).toBe(1);
    const keys = [
      listSigningKeysQueryOptions(client).queryKey,
      listSigningKeysQueryOptions(client, { pageToken: "" }).queryKey,
      listSigningKeysQueryOptions(client, { pageSize: 10 }).queryKey,
      listSigningKeysQueryOptions(client, { pageSize: 10, pageToken: page.nextPageToken }).queryKey,
      listSigningKeysInfiniteQueryOptions(client, { pageSize: 10 }).queryKey,
      listSigningKeysQueryOptions(iamClient(server, { serverURL: "http://127.0.0.1:9" })).queryKey,
    ];
    expect(keys[0]).toEqual(keys[1]); // "" and no token: both the first page
    expect(new Set(keys.slice(1).map(hashKey)).size).toBe(keys.length - 1);
    expect(keys[4]).toEqual([
      "@sdk/iam",
      { server: server.url },
      "listSigningKeys",
      { pageSize: 10 },
      "infinite",
    ]);
  });

  it("a rejected API key is a typed error (APIError, 401), after one request", async () => {
    const { server } = mock;
    const client = iamClient(server, { security: { apiKeyAuth: server.credentials.iam.unknownApiKey } });
    const error = await rejectionOf(qc.client.fetchQuery(listSigningKeysQueryOptions(client)));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(401);
    expect(countRoute(server, KEYS)).toBe(1);
    expect(leaked(`${(error as Error).message} ${JSON.stringify(error)}`, seededSecrets(server))).toEqual([]);
  });

  it("keys hold no credential: API keys, service accounts and per-call security are not in them", () => {
    const { server } = mock;
    const { iam } = server.credentials;
    const serviceAccount = parseServiceAccountCredentials(iam.serviceAccount);
    const client = iamClient(server, { security: { apiKeyAuth: iam.apiKeys[1], serviceAccount } });
    const keys = [
      listSigningKeysQueryOptions(client).queryKey,
      listSigningKeysInfiniteQueryOptions(client, {}, { security: { apiKeyAuth: iam.apiKey } }).queryKey,
      generateServiceAccountTokenMutationOptions(client).mutationKey,
      iamQueryKey(client),
    ];
    expect(leaked(JSON.stringify(keys), seededSecrets(server))).toEqual([]);
    expect(keys[0]).toEqual(listSigningKeysQueryOptions(iamClient(server)).queryKey);
  });
});

// On a mock of their own: a request aborted while the mock delays it can still reach the mock once
// the mock drops its socket (see the package README, "Testing"), and must not land in another test's log.
describe("abort", () => {
  const mock = useMockApi();

  it("cancelQueries aborts the page being fetched", async () => {
    const { server } = mock;
    server.faults.add({ kind: "delay", ms: 30_000, route: KEYS });
    const observed = observedFetch();
    const options = listSigningKeysInfiniteQueryOptions(iamClient(server, { fetch: observed.fetch }));
    const pending = qc.client.fetchInfiniteQuery(options);
    await observed.firstSent;
    await qc.client.cancelQueries({ queryKey: iamQueryKey(iamClient(server)) });
    expect(isCancelledError(await rejectionOf(pending))).toBe(true);
    expect(observed.signals[0]?.aborted).toBe(true);
    expect(await observed.outcomes[0]).toBe("AbortError"); // the request itself was aborted
  });

  it("the SDK call fails with RequestAbortedError when the query's signal aborts", async () => {
    const { server } = mock;
    server.faults.add({ kind: "delay", ms: 30_000, route: KEYS });
    const observed = observedFetch();
    const options = listSigningKeysQueryOptions(iamClient(server, { fetch: observed.fetch }));
    expect(await abortMidRequest(qc.client, options, observed)).toBeInstanceOf(RequestAbortedError);
    expect(await observed.outcomes[0]).toBe("AbortError");
  });
});

describe("generateServiceAccountToken as a mutation", () => {
  it("exchanges a signed JWS for a token on each mutate; nothing lands in the query cache", async () => {
    const { server } = mock;
    const credentials = parseServiceAccountCredentials(server.credentials.iam.serviceAccount);
    const options = generateServiceAccountTokenMutationOptions(iamClient(server));
    expect(options.mutationKey).toEqual(["@sdk/iam", { server: server.url }, "generateServiceAccountToken"]);
    expect(options.gcTime).toBe(0); // the JWS and the token leave the mutation cache with the last observer
    const observer = new MutationObserver(qc.client, options);
    const token = await observer.mutate({
      jws: await signServiceAccountJws(credentials, { now: server.clock.now() }),
    });
    expect(token.tokenType).toBe("Bearer");
    expect(token.accessToken.split(".")).toHaveLength(3);
    expect(countRoute(server, TOKEN)).toBe(1);
    expect(qc.client.getQueryCache().getAll()).toHaveLength(0);
  });

  it("a rejected JWS is a StatusError on the mutation, and the JWS is not in it", async () => {
    const { server } = mock;
    const observer = new MutationObserver(
      qc.client,
      generateServiceAccountTokenMutationOptions(iamClient(server)),
    );
    const jws = "eyJhbGciOiJSUzI1NiJ9.eyJuYW1lIjoieCJ9.c2lnbmF0dXJl";
    const error = await rejectionOf(observer.mutate({ jws }));
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).status).toBe(401);
    expect(observer.getCurrentResult().error).toBe(error);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(jws);
  });
});
