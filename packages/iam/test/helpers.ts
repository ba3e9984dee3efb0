// Shared test setup: one mock API per test file, clients wired to it, and a few probes.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { inspect } from "node:util";
import { type MockApi, startMockApi } from "@sdk/mock-api";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { IamClient, type IamClientOptions, parseServiceAccountCredentials } from "../src/index.js";

export const TOKEN_ROUTE = "POST /iam/v1/serviceAccounts:generateAccessToken";
export const KEYS_ROUTE = "GET /iam/v1/keys";
export const WHOAMI_ROUTE = "GET /iam/v1/whoami";

/** Starts one mock for the file (reset before each test) and returns a live handle. */
export function useMockApi(options: Parameters<typeof startMockApi>[0] = {}): { readonly server: MockApi } {
  const box = {} as { server: MockApi };
  beforeAll(async () => {
    box.server = await startMockApi(options);
  });
  beforeEach(() => box.server.reset());
  afterAll(() => box.server.close());
  return box;
}

/** A client on the mock with its API key; `serviceAccount: true` adds the seeded credentials. */
export function clientFor(
  server: MockApi,
  options: Omit<IamClientOptions, "security"> & { serviceAccount?: boolean; apiKey?: string } = {},
): IamClient {
  const { serviceAccount, apiKey, ...rest } = options;
  return new IamClient({
    serverURL: server.url,
    now: () => server.clock.now(),
    ...rest,
    security: {
      apiKeyAuth: apiKey ?? server.credentials.iam.apiKey,
      ...(serviceAccount
        ? { serviceAccount: parseServiceAccountCredentials(server.credentials.iam.serviceAccount) }
        : {}),
    },
  });
}

export function countRoute(server: MockApi, route: string): number {
  return server.requests.filter((r) => r.route === route).length;
}

/** Fails when any rendering of `value` contains one of the secrets. */
export function renderings(value: unknown): string[] {
  const out = [
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
    JSON.stringify(value) ?? "",
    String(value),
  ];
  if (value instanceof Error)
    out.push(
      value.message,
      value.stack ?? "",
      JSON.stringify((value as { toJSON?: () => unknown }).toJSON?.() ?? {}),
    );
  return out;
}

export function expectNoSecrets(value: unknown, secrets: readonly string[]): void {
  const texts = renderings(value);
  for (const secret of secrets) {
    for (const text of texts) {
      if (text.includes(secret)) {
        throw new Error(
          `a secret (${secret.length} chars) leaked into a rendering of ${String(typeof value)}`,
        );
      }
    }
  }
}

/** Pieces of a PEM body long enough to be unmistakably the key. */
export function keyFragments(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+|\\n/g, "");
  return [body.slice(0, 40), body.slice(400, 440), body.slice(-40)];
}

/** Rewrites JSON success bodies of matching requests, for upstream shapes the mock never sends. */
export function rewritingFetch(
  rewrite: (body: any, url: URL) => unknown,
  match: (url: URL) => boolean = () => true,
): typeof fetch {
  return async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!response.ok || !match(url)) return response;
    const body = rewrite(await response.json(), url);
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { "content-type": "application/json" },
    });
  };
}

/**
 * A key pair generated straight into PEM, then imported into KeyObjects. Never export a KeyObject
 * that `generateKeyPairSync` returned: on Node 20 that export can deadlock with the garbage collection
 * of the key-generation job (both wait on one mutex), hanging the whole test run.
 */
export function pemKeyPair(modulusLength = 2048): {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return {
    privateKey: createPrivateKey(privateKey),
    publicKey: createPublicKey(publicKey),
    privatePem: privateKey,
    publicPem: publicKey,
  };
}
