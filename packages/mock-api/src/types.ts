// Public types of @sdk/mock-api. Kept in one file so the README and the .d.ts read the same.

/** Account types of the Auth API (an open enum upstream). */
export type AccountType = "free" | "scale-up" | "business" | "enterprise";

/** The service-account credentials file of the IAM API, exactly as issued (see spec/iam-service-accounts.md). */
export interface ServiceAccountCredentials {
  /** PKCS#8 PEM, RSA-2048. TEST-ONLY key, published with this package. */
  privateKey: string;
  name: string;
  organization: string;
  type: "serviceAccount";
}

/** One seeded Auth API workspace with the three credentials that select it. */
export interface SeededWorkspaceCredentials {
  id: string;
  slug: string;
  name: string;
  orgSlug: string;
  accountType: AccountType;
  /** `x-api-key` */
  apiKey: string;
  /** `Authorization: Bearer <bearer>` */
  bearer: string;
  /** `x-workspace-identifier` */
  workspaceIdentifier: string;
  /** The user the credentials belong to (`GET /v1/user`). */
  userId: string;
  userEmail: string;
}

export interface SeededAuthCredentials {
  /** Credentials of the default workspace (`workspaces[0]`, the free one: it has a generation quota). */
  apiKey: string;
  bearer: string;
  workspaceIdentifier: string;
  workspaceId: string;
  workspaceSlug: string;
  orgSlug: string;
  userId: string;
  userEmail: string;
  /** Every seeded workspace: free, scale-up, business, enterprise (in that order). */
  workspaces: readonly SeededWorkspaceCredentials[];
  /** Well-formed values the server does NOT know (for 401 tests). */
  unknown: { apiKey: string; bearer: string; workspaceIdentifier: string; workspaceId: string };
}

export interface SeededIamCredentials {
  /** `x-api-key` for every IAM route. */
  apiKey: string;
  /** All accepted IAM API keys (the first is `apiKey`). */
  apiKeys: readonly string[];
  /** A key the server rejects. */
  unknownApiKey: string;
  /** Credentials file of the first seeded service account. */
  serviceAccount: ServiceAccountCredentials;
  /** Credentials files of every seeded service account. */
  serviceAccounts: readonly ServiceAccountCredentials[];
  /** The `sub` claim of each service account's access tokens, in the order of `serviceAccounts`. */
  serviceAccountIds: readonly string[];
  /** A well-formed credentials file (valid key pair) whose name/organization is not registered: 401. */
  unknownServiceAccount: ServiceAccountCredentials;
  /** `iss` of the access tokens the mock issues: `"apexapis.com"`. */
  issuer: string;
  /** `aud` of the access tokens the mock issues: `"apexapis.com"`. */
  audience: string;
}

/**
 * `T` with every member, at every depth, read-only: the type of the seed objects, which are also
 * frozen at run time (a write is a compile error, and a TypeError in strict mode).
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** What `server.credentials`, `seededCredentials` and `GET /__mock/credentials` hold. */
export interface SeededCredentials {
  auth: SeededAuthCredentials;
  iam: SeededIamCredentials;
}

/** The mock's clock: every time-dependent decision (token expiry, JWS replay window, `iat`) reads it. */
export interface MockClock {
  /** Current time, ms since the epoch. */
  now(): number;
  /** Move the clock forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  /** Jump to an absolute time (ms since the epoch); the clock keeps running from there. */
  set(ms: number): void;
}

/**
 * Which requests a queued fault applies to: `"GET /v1/auth/validate"` (method + path prefix),
 * `"/iam/v1"` (path prefix, any method). Omitted: any API request (never `/__mock/*` or preflights).
 */
export type RouteFilter = string;

export interface FaultBase {
  /** Queue form only: which requests it hits. */
  route?: RouteFilter;
  /** Queue form only: how many matching requests it hits (default 1). */
  count?: number;
}

/** Destroy the socket without a response. */
export interface ResetFault extends FaultBase {
  kind: "reset";
}
/** Wait `ms` (real time), then answer normally. */
export interface DelayFault extends FaultBase {
  kind: "delay";
  ms: number;
}
/** Answer `status` with the route's API error shape (or `body`), plus retry headers when given. */
export interface StatusFault extends FaultBase {
  kind: "status";
  status: number;
  /** `Retry-After` value: seconds or an HTTP-date. */
  retryAfter?: string | number;
  /** `retry-after-ms` value. */
  retryAfterMs?: number;
  /** Replaces the error body: a string is sent as text/plain, anything else as JSON. */
  body?: unknown;
}
/** Header form (with `x-mock-fault-key`): the first `times` requests with that key fail with `status`. */
export interface FailThenSucceedFault extends FaultBase {
  kind: "fail-then-succeed";
  times: number;
  status: number;
  retryAfter?: string | number;
  retryAfterMs?: number;
}
/** The normal response with its body cut in half (Content-Length matches the cut body). */
export interface TruncateFault extends FaultBase {
  kind: "truncate";
}
/** A 502 with an HTML page, like a misconfigured proxy. */
export interface HtmlFault extends FaultBase {
  kind: "html";
}
/** The normal response labelled `content-type: text/plain`. */
export interface ContentTypeFault extends FaultBase {
  kind: "content-type";
}
export type DriftMode = "extra-field" | "missing-field" | "unknown-enum";
/** The normal success body, drifted from the contract. */
export interface DriftFault extends FaultBase {
  kind: "drift";
  mode: DriftMode;
  /** Field to add/remove/alter (dotted path, e.g. `workspaces.0.account_type`); each route has a default. */
  field?: string;
}
/** Treat the presented bearer token as expired (401). Only hits requests that carry `Authorization: Bearer`. */
export interface ExpiredTokenFault extends FaultBase {
  kind: "expired-token";
}
/** Treat the presented bearer token as revoked (401). Only hits requests that carry `Authorization: Bearer`. */
export interface RevokedTokenFault extends FaultBase {
  kind: "revoked-token";
}

export type FaultSpec =
  | ResetFault
  | DelayFault
  | StatusFault
  | FailThenSucceedFault
  | TruncateFault
  | HtmlFault
  | ContentTypeFault
  | DriftFault
  | ExpiredTokenFault
  | RevokedTokenFault;

export type FaultKind = FaultSpec["kind"];

export interface FaultQueue {
  /** Queue one or more faults; they are consumed in order by matching requests. Throws on an invalid spec. */
  add(fault: FaultSpec | readonly FaultSpec[]): void;
  /** Drop every queued fault (and the fail-then-succeed counters). */
  clear(): void;
  /** The faults still queued, with their remaining counts. */
  pending(): FaultSpec[];
}

/** One handled request, with credentials redacted. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased names; `x-api-key`, `authorization`, `x-workspace-identifier` values are `"[present]"`. */
  headers: Record<string, string>;
  /** Parsed JSON body with `jws`/`access_token`/`privateKey` values replaced by `"[redacted]"`. */
  body?: unknown;
  /** Response status; 0 when a `reset` fault destroyed the socket. */
  status: number;
  /** The matched route, e.g. `"GET /v1/auth/validate"`. */
  route?: string;
  /** The fault applied to this request, if any. */
  fault?: FaultKind;
  /** The `x-request-id` the response carried. */
  requestId: string;
  /** Mock clock time at arrival (ms epoch). */
  at: number;
  /** Real handling time in ms. */
  durationMs: number;
}

export interface QuotaOptions {
  /** The Nth counted generation gets level `warning` when N >= warnAt. */
  warnAt: number;
  /** The Nth counted generation gets level `blocked` (generation_allowed false) when N >= blockAt. */
  blockAt: number;
}

export interface MockApiOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Loopback only: `127.0.0.1` (default), `localhost`, `::1` or any 127.x.y.z. Anything else is rejected. */
  host?: string;
  /** Time source (ms epoch) the clock runs on; default `Date.now`. */
  now?: () => number;
  /** How many keys `GET /iam/v1/keys` lists (default 250, min 1). Filler keys are derived lazily: 100,000 is cheap. */
  signingKeyCount?: number;
  /** Lifetime of issued access tokens (IAM and Auth), seconds (default 3600). */
  accessTokenTtlSeconds?: number;
  /** Generation quota of free workspaces (default `{ warnAt: 3, blockAt: 5 }`). */
  quota?: QuotaOptions;
  /** Algorithm of the IAM access tokens (default `"PS256"`, as upstream). */
  tokenAlgorithm?: "PS256" | "RS256";
  /** Print one line per request (`true`: to stdout), or pass a sink. Never prints credentials. */
  logRequests?: boolean | ((line: string) => void);
  /** Most recent entries kept in `requests` (default 5000). */
  maxLogEntries?: number;
}

/** The IAM issuer's public facts, handy to verify tokens in tests. */
export interface IssuerInfo {
  /** `iss` claim. */
  issuer: string;
  /** `kid` of the key that signs new access tokens. */
  activeKid: string;
  /** `kid`s of the keys that really sign (the others listed are fillers). */
  signingKids: readonly string[];
  /** Total listed keys. */
  keyCount: number;
  /** Algorithm of new access tokens. */
  tokenAlgorithm: "PS256" | "RS256";
}

export interface MockApi {
  /** `http://127.0.0.1:PORT`: both APIs (`/v1/...`, `/iam/v1/...`) and the control endpoints (`/__mock/...`). */
  readonly url: string;
  readonly port: number;
  readonly credentials: DeepReadonly<SeededCredentials>;
  readonly clock: MockClock;
  readonly faults: FaultQueue;
  readonly issuer: IssuerInfo;
  /** The redacted request log (live array, oldest first; `/__mock/*` requests are not logged). */
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  /** Revoke every access token issued so far (IAM and Auth): their next protected use gets a 401. */
  revokeTokens(): void;
  /** Back to the seed: quotas, issued tokens, faults, fault keys, request log, clock offset. */
  reset(): void;
  /** Stop listening and destroy every open socket and pending timer. Idempotent. */
  close(): Promise<void>;
}
