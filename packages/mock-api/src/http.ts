// Shared plumbing of the route handlers: the response model, the request context, and the error shapes of
// the two APIs (Auth: `{ message, status_code }`; IAM: google.rpc.Status).
import type { IncomingHttpHeaders } from "node:http";
import { STATUS_CODES } from "node:http";
import type { DriftTargets } from "./faults.js";

export type ApiFamily = "auth" | "iam" | "control";

/** What a handler returns; the server serializes it (and faults may rewrite it first). */
export interface MockResponse {
  status: number;
  /** JSON body. */
  body?: unknown;
  /** Raw body (sent as is, with `contentType`). */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Set by an `expired-token`/`revoked-token` fault: handlers that check a bearer report it so. */
  tokenFault?: "expired-token" | "revoked-token";
}

export interface RouteDef {
  method: string;
  path: string;
  api: ApiFamily;
  handler(ctx: RequestContext): MockResponse | Promise<MockResponse>;
  /** Defaults of the `drift` fault for this route's success body. */
  drift?: DriftTargets;
  /** The route reads `Authorization: Bearer` (so `expired-token`/`revoked-token` faults can apply). */
  bearer?: boolean;
}

/** A header value, or undefined when absent or empty (an empty credential counts as not sent). */
export function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === "" ? undefined : s.trim();
}

/** `Authorization: Bearer <token>` → token; undefined when absent or another scheme. */
export function bearerToken(ctx: RequestContext): string | undefined {
  const auth = header(ctx, "authorization");
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m?.[1];
}

export function json(status: number, body: unknown, headers?: Record<string, string>): MockResponse {
  return headers ? { status, body, headers } : { status, body };
}

export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? "Unknown Status";
}

/** The Auth API's `Error` model. */
export function authError(status: number, message: string): MockResponse {
  return json(status, { message, status_code: status });
}

export const IAM_ERROR_DOMAIN = "iam.mock-api.invalid";

/** google.rpc.Code for an HTTP status, as gRPC-HTTP transcoding maps them. */
export function grpcCodeFor(status: number): number {
  const map: Record<number, number> = {
    400: 3,
    401: 16,
    403: 7,
    404: 5,
    405: 12,
    409: 10,
    412: 9,
    413: 3,
    429: 8,
    499: 1,
    500: 13,
    501: 12,
    502: 14,
    503: 14,
    504: 4,
  };
  return map[status] ?? (status >= 500 ? 13 : 2);
}

/** The IAM API's google.rpc.Status, with one ErrorInfo detail carrying a machine-readable reason. */
export function iamError(
  status: number,
  reason: string,
  message: string,
  metadata: Record<string, string> = {},
): MockResponse {
  return json(status, {
    code: grpcCodeFor(status),
    message,
    details: [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: IAM_ERROR_DOMAIN, metadata },
    ],
  });
}

/** An error in the shape of the API the path belongs to. */
export function apiError(api: ApiFamily, status: number, reason: string, message: string): MockResponse {
  return api === "iam" ? iamError(status, reason, message) : authError(status, message);
}

export function familyOf(path: string): ApiFamily {
  if (path.startsWith("/iam/")) return "iam";
  if (path.startsWith("/__mock/")) return "control";
  return "auth";
}
