import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type FaultSpec,
  type MockApi,
  normalizeFault,
  parseFaultHeader,
  seededCredentials,
  startMockApi,
} from "../src/index.js";
import { call, postJson, signServiceAccountJws } from "./helpers.js";

const AUTH = { "x-api-key": seededCredentials.auth.apiKey };
const IAM = { "x-api-key": seededCredentials.iam.apiKey };

let server: MockApi;
beforeAll(async () => {
  server = await startMockApi({ port: 0 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const validate = (headers: Record<string, string> = {}) =>
  call(`${server.url}/v1/auth/validate`, { headers: { ...AUTH, ...headers } });
const keys = (headers: Record<string, string> = {}) =>
  call(`${server.url}/iam/v1/keys?page_size=2`, { headers: { ...IAM, ...headers } });

describe("fault spec parsing", () => {
  it("parses the header syntax", () => {
    expect(parseFaultHeader("status;status=503;retryAfter=2;retryAfterMs=1500")).toEqual({
      kind: "status",
      status: 503,
      retryAfter: "2",
      retryAfterMs: 1500,
    });
    expect(parseFaultHeader(" drift ; mode=missing-field ; field=email")).toEqual({
      kind: "drift",
      mode: "missing-field",
      field: "email",
    });
    expect(parseFaultHeader('status;status=418;body={"teapot":true}')).toMatchObject({
      body: { teapot: true },
    });
    expect(parseFaultHeader("status;status=429;retryAfter=Wed, 21 Oct 2015 07:28:00 GMT")).toMatchObject({
      retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT",
    });
  });

  it.each([
    "explode",
    "delay",
    "delay;ms=abc",
    "status;status=99",
    "drift;mode=sideways",
    "status;503",
    "fail-then-succeed;status=503",
    // Unknown parameters, or ones that belong to queued faults, would be silently ignored.
    "status;status=503;retry-after=2",
    "reset;count=2",
    // A Retry-After Node would refuse to send (or that means nothing).
    "status;status=503;retryAfter=-5",
    "status;status=503;retryAfter=soon",
    // A drift path that reaches a prototype.
    "drift;mode=extra-field;field=__proto__.polluted",
    "drift;mode=unknown-enum;field=workspaces.constructor.prototype.map",
  ])("rejects %j", (value) => {
    expect(() => parseFaultHeader(value)).toThrow();
  });

  it("a 204 status fault has no body and no Content-Length", async () => {
    const r = await fetch(`${server.url}/v1/auth/validate`, {
      headers: { ...AUTH, "x-mock-fault": "status;status=204" },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("content-length")).toBeNull();
    expect(await r.text()).toBe("");
  });

  it("rejects a queued Retry-After with a line break or beyond ASCII", () => {
    for (const retryAfter of ["2\r\nx-injected: 1", "zwei Sekunden ä", ""]) {
      expect(() => normalizeFault({ kind: "status", status: 503, retryAfter }), retryAfter).toThrow(
        /retryAfter/,
      );
    }
  });

  it("never changes a prototype of the process, even through a drift path it cannot refuse", async () => {
    // The header route refuses such a path; this checks the drift itself, should one ever get through.
    const { applyDrift } = await import("../src/faults.js");
    applyDrift({ a: 1 }, "extra-field", "__proto__.polluted", { missing: "a" });
    applyDrift({ list: [1] }, "missing-field", "list.__proto__.map", { missing: "a" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof [1].map).toBe("function");
  });

  it("rejects invalid queue specs", () => {
    expect(() => normalizeFault(null)).toThrow();
    expect(() => normalizeFault({ kind: "reset", count: 0 })).toThrow(/count/);
    expect(() => server.faults.add([{ kind: "reset" }, { kind: "nope" } as unknown as FaultSpec])).toThrow();
    expect(server.faults.pending()).toEqual([]); // nothing half-queued
  });
});

describe("reset", () => {
  it("header: the client sees a connection error, and the log records status 0", async () => {
    await expect(
      fetch(`${server.url}/v1/auth/validate`, { headers: { ...AUTH, "x-mock-fault": "reset" } }),
    ).rejects.toThrow();
    expect(server.requests.at(-1)).toMatchObject({ status: 0, fault: "reset" });
    expect((await validate()).status).toBe(200); // the server itself is fine
  });

  it("queue with route filter and count", async () => {
    server.faults.add({ kind: "reset", route: "GET /iam/v1/keys", count: 2 });
    expect((await validate()).status).toBe(200); // not matched, not consumed
    await expect(fetch(`${server.url}/iam/v1/keys`, { headers: IAM })).rejects.toThrow();
    await expect(fetch(`${server.url}/iam/v1/keys`, { headers: IAM })).rejects.toThrow();
    expect((await keys()).status).toBe(200);
  });
});

describe("delay", () => {
  it("header: answers normally after the delay, and a client timeout fires first", async () => {
    const started = performance.now();
    const r = await validate({ "x-mock-fault": "delay;ms=150" });
    expect(r.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await expect(
      fetch(`${server.url}/v1/auth/validate`, {
        headers: { ...AUTH, "x-mock-fault": "delay;ms=2000" },
        signal: AbortSignal.timeout(50),
      }),
    ).rejects.toThrow(/abort|timeout/i);
  });

  it("queue", async () => {
    server.faults.add({ kind: "delay", ms: 120 });
    const started = performance.now();
    expect((await keys()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("reset() ends a request still waiting on a delay: it never reaches the next test's state or log", async () => {
    const pending = fetch(`${server.url}/v1/workspace/access?passive=false`, {
      headers: { ...AUTH, "x-mock-fault": "delay;ms=300" },
    });
    await new Promise((r) => setTimeout(r, 50));
    server.reset();
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 350));
    expect(server.requests).toEqual([]);
  });

  it("close() does not wait for a pending delay", async () => {
    const s = await startMockApi();
    const pending = fetch(`${s.url}/v1/auth/validate`, {
      headers: { ...AUTH, "x-mock-fault": "delay;ms=60000" },
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await s.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });
});

describe("status", () => {
  it("header, Auth API: Error body and retry headers", async () => {
    const r = await validate({ "x-mock-fault": "status;status=503;retryAfter=2;retryAfterMs=1500" });
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ message: expect.stringContaining("503"), status_code: 503 });
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.headers.get("retry-after-ms")).toBe("1500");
    expect(r.headers.get("x-mock-fault-applied")).toBe("status");
  });

  it("header, IAM API: Status body with the mapped gRPC code", async () => {
    const r = await keys({ "x-mock-fault": "status;status=429;retryAfter=Wed, 21 Oct 2015 07:28:00 GMT" });
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ code: 8, details: [{ reason: "MOCK_FAULT_INJECTED" }] });
    expect(r.headers.get("retry-after")).toBe("Wed, 21 Oct 2015 07:28:00 GMT");
    expect((await keys({ "x-mock-fault": "status;status=500" })).body.code).toBe(13);
  });

  it("custom body: JSON or text", async () => {
    server.faults.add([
      { kind: "status", status: 500, body: { weird: true } },
      { kind: "status", status: 500, body: "upstream exploded" },
    ]);
    expect((await validate()).body).toEqual({ weird: true });
    const text = await validate();
    expect(text.text).toBe("upstream exploded");
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("queue: count, order, route prefix; unmatched requests pass", async () => {
    server.faults.add([
      { kind: "status", status: 502, route: "/iam/", count: 2 },
      { kind: "status", status: 504 },
    ]);
    expect((await validate()).status).toBe(504); // first fault does not match /v1; second has no filter
    expect((await keys()).status).toBe(502);
    expect(server.faults.pending()).toEqual([{ kind: "status", status: 502, route: "/iam/", count: 1 }]);
    expect((await keys()).status).toBe(502);
    expect((await keys()).status).toBe(200);
    expect((await validate()).status).toBe(200);
  });

  it("queue: a method-qualified route filter does not match another method", async () => {
    server.faults.add({ kind: "status", status: 503, route: "POST /iam/v1/keys" });
    expect((await keys()).status).toBe(200);
    server.faults.clear();
    expect(server.faults.pending()).toEqual([]);
  });

  it("never hits control endpoints or preflights", async () => {
    server.faults.add({ kind: "status", status: 500 });
    expect((await call(`${server.url}/__mock/credentials`)).status).toBe(200);
    expect((await call(`${server.url}/v1/auth/validate`, { method: "OPTIONS" })).status).toBe(204);
    expect((await validate()).status).toBe(500);
  });

  it("an invalid header is a 400 in the API's error shape", async () => {
    const a = await validate({ "x-mock-fault": "explode" });
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ message: expect.stringContaining("x-mock-fault"), status_code: 400 });
    const i = await keys({ "x-mock-fault": "status;status=abc" });
    expect(i.body).toMatchObject({ code: 3, details: [{ reason: "INVALID_MOCK_FAULT" }] });
  });
});

describe("fail-then-succeed", () => {
  it("header: the first `times` requests with the same key fail, then succeed; keys are independent", async () => {
    const h = (key: string) => ({
      "x-mock-fault": "fail-then-succeed;times=2;status=503;retryAfterMs=10",
      "x-mock-fault-key": key,
    });
    const a1 = await validate(h("a"));
    expect(a1.status).toBe(503);
    expect(a1.headers.get("retry-after-ms")).toBe("10");
    expect((await validate(h("b"))).status).toBe(503);
    expect((await validate(h("a"))).status).toBe(503);
    expect((await validate(h("a"))).status).toBe(200);
    expect((await validate(h("a"))).status).toBe(200);
    expect((await validate(h("b"))).status).toBe(503);
    expect((await validate(h("b"))).status).toBe(200);
    server.faults.clear(); // also forgets the keys
    expect((await validate(h("a"))).status).toBe(503);
  });

  it("header without a key is a 400", async () => {
    const r = await validate({ "x-mock-fault": "fail-then-succeed;times=1;status=500" });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/x-mock-fault-key/);
  });

  it("queue form is `times` failing requests", async () => {
    server.faults.add({ kind: "fail-then-succeed", times: 2, status: 500, route: "GET /v1/user" });
    const user = () => call(`${server.url}/v1/user`, { headers: AUTH });
    expect((await user()).status).toBe(500);
    expect((await user()).status).toBe(500);
    expect((await user()).status).toBe(200);
  });
});

describe("truncate", () => {
  it("a 200 whose JSON body is cut in half, with a matching content-length", async () => {
    const full = await validate();
    const r = await validate({ "x-mock-fault": "truncate" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.text).toBe(full.text.slice(0, Math.floor(full.text.length / 2)));
    expect(Number(r.headers.get("content-length"))).toBe(Buffer.byteLength(r.text));
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it("queue", async () => {
    server.faults.add({ kind: "truncate", route: "GET /iam/v1/keys" });
    const r = await keys();
    expect(r.status).toBe(200);
    expect(r.body).toBeUndefined();
  });
});

describe("html", () => {
  it("a 502 text/html page (header and queue)", async () => {
    const r = await validate({ "x-mock-fault": "html" });
    expect(r.status).toBe(502);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    expect(r.text).toMatch(/<html>[\s\S]*502 Bad Gateway/);
    server.faults.add({ kind: "html" });
    expect((await keys()).status).toBe(502);
  });
});

describe("content-type", () => {
  it("the right body labelled text/plain", async () => {
    const full = await validate();
    const r = await validate({ "x-mock-fault": "content-type" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain");
    expect(r.text).toBe(full.text);
    server.faults.add({ kind: "content-type" });
    expect((await keys()).headers.get("content-type")).toBe("text/plain");
  });
});

describe("drift", () => {
  it("extra-field adds an unknown member", async () => {
    const r = await validate({ "x-mock-fault": "drift;mode=extra-field" });
    expect(r.body.unexpected_field).toBeDefined();
    expect(r.body.workspace_id).toBe(seededCredentials.auth.workspaceId);
    const named = await validate({ "x-mock-fault": "drift;mode=extra-field;field=shiny_new_thing" });
    expect(named.body.shiny_new_thing).toBeDefined();
  });

  it("missing-field removes the route's first required member, or the named one", async () => {
    expect((await validate({ "x-mock-fault": "drift;mode=missing-field" })).body).not.toHaveProperty(
      "workspace_id",
    );
    const user = await call(`${server.url}/v1/user`, {
      headers: { ...AUTH, "x-mock-fault": "drift;mode=missing-field" },
    });
    expect(user.body).not.toHaveProperty("email");
    const named = await validate({ "x-mock-fault": "drift;mode=missing-field;field=org_slug" });
    expect(named.body).not.toHaveProperty("org_slug");
    expect(named.body).toHaveProperty("workspace_id");
  });

  it("unknown-enum replaces open and closed enum values", async () => {
    expect((await validate({ "x-mock-fault": "drift;mode=unknown-enum" })).body.account_type_v2).toBe(
      "hyper-scale",
    );
    const access = await call(`${server.url}/v1/workspace/access`, {
      headers: { ...AUTH, "x-mock-fault": "drift;mode=unknown-enum" },
    });
    expect(access.body.level).toBe("maybe");
    const token = await call(
      `${server.url}/v1/auth/access_token?workspace_id=${seededCredentials.auth.workspaceId}`,
      {
        headers: { "x-mock-fault": "drift;mode=unknown-enum" },
      },
    );
    expect(token.body.workspaces[0].account_type).toBe("hyper-scale");
  });

  it("queue form on IAM routes", async () => {
    server.faults.add([
      { kind: "drift", mode: "missing-field", route: "GET /iam/v1/keys" },
      { kind: "drift", mode: "unknown-enum", route: "POST /iam/v1/serviceAccounts:generateAccessToken" },
    ]);
    expect((await keys()).body).not.toHaveProperty("keys");
    const r = await postJson(
      `${server.url}/iam/v1/serviceAccounts:generateAccessToken`,
      { jws: signServiceAccountJws(seededCredentials.iam.serviceAccount, { at: server.clock.now() }) },
      IAM,
    );
    expect(r.body.token_type).toBe("PoP");
  });

  it("leaves error bodies alone", async () => {
    const r = await call(`${server.url}/v1/auth/validate`, {
      headers: { "x-mock-fault": "drift;mode=missing-field" },
    });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ message: expect.any(String), status_code: 401 });
  });
});

describe("expired-token / revoked-token", () => {
  async function token(): Promise<string> {
    const r = await postJson(
      `${server.url}/iam/v1/serviceAccounts:generateAccessToken`,
      { jws: signServiceAccountJws(seededCredentials.iam.serviceAccount, { at: server.clock.now() }) },
      IAM,
    );
    return r.body.access_token;
  }
  const whoami = (t: string, extra: Record<string, string> = {}) =>
    call(`${server.url}/iam/v1/whoami`, { headers: { ...IAM, authorization: `Bearer ${t}`, ...extra } });

  it("header form on whoami", async () => {
    const t = await token();
    const expired = await whoami(t, { "x-mock-fault": "expired-token" });
    expect(expired.body).toMatchObject({ code: 16, details: [{ reason: "TOKEN_EXPIRED" }] });
    const revoked = await whoami(t, { "x-mock-fault": "revoked-token" });
    expect(revoked.body).toMatchObject({ code: 16, details: [{ reason: "TOKEN_REVOKED" }] });
    expect((await whoami(t)).status).toBe(200);
  });

  it("queue form is not consumed by requests without a bearer (the token fetch)", async () => {
    server.faults.add({ kind: "expired-token" });
    const t = await token(); // no bearer: passes, fault stays queued
    expect(server.faults.pending()).toHaveLength(1);
    expect((await whoami(t)).body.details[0].reason).toBe("TOKEN_EXPIRED");
    expect((await whoami(t)).status).toBe(200);
  });

  it("applies to Auth API bearer credentials too (but not to API keys)", async () => {
    server.faults.add({ kind: "revoked-token", count: 2 });
    expect((await validate()).status).toBe(200);
    const r = await call(`${server.url}/v1/auth/validate`, {
      headers: { authorization: `Bearer ${seededCredentials.auth.bearer}` },
    });
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/revoked/);
  });
});

describe("control endpoint POST /__mock/faults", () => {
  it("queues a spec or an array, lists and clears them", async () => {
    const add = await postJson(`${server.url}/__mock/faults`, [
      { kind: "status", status: 503, route: "GET /v1/user" },
      { kind: "html" },
    ]);
    expect(add.status).toBe(201);
    expect(add.body.pending).toHaveLength(2);
    expect((await postJson(`${server.url}/__mock/faults`, { kind: "truncate" })).body.pending).toHaveLength(
      3,
    );
    expect((await call(`${server.url}/v1/user`, { headers: AUTH })).status).toBe(503);
    expect((await call(`${server.url}/__mock/faults`)).body.pending).toHaveLength(2);
    const del = await call(`${server.url}/__mock/faults`, { method: "DELETE" });
    expect(del.body).toEqual({ pending: [] });
    expect((await validate()).status).toBe(200);
  });

  it("400 on an invalid spec or body", async () => {
    const bad = await postJson(`${server.url}/__mock/faults`, { kind: "status" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/status/);
    expect((await postJson(`${server.url}/__mock/faults`, "{")).status).toBe(400);
  });
});
