import type { CallOptions } from "@core/http";
import * as v from "valibot";
import { describe, expect, it, vi } from "vitest";
import {
  callProtected,
  defineProtectedOperation,
  IamClient,
  type IamCore,
  type IamSecurity,
  InvalidCredentialsError,
  InvalidRequestError,
  parseServiceAccountCredentials,
  RequestAbortedError,
  ResponseValidationError,
  StatusError,
  signServiceAccountJws,
  verifyAccessToken,
} from "../src/index.js";
import { clientFor, countRoute, rewritingFetch, TOKEN_ROUTE, useMockApi, WHOAMI_ROUTE } from "./helpers.js";

const mock = useMockApi();

// The mock's protected route, declared the way a new operation of the IAM API family would be.
const whoamiOperation = defineProtectedOperation({
  id: "whoami",
  method: "GET",
  path: "/iam/v1/whoami",
  output: v.object({ sub: v.string(), name: v.string(), organization: v.string(), exp: v.number() }),
});
function whoami(client: IamCore, options?: CallOptions<IamSecurity>) {
  return client.request(whoamiOperation, undefined, options);
}

const HOUR = 3600 * 1000;
const routes = () => mock.server.requests.map((r) => `${r.route} ${r.status}`);

describe("service-account credentials → automatic bearer tokens", () => {
  it("the whole flow by hand: parse → sign → token → protected call → verify against the listed keys", async () => {
    const { iam: seeded } = mock.server.credentials;
    const credentials = parseServiceAccountCredentials(JSON.stringify(seeded.serviceAccount));
    const iam = new IamClient({ serverURL: mock.server.url, security: { apiKeyAuth: seeded.apiKey } });
    const jws = await signServiceAccountJws(credentials, { now: mock.server.clock.now() });
    const token = await iam.generateServiceAccountToken({ jws });
    const me = await whoami(iam, { security: { apiKeyAuth: seeded.apiKey, bearerAuth: token.accessToken } });
    expect(me.sub).toBe(seeded.serviceAccountIds[0]);

    const keys = [];
    for await (const key of iam.listSigningKeys({ pageSize: 100 })) keys.push(key);
    const claims = await verifyAccessToken(token.accessToken, {
      keys,
      now: mock.server.clock.now(),
      audience: seeded.audience,
      issuer: seeded.issuer,
    });
    expect(claims).toMatchObject({ sub: me.sub, identity_class: "SERVICE_ACCOUNT", aud: "apexapis.com" });
    expect(me.name).toBe(credentials.name);
    expect(claims.iss).toBe(seeded.issuer);
  });

  it("a client with serviceAccount fetches the token on first need and reuses it", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    expect(mock.server.requests).toHaveLength(0); // nothing at construction
    const me = await whoami(iam);
    expect(me.name).toBe(mock.server.credentials.iam.serviceAccount.name);
    await whoami(iam);
    await iam.callProtected({ path: "/iam/v1/whoami" });
    expect(routes()).toEqual([
      `${TOKEN_ROUTE} 200`,
      `${WHOAMI_ROUTE} 200`,
      `${WHOAMI_ROUTE} 200`,
      `${WHOAMI_ROUTE} 200`,
    ]);
    expect(mock.server.requests[1]?.headers).toMatchObject({
      authorization: "[present]",
      "x-api-key": "[present]",
    });
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 1, cacheHits: 2 });
  });

  it("callProtected: ad-hoc calls, optionally validated; standalone too", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    const raw = (await iam.callProtected({ method: "GET", path: "/iam/v1/whoami" })) as { sub: string };
    expect(raw.sub).toBe(mock.server.credentials.iam.serviceAccountIds[0]);
    const typed = await callProtected(iam, { path: "/iam/v1/whoami", output: v.object({ sub: v.string() }) });
    expect(typed).toEqual({ sub: raw.sub });
  });

  it("callProtected refuses a full URL or a //host path before sending (the token stays on its server)", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    for (const path of [
      "https://attacker.example/steal",
      "//attacker.example/x",
      "iam/v1/whoami",
      "/a?b=c",
      "/{x}",
    ]) {
      await expect(iam.callProtected({ path })).rejects.toBeInstanceOf(InvalidRequestError);
    }
    // No request object at all (a JavaScript caller): the same typed rejection, not a TypeError.
    await expect(iam.callProtected(undefined as never)).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(callProtected(iam, { path: 42 } as never)).rejects.toBeInstanceOf(InvalidRequestError);
    // A method fetch would refuse only once sent (as a retried connection error).
    for (const method of ["TRACE", "GE T", "fetch"]) {
      const error = await callProtected(iam, { method: method as never, path: "/iam/v1/whoami" }).catch(
        (e) => e,
      );
      expect(error, method).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).issues[0]?.path, method).toBe("method");
    }
    expect(mock.server.requests).toHaveLength(0);
  });

  it("a missing-credentials error names what the operation needs and what is set", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true, apiKey: "" });
    const error = (await iam.listSigningKeys().catch((e) => e)) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("needs [apiKeyAuth], and [serviceAccount] is set");
  });

  it("a protected call without token credentials is refused before sending", async () => {
    const iam = clientFor(mock.server);
    const error = (await whoami(iam).catch((e) => e)) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.issues[0]?.path).toBe("security");
    expect(mock.server.requests).toHaveLength(0);
  });

  it("bearerAuth: a token obtained elsewhere is sent as is", async () => {
    const token = await clientFor(mock.server).generateServiceAccountToken({
      jws: await signServiceAccountJws(
        parseServiceAccountCredentials(mock.server.credentials.iam.serviceAccount),
        {
          now: mock.server.clock.now(),
        },
      ),
    });
    const iam = new IamClient({
      serverURL: mock.server.url,
      security: { apiKeyAuth: mock.server.credentials.iam.apiKey, bearerAuth: token.accessToken },
    });
    expect((await whoami(iam)).sub).toBe(mock.server.credentials.iam.serviceAccountIds[0]);
  });

  it("100 concurrent first calls make exactly ONE token request", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    const results = await Promise.all(Array.from({ length: 100 }, () => whoami(iam)));
    expect(new Set(results.map((r) => r.sub)).size).toBe(1);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(1);
    expect(countRoute(mock.server, WHOAMI_ROUTE)).toBe(100);
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 1, sharedWaits: 99 });
  });

  it("renews in the background ahead of expiry, serving the still-valid token meanwhile", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    const first = await whoami(iam);
    // One hour tokens: the margin is min(10% of 3600 s, 5 min) = 5 min. Move into it.
    mock.server.clock.advance(HOUR - 4 * 60 * 1000);
    const during = await whoami(iam);
    expect(during.exp).toBe(first.exp); // the old token, still valid, was used
    // The renewal runs in the background: soon a call goes out with the new token.
    await vi.waitFor(async () => expect((await whoami(iam)).exp).toBeGreaterThan(first.exp));
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(2);
    expect(iam.serviceAccountTokens.stats()).toMatchObject({
      tokenRequests: 2,
      backgroundRenewals: 1,
      unauthorizedRefreshes: 0,
    });
    expect(mock.server.requests.every((r) => r.status === 200)).toBe(true);
  });

  it("does not renew before the margin", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    await whoami(iam);
    mock.server.clock.advance(HOUR - 6 * 60 * 1000);
    await whoami(iam);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(1);
  });

  it("after expiry, the next call waits for a new token (no 401 round trip)", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    const first = await whoami(iam);
    mock.server.clock.advance(HOUR + 60 * 1000);
    const second = await whoami(iam);
    expect(second.exp).toBeGreaterThan(first.exp);
    expect(routes()).toEqual([
      `${TOKEN_ROUTE} 200`,
      `${WHOAMI_ROUTE} 200`,
      `${TOKEN_ROUTE} 200`,
      `${WHOAMI_ROUTE} 200`,
    ]);
  });

  it("without expires_in, the token's own exp claim sets its expiry", async () => {
    const iam = clientFor(mock.server, {
      serviceAccount: true,
      fetch: rewritingFetch(
        (body) => ({ access_token: body.access_token }),
        (url) => url.pathname.endsWith(":generateAccessToken"),
      ),
    });
    await whoami(iam);
    mock.server.clock.advance(HOUR + 60 * 1000);
    await whoami(iam);
    expect(routes()).toEqual([
      `${TOKEN_ROUTE} 200`,
      `${WHOAMI_ROUTE} 200`,
      `${TOKEN_ROUTE} 200`,
      `${WHOAMI_ROUTE} 200`,
    ]);
  });

  it("an opaque token without any expiry is kept until a 401 says otherwise", async () => {
    let issued = 0;
    const iam = clientFor(mock.server, {
      serviceAccount: true,
      // The token endpoint answers an opaque token; the protected route is faked to accept only the newest.
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.url.endsWith(":generateAccessToken")) {
          return Response.json({ access_token: `opaque-${++issued}`, token_type: "Bearer" });
        }
        const ok = request.headers.get("authorization") === `Bearer opaque-${issued}` && issued < 3;
        return ok ? Response.json({ ok: true }) : Response.json({ code: 16, message: "no" }, { status: 401 });
      },
    });
    await iam.callProtected({ path: "/iam/v1/whoami" });
    mock.server.clock.advance(10 * 24 * HOUR);
    await iam.callProtected({ path: "/iam/v1/whoami" });
    expect(issued).toBe(1);
    issued = 2; // the server moved on: the cached token is now refused
    await expect(iam.callProtected({ path: "/iam/v1/whoami" })).rejects.toBeInstanceOf(StatusError);
    expect(issued).toBe(3);
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 2, unauthorizedRefreshes: 1 });
  });

  it("the refresh margin is configurable", async () => {
    const iam = clientFor(mock.server, {
      serviceAccount: true,
      tokenRefresh: { ratio: 0.5, maxMarginMs: HOUR },
    });
    await whoami(iam);
    mock.server.clock.advance(HOUR / 2 + 1000);
    await whoami(iam);
    await vi.waitFor(() => expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(2));
  });

  it("refuses refresh settings that would disable or defeat renewal, at construction", () => {
    for (const tokenRefresh of [
      { ratio: Number.NaN },
      { ratio: 1 },
      { ratio: -0.1 },
      { maxMarginMs: Number.POSITIVE_INFINITY },
      { maxMarginMs: -1 },
      { maxMarginMs: Number.NaN },
      { waitUntil: "ctx.waitUntil" as never },
    ]) {
      expect(
        () => clientFor(mock.server, { serviceAccount: true, tokenRefresh }),
        JSON.stringify(tokenRefresh),
      ).toThrow(InvalidRequestError);
    }
    expect(() => clientFor(mock.server, { tokenRefresh: { ratio: 0, maxMarginMs: 0 } })).not.toThrow();
  });

  it("refuses a token that is not a Bearer token (token_type), and does not cache it", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    mock.server.faults.add({ kind: "drift", mode: "unknown-enum", route: TOKEN_ROUTE });
    const error = await whoami(iam).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]).toMatchObject({ path: "token_type" });
    expect((error as Error).message).toContain('"PoP"');
    expect(routes()).toEqual([`${TOKEN_ROUTE} 200`]); // nothing was sent with it
    // Not cached: the next call fetches a fresh (Bearer) token and succeeds.
    await expect(whoami(iam)).resolves.toMatchObject({ sub: expect.any(String) });
  });

  it("a revoked token: one refresh, the call is retried once and succeeds", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    await whoami(iam);
    mock.server.revokeTokens();
    mock.server.clearRequests();
    const me = await whoami(iam);
    expect(me.sub).toBe(mock.server.credentials.iam.serviceAccountIds[0]);
    expect(routes()).toEqual([`${WHOAMI_ROUTE} 401`, `${TOKEN_ROUTE} 200`, `${WHOAMI_ROUTE} 200`]);
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 2, unauthorizedRefreshes: 1 });
  });

  it("N concurrent 401s share ONE refresh", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    await whoami(iam);
    mock.server.revokeTokens();
    mock.server.clearRequests();
    const results = await Promise.all(Array.from({ length: 25 }, () => whoami(iam)));
    expect(results).toHaveLength(25);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(1);
    expect(mock.server.requests.filter((r) => r.route === WHOAMI_ROUTE && r.status === 401)).toHaveLength(25);
    expect(iam.serviceAccountTokens.stats().unauthorizedRefreshes).toBe(1);
  });

  it("a 401 that persists after the refresh is thrown (one retry only)", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    mock.server.faults.add({ kind: "expired-token", route: WHOAMI_ROUTE, count: 2 });
    const error = (await whoami(iam).catch((e) => e)) as StatusError;
    expect(error).toBeInstanceOf(StatusError);
    expect(error.status).toBe(401);
    expect(error.code).toBe(16);
    expect(error.details[0]).toMatchObject({ reason: "TOKEN_EXPIRED" });
    expect(routes()).toEqual([
      `${TOKEN_ROUTE} 200`,
      `${WHOAMI_ROUTE} 401`,
      `${TOKEN_ROUTE} 200`,
      `${WHOAMI_ROUTE} 401`,
    ]);
  });

  it("a failed token request fails the call with the token endpoint's error, and is not cached", async () => {
    const iam = new IamClient({
      serverURL: mock.server.url,
      now: () => mock.server.clock.now(),
      security: {
        apiKeyAuth: mock.server.credentials.iam.apiKey,
        serviceAccount: parseServiceAccountCredentials(mock.server.credentials.iam.unknownServiceAccount),
      },
    });
    for (let i = 0; i < 2; i++) {
      const error = (await whoami(iam).catch((e) => e)) as StatusError;
      expect(error).toBeInstanceOf(StatusError);
      expect(error.url).toContain("generateAccessToken");
      expect(error.details[0]).toMatchObject({ reason: "SERVICE_ACCOUNT_UNKNOWN" });
    }
    expect(routes()).toEqual([`${TOKEN_ROUTE} 401`, `${TOKEN_ROUTE} 401`]);
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 2, failures: 2 });
  });

  it("the JWS uses the client's clock (`now`): a wrong clock is rejected by the server", async () => {
    const iam = clientFor(mock.server, {
      serviceAccount: true,
      now: () => mock.server.clock.now() - 2 * HOUR,
    });
    const error = (await whoami(iam).catch((e) => e)) as StatusError;
    expect(error.details[0]).toMatchObject({ reason: "JWS_DATETIME_OUT_OF_RANGE" });
  });

  it("per-call security wins: another API key gets its own token", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    await whoami(iam);
    const [, secondary] = mock.server.credentials.iam.apiKeys;
    const serviceAccount = parseServiceAccountCredentials(mock.server.credentials.iam.serviceAccounts[1]!);
    const other = await whoami(iam, { security: { apiKeyAuth: secondary, serviceAccount } });
    expect(other.sub).toBe(mock.server.credentials.iam.serviceAccountIds[1]);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(2);
  });

  it("serviceAccount must be parsed credentials: a raw file object is a typed error, nothing sent", async () => {
    const iam = new IamClient({
      serverURL: mock.server.url,
      security: {
        apiKeyAuth: mock.server.credentials.iam.apiKey,
        serviceAccount: mock.server.credentials.iam.serviceAccount as never,
      },
    });
    await expect(whoami(iam)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(mock.server.requests).toHaveLength(0);
  });

  it("the token cache exists from the first parsed credentials on; a raw file after them is still refused", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    // Before any protected call the cache is not created yet (the machinery comes with the credentials).
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 0, cacheHits: 0 });
    await whoami(iam);
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 1 });
    const { apiKey, serviceAccount } = mock.server.credentials.iam;
    const call = whoami(iam, { security: { apiKeyAuth: apiKey, serviceAccount: serviceAccount as never } });
    await expect(call).rejects.toThrow(/parseServiceAccountCredentials/);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(1);
  });

  it("a caller that aborts while the token is being fetched stops waiting; the others get the token", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    mock.server.faults.add({ kind: "delay", ms: 300, route: TOKEN_ROUTE });
    const controller = new AbortController();
    const patient = whoami(iam);
    const impatient = whoami(iam, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user gave up")), 50);
    await expect(impatient).rejects.toBeInstanceOf(RequestAbortedError);
    expect((await patient).sub).toBeTruthy();
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(1);
  });

  it("a call aborted before it starts rejects typed and leaves no unhandled rejection behind", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const iam = clientFor(mock.server, { serviceAccount: true });
      await expect(whoami(iam, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RequestAbortedError);
      await new Promise((resolve) => setTimeout(resolve, 50)); // unhandled rejections are reported after a tick
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("clear() forgets cached tokens", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    await whoami(iam);
    iam.serviceAccountTokens.clear();
    await whoami(iam);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(2);
  });

  it("the security getter form works: credentials re-read per request", async () => {
    const serviceAccount = parseServiceAccountCredentials(mock.server.credentials.iam.serviceAccount);
    const getter = vi.fn(() => ({ apiKeyAuth: mock.server.credentials.iam.apiKey, serviceAccount }));
    const iam = new IamClient({
      serverURL: mock.server.url,
      now: () => mock.server.clock.now(),
      security: getter,
    });
    await whoami(iam);
    await whoami(iam);
    expect(getter.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(1);
  });
});

describe("renewal that never depends on work outliving a request (edge runtimes)", () => {
  it("a call that finds the token expired does not join an early renewal that never finished", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    const first = await whoami(iam);
    mock.server.clock.advance(HOUR - 4 * 60 * 1000); // inside the renewal margin
    // The early renewal's request hangs, as one dropped by an edge runtime would (never settles here).
    mock.server.faults.add({ kind: "delay", ms: 600_000, route: TOKEN_ROUTE });
    expect((await whoami(iam)).exp).toBe(first.exp); // served from the cache; the renewal hangs
    mock.server.clock.advance(5 * 60 * 1000); // past expiry
    const after = await whoami(iam); // renews itself (a 20 s test timeout would catch a join)
    expect(after.exp).toBeGreaterThan(first.exp);
    expect(iam.serviceAccountTokens.stats()).toMatchObject({ tokenRequests: 3, backgroundRenewals: 1 });
  });

  it("a caller-supplied waitUntil receives early renewals only", async () => {
    const waited: Promise<unknown>[] = [];
    const iam = clientFor(mock.server, {
      serviceAccount: true,
      tokenRefresh: { waitUntil: (promise) => waited.push(promise) },
    });
    const first = await whoami(iam); // the first token: awaited by the call, not handed over
    expect(waited).toHaveLength(0);
    mock.server.clock.advance(HOUR - 4 * 60 * 1000);
    await whoami(iam);
    expect(waited).toHaveLength(1);
    await waited[0]; // settles (never rejects), and the renewed token is cached
    expect((await whoami(iam)).exp).toBeGreaterThan(first.exp);
    mock.server.clock.advance(2 * HOUR);
    await whoami(iam); // expired: renewed by the call itself
    expect(waited).toHaveLength(1);
  });
});
