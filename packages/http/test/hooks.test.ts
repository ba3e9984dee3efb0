// Hooks: beforeRequest (after security, once per attempt), afterSuccess and afterError, and what a
// throwing hook turns into.
import { APIError, ConnectionError, RequestTimeoutError, SDKError } from "@sdk/errors";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defineOperation, type HookContext, type Hooks } from "../src/index.js";
import { client, EchoSchema, FAST_RETRY } from "./support/client.js";
import { sendJSON, startTestServer, type TestServer, wait } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const secured = defineOperation({ id: "securedEcho", method: "GET", path: "/echo", output: EchoSchema });
const Ok = v.object({ ok: v.boolean() });
const flaky = defineOperation({ id: "flaky", method: "GET", path: "/flaky", output: Ok, security: null });

function statuses(list: number[]) {
  let i = 0;
  server.route("GET", "/flaky", (_req, res) => {
    const status = list[i++] ?? 200;
    sendJSON(res, status, status === 200 ? { ok: true } : { message: `status ${status}` });
  });
}

/** Any call context on the test server (the same object for every attempt of a call). */
const thisCall = () =>
  expect.objectContaining({ operationId: expect.any(String), url: expect.stringContaining(server.url) });

describe("beforeRequest", () => {
  it("runs once per attempt, after security, with the operation's context", async () => {
    statuses([503, 200]);
    const seen: { ctx: HookContext; apiKey: string | null }[] = [];
    const sdk = client(server.url, {
      security: { apiKey: "key-1" },
      retries: FAST_RETRY,
      hooks: {
        beforeRequest(ctx, request) {
          seen.push({ ctx: { ...ctx }, apiKey: request.headers.get("x-api-key") });
        },
      },
    });
    const op = defineOperation({ id: "flakySecured", method: "GET", path: "/flaky", output: Ok });
    await sdk.request(op, undefined);
    expect(seen).toEqual([
      {
        ctx: {
          operationId: "flakySecured",
          method: "GET",
          baseURL: server.url,
          attempt: 1,
          call: thisCall(),
        },
        apiKey: "key-1",
      },
      {
        ctx: {
          operationId: "flakySecured",
          method: "GET",
          baseURL: server.url,
          attempt: 2,
          call: thisCall(),
        },
        apiKey: "key-1",
      },
    ]);
  });

  it("can add a header", async () => {
    const sdk = client(server.url, {
      security: { apiKey: "key-1" },
      hooks: {
        beforeRequest(_ctx, request) {
          request.headers.set("x-trace-id", "trace-1");
        },
      },
    });
    const echo = await sdk.request(secured, undefined);
    expect(echo.headers["x-trace-id"]).toBe("trace-1");
    expect(echo.headers["x-api-key"]).toBe("key-1");
  });

  it("can replace the Request", async () => {
    const sdk = client(server.url, {
      security: { apiKey: "key-1" },
      hooks: {
        beforeRequest(_ctx, request) {
          const url = new URL(request.url);
          url.pathname = "/echo/v2";
          url.searchParams.set("via", "hook");
          return new Request(url, request);
        },
      },
    });
    const echo = await sdk.request(secured, undefined);
    expect(echo.url).toBe("/echo/v2?via=hook");
    expect(echo.headers["x-api-key"]).toBe("key-1");
  });

  it("keeps the attempt's timeout on a replaced Request", async () => {
    server.route("GET", "/slow", async (_req, res) => {
      await wait(1500);
      if (!res.destroyed) sendJSON(res, 200, { ok: true });
    });
    const sdk = client(server.url, {
      timeoutMs: 80,
      hooks: { beforeRequest: (_ctx, request) => new Request(request.url.replace("/flaky", "/slow")) },
    });
    const started = Date.now();
    await expect(sdk.request(flaky, undefined)).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("runs several hooks in order, each seeing the previous one's Request", async () => {
    const order: string[] = [];
    const hooks: Hooks[] = [
      {
        beforeRequest(_ctx, request) {
          order.push("a");
          const next = new Request(request);
          next.headers.set("x-step", "a");
          return next;
        },
      },
      {
        beforeRequest(_ctx, request) {
          order.push(`b saw ${request.headers.get("x-step")}`);
        },
      },
    ];
    await client(server.url, { security: { apiKey: "k" }, hooks }).request(secured, undefined);
    expect(order).toEqual(["a", "b saw a"]);
  });
});

describe("afterSuccess", () => {
  it("can replace the response", async () => {
    statuses([200]);
    const contexts: HookContext[] = [];
    const sdk = client(server.url, {
      hooks: {
        afterSuccess(ctx, response) {
          contexts.push(ctx);
          expect(response.status).toBe(200);
          return Response.json({ ok: false });
        },
      },
    });
    await expect(sdk.request(flaky, undefined)).resolves.toEqual({ ok: false });
    expect(contexts).toEqual([
      {
        operationId: "flaky",
        method: "GET",
        baseURL: server.url,
        attempt: 1,
        call: thisCall(),
      },
    ]);
  });

  it("is not called for an error response", async () => {
    statuses([404]);
    let called = false;
    const sdk = client(server.url, {
      hooks: {
        afterSuccess() {
          called = true;
        },
      },
    });
    await expect(sdk.request(flaky, undefined)).rejects.toBeInstanceOf(APIError);
    expect(called).toBe(false);
  });
});

describe("afterError", () => {
  it("sees the typed error and can replace the response (e.g. from a cache)", async () => {
    statuses([500]);
    const seen: unknown[] = [];
    const sdk = client(server.url, {
      hooks: {
        afterError(_ctx, response, error) {
          seen.push(response?.status, error);
          return { response: Response.json({ ok: true }) };
        },
      },
    });
    const { data, response } = await sdk.request(flaky, undefined).withResponse();
    expect(data).toEqual({ ok: true });
    expect(response.status).toBe(200);
    expect(seen[0]).toBe(500);
    expect(seen[1]).toBeInstanceOf(APIError);
  });

  it("a replacement error response is judged like any response", async () => {
    statuses([500]);
    const sdk = client(server.url, {
      hooks: { afterError: () => ({ response: Response.json({ message: "gone" }, { status: 410 }) }) },
    });
    await expect(sdk.request(flaky, undefined)).rejects.toMatchObject({ status: 410 });
  });

  it("can replace the error, which is thrown at once without a retry", async () => {
    statuses([503, 503]);
    class QuotaError extends SDKError {
      static override readonly kind: string = "@test/sdk.QuotaError";
    }
    const replacement = new QuotaError("quota exhausted");
    const sdk = client(server.url, {
      retries: FAST_RETRY,
      hooks: { afterError: () => ({ error: replacement }) },
    });
    await expect(sdk.request(flaky, undefined)).rejects.toBe(replacement);
    expect(server.requests).toHaveLength(1);
  });

  it("wraps a replacement that is not an SDKError", async () => {
    statuses([503]);
    const plain = new Error("plain");
    const sdk = client(server.url, { hooks: { afterError: () => ({ error: plain }) } });
    const error = await sdk.request(flaky, undefined).catch((e) => e);
    expect(error).toBeInstanceOf(SDKError);
    expect((error as SDKError).cause).toBe(plain);
  });

  it("sees a connection error with no response", async () => {
    server.route("GET", "/flaky", (_req, res) => void res.socket?.destroy());
    const seen: unknown[] = [];
    const sdk = client(server.url, {
      hooks: {
        afterError(_ctx, response, error) {
          seen.push(response, error);
        },
      },
    });
    await expect(sdk.request(flaky, undefined)).rejects.toBeInstanceOf(ConnectionError);
    expect(seen[0]).toBeUndefined();
    expect(seen[1]).toBeInstanceOf(ConnectionError);
  });

  it("runs for every failed attempt, before the retry decision", async () => {
    statuses([503, 502]);
    const attempts: number[] = [];
    const sdk = client(server.url, {
      retries: FAST_RETRY,
      hooks: { afterError: (ctx) => void attempts.push(ctx.attempt) },
    });
    await sdk.request(flaky, undefined);
    expect(attempts).toEqual([1, 2]);
  });
});

describe("a hook that throws", () => {
  const cases: [string, Hooks][] = [
    ["beforeRequest", { beforeRequest: () => Promise.reject(new Error("boom in beforeRequest")) }],
    [
      "afterSuccess",
      {
        afterSuccess: () => {
          throw new Error("boom in afterSuccess");
        },
      },
    ],
    [
      "afterError",
      {
        afterError: () => {
          throw new TypeError("boom in afterError");
        },
      },
    ],
  ];

  it.each(cases)("%s: surfaces as an SDKError with the cause, not retried", async (name, hooks) => {
    statuses(name === "afterError" ? [503, 503] : []);
    const error = await client(server.url, { hooks, retries: FAST_RETRY })
      .request(flaky, undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(SDKError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect((error as SDKError).message).toContain(name);
    expect((error as SDKError).cause).toBeInstanceOf(Error);
    expect(((error as SDKError).cause as Error).message).toContain(`boom in ${name}`);
    expect(server.requests).toHaveLength(name === "beforeRequest" ? 0 : 1);
  });

  it("lets a typed error a hook throws pass through unchanged", async () => {
    const typed = new SDKError("typed");
    const error = await client(server.url, {
      hooks: {
        beforeRequest: () => {
          throw typed;
        },
      },
    })
      .request(flaky, undefined)
      .catch((e) => e);
    expect(error).toBe(typed);
  });
});
