// @vitest-environment edge-runtime
// The transport in an edge runtime (Vercel's @edge-runtime/vm: web globals only, its own fetch, Request,
// Headers, AbortController): an end-to-end request to a real server, a retry, a timeout and typed errors.
import { APIError, RequestTimeoutError, ResponseValidationError } from "@sdk/errors";
import { type MockApi, startMockApi } from "@sdk/mock-api";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dateTime, defineOperation, HttpClient, openEnum, wireObject } from "../src/index.js";

let server: MockApi;
beforeAll(async () => {
  server = await startMockApi({ port: 0, signingKeyCount: 12 });
});
afterAll(() => server.close());

interface Security {
  apiKey?: string;
}
const client = (options: { timeoutMs?: number } = {}) =>
  new HttpClient<Security>(
    {
      sdk: "@test/edge",
      version: "0.0.0",
      servers: { mock: server.url },
      defaultServer: "mock",
      securitySchemes: [{ field: "apiKey", type: "apiKey", in: "header", name: "x-api-key" }],
    },
    {
      security: { apiKey: server.credentials.auth.apiKey },
      retries: {
        strategy: "backoff",
        backoff: { initialInterval: 5, maxInterval: 10 },
        retryConnectionErrors: true,
      },
      ...options,
    },
  );

const validate = defineOperation({
  id: "validateApiKey",
  method: "GET",
  path: "/v1/auth/validate",
  output: wireObject({
    workspace_id: v.string(),
    account_type_v2: openEnum(["free", "scale-up", "business", "enterprise"]),
    workspace_created_at: dateTime(),
  }),
});

describe("edge runtime", () => {
  it("runs in the edge VM, not plain Node", () => {
    expect((globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe("edge-runtime");
  });

  it("sends a request end to end and converts the response", async () => {
    const { data, attempts, response } = await client().request(validate, undefined).withResponse();
    expect(attempts).toBe(1);
    expect(response.status).toBe(200);
    expect(data.workspaceId).toBe(server.credentials.auth.workspaceId);
    expect(data.workspaceCreatedAt.getTime()).not.toBeNaN();
  });

  it("retries a 503, times out and raises typed errors", async () => {
    server.faults.add({ kind: "status", status: 503, route: "GET /v1/auth/validate" });
    await expect(client().request(validate, undefined).withResponse()).resolves.toMatchObject({
      attempts: 2,
    });
    await expect(
      client({ timeoutMs: 50 }).request(validate, undefined, {
        headers: { "x-mock-fault": "delay;ms=2000" },
        retries: { strategy: "none" },
      }),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(
      client().request(validate, undefined, { headers: { "x-mock-fault": "drift;mode=missing-field" } }),
    ).rejects.toBeInstanceOf(ResponseValidationError);
    await expect(
      client().request(validate, undefined, { security: { apiKey: "nope" } }),
    ).rejects.toBeInstanceOf(APIError);
  });
});
