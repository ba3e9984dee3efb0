// The mock as a web page (or an attacker) would meet it: control endpoints that no foreign page can
// drive, a Host check against DNS rebinding, bounded bodies and log, faults that never claim to have
// applied when they changed nothing, and a seed that cannot be changed.
import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type DeepReadonly,
  FaultSpecError,
  type MockApi,
  type SeededCredentials,
  seed,
  seededCredentials,
  startMockApi,
} from "../src/index.js";
import { call, postJson } from "./helpers.js";

let server: MockApi;
beforeAll(async () => {
  server = await startMockApi({ maxLogEntries: 20 });
});
beforeEach(() => server.reset());
afterAll(() => server.close());

const FOREIGN = "https://evil.example";
const PLAYGROUND = "http://127.0.0.1:5173";
const KEY = { "x-api-key": seededCredentials.iam.apiKey };

/** A raw request with a Host header of our choosing (fetch does not let one set Host). */
function withHost(host: string, path: string): Promise<number> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: "GET", headers: { host, ...KEY } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("control endpoints cannot be driven by another web page", () => {
  it("a preflight from a foreign origin gets no Access-Control-Allow-Origin (not *, not echoed)", async () => {
    const r = await call(`${server.url}/__mock/faults`, {
      method: "OPTIONS",
      headers: {
        origin: FOREIGN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
        "access-control-request-private-network": "true",
      },
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(r.headers.get("access-control-allow-private-network")).toBeNull();
  });

  it("a cross-origin text/plain POST (no preflight) queues nothing, resets nothing", async () => {
    const spec = JSON.stringify({ kind: "status", status: 503 });
    const r = await call(`${server.url}/__mock/faults`, {
      method: "POST",
      headers: { origin: FOREIGN, "content-type": "text/plain" },
      body: spec,
    });
    expect(r.status).toBe(403);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(server.faults.pending()).toEqual([]);
    server.clock.advance(60_000);
    const before = server.clock.now();
    await call(`${server.url}/__mock/reset`, { method: "POST", headers: { origin: "null" } });
    expect(server.clock.now()).toBeGreaterThanOrEqual(before); // not reset back
    const creds = await call(`${server.url}/__mock/credentials`, { headers: { origin: FOREIGN } });
    expect(creds.status).toBe(403);
    expect(creds.text).not.toContain("PRIVATE KEY");
  });

  it("pages of this machine (the playground) and clients without Origin keep working", async () => {
    const preflight = await call(`${server.url}/__mock/faults`, {
      method: "OPTIONS",
      headers: { origin: PLAYGROUND, "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(PLAYGROUND);
    const queued = await call(`${server.url}/__mock/faults`, {
      method: "POST",
      headers: { origin: PLAYGROUND, "content-type": "application/json" },
      body: JSON.stringify({ kind: "status", status: 503 }),
    });
    expect(queued.status).toBe(201);
    expect(queued.headers.get("access-control-allow-origin")).toBe(PLAYGROUND);
    expect(queued.headers.get("vary")).toMatch(/origin/i);
    expect((await postJson(`${server.url}/__mock/faults`, { kind: "reset" })).status).toBe(201);
    expect(server.faults.pending()).toHaveLength(2);
  });

  it("the APIs still answer any origin (they need credentials), without Private Network Access", async () => {
    const r = await call(`${server.url}/v1/user`, {
      method: "OPTIONS",
      headers: { origin: FOREIGN, "access-control-request-private-network": "true" },
    });
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-allow-private-network")).toBeNull();
  });

  it("a Host that is not loopback (DNS rebinding) gets a 4xx, on every route", async () => {
    for (const host of ["evil.example", "evil.example:80", "127.0.0.1.evil.example", "10.0.0.1"]) {
      expect(await withHost(host, "/__mock/credentials"), host).toBe(403);
      expect(await withHost(host, "/iam/v1/keys"), host).toBe(403);
    }
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "127.0.0.1"]) {
      expect(await withHost(host, "/iam/v1/keys"), host).toBe(200);
    }
  });
});

describe("bounded bodies and request log", () => {
  it("answers 413 past 1 MiB, and logs large bodies by size only", async () => {
    const big = await call(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, {
      method: "POST",
      headers: { ...KEY, "content-type": "application/json" },
      body: JSON.stringify({ jws: "x".repeat(1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const atLimit = JSON.stringify({ jws: "x".repeat(1024 * 1024 - 20) });
    const r = await call(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, {
      method: "POST",
      headers: { ...KEY, "content-type": "application/json" },
      body: atLimit,
    });
    expect(r.status).toBe(401);
    const logged = server.requests.at(-1)!;
    expect(logged.body).toBe(`[${atLimit.length} bytes, not logged]`);
  });

  it("keeps a ring of the most recent maxLogEntries entries", async () => {
    for (let i = 0; i < 45; i++) await call(`${server.url}/iam/v1/keys?page_size=${i + 1}`, { headers: KEY });
    expect(server.requests).toHaveLength(20);
    expect(server.requests[0]!.query).toEqual({ page_size: "26" });
    expect(server.requests.at(-1)!.query).toEqual({ page_size: "45" });
  });
});

describe("faults never claim to have applied when they changed nothing", () => {
  it("refuses a token fault for routes that read no bearer, with a 400 saying why", async () => {
    const r = await postJson(`${server.url}/__mock/faults`, {
      kind: "expired-token",
      route: "GET /iam/v1/keys",
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/expired-token.*no route that reads a bearer/);
    expect(() => server.faults.add({ kind: "revoked-token", route: "/iam/v1/serviceAccounts" })).toThrow(
      FaultSpecError,
    );
    expect(() => server.faults.add({ kind: "drift", mode: "unknown-enum", route: "/iam/v1/whoami" })).toThrow(
      /no enum field/,
    );
    expect(server.faults.pending()).toEqual([]);
  });

  it("a token fault stays queued past requests without a bearer; a drift past error responses", async () => {
    server.faults.add({ kind: "expired-token", route: "/iam/v1/" });
    const keys = await call(`${server.url}/iam/v1/keys`, { headers: KEY });
    expect(keys.headers.get("x-mock-fault-applied")).toBeNull();
    expect(server.faults.pending()).toHaveLength(1);

    server.faults.clear();
    server.faults.add({ kind: "drift", mode: "missing-field", route: "GET /iam/v1/keys" });
    const refused = await call(`${server.url}/iam/v1/keys`, { headers: { "x-api-key": "wrong" } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-mock-fault-applied")).toBeNull();
    expect(server.requests.at(-1)!.fault).toBeUndefined();
    expect(server.faults.pending()).toEqual([expect.objectContaining({ kind: "drift", count: 1 })]);
    const drifted = await call(`${server.url}/iam/v1/keys`, { headers: KEY });
    expect(drifted.headers.get("x-mock-fault-applied")).toBe("drift");
    expect(drifted.body.keys).toBeUndefined();
    expect(server.faults.pending()).toEqual([]);
  });
});

describe("the seed cannot be changed", () => {
  it("is frozen at run time and read-only in its type", () => {
    expect(Object.isFrozen(seed.serviceAccounts[0]!.credentials)).toBe(true);
    expect(Object.isFrozen(seededCredentials.iam.serviceAccounts)).toBe(true);
    expect(() => {
      // @ts-expect-error read-only in the type
      seededCredentials.iam.apiKey = "changed";
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error read-only in the type
      seed.workspaces[0]!.enabledFeatures.push("x");
    }).toThrow(TypeError);
    // @ts-expect-error read-only in the type, at depth
    const write = (c: DeepReadonly<SeededCredentials>) => (c.auth.workspaces[0]!.apiKey = "x");
    expect(() => write(server.credentials)).toThrow(TypeError);
    expect(seededCredentials.iam.apiKey).not.toBe("changed");
  });
});
