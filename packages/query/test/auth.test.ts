import { AuthClient, AuthError, InvalidRequestError, RequestAbortedError, SDKError } from "@sdk/auth";
import {
  authQueryKey,
  getAccessMutationOptions,
  getAccessQueryOptions,
  getAccessTokenMutationOptions,
  getUserQueryOptions,
  validateApiKeyQueryOptions,
} from "@sdk/query/auth";
import { hashKey, isCancelledError, MutationObserver, QueryObserver } from "@tanstack/query-core";
import { describe, expect, it } from "vitest";
import {
  abortMidRequest,
  authClient,
  countRoute,
  leaked,
  observedFetch,
  rejectionOf,
  seededSecrets,
  useMockApi,
  useQueryClient,
} from "./helpers.js";

const VALIDATE = "GET /v1/auth/validate";
const USER = "GET /v1/user";
const ACCESS = "GET /v1/workspace/access";
const ACCESS_TOKEN = "GET /v1/auth/access_token";

const mock = useMockApi();
const qc = useQueryClient();

describe("queries", () => {
  it("fetch through the SDK and serve the second read from the cache", async () => {
    const { server } = mock;
    const client = authClient(server);
    const details = await qc.client.fetchQuery({ ...validateApiKeyQueryOptions(client), staleTime: 60_000 });
    expect(details.workspaceSlug).toBe(server.credentials.auth.workspaceSlug);
    expect(details.workspaceCreatedAt).toBeInstanceOf(Date);

    const again = await qc.client.fetchQuery({ ...validateApiKeyQueryOptions(client), staleTime: 60_000 });
    expect(again).toBe(details);
    expect(countRoute(server, VALIDATE)).toBe(1);
    // Typed by the key: what the cache holds for these options is ApiKeyDetails.
    expect(qc.client.getQueryData(validateApiKeyQueryOptions(client).queryKey)?.workspaceId).toBe(
      details.workspaceId,
    );

    // Stale (the default staleTime 0): fetched again.
    await qc.client.fetchQuery(validateApiKeyQueryOptions(client));
    expect(countRoute(server, VALIDATE)).toBe(2);
  });

  it("share one request between concurrent readers of the same key", async () => {
    const { server } = mock;
    const client = authClient(server);
    const [a, b, c] = await Promise.all([
      qc.client.fetchQuery(getUserQueryOptions(client)),
      qc.client.fetchQuery(getUserQueryOptions(client)),
      qc.client.fetchQuery(getUserQueryOptions(authClient(server))), // another client, same server
    ]);
    expect(a.email).toBe(server.credentials.auth.userEmail);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(countRoute(server, USER)).toBe(1);
  });

  it("getAccess as a query is passive: refetching never counts a generation", async () => {
    const { server } = mock;
    const client = authClient(server);
    const options = getAccessQueryOptions(client, { genLockId: "lock-1", targetType: "typescript" });
    for (let i = 0; i < 6; i++) {
      const access = await qc.client.fetchQuery(options); // stale at once: 6 requests
      expect(access.level).toBe("allowed");
      expect(access.generationAllowed).toBe(true);
    }
    const sent = server.requests.filter((r) => r.route === ACCESS);
    expect(sent).toHaveLength(6);
    for (const r of sent) {
      expect(r.query).toMatchObject({ genLockId: "lock-1", targetType: "typescript", passive: "true" });
    }
  });

  it("a QueryObserver (what useQuery runs) reads through the factory", async () => {
    const { server } = mock;
    const observer = new QueryObserver(qc.client, validateApiKeyQueryOptions(authClient(server)));
    const settled = new Promise<void>((resolve) => {
      const unsubscribe = observer.subscribe((result) => {
        if (result.status !== "pending") {
          unsubscribe();
          resolve();
        }
      });
    });
    await settled;
    expect(observer.getCurrentResult().data?.orgSlug).toBe(server.credentials.auth.orgSlug);
    expect(countRoute(server, VALIDATE)).toBe(1);
  });
});

describe("query keys", () => {
  it("are equal for equal inputs, whatever their order or the client object", () => {
    const { server } = mock;
    const a = getAccessQueryOptions(authClient(server), { genLockId: "g", targetType: "t" }).queryKey;
    const b = getAccessQueryOptions(authClient(server), { targetType: "t", genLockId: "g" }).queryKey;
    expect(a).toEqual(b);
    expect(hashKey(a)).toBe(hashKey(b));
    expect(a).toEqual([
      "@sdk/auth",
      { server: server.url },
      "getAccess",
      { genLockId: "g", targetType: "t", passive: true },
    ]);
    // An absent field and an undefined one are the same input.
    expect(getAccessQueryOptions(authClient(server), { genLockId: undefined }).queryKey).toEqual(
      getAccessQueryOptions(authClient(server)).queryKey,
    );
  });

  it("differ by server, by parameters, by operation and by scope", () => {
    const { server } = mock;
    const client = authClient(server);
    const keys = [
      validateApiKeyQueryOptions(client).queryKey,
      validateApiKeyQueryOptions(authClient(server, { serverURL: "http://127.0.0.1:1" })).queryKey,
      validateApiKeyQueryOptions(client, { serverURL: "http://127.0.0.1:2" }).queryKey, // per call
      validateApiKeyQueryOptions(new AuthClient()).queryKey, // the default server, prod
      validateApiKeyQueryOptions(client, { scope: "acme-platform" }).queryKey,
      getUserQueryOptions(client).queryKey,
      getAccessQueryOptions(client).queryKey,
      getAccessQueryOptions(client, { genLockId: "a" }).queryKey,
      getAccessQueryOptions(client, { targetType: "a" }).queryKey,
    ];
    expect(new Set(keys.map(hashKey)).size).toBe(keys.length);
    expect(keys[3]![1]).toEqual({ server: "https://api.prod.speakeasy.com" });
  });

  it("never hold a credential: not the client's, not the call's, not in headers", () => {
    const { server } = mock;
    const secrets = seededSecrets(server);
    const { auth } = server.credentials;
    const withKey = (apiKey: string) => authClient(server, { security: { apiKey } });
    const keys = [
      validateApiKeyQueryOptions(withKey(auth.workspaces[1]!.apiKey)).queryKey,
      validateApiKeyQueryOptions(authClient(server, { security: { bearer: auth.bearer } })).queryKey,
      getUserQueryOptions(authClient(server), {
        security: { workspaceIdentifier: auth.workspaceIdentifier },
        headers: { authorization: `Bearer ${auth.bearer}` },
      }).queryKey,
      getAccessQueryOptions(withKey(auth.apiKey), { genLockId: "g" }).queryKey,
      getAccessTokenMutationOptions(withKey(auth.apiKey)).mutationKey,
      getAccessMutationOptions(withKey(auth.apiKey)).mutationKey,
      authQueryKey(withKey(auth.apiKey)),
    ];
    expect(leaked(JSON.stringify(keys), secrets)).toEqual([]);
    // ... so two credentials on one server share a key unless the caller gives a scope.
    expect(validateApiKeyQueryOptions(withKey(auth.apiKey)).queryKey).toEqual(
      validateApiKeyQueryOptions(withKey(auth.workspaces[1]!.apiKey)).queryKey,
    );
  });

  it("show the server without user info, query or fragment", () => {
    const client = authClient(mock.server);
    const key = validateApiKeyQueryOptions(client, {
      serverURL: "https://user:s3cret@api.example/v2/?k=s3cret#x",
    }).queryKey;
    expect(key[1]).toEqual({ server: "https://api.example/v2" });
    expect(validateApiKeyQueryOptions(client, { serverURL: "not a url s3cret" }).queryKey[1]).toEqual({
      server: "(invalid server URL)",
    });
  });

  it("authQueryKey is a prefix that invalidates every Auth query of a server", async () => {
    const { server } = mock;
    const client = authClient(server);
    await qc.client.fetchQuery({ ...validateApiKeyQueryOptions(client), staleTime: 60_000 });
    await qc.client.fetchQuery({ ...getUserQueryOptions(client), staleTime: 60_000 });
    await qc.client.fetchQuery({ ...getUserQueryOptions(client, { scope: "other" }), staleTime: 60_000 });
    await qc.client.invalidateQueries({ queryKey: authQueryKey(client, { scope: "other" }) });
    expect(
      qc.client.getQueryState(getUserQueryOptions(client, { scope: "other" }).queryKey)?.isInvalidated,
    ).toBe(true);
    expect(qc.client.getQueryState(getUserQueryOptions(client).queryKey)?.isInvalidated).toBe(false);
    await qc.client.invalidateQueries({ queryKey: authQueryKey(client) });
    expect(qc.client.getQueryState(validateApiKeyQueryOptions(client).queryKey)?.isInvalidated).toBe(true);
    expect(qc.client.getQueryState(getUserQueryOptions(client).queryKey)?.isInvalidated).toBe(true);
  });
});

describe("errors", () => {
  it("surface as the SDK's typed error, after one request (TanStack does not retry on top)", async () => {
    const { server } = mock;
    const client = authClient(server, { security: { apiKey: server.credentials.auth.unknown.apiKey } });
    const options = validateApiKeyQueryOptions(client);
    const error = await rejectionOf(qc.client.fetchQuery(options));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
    expect(qc.client.getQueryState(options.queryKey)?.error).toBe(error);
    expect(countRoute(server, VALIDATE)).toBe(1);
    const secrets = seededSecrets(server);
    expect(leaked(`${(error as Error).message} ${JSON.stringify(error)}`, secrets)).toEqual([]);
  });

  it("bad input is an InvalidRequestError and nothing is sent", async () => {
    const { server } = mock;
    const options = getAccessQueryOptions(authClient(server), { genLockId: 42 as unknown as string });
    const error = await rejectionOf(qc.client.fetchQuery(options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(server.requests).toHaveLength(0);
  });
});

// On a mock of their own: a request aborted while the mock delays it can still reach the mock once
// the mock drops its socket (see README, "Testing"), and must not land in another test's log.
describe("abort", () => {
  const mock = useMockApi();

  it("cancelQueries aborts the request through the query's signal", async () => {
    const { server } = mock;
    server.faults.add({ kind: "delay", ms: 30_000, route: VALIDATE });
    const observed = observedFetch();
    const client = authClient(server, { fetch: observed.fetch });
    const options = validateApiKeyQueryOptions(client);
    const pending = qc.client.fetchQuery(options);
    await observed.firstSent;
    expect(observed.signals[0]?.aborted).toBe(false);

    await qc.client.cancelQueries({ queryKey: options.queryKey });
    expect(isCancelledError(await rejectionOf(pending))).toBe(true);
    expect(observed.signals[0]?.aborted).toBe(true);
    expect(await observed.outcomes[0]).toBe("AbortError"); // the request itself was aborted
    expect(qc.client.getQueryState(options.queryKey)?.fetchStatus).toBe("idle");
  });

  it("the SDK call fails with RequestAbortedError when the query's signal aborts", async () => {
    const { server } = mock;
    server.faults.add({ kind: "delay", ms: 30_000, route: USER });
    const observed = observedFetch();
    const options = getUserQueryOptions(authClient(server, { fetch: observed.fetch }));
    const error = await abortMidRequest(qc.client, options, observed);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toBeInstanceOf(SDKError);
    expect(await observed.outcomes[0]).toBe("AbortError");
  });
});

describe("mutations", () => {
  it("getAccessToken mints a token on each mutate, never cached, key without credentials", async () => {
    const { server } = mock;
    const client = authClient(server);
    const options = getAccessTokenMutationOptions(client);
    expect(options.mutationKey).toEqual(["@sdk/auth", { server: server.url }, "getAccessToken"]);
    const observer = new MutationObserver(qc.client, options);
    const first = await observer.mutate({ workspaceId: server.credentials.auth.workspaceId });
    const second = await observer.mutate({ workspaceId: server.credentials.auth.workspaceId });
    expect(first.accessToken).toMatch(/\S{20,}/);
    expect(second.accessToken).toMatch(/\S{20,}/);
    expect(countRoute(server, ACCESS_TOKEN)).toBe(2);
    expect(qc.client.getQueryCache().getAll()).toHaveLength(0);
    // Held while observed (a mounted useMutation), gone once let go: the token does not linger.
    expect(qc.client.getMutationCache().getAll().length).toBeGreaterThan(0);
    observer.reset();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(qc.client.getMutationCache().getAll()).toHaveLength(0);
  });

  it("getAccessToken's typed error reaches the mutation", async () => {
    const { server } = mock;
    const observer = new MutationObserver(qc.client, getAccessTokenMutationOptions(authClient(server)));
    const error = await rejectionOf(
      observer.mutate({ workspaceId: server.credentials.auth.unknown.workspaceId }),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(404);
    expect(observer.getCurrentResult().error).toBe(error);
    expect(countRoute(server, ACCESS_TOKEN)).toBe(1);
  });

  it("getAccess as a mutation counts generations; the passive query then reads the new level", async () => {
    const { server } = mock;
    const client = authClient(server);
    const read = getAccessQueryOptions(client, { genLockId: "g" });
    expect((await qc.client.fetchQuery({ ...read, staleTime: 60_000 })).level).toBe("allowed");
    expect(getAccessMutationOptions(client).gcTime).toBeUndefined(); // no secret: TanStack's default
    const observer = new MutationObserver(qc.client, getAccessMutationOptions(client));
    const levels: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) levels.push((await observer.mutate({ genLockId: "g" })).level);
    expect(levels).toEqual(["allowed", "allowed", "warning"]);
    // Cached and fresh: still the old answer until invalidated.
    expect((await qc.client.fetchQuery({ ...read, staleTime: 60_000 })).level).toBe("allowed");
    await qc.client.invalidateQueries({ queryKey: read.queryKey });
    expect((await qc.client.fetchQuery({ ...read, staleTime: 60_000 })).level).toBe("warning");
    const sent = server.requests.filter((r) => r.route === ACCESS).map((r) => r.query.passive ?? "-");
    expect(sent).toEqual(["true", "-", "-", "-", "true"]);
  });
});
