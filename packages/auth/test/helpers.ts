// Shared test setup: one mock API per test file, clients wired to it, and rendering probes.
import { inspect } from "node:util";
import { type MockApi, type RequestLogEntry, startMockApi } from "@sdk/mock-api";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { AuthClient, type AuthClientOptions } from "../src/index.js";

export const VALIDATE = "GET /v1/auth/validate";
export const USER = "GET /v1/user";
export const ACCESS_TOKEN = "GET /v1/auth/access_token";
export const ACCESS = "GET /v1/workspace/access";

/** Starts one mock for the file (reset before each test) and returns a live handle. */
export function useMockApi(): { readonly server: MockApi } {
  const box = {} as { server: MockApi };
  beforeAll(async () => {
    box.server = await startMockApi({ port: 0 });
  });
  beforeEach(() => box.server.reset());
  afterAll(() => box.server.close());
  return box;
}

/** A client on the mock; the default workspace's API key unless `security` says otherwise. */
export function clientFor(server: MockApi, options: AuthClientOptions = {}): AuthClient {
  return new AuthClient({
    serverURL: server.url,
    security: { apiKey: server.credentials.auth.apiKey },
    ...options,
  });
}

export function requestsTo(server: MockApi, route: string): RequestLogEntry[] {
  return server.requests.filter((r) => r.route === route);
}

/** Every credential the mock seeded, plus any extra (e.g. issued access tokens). */
export function seededSecrets(server: MockApi, extra: readonly string[] = []): string[] {
  const { auth } = server.credentials;
  const out = [...extra, auth.apiKey, auth.bearer, auth.workspaceIdentifier];
  for (const w of auth.workspaces) out.push(w.apiKey, w.bearer, w.workspaceIdentifier);
  out.push(auth.unknown.apiKey, auth.unknown.bearer, auth.unknown.workspaceIdentifier);
  return out;
}

/** Every way an error (or anything) may end up in a log. */
export function renderings(value: unknown): string[] {
  const out = [
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
    JSON.stringify(value) ?? "",
    String(value),
  ];
  if (value instanceof Error) out.push(value.message, value.stack ?? "");
  return out;
}

export function leakedSecrets(value: unknown, secrets: readonly string[]): string[] {
  const texts = renderings(value);
  // Report which secret (by position) leaked, never the secret itself.
  return secrets.flatMap((secret, i) => (texts.some((t) => t.includes(secret)) ? [`secret #${i}`] : []));
}

/** Resolves to the rejection of `promise`; fails when it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
