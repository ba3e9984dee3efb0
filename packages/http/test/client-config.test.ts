// Client configuration: servers, per-call overrides, custom fetch, user agent, headers and logging.
import { inspect } from "node:util";
import { InvalidRequestError } from "@sdk/errors";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApiDescription, defineOperation, type FetchLike, HttpClient } from "../src/index.js";
import { API, client, EchoSchema, echoOp, type TestSecurity } from "./support/client.js";
import { sendJSON, startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let other: TestServer;
beforeAll(async () => {
  [server, other] = await Promise.all([startTestServer(), startTestServer()]);
});
afterAll(() => Promise.all([server.close(), other.close()]));
beforeEach(() => {
  server.reset();
  other.reset();
});

describe("a client shown in a log", () => {
  it("JSON and inspection name the API and the server, never the credentials in its options", () => {
    const secret = "sk_live_client_secret_123";
    const sdk = new HttpClient<TestSecurity>(API, { serverURL: server.url, security: { apiKey: secret } });
    expect(sdk.serverURL).toBe(server.url);
    expect(JSON.parse(JSON.stringify(sdk))).toEqual({
      sdk: `${API.sdk}@${API.version}`,
      serverURL: server.url,
    });
    for (const shown of [JSON.stringify(sdk), inspect(sdk, { depth: 10 }), String(sdk)]) {
      expect(shown).not.toContain(secret);
    }
    expect(inspect(sdk)).toBe(`HttpClient ${JSON.stringify(sdk.toJSON())}`);
  });
});

describe("servers", () => {
  const api = (): ApiDescription<TestSecurity> => ({
    ...API,
    servers: { main: server.url, secondary: `${other.url}/base` },
    defaultServer: "main",
  });

  it("uses the default server, or the named one", async () => {
    await new HttpClient(api()).request(echoOp, undefined);
    expect(server.requests).toHaveLength(1);
    const echo = await new HttpClient(api(), { server: "secondary" }).request(echoOp, undefined);
    expect(echo.path).toBe("/base/echo");
    expect(other.requests).toHaveLength(1);
  });

  it("rejects an unknown server name with a typed error naming the known ones", () => {
    for (const name of ["staging", "toString", "constructor", "__proto__"]) {
      let error: unknown;
      try {
        new HttpClient(api(), { server: name });
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).issues[0]).toMatchObject({ path: "server" });
      expect((error as Error).message).toContain("main, secondary");
    }
  });

  it("lets serverURL win over server, and a per-call serverURL win over both", async () => {
    const sdk = new HttpClient(api(), { server: "main", serverURL: other.url });
    await sdk.request(echoOp, undefined);
    expect(other.requests).toHaveLength(1);
    expect(server.requests).toHaveLength(0);
    const { response } = await sdk.request(echoOp, undefined, { serverURL: `${server.url}/` }).withResponse();
    expect(server.requests.map((r) => r.url)).toEqual(["/echo"]);
    expect(response.url).toBe(`${server.url}/echo`);
  });

  it("refuses a serverURL that is not an absolute http(s) URL, naming it without quoting it", async () => {
    for (const bad of ["localhost:3000", "api.example.com/v1", "ftp://example.com", "sk_live_secret"]) {
      const construct = () => new HttpClient(api(), { serverURL: bad });
      expect(construct, bad).toThrow(InvalidRequestError);
      const sdk = new HttpClient(api());
      const error = await sdk.request(echoOp, undefined, { serverURL: bad }).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).issues[0]).toMatchObject({
        path: "serverURL",
        received: "string",
      });
      expect((error as Error).message).not.toContain(bad);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("custom fetch", () => {
  it("is used for every request, retries and hooked requests included", async () => {
    const seen: string[] = [];
    const counting: FetchLike = async (input, init) => {
      seen.push(input instanceof Request ? `Request ${input.url}` : String(input));
      return fetch(input, init);
    };
    let calls = 0;
    server.route("GET", "/flaky", (_req, res) =>
      ++calls < 3 ? sendJSON(res, 503, {}) : sendJSON(res, 200, { ok: true }),
    );
    const flaky = defineOperation({
      id: "flaky",
      method: "GET",
      path: "/flaky",
      output: v.object({ ok: v.boolean() }),
      security: null,
    });
    const sdk = client(server.url, {
      fetch: counting,
      retries: { strategy: "backoff", backoff: { initialInterval: 1, maxInterval: 2 } },
    });
    await sdk.request(flaky, undefined);
    const hooked = client(server.url, {
      fetch: counting,
      hooks: { beforeRequest: (_ctx, request) => request },
    });
    await hooked.request(echoOp, undefined);
    expect(seen).toEqual([
      `${server.url}/flaky`,
      `${server.url}/flaky`,
      `${server.url}/flaky`,
      `Request ${server.url}/echo`,
    ]);
    expect(server.requests).toHaveLength(4);
  });

  it("can answer without any network (a test double)", async () => {
    const sdk = client("https://api.example.invalid", {
      fetch: async () =>
        Response.json({ method: "GET", url: "/", path: "/", query: [], headers: {}, body: "" }),
    });
    await expect(sdk.request(echoOp, undefined)).resolves.toMatchObject({ url: "/" });
  });
});

describe("headers", () => {
  it("sends the SDK's user agent, or the configured one", async () => {
    const byDefault = await client(server.url).request(echoOp, undefined);
    expect(byDefault.headers["user-agent"]).toBe("@test/sdk/1.2.3");
    const custom = await client(server.url, { userAgent: "my-app/2.0 @test/sdk/1.2.3" }).request(
      echoOp,
      undefined,
    );
    expect(custom.headers["user-agent"]).toBe("my-app/2.0 @test/sdk/1.2.3");
  });

  it("asks for JSON", async () => {
    const echo = await client(server.url).request(echoOp, undefined);
    expect(echo.headers.accept).toBe("application/json");
  });

  it("lets per-call headers replace defaults whatever their case", async () => {
    const echo = await client(server.url).request(echoOp, undefined, {
      headers: { "User-Agent": "per-call/1", Accept: "application/problem+json", "X-Request-Id": "r-1" },
    });
    expect(echo.headers["user-agent"]).toBe("per-call/1");
    expect(echo.headers.accept).toBe("application/problem+json");
    expect(echo.headers["x-request-id"]).toBe("r-1");
  });
});

describe("logger", () => {
  // Canary values: if any of these shows up in a log line, a credential leaked.
  const CANARY = {
    apiKey: "canary-apikey-8f3a",
    bearer: "canary-bearer-77c1",
    basic: { username: "canary-user", password: "canary-password-91" },
    queryKey: "canary-querykey-2b",
    custom: "canary-custom-5d",
    header: "canary-header-key-0e",
  };

  function capture() {
    const lines: string[] = [];
    return {
      lines,
      logger: {
        debug: (message: string, ...data: unknown[]) =>
          lines.push([message, ...data.map((d) => JSON.stringify(d))].join(" ")),
      },
    };
  }

  it("is off unless given", async () => {
    const { lines, logger } = capture();
    await client(server.url).request(echoOp, undefined);
    expect(lines).toEqual([]);
    await client(server.url, { logger }).request(echoOp, undefined);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).toContain("[echo]");
  });

  it("never writes a credential, whatever scheme carried it", async () => {
    const { lines, logger } = capture();
    const api: ApiDescription<TestSecurity & { header?: string }> = {
      ...API,
      securitySchemes: [
        ...API.securitySchemes,
        // An API key under an SDK-specific header name the redaction list cannot know.
        { field: "header", type: "apiKey", in: "header", name: "x-registry-token" },
      ],
    };
    const sdk = new HttpClient(api, {
      serverURL: server.url,
      security: CANARY,
      logger,
      retries: { strategy: "backoff", backoff: { initialInterval: 1, maxInterval: 2 }, maxRetries: 1 },
    });
    server.route("GET", "/secured", (_req, res) => sendJSON(res, 503, { message: "busy" }));
    for (const requirement of [
      [["apiKey"]],
      [["bearer"]],
      [["basic"]],
      [["queryKey"]],
      [["custom"]],
      [["header"]],
    ]) {
      const op = defineOperation({
        id: "secured",
        method: "GET",
        path: "/secured",
        output: EchoSchema,
        security: requirement,
      });
      await sdk.request(op, undefined).catch(() => undefined);
    }
    expect(server.requests).toHaveLength(12);
    const all = lines.join("\n");
    expect(all).toContain("retrying");
    for (const value of [
      CANARY.apiKey,
      CANARY.bearer,
      CANARY.basic.password,
      Buffer.from(`${CANARY.basic.username}:${CANARY.basic.password}`).toString("base64"),
      CANARY.queryKey,
      CANARY.custom,
      CANARY.header,
    ]) {
      expect(all).not.toContain(value);
    }
  });
});
