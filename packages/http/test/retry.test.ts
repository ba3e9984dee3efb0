// Retries, timeouts and aborts: the policy itself (unit) and its behaviour against a real server.
import {
  APIError,
  ConnectionError,
  DeadlineExceededError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
} from "@sdk/errors";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type BackoffConfig,
  backoffDelay,
  DEFAULT_RETRY_CODES,
  defineOperation,
  MIN_RETRY_DELAY_MS,
  type RetryConfig,
  retryAfterMs,
} from "../src/index.js";
import { client, FAST_RETRY } from "./support/client.js";
import { sendJSON, startTestServer, type TestServer, wait } from "./support/server.js";

describe("backoffDelay", () => {
  const backoff: BackoffConfig = {
    initialInterval: 400,
    maxInterval: 4000,
    exponent: 2,
    maxElapsedTime: 60_000,
  };

  it("grows exponentially with equal jitter: between half and all of the step", () => {
    // step n = initialInterval * exponent^(n-1): 400, 800, 1600, 3200, then capped at 4000.
    const steps = [400, 800, 1600, 3200, 4000, 4000];
    steps.forEach((step, i) => {
      expect(backoffDelay(i + 1, backoff, () => 0)).toBe(step / 2);
      expect(backoffDelay(i + 1, backoff, () => 0.999999)).toBe(step);
      expect(backoffDelay(i + 1, backoff, () => 0.5)).toBe(Math.round(step * 0.75));
    });
  });

  it("stays within bounds for any random value, and is jittered", () => {
    for (let retry = 1; retry <= 30; retry++) {
      const step = Math.min(4000, 400 * 2 ** (retry - 1));
      const samples = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(retry, backoff);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
        samples.add(delay);
      }
      expect(samples.size).toBeGreaterThan(10);
    }
  });

  it("never waits less than the floor (MIN_RETRY_DELAY_MS, jittered up to twice that)", () => {
    const tiny = { ...backoff, initialInterval: 0, maxInterval: 0 };
    const samples = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(1, tiny);
      expect(delay).toBeGreaterThanOrEqual(MIN_RETRY_DELAY_MS);
      expect(delay).toBeLessThanOrEqual(2 * MIN_RETRY_DELAY_MS);
      samples.add(delay);
    }
    expect(samples.size).toBeGreaterThan(10);
  });

  it("never exceeds maxInterval, even for huge exponents", () => {
    expect(backoffDelay(500, { ...backoff, exponent: 10 }, () => 1)).toBe(4000);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  const h = (init: Record<string, string>) => new Headers(init);

  it("reads retry-after-ms first, then Retry-After seconds, then an HTTP date", () => {
    expect(retryAfterMs(h({ "retry-after-ms": "250" }), now)).toBe(250);
    expect(retryAfterMs(h({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(retryAfterMs(h({ "retry-after": "3" }), now)).toBe(3000);
    expect(retryAfterMs(h({ "retry-after": "0" }), now)).toBe(0);
    expect(retryAfterMs(h({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }), now)).toBe(5000);
  });

  it("treats a date in the past as no wait", () => {
    expect(retryAfterMs(h({ "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" }), now)).toBe(0);
  });

  it("ignores absent, negative and unparsable values", () => {
    expect(retryAfterMs(h({}), now)).toBeUndefined();
    expect(retryAfterMs(h({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(h({ "retry-after": "-5" }), now)).toBeUndefined();
    expect(retryAfterMs(h({ "retry-after": " " }), now)).toBeUndefined();
    // A bad retry-after-ms falls back to Retry-After.
    expect(retryAfterMs(h({ "retry-after-ms": "x", "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(h({ "retry-after-ms": "-1" }), now)).toBeUndefined();
  });
});

describe("default retry codes", () => {
  it("are 408, 429, 500, 502, 503, 504 and never 501 or 505", () => {
    expect([...DEFAULT_RETRY_CODES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
  });
});

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** `/flaky` answers with each status of `script` in turn, then 200 `{ ok: true }`. */
function script(statuses: number[], headers: Record<string, string> = {}, path = "/flaky") {
  let i = 0;
  for (const method of ["GET", "POST"]) {
    server.route(method, path, (_req, res) => {
      const status = statuses[i++];
      if (status === undefined) sendJSON(res, 200, { ok: true });
      else sendJSON(res, status, { message: `scripted ${status}` }, headers);
    });
  }
}

const Ok = v.object({ ok: v.boolean() });
function flaky(extra: { method?: "GET" | "POST"; retry?: RetryConfig; idempotent?: boolean } = {}) {
  return defineOperation({
    id: "flaky",
    method: extra.method ?? "GET",
    path: "/flaky",
    output: Ok,
    security: null,
    ...(extra.retry ? { retry: extra.retry } : {}),
    ...(extra.idempotent !== undefined ? { idempotent: extra.idempotent } : {}),
  });
}

describe("status retries", () => {
  it("retries a burst of 503s and reports the attempts", async () => {
    script([503, 503, 503]);
    const { data, attempts } = await client(server.url, { retries: FAST_RETRY })
      .request(flaky(), undefined)
      .withResponse();
    expect(data).toEqual({ ok: true });
    expect(attempts).toBe(4);
    expect(server.requests).toHaveLength(4);
  });

  it.each(DEFAULT_RETRY_CODES)("retries %i by default", async (status) => {
    script([status]);
    const { attempts } = await client(server.url, { retries: FAST_RETRY })
      .request(flaky(), undefined)
      .withResponse();
    expect(attempts).toBe(2);
  });

  it.each([400, 401, 403, 404, 409, 501, 505])("does not retry %i by default", async (status) => {
    script([status]);
    const error = await client(server.url, { retries: FAST_RETRY })
      .request(flaky(), undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry without a retry strategy", async () => {
    script([503]);
    await expect(client(server.url).request(flaky(), undefined)).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it("layers status codes: operation < client < call", async () => {
    const op = flaky({ retry: { ...FAST_RETRY, statusCodes: [418] } });
    script([418]);
    await expect(client(server.url).request(op, undefined)).resolves.toEqual({ ok: true });

    server.reset();
    script([418]);
    const byClient = client(server.url, { retries: { ...FAST_RETRY, statusCodes: [409] } });
    await expect(byClient.request(op, undefined)).rejects.toMatchObject({ status: 418 });
    server.reset();
    script([409]);
    await expect(byClient.request(op, undefined)).resolves.toEqual({ ok: true });

    server.reset();
    script([409]);
    await expect(
      byClient.request(op, undefined, { retries: { ...FAST_RETRY, statusCodes: ["4XX"] } }),
    ).resolves.toEqual({ ok: true });
    server.reset();
    script([409]);
    await expect(byClient.request(op, undefined, { retries: { strategy: "none" } })).rejects.toMatchObject({
      status: 409,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("stops after maxRetries", async () => {
    script([503, 503, 503, 503, 503]);
    const error = await client(server.url, { retries: { ...FAST_RETRY, maxRetries: 2 } })
      .request(flaky(), undefined)
      .catch((e) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(3);
  });

  it("stops when maxElapsedTime would be exceeded and throws the last error", async () => {
    server.route("GET", "/flaky", (_req, res) => sendJSON(res, 503, { message: "always" }));
    const started = Date.now();
    const error = await client(server.url, {
      retries: {
        strategy: "backoff",
        backoff: { initialInterval: 40, maxInterval: 40, exponent: 1, maxElapsedTime: 450 },
      },
    })
      .request(flaky(), undefined)
      .catch((e) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(503);
    expect(elapsed).toBeLessThan(1000);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThanOrEqual(8);
  });
});

describe("idempotency", () => {
  it("does not retry a POST unless the operation declares it idempotent", async () => {
    script([503]);
    await expect(
      client(server.url, { retries: FAST_RETRY }).request(flaky({ method: "POST" }), undefined),
    ).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);

    server.reset();
    script([503]);
    const { attempts } = await client(server.url, { retries: FAST_RETRY })
      .request(flaky({ method: "POST", idempotent: true }), undefined)
      .withResponse();
    expect(attempts).toBe(2);
  });

  it("does not retry a POST after a connection error either", async () => {
    let n = 0;
    server.route("POST", "/flaky", (req, res) => {
      if (n++ === 0) res.socket?.destroy();
      else sendJSON(res, 200, { ok: true, method: req.method });
    });
    await expect(
      client(server.url, { retries: FAST_RETRY }).request(flaky({ method: "POST" }), undefined),
    ).rejects.toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("Retry-After", () => {
  const quickBackoff = { initialInterval: 100, maxInterval: 100, exponent: 1, maxElapsedTime: 10_000 };

  async function gapBetweenAttempts(
    headers: Record<string, string>,
    backoff: Partial<BackoffConfig> = {},
  ): Promise<number> {
    const times: number[] = [];
    server.route("GET", "/flaky", (_req, res) => {
      times.push(Date.now());
      if (times.length === 1) sendJSON(res, 429, { message: "slow down" }, headers);
      else sendJSON(res, 200, { ok: true });
    });
    const { attempts } = await client(server.url, {
      retries: { strategy: "backoff", backoff: { ...quickBackoff, ...backoff } },
    })
      .request(flaky(), undefined)
      .withResponse();
    expect(attempts).toBe(2);
    return times[1]! - times[0]!;
  }

  it("is a floor: a zero hint does not skip the backoff", async () => {
    const gap = await gapBetweenAttempts(
      { "retry-after-ms": "0", "retry-after": "0" },
      { initialInterval: 400, maxInterval: 400 },
    );
    expect(gap).toBeGreaterThanOrEqual(190);
  });

  it("waits a retry-after-ms longer than the backoff", async () => {
    const gap = await gapBetweenAttempts({ "retry-after-ms": "450" });
    expect(gap).toBeGreaterThanOrEqual(440);
    expect(gap).toBeLessThan(1500);
  });

  it("waits Retry-After in seconds in full, even past maxInterval", async () => {
    const gap = await gapBetweenAttempts({ "retry-after": "1" });
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(gap).toBeLessThan(2500);
  });

  it("waits Retry-After as an HTTP date", async () => {
    const date = new Date(Date.now() + 2000).toUTCString(); // whole seconds: 1-2 s from now
    const gap = await gapBetweenAttempts({ "retry-after": date });
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(3000);
  });

  it("ends the call at once, typed, when the hint is beyond the remaining deadline", async () => {
    script([429], { "retry-after": "5" });
    const started = Date.now();
    const error = await client(server.url, {
      retries: { strategy: "backoff", backoff: quickBackoff },
      totalTimeoutMs: 1500,
    })
      .request(flaky(), undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).cause).toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });

  it("does not start a wait that would pass maxElapsedTime", async () => {
    script([429], { "retry-after": "5" });
    const started = Date.now();
    const error = await client(server.url, {
      retries: { strategy: "backoff", backoff: { ...quickBackoff, maxElapsedTime: 1000 } },
    })
      .request(flaky(), undefined)
      .catch((e) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });
});

describe("connection errors", () => {
  function resetFirst(times: number) {
    let n = 0;
    server.route("GET", "/flaky", (_req, res) => {
      if (n++ < times) res.socket?.destroy();
      else sendJSON(res, 200, { ok: true });
    });
  }

  it("retries a reset connection when retryConnectionErrors is on", async () => {
    resetFirst(2);
    const { attempts } = await client(server.url, { retries: FAST_RETRY })
      .request(flaky(), undefined)
      .withResponse();
    expect(attempts).toBe(3);
  });

  it("is a ConnectionError with the network cause kept when not retried", async () => {
    resetFirst(1);
    const error = await client(server.url, { retries: { ...FAST_RETRY, retryConnectionErrors: false } })
      .request(flaky(), undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).cause).toBeDefined();
    expect((error as ConnectionError).url).toBe(`${server.url}/flaky`);
    expect(server.requests).toHaveLength(1);
  });

  it("keeps the system error code of a refused connection in the cause chain", async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const error = await client(url)
      .request(flaky(), undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    const codes: unknown[] = [];
    for (
      let c = (error as Error).cause as { code?: unknown; cause?: unknown } | undefined;
      c;
      c = c.cause as typeof c
    ) {
      codes.push(c.code);
    }
    expect(codes).toContain("ECONNREFUSED");
    expect((error as Error).message).toContain("ECONNREFUSED");
  });
});

describe("timeouts and aborts", () => {
  function slow(delays: number[]) {
    let i = 0;
    server.route("GET", "/flaky", async (_req, res) => {
      await wait(delays[i++] ?? 0);
      if (!res.destroyed) sendJSON(res, 200, { ok: true });
    });
  }

  it("gives each attempt its own timeout", async () => {
    // 400 ms then 120 ms against a 200 ms timeout: the second attempt fits its own budget although the
    // call as a whole takes longer than the timeout.
    slow([400, 120]);
    const started = Date.now();
    const { attempts } = await client(server.url, { retries: FAST_RETRY, timeoutMs: 200 })
      .request(flaky(), undefined)
      .withResponse();
    expect(attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("throws RequestTimeoutError (not an abort) when an attempt times out", async () => {
    slow([2000]);
    const started = Date.now();
    const error = await client(server.url, { timeoutMs: 60 })
      .request(flaky(), undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).not.toBeInstanceOf(RequestAbortedError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect((error as RequestTimeoutError).timeoutMs).toBe(60);
    expect((error as RequestTimeoutError).cause).toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("lets a per-call timeout override the client's", async () => {
    slow([300]);
    await expect(
      client(server.url, { timeoutMs: 50 }).request(flaky(), undefined, { timeoutMs: 2000 }),
    ).resolves.toEqual({ ok: true });
    slow([300]);
    await expect(
      client(server.url, { timeoutMs: 2000 }).request(flaky(), undefined, { timeoutMs: 50 }),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it("aborts a pending request at once with RequestAbortedError and never retries it", async () => {
    server.route("GET", "/flaky", () => {
      // never answers
    });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("user navigated away")), 50);
    const error = await client(server.url, { retries: FAST_RETRY, timeoutMs: 5000 })
      .request(flaky(), undefined, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).not.toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestAbortedError).cause).toEqual(new Error("user navigated away"));
    expect(Date.now() - started).toBeLessThan(1000);
    await wait(50);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts during the backoff sleep without another attempt", async () => {
    server.route("GET", "/flaky", (_req, res) => sendJSON(res, 503, { message: "busy" }));
    const controller = new AbortController();
    const started = Date.now();
    const sdk = client(server.url, {
      retries: { strategy: "backoff", backoff: { initialInterval: 5000, maxInterval: 5000, exponent: 1 } },
      hooks: {
        afterError: () => {
          setTimeout(() => controller.abort(), 30);
        },
      },
    });
    const error = await sdk.request(flaky(), undefined, { signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const error = await client(server.url)
      .request(flaky(), undefined, { signal: AbortSignal.abort() })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(server.requests).toHaveLength(0);
  });

  it("retries a timed-out attempt only with retryConnectionErrors", async () => {
    slow([300, 0]);
    await expect(
      client(server.url, { timeoutMs: 50, retries: { ...FAST_RETRY, retryConnectionErrors: false } }).request(
        flaky(),
        undefined,
      ),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts a slow body, not just slow headers", async () => {
    server.route("GET", "/flaky", async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"ok":');
      await wait(500);
      if (!res.destroyed) res.end("true}");
    });
    await expect(client(server.url, { timeoutMs: 80 }).request(flaky(), undefined)).rejects.toBeInstanceOf(
      RequestTimeoutError,
    );
  });

  it("reports truncated JSON as a validation error, not a retry loop", async () => {
    server.route("GET", "/flaky", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":tr');
    });
    await expect(
      client(server.url, { retries: FAST_RETRY }).request(flaky(), undefined),
    ).rejects.toBeInstanceOf(ResponseValidationError);
    expect(server.requests).toHaveLength(1);
  });
});
