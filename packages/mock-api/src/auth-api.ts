// The registry Auth API (spec/auth.openapi.yaml): validate, user, access_token, workspace access.
import {
  authError,
  bearerToken,
  header,
  json,
  type MockResponse,
  type RequestContext,
  type RouteDef,
} from "./http.js";
import { decodeJws, signJwt, verifyJws } from "./jwt.js";
import type { SeedUser, SeedWorkspace } from "./seed.js";
import { seed } from "./seed.js";
import type { MockState } from "./state.js";

/** Signs the Auth API's access tokens (HS256; only this mock verifies them). TEST-ONLY. */
const AUTH_TOKEN_SECRET = "mock-api auth access-token secret (test only)";
export const MOCK_AUTH_ISSUER = "https://auth.mock-api.invalid";

const byApiKey = new Map(seed.workspaces.map((w) => [w.apiKey, w]));
const byBearer = new Map(seed.workspaces.map((w) => [w.bearer, w]));
const byIdentifier = new Map(seed.workspaces.map((w) => [w.workspaceIdentifier, w]));
const byId = new Map(seed.workspaces.map((w) => [w.id, w]));
const usersById = new Map(seed.users.map((u) => [u.id, u]));

type Auth = { workspace: SeedWorkspace; user: SeedUser } | { error: MockResponse };

function resolved(workspace: SeedWorkspace | undefined, error: string): Auth {
  if (!workspace) return { error: authError(401, error) };
  return { workspace, user: usersById.get(workspace.ownerUserId)! };
}

/** A bearer is either a seeded static token or an access token issued by `GET /v1/auth/access_token`. */
function resolveBearer(ctx: RequestContext, state: MockState, token: string): Auth {
  if (ctx.tokenFault === "expired-token") return { error: authError(401, "The access token has expired.") };
  if (ctx.tokenFault === "revoked-token")
    return { error: authError(401, "The access token has been revoked.") };
  const seeded = byBearer.get(token);
  if (seeded) return resolved(seeded, "");
  const jws = decodeJws(token);
  if (jws?.header.alg !== "HS256" || !verifyJws(jws, "HS256", AUTH_TOKEN_SECRET)) {
    return { error: authError(401, "Invalid bearer token.") };
  }
  const { jti, exp, workspace_id } = jws.payload;
  if (typeof jti !== "string" || !state.issued.has(jti) || state.revoked.has(jti)) {
    return { error: authError(401, "The access token has been revoked.") };
  }
  if (typeof exp !== "number" || exp * 1000 <= state.clock.now()) {
    return { error: authError(401, "The access token has expired.") };
  }
  return resolved(byId.get(String(workspace_id)), "Invalid bearer token.");
}

/** Security: APIKey, then Bearer, then WorkspaceIdentifier; the first one present decides. */
function authenticate(ctx: RequestContext, state: MockState): Auth {
  const apiKey = header(ctx, "x-api-key");
  if (apiKey !== undefined) return resolved(byApiKey.get(apiKey), "Invalid API key.");
  if (header(ctx, "authorization") !== undefined) {
    const token = bearerToken(ctx);
    if (!token) return { error: authError(401, "Unsupported Authorization scheme: use Bearer.") };
    return resolveBearer(ctx, state, token);
  }
  const identifier = header(ctx, "x-workspace-identifier");
  if (identifier !== undefined)
    return resolved(byIdentifier.get(identifier), "Unknown workspace identifier.");
  return {
    error: authError(
      401,
      "Missing credentials: send x-api-key, Authorization: Bearer or x-workspace-identifier.",
    ),
  };
}

function apiKeyDetails(w: SeedWorkspace) {
  return {
    workspace_id: w.id,
    workspace_slug: w.slug,
    org_slug: w.orgSlug,
    account_type_v2: w.accountType,
    enabled_features: [...w.enabledFeatures],
    telemetry_disabled: w.telemetryDisabled,
    workspace_created_at: w.createdAt,
    generation_access_unlimited: w.accountType !== "free",
    feature_flags: w.featureFlags.map((f) => f.flag),
    billing_add_ons: [...w.billingAddOns],
  };
}

function userBody(u: SeedUser) {
  return {
    id: u.id,
    email: u.email,
    email_verified: u.emailVerified,
    display_name: u.displayName,
    confirmed: u.confirmed,
    whitelisted: u.whitelisted,
    admin: u.admin,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    github_handle: u.githubHandle,
    photo_url: u.photoUrl,
    default_workspace_id: u.defaultWorkspaceId,
    last_login_at: u.lastLoginAt,
    internal: u.internal,
    has_created_api_key: u.hasCreatedApiKey,
    pylon_identity_hash: `pyl_${u.id.slice(4)}`,
  };
}

function accessToken(state: MockState, w: SeedWorkspace) {
  const user = usersById.get(w.ownerUserId)!;
  const iat = Math.floor(state.clock.now() / 1000);
  const exp = iat + state.ttlSeconds;
  const jti = state.newJti();
  const claims = {
    iss: MOCK_AUTH_ISSUER,
    sub: user.id,
    email: user.email,
    workspace_id: w.id,
    org_slug: w.orgSlug,
    account_type: w.accountType,
    iat,
    exp,
    jti,
  };
  state.issued.set(jti, { api: "auth", exp });
  return {
    access_token: signJwt({ typ: "JWT" }, claims, "HS256", AUTH_TOKEN_SECRET),
    claims,
    user: {
      id: user.id,
      email: user.email,
      display_name: user.displayName,
      admin: user.admin,
      created_at: user.createdAt,
      email_verified: user.emailVerified,
    },
    workspaces: seed.workspaces
      .filter((o) => o.orgSlug === w.orgSlug)
      .map((o) => ({ id: o.id, name: o.name, updated_at: o.updatedAt, account_type: o.accountType })),
    feature_flags: w.featureFlags.map((f) => ({ feature_flag: f.flag, trial_ends_at: f.trialEndsAt })),
  };
}

function workspaceAccess(ctx: RequestContext, state: MockState, w: SeedWorkspace): MockResponse {
  const passive = ctx.query.get("passive");
  if (passive !== null && passive !== "true" && passive !== "false") {
    return authError(400, "Query parameter passive must be true or false.");
  }
  if (w.accountType !== "free") {
    return json(200, {
      generation_allowed: true,
      level: "allowed",
      message: `Generation allowed: unlimited generations on the ${w.accountType} plan.`,
    });
  }
  // A passive call reports what a counted call would answer, without counting it.
  const used = state.generations.get(w.id) ?? 0;
  const n = used + 1;
  const { warnAt, blockAt } = state.quota;
  if (n >= blockAt) {
    return json(200, {
      generation_allowed: false,
      level: "blocked",
      message: `Generation blocked: the free plan allows ${blockAt - 1} generations. Upgrade to keep generating.`,
    });
  }
  if (passive !== "true") state.generations.set(w.id, n);
  if (n >= warnAt) {
    return json(200, {
      generation_allowed: true,
      level: "warning",
      message: `Generation ${n} of ${blockAt - 1} on the free plan: you are close to the limit.`,
    });
  }
  return json(200, {
    generation_allowed: true,
    level: "allowed",
    message: `Generation ${n} of ${blockAt - 1} on the free plan.`,
  });
}

export function authRoutes(state: MockState): RouteDef[] {
  const guarded =
    (fn: (ctx: RequestContext, w: SeedWorkspace, u: SeedUser) => MockResponse) =>
    (ctx: RequestContext): MockResponse => {
      const auth = authenticate(ctx, state);
      return "error" in auth ? auth.error : fn(ctx, auth.workspace, auth.user);
    };
  return [
    {
      method: "GET",
      path: "/v1/auth/validate",
      bearer: true,
      api: "auth",
      handler: guarded((_ctx, w) => json(200, apiKeyDetails(w))),
      drift: { missing: "workspace_id", enumField: { path: "account_type_v2", value: "hyper-scale" } },
    },
    {
      method: "GET",
      path: "/v1/user",
      bearer: true,
      api: "auth",
      handler: guarded((_ctx, _w, u) => json(200, userBody(u))),
      drift: { missing: "email" },
    },
    {
      method: "GET",
      path: "/v1/auth/access_token",
      api: "auth",
      // No credentials on this operation (security: []): the workspace id alone selects the token.
      handler(ctx) {
        const id = ctx.query.get("workspace_id");
        if (!id) return authError(400, "Missing required query parameter workspace_id.");
        const w = byId.get(id);
        if (!w) return authError(404, `Workspace ${id} not found.`);
        return json(200, accessToken(state, w));
      },
      drift: {
        missing: "access_token",
        enumField: { path: "workspaces.0.account_type", value: "hyper-scale" },
      },
    },
    {
      method: "GET",
      path: "/v1/workspace/access",
      bearer: true,
      api: "auth",
      handler: guarded((ctx, w) => workspaceAccess(ctx, state, w)),
      drift: { missing: "generation_allowed", enumField: { path: "level", value: "maybe" } },
    },
  ];
}
