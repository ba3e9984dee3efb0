import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inspect } from "node:util";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";
import * as schemas from "../src/schemas.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  name: string;
  version: string;
};

describe("package", () => {
  it("reports its own name and version in the user agent", () => {
    const core = new api.AuthCore();
    expect(core.api.sdk).toBe(pkg.name);
    expect(core.api.version).toBe(pkg.version);
    expect(core.toJSON()).toEqual({
      sdk: `${pkg.name}@${pkg.version}`,
      serverURL: schemas.AUTH_SERVERS.prod,
    });
  });

  it("exports the public API (pinned: a removal is a breaking change)", () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "ACCESS_LEVELS",
        "ACCOUNT_TYPES",
        "APIError",
        "AuthClient",
        "AuthCore",
        "AuthError",
        "BILLING_ADD_ONS",
        "ConnectionError",
        "InvalidRequestError",
        "RequestAbortedError",
        "RequestTimeoutError",
        "ResponseValidationError",
        "SDKError",
        "WORKSPACE_FEATURE_FLAGS",
        "getAccess",
        "getAccessToken",
        "getUser",
        "validateApiKey",
      ]
    `);
  });

  it("builds ESM and CJS with the same exports, for the root and ./schemas", async () => {
    const require = createRequire(import.meta.url);
    for (const [entry, source] of [
      ["index", api],
      ["schemas", schemas],
    ] as const) {
      const esm = await import(`../dist/${entry}.js`);
      const cjs = require(`../dist/${entry}.cjs`);
      expect(Object.keys(esm).sort()).toEqual(Object.keys(source).sort());
      expect(Object.keys(cjs).sort()).toEqual(Object.keys(source).sort());
    }
  });

  it("prints a client without its options (they hold credentials)", () => {
    const auth = new api.AuthClient({
      security: { apiKey: "k-123-secret" },
      serverURL: "http://localhost:1",
    });
    expect(inspect(auth)).toBe('AuthClient {"sdk":"@sdk/auth@0.1.0","serverURL":"http://localhost:1"}');
    expect(JSON.stringify(auth)).not.toContain("k-123-secret");
  });

  it("keeps getAccess's default retry policy as the contract's SDK had it", () => {
    expect(schemas.getAccessOperation.retry).toEqual({
      strategy: "backoff",
      backoff: { initialInterval: 100, maxInterval: 2000, exponent: 1.5, maxElapsedTime: 60_000 },
      retryConnectionErrors: true,
      statusCodes: [408, 500, 502, 503],
    });
    for (const op of [
      schemas.validateApiKeyOperation,
      schemas.getUserOperation,
      schemas.getAccessTokenOperation,
    ]) {
      expect(op.retry).toBeUndefined();
    }
  });
});

describe("schemas", () => {
  const wire = {
    workspace_id: "w",
    workspace_slug: "s",
    org_slug: "o",
    account_type_v2: "free",
    enabled_features: ["a"],
    telemetry_disabled: false,
    workspace_created_at: "2024-01-02T03:04:05.678Z",
  };

  it("parse wire JSON into the camelCase model, with a fresh [] default for billingAddOns", () => {
    const a = v.parse(schemas.ApiKeyDetailsSchema, wire);
    const b = v.parse(schemas.ApiKeyDetailsSchema, wire);
    expect(a).toEqual({
      workspaceId: "w",
      workspaceSlug: "s",
      orgSlug: "o",
      accountTypeV2: "free",
      enabledFeatures: ["a"],
      telemetryDisabled: false,
      workspaceCreatedAt: new Date("2024-01-02T03:04:05.678Z"),
      billingAddOns: [],
    });
    expect(a.billingAddOns).not.toBe(b.billingAddOns);
  });

  it("reject a date-time that is not one, naming the field", () => {
    const result = v.safeParse(schemas.ApiKeyDetailsSchema, { ...wire, workspace_created_at: "yesterday" });
    expect(result.success).toBe(false);
    expect(result.issues?.map((i) => v.getDotPath(i))).toEqual(["workspace_created_at"]);
  });

  it("accept unknown open-enum values and reject unknown access levels", () => {
    expect(v.parse(schemas.BillingAddOnSchema, "quantum_add_on")).toBe("quantum_add_on");
    expect(v.parse(schemas.WorkspaceFeatureFlagSchema, "new_flag")).toBe("new_flag");
    expect(v.safeParse(schemas.AccessLevelSchema, "maybe").success).toBe(false);
    expect(schemas.ACCESS_LEVELS).toEqual(["allowed", "warning", "blocked"]);
    expect(schemas.ACCOUNT_TYPES).toEqual(["free", "scale-up", "business", "enterprise"]);
  });

  it("read null and absent nullable members as null", () => {
    const user = {
      id: "u",
      email: "e",
      email_verified: true,
      display_name: "d",
      confirmed: true,
      whitelisted: false,
      admin: false,
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      github_handle: null,
    };
    expect(v.parse(schemas.UserSchema, user)).toMatchObject({
      githubHandle: null,
      photoUrl: null,
      defaultWorkspaceId: null,
      lastLoginAt: null,
    });
    expect(v.parse(schemas.FeatureFlagSchema, { feature_flag: "webhooks" })).toEqual({
      featureFlag: "webhooks",
      trialEndsAt: null,
    });
  });

  it("keep claims as sent and accept a token without workspaces or flags", () => {
    const token = v.parse(schemas.AccessTokenSchema, {
      access_token: "t",
      claims: { some_claim: { nested_key: 1 }, exp: 2 },
      user: {},
    });
    expect(token).toEqual({ accessToken: "t", claims: { some_claim: { nested_key: 1 }, exp: 2 }, user: {} });
  });
});
