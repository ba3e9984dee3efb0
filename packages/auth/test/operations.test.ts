import { describe, expect, it } from "vitest";
import {
  APIError,
  AuthCore,
  AuthError,
  getAccess,
  getAccessToken,
  getUser,
  InvalidRequestError,
  validateApiKey,
} from "../src/index.js";
import {
  ACCESS,
  ACCESS_TOKEN,
  clientFor,
  rejectionOf,
  requestsTo,
  USER,
  useMockApi,
  VALIDATE,
} from "./helpers.js";

const mock = useMockApi();

describe("validateApiKey", () => {
  it("returns the key's workspace in camelCase, with Dates", async () => {
    const details = await clientFor(mock.server).validateApiKey();
    expect(details).toEqual({
      workspaceId: mock.server.credentials.auth.workspaceId,
      workspaceSlug: "acme-sandbox",
      orgSlug: "acme",
      accountTypeV2: "free",
      enabledFeatures: [],
      telemetryDisabled: false,
      workspaceCreatedAt: new Date("2023-02-14T09:20:00Z"),
      generationAccessUnlimited: false,
      featureFlags: ["schema_registry"],
      billingAddOns: [],
    });
    expect(details.workspaceCreatedAt).toBeInstanceOf(Date);
    expect(requestsTo(mock.server, VALIDATE)).toHaveLength(1);
  });

  it("reads every field of another workspace (enterprise: add-ons, telemetry off)", async () => {
    const enterprise = mock.server.credentials.auth.workspaces.find((w) => w.slug === "globex-enterprise")!;
    const details = await clientFor(mock.server, {
      security: { apiKey: enterprise.apiKey },
    }).validateApiKey();
    expect(details.accountTypeV2).toBe("enterprise");
    expect(details.telemetryDisabled).toBe(true);
    expect(details.generationAccessUnlimited).toBe(true);
    expect(details.billingAddOns).toEqual(["webhooks", "sdk_testing", "custom_code_regions", "snippet_ai"]);
  });

  it("works as a standalone function on AuthCore", async () => {
    const core = new AuthCore({
      serverURL: mock.server.url,
      security: { apiKey: mock.server.credentials.auth.apiKey },
    });
    const details = await validateApiKey(core);
    expect(details.workspaceSlug).toBe("acme-sandbox");
  });

  it("throws AuthError with the API's error body on 401", async () => {
    const auth = clientFor(mock.server, {
      security: { apiKey: mock.server.credentials.auth.unknown.apiKey },
    });
    const error = await rejectionOf(auth.validateApiKey());
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toBeInstanceOf(APIError);
    const authError = error as AuthError;
    expect(authError.status).toBe(401);
    expect(authError.data).toEqual({ message: "Invalid API key.", statusCode: 401 });
    expect(authError.message).toContain("Invalid API key.");
  });
});

describe("getUser", () => {
  it("returns the key's user with Dates and nullable members set", async () => {
    const user = await clientFor(mock.server).getUser();
    expect(user).toMatchObject({
      id: "usr_2b7f9c41d0e8",
      email: "ada@acme.example",
      emailVerified: true,
      displayName: "Ada Lovelace",
      confirmed: true,
      whitelisted: true,
      admin: false,
      githubHandle: "ada-l",
      photoUrl: "https://avatars.example/ada.png",
      defaultWorkspaceId: mock.server.credentials.auth.workspaceId,
      internal: false,
      hasCreatedApiKey: true,
      pylonIdentityHash: "pyl_2b7f9c41d0e8",
    });
    expect(user.createdAt).toEqual(new Date("2023-02-14T09:12:44Z"));
    expect(user.updatedAt).toEqual(new Date("2025-06-03T16:40:02Z"));
    expect(user.lastLoginAt).toEqual(new Date("2025-06-03T16:40:02Z"));
    expect(Object.keys(user).some((k) => k.includes("_"))).toBe(false);
  });

  it("maps null members to null", async () => {
    const globex = mock.server.credentials.auth.workspaces.find((w) => w.slug === "globex-core")!;
    const user = await getUser(
      new AuthCore({ serverURL: mock.server.url, security: { apiKey: globex.apiKey } }),
    );
    expect(user.email).toBe("grace@globex.example");
    expect(user).toMatchObject({
      githubHandle: null,
      photoUrl: null,
      defaultWorkspaceId: null,
      lastLoginAt: null,
    });
  });

  it("throws AuthError on 401", async () => {
    const auth = clientFor(mock.server, {
      security: { bearer: mock.server.credentials.auth.unknown.bearer },
    });
    const error = await rejectionOf(auth.getUser());
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).data.statusCode).toBe(401);
  });
});

describe("getAccessToken", () => {
  it("returns a token, its claims as a plain record, the user, workspaces and flags", async () => {
    const { workspaceId } = mock.server.credentials.auth;
    const token = await clientFor(mock.server).getAccessToken({ workspaceId });
    expect(token.accessToken.split(".")).toHaveLength(3);
    // Claim keys are not ours to rename: they stay as sent.
    expect(token.claims).toMatchObject({
      workspace_id: workspaceId,
      sub: "usr_2b7f9c41d0e8",
      org_slug: "acme",
    });
    expect(token.user).toEqual({
      id: "usr_2b7f9c41d0e8",
      email: "ada@acme.example",
      displayName: "Ada Lovelace",
      admin: false,
      createdAt: new Date("2023-02-14T09:12:44Z"),
      emailVerified: true,
    });
    expect(token.workspaces?.map((w) => [w.name, w.accountType])).toEqual([
      ["Acme Sandbox", "free"],
      ["Acme Platform", "scale-up"],
    ]);
    expect(token.workspaces?.[0]?.updatedAt).toBeInstanceOf(Date);
    expect(token.featureFlags).toEqual([
      { featureFlag: "schema_registry", trialEndsAt: new Date("2030-01-31T00:00:00Z") },
    ]);
    const [entry] = requestsTo(mock.server, ACCESS_TOKEN);
    expect(entry?.query).toEqual({ workspace_id: workspaceId });
  });

  it("gives a token that works as a bearer credential", async () => {
    const { workspaceId } = mock.server.credentials.auth;
    const core = new AuthCore({ serverURL: mock.server.url });
    const { accessToken } = await getAccessToken(core, { workspaceId });
    const details = await validateApiKey(core, { security: { bearer: accessToken } });
    expect(details.workspaceId).toBe(workspaceId);
  });

  it("throws AuthError 404 for an unknown workspace", async () => {
    const auth = clientFor(mock.server);
    const workspaceId = mock.server.credentials.auth.unknown.workspaceId;
    const error = await rejectionOf(auth.getAccessToken({ workspaceId }));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(404);
    expect((error as AuthError).data).toEqual({
      message: `Workspace ${workspaceId} not found.`,
      statusCode: 404,
    });
  });

  it.each([
    ["an empty workspaceId", { workspaceId: "" }],
    ["no workspaceId", {}],
    ["a number", { workspaceId: 42 }],
    ["no input at all", undefined],
  ])("rejects %s before sending anything", async (_label, input) => {
    const auth = clientFor(mock.server);
    const error = await rejectionOf(auth.getAccessToken(input as never));
    expect(error).toBeInstanceOf(InvalidRequestError);
    if (input) expect((error as InvalidRequestError).issues.map((i) => i.path)).toEqual(["workspaceId"]);
    expect(mock.server.requests).toHaveLength(0);
  });
});

describe("getAccess", () => {
  it("sends the camelCase query names and returns the access details", async () => {
    const access = await clientFor(mock.server).getAccess({ genLockId: "gl_1", targetType: "typescript" });
    expect(access).toEqual({
      generationAllowed: true,
      level: "allowed",
      message: "Generation 1 of 4 on the free plan.",
    });
    const [entry] = requestsTo(mock.server, ACCESS);
    expect(entry?.query).toEqual({ genLockId: "gl_1", targetType: "typescript" });
  });

  it("walks the free quota: allowed, then warning, then blocked", async () => {
    const auth = clientFor(mock.server);
    const levels: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const access = await auth.getAccess();
      levels.push([access.level, access.generationAllowed]);
    }
    expect(levels).toEqual([
      ["allowed", true],
      ["allowed", true],
      ["warning", true],
      ["warning", true],
      ["blocked", false],
    ]);
  });

  it("does not count passive checks", async () => {
    const core = new AuthCore({
      serverURL: mock.server.url,
      security: { apiKey: mock.server.credentials.auth.apiKey },
    });
    for (let i = 0; i < 6; i++) {
      const access = await getAccess(core, { passive: true });
      expect(access.level).toBe("allowed");
    }
    expect(requestsTo(mock.server, ACCESS).map((r) => r.query.passive)).toEqual(Array(6).fill("true"));
    // The first counted generation is still the first one.
    expect((await getAccess(core, { passive: false })).message).toBe("Generation 1 of 4 on the free plan.");
  });

  it("answers allowed on paid plans", async () => {
    const platform = mock.server.credentials.auth.workspaces.find((w) => w.slug === "acme-platform")!;
    const access = await clientFor(mock.server, { security: { apiKey: platform.apiKey } }).getAccess();
    expect(access.level).toBe("allowed");
    expect(access.generationAllowed).toBe(true);
  });

  it.each([
    ["a numeric genLockId", { genLockId: 1 }],
    ["a string passive", { passive: "true" }],
    ["a null targetType", { targetType: null }],
  ])("rejects %s before sending anything", async (_label, input) => {
    const error = await rejectionOf(clientFor(mock.server).getAccess(input as never));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues).toHaveLength(1);
    expect((error as InvalidRequestError).issues[0]?.path).toBe(Object.keys(input)[0]);
    expect(mock.server.requests).toHaveLength(0);
  });

  it("throws a plain APIError (not AuthError) for its 4XX: the contract declares no error model", async () => {
    const auth = clientFor(mock.server, {
      security: { apiKey: mock.server.credentials.auth.unknown.apiKey },
    });
    const error = await rejectionOf(auth.getAccess());
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as APIError).status).toBe(401);
    expect((error as APIError).data).toEqual({ message: "Invalid API key.", status_code: 401 });
  });
});

describe(".withResponse()", () => {
  it("gives the data with the raw response and the attempt count", async () => {
    const { data, response, attempts, elapsedMs } = await clientFor(mock.server).getUser().withResponse();
    expect(data.email).toBe("ada@acme.example");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe(requestsTo(mock.server, USER)[0]?.requestId);
    expect(attempts).toBe(1);
    expect(elapsedMs).toBeGreaterThanOrEqual(0);
  });
});
