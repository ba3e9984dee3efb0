// What the Auth API is: its servers, its security schemes and the description the transport reads.
// (Same role as packages/iam/src/api.ts; the transport class itself is in core.ts.)
import type { ApiDescription } from "@core/http";
// Inlined by the bundler (only these two strings): `changeset version` bumps one place, not two.
import { name as SDK_NAME, version as SDK_VERSION } from "../package.json";

/** The servers of the Auth API; `prod` is the default. */
export const AUTH_SERVERS = {
  prod: "https://api.prod.speakeasy.com",
} as const satisfies Record<AuthServer, string>;
/** A named server of the Auth API (`AUTH_SERVERS` in `@sdk/auth/schemas` has their URLs). */
export type AuthServer = "prod";
export const DEFAULT_SERVER: AuthServer = "prod";

/**
 * Credentials of an Auth client (or of one call). Set one: when several are set, the first in this
 * order is sent (the contract's order).
 */
export interface AuthSecurity {
  /** An API key, sent as `x-api-key`. */
  apiKey?: string | undefined;
  /** A bearer token (e.g. an `accessToken` from `getAccessToken`), sent as `Authorization: Bearer`. */
  bearer?: string | undefined;
  /** A workspace identifier, sent as `x-workspace-identifier`. */
  workspaceIdentifier?: string | undefined;
}

export const AUTH_API: ApiDescription<AuthSecurity> = {
  sdk: SDK_NAME,
  version: SDK_VERSION,
  servers: AUTH_SERVERS,
  defaultServer: DEFAULT_SERVER,
  securitySchemes: [
    { field: "apiKey", type: "apiKey", in: "header", name: "x-api-key" },
    { field: "bearer", type: "http", scheme: "bearer" },
    { field: "workspaceIdentifier", type: "apiKey", in: "header", name: "x-workspace-identifier" },
  ],
};
