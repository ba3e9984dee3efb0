import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockApi, seededCredentials, startMockApi } from "../src/index.js";
import { call, postJson, signServiceAccountJws } from "./helpers.js";

const AUTH = { "x-api-key": seededCredentials.auth.apiKey };
const IAM = { "x-api-key": seededCredentials.iam.apiKey };

let server: MockApi;
beforeAll(async () => {
  server = await startMockApi({ port: 0 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("listening", () => {
  it("serves both APIs on one loopback origin", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it.each(["0.0.0.0", "::", "192.168.1.10", "example.com", "128.0.0.1"])(
    "rejects non-loopback host %s",
    async (host) => {
      await expect(startMockApi({ host })).rejects.toThrow(/loopback/);
    },
  );

  it("accepts localhost and other 127/8 addresses", async () => {
    const s = await startMockApi({ host: "localhost" });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect((await call(`${s.url}/v1/user`, { headers: AUTH })).status).toBe(200);
    await s.close();
  });

  it("rejects invalid options", async () => {
    await expect(startMockApi({ port: 70000 })).rejects.toThrow(/port/);
    await expect(startMockApi({ signingKeyCount: 0 })).rejects.toThrow(/signingKeyCount/);
    await expect(startMockApi({ quota: { warnAt: 5, blockAt: 2 } })).rejects.toThrow(/quota/);
  });

  it("close() is idempotent and refuses new connections", async () => {
    const s = await startMockApi();
    await call(`${s.url}/v1/user`, { headers: AUTH }); // leaves a keep-alive socket open
    await Promise.all([s.close(), s.close()]);
    await expect(fetch(`${s.url}/v1/user`, { headers: AUTH })).rejects.toThrow();
  });
});

describe("CORS and common headers", () => {
  it("answers a preflight on any route", async () => {
    const r = await call(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-api-key, content-type",
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-allow-methods")).toMatch(/POST/);
    expect(r.headers.get("access-control-allow-private-network")).toBeNull();
    const allowed = r.headers.get("access-control-allow-headers")!.split(/,\s*/);
    for (const h of [
      "x-api-key",
      "authorization",
      "x-workspace-identifier",
      "content-type",
      "x-mock-fault",
      "x-mock-fault-key",
      "user-agent",
    ]) {
      expect(allowed).toContain(h);
    }
  });

  it("allows Private Network Access to pages of this machine only, never to a public origin", async () => {
    const ask = (origin: string) =>
      call(`${server.url}/v1/user`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-private-network": "true" },
      });
    expect((await ask("http://127.0.0.1:5173")).headers.get("access-control-allow-private-network")).toBe(
      "true",
    );
    expect(
      (await ask("https://playground.example")).headers.get("access-control-allow-private-network"),
    ).toBeNull();
  });

  it("every response carries CORS, exposed headers and a unique x-request-id", async () => {
    const responses = [
      await call(`${server.url}/v1/user`, { headers: AUTH }),
      await call(`${server.url}/v1/user`),
      await call(`${server.url}/nope`),
      await call(`${server.url}/v1/user`, { headers: { ...AUTH, "x-mock-fault": "status;status=503" } }),
    ];
    const ids = new Set<string>();
    for (const r of responses) {
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
      const exposed = r.headers.get("access-control-expose-headers")!;
      for (const h of ["retry-after", "retry-after-ms", "x-request-id"]) expect(exposed).toContain(h);
      ids.add(r.headers.get("x-request-id")!);
    }
    expect(ids.size).toBe(responses.length);
  });
});

describe("unknown routes", () => {
  it("a // path is a path (a client's URL-joining bug shows as a 404), not another host", async () => {
    const r = await call(`${server.url}//anything/v1/user`, {
      headers: { "x-api-key": seededCredentials.auth.apiKey },
    });
    expect(r.status).toBe(404);
    expect(server.requests.at(-1)?.path).toBe("//anything/v1/user");
  });

  it("404 JSON in the path's API shape", async () => {
    const auth = await call(`${server.url}/v1/nothing`);
    expect(auth.status).toBe(404);
    expect(auth.body).toEqual({ message: expect.any(String), status_code: 404 });
    const iam = await call(`${server.url}/iam/v1/nothing`, { headers: IAM });
    expect(iam.status).toBe(404);
    expect(iam.body).toMatchObject({ code: 5 });
  });

  it("405 with Allow on a wrong method", async () => {
    const r = await call(`${server.url}/v1/auth/validate`, { method: "POST", headers: AUTH });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET");
    expect(r.body.status_code).toBe(405);
    const iam = await call(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, { headers: IAM });
    expect(iam.status).toBe(405);
    expect(iam.headers.get("allow")).toBe("POST");
    expect(iam.body.code).toBe(12);
  });
});

describe("request log", () => {
  it("records requests with credentials and tokens redacted", async () => {
    const jws = signServiceAccountJws(seededCredentials.iam.serviceAccount, { at: server.clock.now() });
    const token = await postJson(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, { jws }, IAM);
    await call(`${server.url}/iam/v1/whoami?x=1&x=2`, {
      headers: { ...IAM, authorization: `Bearer ${token.body.access_token}` },
    });
    await call(`${server.url}/v1/auth/validate`, {
      headers: { "x-workspace-identifier": seededCredentials.auth.workspaceIdentifier },
    });
    await call(`${server.url}/__mock/credentials`); // control endpoints are not logged

    expect(server.requests.map((r) => [r.route, r.status])).toEqual([
      ["POST /iam/v1/serviceAccounts:generateAccessToken", 200],
      ["GET /iam/v1/whoami", 200],
      ["GET /v1/auth/validate", 200],
    ]);
    const [post, who, validate] = server.requests;
    expect(post!.body).toEqual({ jws: "[redacted]" });
    expect(post!.headers["x-api-key"]).toBe("[present]");
    expect(post!.headers["content-type"]).toBe("application/json");
    expect(who!.headers.authorization).toBe("[present]");
    expect(who!.query).toEqual({ x: ["1", "2"] });
    expect(validate!.headers["x-workspace-identifier"]).toBe("[present]");
    expect(typeof post!.at).toBe("number");
    expect(post!.requestId).toMatch(/^req_/);

    const serialized = JSON.stringify(server.requests);
    for (const secret of [
      jws,
      token.body.access_token,
      seededCredentials.iam.apiKey,
      seededCredentials.auth.workspaceIdentifier,
    ]) {
      expect(serialized).not.toContain(secret);
    }

    const remote = await call(`${server.url}/__mock/requests`);
    expect(remote.body.requests).toHaveLength(3);
    expect(remote.text).not.toContain(jws);
    server.clearRequests();
    expect(server.requests).toHaveLength(0);
  });

  it("keeps only the most recent maxLogEntries, and logs lines without credentials", async () => {
    const lines: string[] = [];
    const s = await startMockApi({ maxLogEntries: 2, logRequests: (l) => lines.push(l) });
    try {
      for (let i = 0; i < 4; i++) await call(`${s.url}/v1/user?i=${i}`, { headers: AUTH });
      expect(s.requests.map((r) => r.query.i)).toEqual(["2", "3"]);
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/GET \/v1\/user -> 200/);
      expect(lines.join("\n")).not.toContain(seededCredentials.auth.apiKey);
    } finally {
      await s.close();
    }
  });

  it("a non-JSON body is logged by size only", async () => {
    await postJson(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, "eyJhbGciOi.secret.sig", IAM);
    expect(server.requests[0]!.body).toBe("[unparsed 21 bytes]");
  });
});

describe("clock", () => {
  it("is injectable, and advance/set move it", async () => {
    let t = 1_700_000_000_000;
    const s = await startMockApi({ now: () => t });
    try {
      expect(s.clock.now()).toBe(t);
      t += 5;
      expect(s.clock.now()).toBe(1_700_000_000_005);
      s.clock.advance(1000);
      expect(s.clock.now()).toBe(1_700_000_001_005);
      s.clock.set(42_000);
      expect(s.clock.now()).toBe(42_000);
      s.reset();
      expect(s.clock.now()).toBe(t);
      const r = await call(
        `${s.url}/v1/auth/access_token?workspace_id=${seededCredentials.auth.workspaceId}`,
      );
      expect(r.body.claims.iat).toBe(Math.floor(t / 1000));
    } finally {
      await s.close();
    }
  });

  it("defaults to real time", () => {
    expect(Math.abs(server.clock.now() - Date.now())).toBeLessThan(1000);
  });
});

describe("control endpoints", () => {
  it("GET /__mock/credentials returns the seeded credentials", async () => {
    const r = await call(`${server.url}/__mock/credentials`);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(seededCredentials)));
  });

  it("POST /__mock/clock advances or sets the clock", async () => {
    const before = server.clock.now();
    const r = await postJson(`${server.url}/__mock/clock`, { advanceMs: 3_600_000 });
    expect(r.body.now - before).toBeGreaterThanOrEqual(3_600_000);
    expect(r.body.now - before).toBeLessThan(3_700_000);
    const set = await postJson(`${server.url}/__mock/clock`, { setMs: 1_000_000_000_000 });
    expect(set.body.now).toBeGreaterThanOrEqual(1_000_000_000_000);
    expect(set.body.iso).toMatch(/^2001-09-09T01:46:4/);
    expect((await postJson(`${server.url}/__mock/clock`, { advanceMs: "soon" })).status).toBe(400);
    expect((await postJson(`${server.url}/__mock/clock`, {})).status).toBe(400);
    // A time no Date can show would break every later response that writes one.
    expect((await postJson(`${server.url}/__mock/clock`, { setMs: 1e300 })).status).toBe(400);
    expect((await postJson(`${server.url}/__mock/clock`, { advanceMs: 9e15 })).status).toBe(400);
    expect(() => server.clock.advance(1e300)).toThrow(RangeError);
    expect((await call(`${server.url}/__mock/clock`)).body.now).toBeGreaterThanOrEqual(1_000_000_000_000);
  });

  it("POST /__mock/revoke-tokens and POST /__mock/reset", async () => {
    const jws = signServiceAccountJws(seededCredentials.iam.serviceAccount, { at: server.clock.now() });
    const t = (await postJson(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, { jws }, IAM)).body
      .access_token;
    const who = () =>
      call(`${server.url}/iam/v1/whoami`, { headers: { ...IAM, authorization: `Bearer ${t}` } });
    expect((await who()).status).toBe(200);
    expect((await postJson(`${server.url}/__mock/revoke-tokens`, {})).status).toBe(200);
    expect((await who()).body.details[0].reason).toBe("TOKEN_REVOKED");

    for (let i = 0; i < 5; i++) await call(`${server.url}/v1/workspace/access`, { headers: AUTH });
    server.faults.add({ kind: "html", route: "/nowhere" });
    expect((await postJson(`${server.url}/__mock/reset`, {})).status).toBe(200);
    expect(server.requests).toHaveLength(0);
    expect(server.faults.pending()).toEqual([]);
    const access = await call(`${server.url}/v1/workspace/access`, { headers: AUTH });
    expect(access.body.level).toBe("allowed");
  });

  it("unknown control path → 404, wrong method → 405", async () => {
    expect((await call(`${server.url}/__mock/nothing`)).status).toBe(404);
    expect((await call(`${server.url}/__mock/reset`)).status).toBe(405);
  });
});
