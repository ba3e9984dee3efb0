// Stage "deadlines": `timeoutMs` bounds each attempt, credentials included; `totalTimeoutMs` bounds
// the whole call (attempts, waits, credential refreshes) and ends it with DeadlineExceededError.
import { DeadlineExceededError, RequestAbortedError, RequestTimeoutError, SDKError } from "@sdk/errors";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { type ApiDescription, DEFAULT_TOTAL_TIMEOUT_MS, defineOperation, HttpClient } from "../src/index.js";
import { FAST_RETRY, useTestServer } from "./support/client.js";
import { sendJSON, type TestServer, wait } from "./support/server.js";

let server: TestServer;
useTestServer((s) => {
  server = s;
});

interface Sec {
  token?: string;
}

/** An API whose only scheme fetches a token that never comes (until its signal fires). */
function hangingTokenAPI(seen: { signal?: AbortSignal }): ApiDescription<Sec> {
  return {
    sdk: "@test/hanging",
    version: "0.0.0",
    servers: { local: "http://127.0.0.1:9" },
    defaultServer: "local",
    securitySchemes: [
      {
        field: "token",
        type: "custom",
        apply(_value, ctx) {
          seen.signal = ctx.signal;
          return new Promise(() => {}); // a token endpoint that hangs
        },
      },
    ],
  };
}

const ok = defineOperation({
  id: "ok",
  method: "GET",
  path: "/ok",
  output: v.object({ ok: v.boolean() }),
});

describe("timeoutMs covers obtaining credentials", () => {
  it("a hanging token: RequestTimeoutError within about the timeout, and apply's signal fires", async () => {
    const seen: { signal?: AbortSignal } = {};
    const sdk = new HttpClient(hangingTokenAPI(seen), { serverURL: server.url, security: { token: "t" } });
    const started = Date.now();
    const error = await sdk
      .request(ok, undefined, { timeoutMs: 300, retries: { strategy: "none" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen.signal?.aborted).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it("without timeoutMs, totalTimeoutMs ends the same wait with DeadlineExceededError", async () => {
    const seen: { signal?: AbortSignal } = {};
    const sdk = new HttpClient(hangingTokenAPI(seen), {
      serverURL: server.url,
      security: { token: "t" },
      totalTimeoutMs: 300,
    });
    const error = await sdk.request(ok, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).not.toBeInstanceOf(RequestAbortedError);
    expect((error as DeadlineExceededError).totalTimeoutMs).toBe(300);
    expect(seen.signal?.aborted).toBe(true);
  });
});

describe("totalTimeoutMs", () => {
  const noAuth = { ...ok, security: null };
  const api: ApiDescription<unknown> = {
    sdk: "@test/plain",
    version: "0.0.0",
    servers: { local: "http://127.0.0.1:9" },
    defaultServer: "local",
    securitySchemes: [],
  };

  it("has a documented default, so a call with no options never hangs forever", () => {
    expect(DEFAULT_TOTAL_TIMEOUT_MS).toBe(120_000);
  });

  it("bounds every attempt and wait of a call (per call), as DeadlineExceededError", async () => {
    server.route("GET", "/ok", async (_req, res) => {
      await wait(150);
      sendJSON(res, 503, { message: "busy" });
    });
    const started = Date.now();
    const error = await new HttpClient(api, { serverURL: server.url, retries: FAST_RETRY })
      .request(noAuth, undefined, { totalTimeoutMs: 400 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(900);
    expect((error as DeadlineExceededError).attempts).toBeGreaterThanOrEqual(1);
  });

  it("ends a slow response mid-way (per client)", async () => {
    server.route("GET", "/ok", async (_req, res) => {
      await wait(2000);
      sendJSON(res, 200, { ok: true });
    });
    const started = Date.now();
    const error = await new HttpClient(api, { serverURL: server.url, totalTimeoutMs: 250 })
      .request(noAuth, undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toBeInstanceOf(SDKError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("leaves the caller's own abort a RequestAbortedError", async () => {
    server.route("GET", "/ok", async (_req, res) => {
      await wait(2000);
      sendJSON(res, 200, { ok: true });
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await new HttpClient(api, { serverURL: server.url, totalTimeoutMs: 5000 })
      .request(noAuth, undefined, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
  });
});
