import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockApi, seed, seededCredentials, startMockApi } from "../src/index.js";
import { call } from "./helpers.js";

let server: MockApi;
beforeAll(async () => {
  server = await startMockApi({ port: 0 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const [free, scaleUp, business, enterprise] = seededCredentials.auth.workspaces;

describe("seed", () => {
  it("has 2 organisations and one workspace per account type", () => {
    expect(seed.organizations).toHaveLength(2);
    expect(seededCredentials.auth.workspaces.map((w) => w.accountType)).toEqual([
      "free",
      "scale-up",
      "business",
      "enterprise",
    ]);
    expect(new Set(seed.workspaces.map((w) => w.orgSlug))).toEqual(new Set(["acme", "globex"]));
    expect(server.credentials).toBe(seededCredentials);
    expect(seededCredentials.auth.apiKey).toBe(free!.apiKey);
    expect(Object.isFrozen(seededCredentials.auth.workspaces[0])).toBe(true);
  });
});

describe("GET /v1/auth/validate", () => {
  it.each([
    ["x-api-key", (w: typeof free) => ({ "x-api-key": w!.apiKey })],
    ["bearer", (w: typeof free) => ({ authorization: `Bearer ${w!.bearer}` })],
    ["x-workspace-identifier", (w: typeof free) => ({ "x-workspace-identifier": w!.workspaceIdentifier })],
  ])("accepts %s for every workspace", async (_name, headers) => {
    for (const w of seededCredentials.auth.workspaces) {
      const r = await call(`${server.url}/v1/auth/validate`, { headers: headers(w) });
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/json");
      expect(r.body).toMatchObject({
        workspace_id: w.id,
        workspace_slug: w.slug,
        org_slug: w.orgSlug,
        account_type_v2: w.accountType,
        telemetry_disabled: expect.any(Boolean),
        billing_add_ons: expect.any(Array),
        generation_access_unlimited: w.accountType !== "free",
      });
      expect(r.body.workspace_created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it("uses the first credential present: APIKey, then Bearer, then WorkspaceIdentifier", async () => {
    const both = await call(`${server.url}/v1/auth/validate`, {
      headers: { "x-api-key": business!.apiKey, authorization: `Bearer ${enterprise!.bearer}` },
    });
    expect(both.body.workspace_id).toBe(business!.id);
    const bearerFirst = await call(`${server.url}/v1/auth/validate`, {
      headers: {
        authorization: `Bearer ${enterprise!.bearer}`,
        "x-workspace-identifier": free!.workspaceIdentifier,
      },
    });
    expect(bearerFirst.body.workspace_id).toBe(enterprise!.id);
    // The first present one decides even when it is wrong: no fallback to a valid later one.
    const wrongFirst = await call(`${server.url}/v1/auth/validate`, {
      headers: { "x-api-key": "nope", "x-workspace-identifier": free!.workspaceIdentifier },
    });
    expect(wrongFirst.status).toBe(401);
  });

  it("401 Error on missing or unknown credentials", async () => {
    const unknown = seededCredentials.auth.unknown;
    const variants: Record<string, string>[] = [
      {},
      { "x-api-key": "" },
      { "x-api-key": unknown.apiKey },
      { authorization: `Bearer ${unknown.bearer}` },
      { authorization: `Basic ${free!.bearer}` },
      { "x-workspace-identifier": unknown.workspaceIdentifier },
    ];
    for (const headers of variants) {
      const r = await call(`${server.url}/v1/auth/validate`, { headers });
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.body).toEqual({ message: expect.any(String), status_code: 401 });
    }
  });
});

describe("GET /v1/user", () => {
  it("returns the credential's user, with nullable members", async () => {
    const ada = await call(`${server.url}/v1/user`, { headers: { "x-api-key": free!.apiKey } });
    expect(ada.status).toBe(200);
    expect(ada.body).toMatchObject({ email: free!.userEmail, id: free!.userId, github_handle: "ada-l" });
    const grace = await call(`${server.url}/v1/user`, { headers: { "x-api-key": business!.apiKey } });
    expect(grace.body).toMatchObject({
      email: "grace@globex.example",
      github_handle: null,
      last_login_at: null,
    });
  });

  it("401 without credentials", async () => {
    const r = await call(`${server.url}/v1/user`);
    expect(r.status).toBe(401);
    expect(r.body.status_code).toBe(401);
  });
});

describe("GET /v1/auth/access_token", () => {
  it("needs no credentials and returns a JWT-looking token with claims, user, workspaces, flags", async () => {
    const r = await call(`${server.url}/v1/auth/access_token?workspace_id=${scaleUp!.id}`);
    expect(r.status).toBe(200);
    expect(r.body.access_token.split(".")).toHaveLength(3);
    expect(r.body.claims).toMatchObject({ workspace_id: scaleUp!.id, sub: scaleUp!.userId });
    expect(r.body.claims.exp - r.body.claims.iat).toBe(3600);
    expect(r.body.user).toMatchObject({ email: scaleUp!.userEmail });
    expect(r.body.workspaces.map((w: { id: string }) => w.id)).toEqual([free!.id, scaleUp!.id]);
    expect(r.body.feature_flags[0]).toEqual({ feature_flag: "schema_registry", trial_ends_at: null });
  });

  it("the issued token works as a bearer until revoked or expired", async () => {
    const { body } = await call(`${server.url}/v1/auth/access_token?workspace_id=${enterprise!.id}`);
    const headers = { authorization: `Bearer ${body.access_token}` };
    expect((await call(`${server.url}/v1/auth/validate`, { headers })).body.workspace_id).toBe(
      enterprise!.id,
    );
    server.clock.advance(3601_000);
    expect((await call(`${server.url}/v1/auth/validate`, { headers })).status).toBe(401);
    server.clock.advance(-3601_000);
    expect((await call(`${server.url}/v1/auth/validate`, { headers })).status).toBe(200);
    server.revokeTokens();
    const revoked = await call(`${server.url}/v1/auth/validate`, { headers });
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toMatch(/revoked/);
  });

  it("400 without workspace_id, 404 for an unknown workspace", async () => {
    const missing = await call(`${server.url}/v1/auth/access_token`);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ message: expect.stringContaining("workspace_id"), status_code: 400 });
    const unknown = await call(
      `${server.url}/v1/auth/access_token?workspace_id=${seededCredentials.auth.unknown.workspaceId}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.status_code).toBe(404);
  });
});

describe("GET /v1/workspace/access", () => {
  const access = (apiKey: string, query = "") =>
    call(`${server.url}/v1/workspace/access${query}`, { headers: { "x-api-key": apiKey } });

  it("free workspace: allowed -> warning -> blocked (default quota warnAt 3, blockAt 5)", async () => {
    const levels = [];
    for (let i = 0; i < 6; i++) {
      const r = await access(free!.apiKey, "?genLockId=abc&targetType=typescript");
      expect(r.status).toBe(200);
      levels.push([r.body.level, r.body.generation_allowed]);
      expect(r.body.message).toEqual(expect.any(String));
    }
    expect(levels).toEqual([
      ["allowed", true],
      ["allowed", true],
      ["warning", true],
      ["warning", true],
      ["blocked", false],
      ["blocked", false],
    ]);
  });

  it("passive=true reports without counting", async () => {
    for (let i = 0; i < 10; i++) {
      expect((await access(free!.apiKey, "?passive=true")).body.level).toBe("allowed");
    }
    await access(free!.apiKey);
    await access(free!.apiKey);
    expect((await access(free!.apiKey, "?passive=true")).body.level).toBe("warning");
    expect((await access(free!.apiKey)).body.level).toBe("warning");
  });

  it("paid tiers stay allowed", async () => {
    for (const w of [scaleUp!, business!, enterprise!]) {
      for (let i = 0; i < 8; i++) {
        const r = await access(w.apiKey);
        expect(r.body).toMatchObject({ generation_allowed: true, level: "allowed" });
      }
    }
  });

  it("honours a custom quota and reset() restores it", async () => {
    const s = await startMockApi({ quota: { warnAt: 1, blockAt: 2 } });
    try {
      const get = () => call(`${s.url}/v1/workspace/access`, { headers: { "x-api-key": free!.apiKey } });
      expect((await get()).body.level).toBe("warning");
      expect((await get()).body.level).toBe("blocked");
      s.reset();
      expect((await get()).body.level).toBe("warning");
    } finally {
      await s.close();
    }
  });

  it("401 JSON error without credentials; 400 on a non-boolean passive", async () => {
    const r = await call(`${server.url}/v1/workspace/access`);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ message: expect.any(String), status_code: 401 });
    expect((await access(free!.apiKey, "?passive=yes")).status).toBe(400);
  });
});
