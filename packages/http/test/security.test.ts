// Security requirements: which credentials reach the wire, from where, and when nothing may be sent.
import { APIError, InvalidRequestError, RequestAbortedError, SDKError } from "@sdk/errors";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defineOperation, HttpClient, type SecurityRequirement } from "../src/index.js";
import { API, client, EchoSchema, type TestSecurity } from "./support/client.js";
import { sendJSON, startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const CREDENTIAL_HEADERS = ["x-api-key", "authorization"];

function secured(security?: SecurityRequirement) {
  return defineOperation({
    id: "secured",
    method: "GET",
    path: "/secured",
    output: EchoSchema,
    ...(security === undefined ? {} : { security }),
  });
}

const ALL: TestSecurity = {
  apiKey: "key-1",
  bearer: "tok-1",
  basic: { username: "ada", password: "pässword" },
  queryKey: "qk-1",
};

describe("which scheme is used", () => {
  it("uses the first set scheme of the SDK, in declared order, when the operation says nothing", async () => {
    const echo = await client(server.url, { security: { bearer: "tok-1", queryKey: "qk-1" } }).request(
      secured(),
      undefined,
    );
    expect(echo.headers.authorization).toBe("Bearer tok-1");
    expect(echo.headers["x-api-key"]).toBeUndefined();
    expect(echo.query).toEqual([]);
  });

  it("sends an API key in the header the scheme names", async () => {
    const echo = await client(server.url, { security: { apiKey: "key-1" } }).request(secured(), undefined);
    expect(echo.headers["x-api-key"]).toBe("key-1");
    expect(echo.headers.authorization).toBeUndefined();
  });

  it("sends a query API key in the query", async () => {
    const echo = await client(server.url, { security: { queryKey: "q k&1" } }).request(
      secured([["queryKey"]]),
      undefined,
    );
    expect(echo.query).toEqual([["key", "q k&1"]]);
  });

  it("keeps a query API key out of every error's message, url and JSON", async () => {
    const canary = "canary-query-key-41";
    server.route("GET", "/secured", (_req, res) => sendJSON(res, 500, { message: "boom" }));
    const sdk = client(server.url, { security: { queryKey: canary } });
    const apiError = await sdk.request(secured([["queryKey"]]), undefined).catch((e: unknown) => e);
    expect(apiError).toBeInstanceOf(APIError);
    expect(server.requests[0]?.query.get("key")).toBe(canary);
    const closed = client("http://127.0.0.1:9", { security: { queryKey: canary } });
    const connection = await closed.request(secured([["queryKey"]]), undefined).catch((e: unknown) => e);
    for (const error of [apiError, connection] as Error[]) {
      expect(error).toBeInstanceOf(SDKError);
      for (const text of [error.message, error.stack, JSON.stringify(error), (error as APIError).url]) {
        expect(text).not.toContain(canary);
      }
    }
  });

  it("encodes basic credentials as UTF-8 base64", async () => {
    const echo = await client(server.url, { security: ALL }).request(secured([["basic"]]), undefined);
    const encoded = (echo.headers.authorization as string).replace(/^Basic /, "");
    expect(Buffer.from(encoded, "base64").toString("utf8")).toBe("ada:pässword");
  });

  it("does not double a Bearer prefix the user already wrote", async () => {
    const echo = await client(server.url, { security: { bearer: "Bearer tok-2" } }).request(
      secured([["bearer"]]),
      undefined,
    );
    expect(echo.headers.authorization).toBe("Bearer tok-2");
  });

  it("sends only the schemes of the operation's requirement", async () => {
    const echo = await client(server.url, { security: ALL }).request(secured([["bearer"]]), undefined);
    expect(echo.headers.authorization).toBe("Bearer tok-1");
    expect(echo.headers["x-api-key"]).toBeUndefined();
    expect(echo.query).toEqual([]);
  });

  it("sends no credentials at all for `security: null`", async () => {
    const echo = await client(server.url, { security: ALL }).request(secured(null), undefined);
    for (const name of CREDENTIAL_HEADERS) expect(echo.headers[name]).toBeUndefined();
    expect(echo.url).toBe("/secured");
  });

  it("treats an empty requirement list (OpenAPI `security: []`) as no credentials", async () => {
    const echo = await client(server.url).request(secured([]), undefined);
    for (const name of CREDENTIAL_HEADERS) expect(echo.headers[name]).toBeUndefined();
  });

  it("picks the first satisfied alternative, in declared order, with all of its schemes", async () => {
    const op = secured([["apiKey", "bearer"], ["basic"], ["apiKey"]]);
    const both = await client(server.url, { security: ALL }).request(op, undefined);
    expect(both.headers["x-api-key"]).toBe("key-1");
    expect(both.headers.authorization).toBe("Bearer tok-1");

    // apiKey alone does not satisfy the first alternative; basic (second) wins over apiKey (third).
    const second = await client(server.url, { security: { apiKey: "key-1", basic: ALL.basic } }).request(
      op,
      undefined,
    );
    expect(second.headers.authorization).toMatch(/^Basic /);
    expect(second.headers["x-api-key"]).toBeUndefined();

    const third = await client(server.url, { security: { apiKey: "key-1", bearer: "" } }).request(
      op,
      undefined,
    );
    expect(third.headers["x-api-key"]).toBe("key-1");
    expect(third.headers.authorization).toBeUndefined();
  });
});

describe("where credentials come from", () => {
  it("re-reads an async getter for every request, so credentials can rotate", async () => {
    let n = 0;
    const sdk = client(server.url, {
      security: async () => {
        n++;
        await new Promise((r) => setTimeout(r, 1));
        return { apiKey: `rotated-${n}` };
      },
    });
    const first = await sdk.request(secured(), undefined);
    const second = await sdk.request(secured(), undefined);
    expect([first.headers["x-api-key"], second.headers["x-api-key"]]).toEqual(["rotated-1", "rotated-2"]);
  });

  it("re-reads the getter for each retry attempt too", async () => {
    let n = 0;
    server.route("GET", "/secured", (req, res) =>
      req.headers["x-api-key"] === "rotated-1"
        ? sendJSON(res, 503, { message: "busy" })
        : sendJSON(res, 200, {
            method: req.method,
            url: req.url,
            path: req.path,
            query: [],
            headers: req.headers,
            body: "",
          }),
    );
    const sdk = client(server.url, {
      security: () => ({ apiKey: `rotated-${++n}` }),
      retries: { strategy: "backoff", backoff: { initialInterval: 1, maxInterval: 2 } },
    });
    const { data, attempts } = await sdk.request(secured(), undefined).withResponse();
    expect(attempts).toBe(2);
    expect(data.headers["x-api-key"]).toBe("rotated-2");
  });

  it("lets per-call security win over the client's", async () => {
    const sdk = client(server.url, { security: { apiKey: "client-key" } });
    const echo = await sdk.request(secured(), undefined, { security: { bearer: "call-token" } });
    expect(echo.headers.authorization).toBe("Bearer call-token");
    expect(echo.headers["x-api-key"]).toBeUndefined();
    const getter = await sdk.request(secured(), undefined, {
      security: async () => ({ apiKey: "call-key" }),
    });
    expect(getter.headers["x-api-key"]).toBe("call-key");
  });

  it("throws InvalidRequestError before sending when no credential satisfies the requirement", async () => {
    const none = await client(server.url)
      .request(secured(), undefined)
      .catch((e: unknown) => e);
    expect(none).toBeInstanceOf(InvalidRequestError);
    expect((none as InvalidRequestError).issues[0]?.path).toBe("security");
    const partial = await client(server.url, { security: { apiKey: "key-1" } })
      .request(secured([["apiKey", "bearer"]]), undefined)
      .catch((e: unknown) => e);
    expect(partial).toBeInstanceOf(InvalidRequestError);
    expect(server.requests).toHaveLength(0);
  });

  it("says which credentials the operation needs and which are set, without their values", async () => {
    const error = (await client(server.url, { security: { bearer: "tok-secret-1" } })
      .request(
        secured([
          ["apiKey", "queryKey"],
          ["apiKey", "bearer"],
        ]),
        undefined,
      )
      .catch((e: unknown) => e)) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("needs [apiKey+queryKey] or [apiKey+bearer], and [bearer] is set");
    expect(error.message).not.toContain("tok-secret-1");
    const none = (await client(server.url)
      .request(secured(), undefined)
      .catch((e: unknown) => e)) as InvalidRequestError;
    expect(none.message).toContain(
      "needs [apiKey] or [bearer] or [basic] or [queryKey] or [custom], and none is set",
    );
  });

  it("never reads credentials for an operation that sends none (security: [])", async () => {
    let reads = 0;
    const sdk = client(server.url, {
      // A getter that calls an anonymous operation (a token exchange) must not recurse into itself.
      security: async () => {
        reads++;
        if (reads > 1) throw new Error("getter re-entered");
        await sdk.request(secured([]), undefined);
        return { bearer: "exchanged" };
      },
    });
    const echo = await sdk.request(secured(), undefined);
    expect(echo.headers.authorization).toBe("Bearer exchanged");
    expect(reads).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("wraps a failing credential getter in an SDKError with the cause", async () => {
    const cause = new Error("vault unreachable");
    const error = await client(server.url, {
      security: async () => {
        throw cause;
      },
    })
      .request(secured(), undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SDKError);
    expect((error as SDKError).cause).toBe(cause);
    expect(server.requests).toHaveLength(0);
  });

  it("the caller's abort does not wait for a slow credential getter", async () => {
    let release!: (value: TestSecurity) => void;
    const slow = new Promise<TestSecurity>((resolve) => (release = resolve));
    const controller = new AbortController();
    const call = client(server.url, { security: () => slow }).request(secured(), undefined, {
      signal: controller.signal,
    });
    controller.abort(new Error("user gave up"));
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).cause).toMatchObject({ message: "user gave up" });
    release({ apiKey: "late-key" }); // the getter finishing later changes nothing
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
  });
});

describe("custom scheme that waits (e.g. for a shared token request)", () => {
  it("the caller's abort ends the wait at once; the scheme's own work is left to finish", async () => {
    let release!: (headers: Record<string, string>) => void;
    const api = {
      ...API,
      securitySchemes: [
        {
          field: "custom" as const,
          type: "custom" as const,
          apply: () => new Promise<Record<string, string>>((resolve) => (release = resolve)),
        },
      ],
    };
    const sdk = new HttpClient<TestSecurity>(api, { serverURL: server.url, security: { custom: "creds" } });
    const controller = new AbortController();
    const call = sdk.request(secured(), undefined, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10)); // the scheme is now waiting
    controller.abort(new Error("user gave up"));
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    release({ authorization: "Token late" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
  });
});

describe("custom scheme with onUnauthorized", () => {
  function refreshingClient(initial: string, renew: () => Promise<boolean>) {
    const state = { token: initial, renewals: 0 };
    const api = {
      ...API,
      securitySchemes: [
        {
          field: "custom" as const,
          type: "custom" as const,
          async apply() {
            return { authorization: `Token ${state.token}` };
          },
          async onUnauthorized() {
            state.renewals++;
            return renew();
          },
        },
      ],
    };
    return {
      sdk: new HttpClient<TestSecurity>(api, { serverURL: server.url, security: { custom: "creds" } }),
      state,
    };
  }
  const whoami = defineOperation({
    id: "whoami",
    method: "GET",
    path: "/whoami",
    output: v.object({ token: v.string() }),
  });
  beforeEach(() => {
    server.route("GET", "/whoami", (req, res) =>
      req.headers.authorization === "Token fresh"
        ? sendJSON(res, 200, { token: "fresh" })
        : sendJSON(res, 401, { message: "token revoked" }),
    );
  });

  it("retries once with renewed credentials after a 401", async () => {
    let state!: { token: string; renewals: number };
    const made = refreshingClient("stale", async () => {
      state.token = "fresh";
      return true;
    });
    state = made.state;
    const { data, attempts } = await made.sdk.request(whoami, undefined).withResponse();
    expect(data).toEqual({ token: "fresh" });
    expect(attempts).toBe(2);
    expect(state.renewals).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Token stale", "Token fresh"]);
  });

  it("does not loop when the renewed credential is rejected too", async () => {
    const { sdk, state } = refreshingClient("stale", async () => true);
    const error = await sdk.request(whoami, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(401);
    expect(state.renewals).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry when the scheme cannot renew", async () => {
    const { sdk } = refreshingClient("stale", async () => false);
    await expect(sdk.request(whoami, undefined)).rejects.toBeInstanceOf(APIError);
    expect(server.requests).toHaveLength(1);
  });

  it("does not consult it for a 403", async () => {
    server.route("GET", "/whoami", (_req, res) => sendJSON(res, 403, { message: "forbidden" }));
    const { sdk, state } = refreshingClient("stale", async () => true);
    await expect(sdk.request(whoami, undefined)).rejects.toMatchObject({ status: 403 });
    expect(state.renewals).toBe(0);
  });
});
