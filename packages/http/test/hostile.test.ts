// What a hostile or broken party cannot make the client do: send credentials elsewhere, show them in an
// error, hang past the caller's timeout or abort, or throw something untyped.
import { inspect } from "node:util";
import {
  APIError,
  ConnectionError,
  InvalidRequestError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
  SDKError,
} from "@sdk/errors";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ClientOptions, defineOperation, HttpClient } from "../src/index.js";
import { API, client, EchoSchema, type TestSecurity } from "./support/client.js";
import { sendText, startTestServer, type TestServer } from "./support/server.js";

const KEY = "sk_live/AbC+123xyz789";

let server: TestServer;
let elsewhere: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  elsewhere = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});
beforeEach(() => {
  server.reset();
  elsewhere.reset();
});

const keyed = defineOperation({ id: "keyed", method: "GET", path: "/keyed", output: EchoSchema });
const withInput = defineOperation({
  id: "withInput",
  method: "GET",
  path: "/echo",
  input: v.object({ name: v.string() }),
  output: EchoSchema,
  security: null,
});

/** What one keyed call ends with (its error, or its data), on a client with the API key and `options`. */
function outcome(options: ClientOptions<TestSecurity> = {}): Promise<unknown> {
  return client(server.url, { security: { apiKey: KEY }, ...options })
    .request(keyed, undefined)
    .catch((e: unknown) => e);
}

/** Every way an error is shown: none may contain `secret`. */
function expectNowhere(error: unknown, secret: string): void {
  const e = error as Error;
  for (const shown of [e.message, e.stack, String(e), JSON.stringify(e), inspect(e, { depth: 8 })]) {
    expect(shown).not.toContain(secret);
  }
}

describe("credentials stay home", () => {
  it("does not follow a redirect to another host: the 3xx is an APIError, the other host sees nothing", async () => {
    server.route("GET", "/keyed", (_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/keyed` });
      res.end();
    });
    const error = await outcome();
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(307);
    expect((error as APIError).message).toContain("redirect not followed");
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("refuses a server URL with a user name or password, without quoting it", () => {
    let error: unknown;
    try {
      client("http://admin:hunter2SECRET@127.0.0.1:9");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues[0]?.path).toBe("serverURL");
    expectNowhere(error, "hunter2SECRET");
  });

  it("masks a credential the server echoes escaped, URL-encoded or in a header", async () => {
    const escaped = JSON.stringify(KEY).replaceAll("/", "\\/");
    const unicode = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    for (const echoed of [escaped, unicode, encodeURIComponent(KEY)]) {
      server.route("GET", "/keyed", (_req, res) => {
        res.writeHead(401, { "content-type": "application/json", "x-echo": KEY });
        res.end(
          `{"message":"invalid key ${echoed.replace(/^"|"$/g, "")}","echo":"${echoed.replace(/^"|"$/g, "")}"}`,
        );
      });
      const error = await client(server.url, { security: { apiKey: KEY } })
        .request(keyed, undefined)
        .catch((e: unknown) => e);
      expect(error, echoed).toBeInstanceOf(APIError);
      expectNowhere(error, KEY);
      expectNowhere(error, encodeURIComponent(KEY));
      expect(JSON.stringify((error as APIError).data)).not.toContain("AbC+123");
      expect((error as APIError).headers.get("x-echo")).not.toContain(KEY);
    }
  });

  it("masks a credential that a custom fetch quotes in its failure", async () => {
    const error = await outcome({
      fetch: async () => {
        throw new Error(`proxy refused request with ${KEY}`);
      },
    });
    expect(error).toBeInstanceOf(ConnectionError);
    expectNowhere(error, KEY);
  });

  it("does not quote a 2xx body that is not JSON", async () => {
    server.route("GET", "/keyed", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("sk_live_9f8e7d6c5b4a");
    });
    const error = await outcome();
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toContain("not valid JSON");
    expect(JSON.stringify(error)).not.toContain("sk_live_9f");
    expect(inspect(error)).not.toContain("sk_live_9f");
  });
});

describe("every call settles, typed", () => {
  it("bounds a custom fetch that ignores the signal by the timeout", async () => {
    const error = await outcome({
      timeoutMs: 50,
      fetch: () => new Promise<Response>(() => {}),
    });
    expect(error).toBeInstanceOf(RequestTimeoutError);
  });

  it("ends the wait for a credential renewal after a 401 when the caller aborts", async () => {
    server.route("GET", "/keyed", (_req, res) => sendText(res, 401, "no"));
    const renewing = new HttpClient<{ token?: string }>(
      {
        ...API,
        securitySchemes: [
          {
            field: "token",
            type: "custom",
            apply: async (value: unknown) => ({ authorization: `Token ${String(value)}` }),
            onUnauthorized: () => new Promise<boolean>(() => {}),
          },
        ],
      } as never,
      { serverURL: server.url, security: { token: "t-1" } },
    );
    const controller = new AbortController();
    const renew = defineOperation({ id: "renew", method: "GET", path: "/keyed", output: v.unknown() });
    const pending = renewing.request(renew, undefined, { signal: controller.signal }).catch((e) => e);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toBeInstanceOf(RequestAbortedError);
  });

  it("ends an afterSuccess hook's wait when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = client(server.url, {
      security: { apiKey: KEY },
      hooks: { afterSuccess: () => new Promise<Response>(() => {}) },
    })
      .request(keyed, undefined, { signal: controller.signal })
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 30);
    expect(await pending).toBeInstanceOf(RequestAbortedError);
  });

  it("refuses an unusable timeout before sending", async () => {
    for (const timeoutMs of [Number.POSITIVE_INFINITY, 2 ** 31, Number.NaN, -1]) {
      // The client's own: refused when it is built.
      expect(() => client(server.url, { security: { apiKey: KEY }, timeoutMs }), String(timeoutMs)).toThrow(
        InvalidRequestError,
      );
      // A call's own: refused before sending.
      for (const path of ["timeoutMs", "totalTimeoutMs"]) {
        const error = await client(server.url, { security: { apiKey: KEY } })
          .request(keyed, undefined, { [path]: timeoutMs })
          .catch((e: unknown) => e);
        expect(error, `${path} ${timeoutMs}`).toBeInstanceOf(InvalidRequestError);
        expect((error as InvalidRequestError).issues[0]?.path).toBe(path);
      }
    }
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a retry configuration that would loop or mean nothing, before sending", async () => {
    const bad = [
      { strategy: "backoff", backoff: { initialInterval: Number.NaN } },
      { strategy: "backoff", maxRetries: Number.NaN },
      { strategy: "sometimes" },
      { strategy: "backoff", statusCodes: ["5XXX"] },
      { strategy: "backoff", backoff: { exponent: 0.5 } },
    ];
    for (const retries of bad) {
      expect(() => client(server.url, { retries: retries as never }), JSON.stringify(retries)).toThrow(
        InvalidRequestError,
      );
      const error = await client(server.url, { security: { apiKey: KEY } })
        .request(keyed, undefined, { retries: retries as never })
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(retries)).toBeInstanceOf(InvalidRequestError);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("types a beforeRequest hook that returns something other than a Request, and sends nothing", async () => {
    const error = await outcome({
      hooks: { beforeRequest: () => 42 as unknown as Request },
    });
    expect(error).toBeInstanceOf(SDKError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain("beforeRequest hook");
    expect(server.requests).toHaveLength(0);
  });

  it("types an input whose getter throws as InvalidRequestError", async () => {
    const input = {
      get name(): string {
        throw new Error("getter exploded");
      },
    };
    const error = await client(server.url)
      .request(withInput, input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(server.requests).toHaveLength(0);
  });

  it("is not failed by a logger that throws, or has no debug method", async () => {
    for (const logger of [
      {
        debug() {
          throw new Error("log sink down");
        },
      },
      {} as { debug(message: string): void },
    ]) {
      const echo = await client(server.url, { security: { apiKey: KEY }, logger }).request(keyed, undefined);
      expect(echo.path).toBe("/keyed");
    }
  });

  it("logs a failed attempt's outcome too", async () => {
    server.route("GET", "/keyed", (_req, res) => sendText(res, 503, "down"));
    const lines: string[] = [];
    await client(server.url, { security: { apiKey: KEY }, logger: { debug: (m: string) => lines.push(m) } })
      .request(keyed, undefined)
      .catch(() => {});
    expect(lines.some((line) => line.includes("← 503"))).toBe(true);
  });
});

describe("what the hardening must not break", () => {
  it("never alters the caller's own error objects, and masks a copy instead", async () => {
    const mine = new Error(`signing failed for ${KEY}`);
    const error = await outcome({
      hooks: {
        beforeRequest: () => {
          throw mine;
        },
      },
    });
    expect(error).toBeInstanceOf(SDKError);
    expectNowhere(error, KEY);
    expect(mine.message).toBe(`signing failed for ${KEY}`);
  });

  it("does not show a frozen error that quotes a credential", async () => {
    const frozen = Object.freeze(new SDKError(`vault said no to ${KEY}`));
    const error = await outcome({
      hooks: {
        afterSuccess: () => {
          throw frozen;
        },
      },
    });
    expect(error).toBeInstanceOf(SDKError);
    expectNowhere(error, KEY);
  });

  it("types a thrown value whose getters throw", async () => {
    const nasty = {
      get message(): string {
        throw new Error("message getter");
      },
      get cause(): unknown {
        throw new Error("cause getter");
      },
    };
    const error = await outcome({
      hooks: {
        beforeRequest: () => {
          throw nasty;
        },
      },
    });
    expect(error).toBeInstanceOf(SDKError);
  });

  it("accepts a Request-like object from a beforeRequest hook (a polyfill's)", async () => {
    const echo = await client(server.url, {
      security: { apiKey: KEY },
      fetch: (input, init) => globalThis.fetch((input as { url: string }).url, init),
      hooks: { beforeRequest: (_ctx, request) => ({ url: `${request.url}?via=polyfill` }) as Request },
    }).request(keyed, undefined);
    expect(echo.query).toEqual([["via", "polyfill"]]);
  });

  it("does not call a 304 a redirect", async () => {
    server.route("GET", "/keyed", (_req, res) => {
      res.writeHead(304);
      res.end();
    });
    const error = (await client(server.url, { security: { apiKey: KEY } })
      .request(keyed, undefined)
      .catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(304);
    expect(error.message).not.toContain("redirect");
  });
});

describe("redacted validation messages stay readable", () => {
  it("keeps the words after a credential-named field", async () => {
    const error = await client(server.url, { security: { apiKey: { not: "text" } as unknown as string } })
      .request(keyed, undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain("security.apiKey: must be a string");
  });

  it("says what an action expected in the schema author's words, never quoting the value", async () => {
    const named = defineOperation({
      id: "named",
      method: "GET",
      path: "/echo",
      input: v.object({
        name: v.pipe(v.string(), v.minLength(3, "must be at least 3 characters")),
        count: v.pipe(v.number(), v.integer()),
        code: v.pipe(v.string(), v.minLength(1, "a non-empty code")),
      }),
      output: EchoSchema,
      security: null,
    });
    const error = (await client(server.url)
      .request(named, { name: "ab", count: 1.5, code: "" })
      .catch((e: unknown) => e)) as InvalidRequestError;
    expect(error.issues.map((i) => i.message)).toEqual([
      "must be at least 3 characters",
      "expected a valid integer",
      "expected a non-empty code",
    ]);
    expect(error.message).not.toContain("1.5");
  });
});
