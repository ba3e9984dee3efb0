// Shared test setup: one mock API per test file, SDK clients on it, a QueryClient per test.
import { AuthClient, type AuthClientOptions } from "@sdk/auth";
import { IamClient, type IamClientOptions } from "@sdk/iam";
import { type MockApi, startMockApi } from "@sdk/mock-api";
import { QueryClient, type QueryFunctionContext, type QueryKey } from "@tanstack/query-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

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

/** A fresh QueryClient for each test (cleared after it, so no timer outlives the test). */
export function useQueryClient(): { readonly client: QueryClient } {
  const box = {} as { client: QueryClient };
  beforeEach(() => {
    box.client = new QueryClient();
  });
  afterEach(() => box.client.clear());
  return box;
}

export function authClient(server: MockApi, options: AuthClientOptions = {}): AuthClient {
  return new AuthClient({
    serverURL: server.url,
    security: { apiKey: server.credentials.auth.apiKey },
    ...options,
  });
}

export function iamClient(server: MockApi, options: IamClientOptions = {}): IamClient {
  return new IamClient({
    serverURL: server.url,
    security: { apiKeyAuth: server.credentials.iam.apiKey },
    ...options,
  });
}

/** Requests the mock answered on one route (`"GET /v1/user"`). */
export function countRoute(server: MockApi, route: string): number {
  return server.requests.filter((r) => r.route === route).length;
}

/** Every credential the mock seeded (Auth and IAM), to look for in keys and errors. */
export function seededSecrets(server: MockApi): string[] {
  const { auth, iam } = server.credentials;
  const out = [auth.apiKey, auth.bearer, auth.workspaceIdentifier, ...iam.apiKeys, iam.unknownApiKey];
  for (const w of auth.workspaces) out.push(w.apiKey, w.bearer, w.workspaceIdentifier);
  out.push(auth.unknown.apiKey, auth.unknown.bearer, auth.unknown.workspaceIdentifier);
  for (const account of iam.serviceAccounts) out.push(account.privateKey);
  return out;
}

/** Which secrets (by position, never the value) appear in `text`. */
export function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.flatMap((secret, i) => (text.includes(secret) ? [`secret #${i}`] : []));
}

/** Resolves to the rejection of `promise`; fails when it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but it resolved");
}

/**
 * A fetch that records each request's signal and how the real fetch (over loopback to the mock)
 * ended, and says when the first request was sent: how a test sees the SDK's request abort.
 */
export function observedFetch() {
  const signals: (AbortSignal | undefined)[] = [];
  /** Per request: `"status 200"` or the error's name (`"AbortError"` when the abort reached fetch). */
  const outcomes: Promise<string>[] = [];
  let sent!: () => void;
  const firstSent = new Promise<void>((resolve) => (sent = resolve));
  const fetch = (input: Request | string | URL, init?: RequestInit) => {
    signals.push(init?.signal ?? undefined);
    const response = globalThis.fetch(input, init);
    outcomes.push(
      response.then(
        (r) => `status ${r.status}`,
        (e: Error) => e.name,
      ),
    );
    sent();
    return response;
  };
  return { fetch, signals, outcomes, firstSent };
}

/**
 * Calls a query function as TanStack does, with a signal of the test's, and aborts that signal once
 * the request is out (`observed` must be the client's fetch). Resolves to how the call ended.
 */
export async function abortMidRequest<K extends QueryKey>(
  queryClient: QueryClient,
  options: { queryKey: K; queryFn: (context: QueryFunctionContext<K>) => Promise<unknown> },
  observed: ReturnType<typeof observedFetch>,
): Promise<unknown> {
  const controller = new AbortController();
  const call = options.queryFn({
    client: queryClient,
    queryKey: options.queryKey,
    signal: controller.signal,
    meta: undefined,
  } as QueryFunctionContext<K>);
  await observed.firstSent;
  controller.abort();
  return rejectionOf(call);
}
