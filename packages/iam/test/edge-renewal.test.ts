// Token renewal on an edge runtime: the BUILT package in workerd (miniflare), one client per isolate
// as in the README's edge-worker example, no waitUntil. Workers drop a promise nobody awaits when the request
// that started it ends; a protected call after the token expired must still succeed, within seconds.
import { type MockApi, startMockApi } from "@sdk/mock-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "./workerd.js";

const TTL_SECONDS = 12;

const WORKER = `
import { IamClient, parseServiceAccountCredentials } from "@sdk/iam";

let iam; // one client per isolate: its token cache outlives a request

export default {
  async fetch(request, env) {
    iam ??= new IamClient({
      serverURL: env.MOCK_URL,
      // Renew early from a tenth of the lifetime on: the second request below starts an early
      // renewal that nobody awaits (no waitUntil), which workerd drops with the request.
      tokenRefresh: { ratio: 0.9 },
      security: {
        apiKeyAuth: env.IAM_API_KEY,
        serviceAccount: parseServiceAccountCredentials(env.IAM_SERVICE_ACCOUNT_JSON),
      },
    });
    try {
      const who = await iam.callProtected({ path: "/iam/v1/whoami" });
      return Response.json({ ok: true, who, stats: iam.serviceAccountTokens.stats() });
    } catch (error) {
      return Response.json({ ok: false, error: String(error) }, { status: 500 });
    }
  },
};
`;

let mock: MockApi;
let worker: Worker;

beforeAll(async () => {
  mock = await startMockApi({ accessTokenTtlSeconds: TTL_SECONDS });
  worker = await startWorker(WORKER, {
    MOCK_URL: mock.url,
    IAM_API_KEY: mock.credentials.iam.apiKey,
    IAM_SERVICE_ACCOUNT_JSON: JSON.stringify(mock.credentials.iam.serviceAccount),
  });
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await mock?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  ok: boolean;
  who?: { sub: string; exp: number };
  stats?: Record<string, number>;
}

/** A bound, not a timing: a call that hangs (joined a dropped renewal) fails here instead of forever. */
async function protectedCall(): Promise<Answer> {
  const response = await worker.fetch("/", 15_000);
  return (await response.json()) as never;
}

/** Sleeps until `ms` since the epoch (the mock's clock is real time here). */
const until = (ms: number) => sleep(Math.max(0, ms - Date.now()));

describe("renewal in workerd (miniflare), one client per isolate, no waitUntil", () => {
  it("a protected call after the first token expired succeeds within seconds", async () => {
    const first = await protectedCall();
    expect(first.ok).toBe(true);
    expect(first.who?.sub).toBe(mock.credentials.iam.serviceAccountIds[0]);

    const expiresAt = first.who!.exp * 1000;

    // Inside the early-renewal window (after the first tenth of the lifetime): served from the cache,
    // an early renewal starts, and workerd drops it with the request (nobody awaits it, no waitUntil).
    await until(expiresAt - 6000);
    const early = await protectedCall();
    expect(early.ok).toBe(true);
    expect(early.stats?.backgroundRenewals).toBeGreaterThanOrEqual(1);

    // Past the first token's expiry: this call must renew itself.
    await until(expiresAt + 1000);
    const afterExpiry = await protectedCall();
    expect(afterExpiry.ok).toBe(true);
    expect(afterExpiry.who?.sub).toBe(mock.credentials.iam.serviceAccountIds[0]);
    const again = await protectedCall();
    expect(again.ok).toBe(true);
  }, 90_000);
});
