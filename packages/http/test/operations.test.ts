// Operations as data: the path template, the query, the JSON body and the error map reach the wire and
// come back as the contract says.
import { APIError, type APIErrorInit, InvalidRequestError } from "@sdk/errors";
import * as v from "valibot";
import { beforeEach, describe, expect, it } from "vitest";
import { defineOperation, type ErrorMap } from "../src/index.js";
import { EchoSchema, type TestClient, useTestServer } from "./support/client.js";
import { sendJSON, sendText, type TestServer } from "./support/server.js";

let server: TestServer;
let sdk: TestClient;
useTestServer((s, c) => {
  server = s;
  sdk = c;
});

describe("path template", () => {
  const getPart = defineOperation({
    id: "getPart",
    method: "GET",
    path: "/things/{thingId}/parts/{partNo}",
    input: v.object({ thingId: v.string(), partNo: v.number() }),
    request: (input) => ({ path: { thingId: input.thingId, partNo: input.partNo } }),
    output: EchoSchema,
    security: null,
  });

  it("encodes each parameter as one path segment", async () => {
    const echo = await sdk.request(getPart, { thingId: "a/b c?#%&=ü", partNo: 7 });
    expect(echo.url).toBe("/things/a%2Fb%20c%3F%23%25%26%3D%C3%BC/parts/7");
    expect(echo.path).toBe("/things/a%2Fb%20c%3F%23%25%26%3D%C3%BC/parts/7");
  });

  it("rejects an empty path parameter before sending", async () => {
    const error = await sdk.request(getPart, { thingId: "", partNo: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toEqual(["thingId"]);
    expect(server.requests).toHaveLength(0);
  });

  it("keeps a base URL's own path prefix", async () => {
    const echo = await sdk.request(
      getPart,
      { thingId: "x", partNo: 2 },
      { serverURL: `${server.url}/api/v2/` },
    );
    expect(echo.path).toBe("/api/v2/things/x/parts/2");
  });
});

describe("query, form style", () => {
  const search = defineOperation({
    id: "search",
    method: "GET",
    path: "/search",
    input: v.object({
      ids: v.optional(v.array(v.string())),
      flag: v.optional(v.boolean()),
      off: v.optional(v.boolean()),
      count: v.optional(v.number()),
      text: v.optional(v.string()),
      gone: v.optional(v.string()),
      nothing: v.optional(v.nullable(v.string())),
    }),
    request: (input) => ({
      query: {
        id: input.ids,
        flag: input.flag,
        off: input.off,
        page_size: input.count,
        q: input.text,
        gone: input.gone,
        nothing: input.nothing,
      },
    }),
    output: EchoSchema,
    security: null,
  });

  it("explodes arrays, writes booleans as true/false and leaves undefined and null out", async () => {
    const echo = await sdk.request(search, {
      ids: ["a", "b", "c d"],
      flag: true,
      off: false,
      count: 0,
      text: "x y&z=1+2#frag/é",
      nothing: null,
    });
    expect(echo.query).toEqual([
      ["id", "a"],
      ["id", "b"],
      ["id", "c d"],
      ["flag", "true"],
      ["off", "false"],
      ["page_size", "0"],
      ["q", "x y&z=1+2#frag/é"],
    ]);
  });

  it("sends no query string when every value is absent", async () => {
    const echo = await sdk.request(search, {});
    expect(echo.url).toBe("/search");
  });
});

describe("JSON body", () => {
  const create = defineOperation({
    id: "createThing",
    method: "POST",
    path: "/things",
    input: v.object({
      displayName: v.string(),
      tags: v.array(v.string()),
      limits: v.object({ max: v.number() }),
    }),
    request: (input) => ({
      body: { display_name: input.displayName, tags: input.tags, limits: input.limits, enabled: false },
    }),
    output: EchoSchema,
    security: null,
  });

  it("serializes the wire body as JSON with a JSON content type", async () => {
    const echo = await sdk.request(create, { displayName: "Ü thing", tags: ["a"], limits: { max: 3 } });
    expect(echo.method).toBe("POST");
    expect(echo.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(echo.body)).toEqual({
      display_name: "Ü thing",
      tags: ["a"],
      limits: { max: 3 },
      enabled: false,
    });
  });
});

// Typed errors of a test SDK. `kind` is the cross-copy brand `instanceof` checks.
class NotFoundError extends APIError<{ message: string }> {
  static override readonly kind: string = "@test/sdk.NotFoundError";
}
class ClientError extends APIError {
  static override readonly kind: string = "@test/sdk.ClientError";
}
class ServerFault extends APIError {
  static override readonly kind: string = "@test/sdk.ServerFault";
}
const ProblemSchema = v.object({ code: v.number(), message: v.string(), reason: v.optional(v.string()) });
class ProblemError extends APIError<v.InferOutput<typeof ProblemSchema>> {
  static override readonly kind: string = "@test/sdk.ProblemError";
  static readonly dataSchema = ProblemSchema;
  readonly code: number;
  constructor(init: APIErrorInit<v.InferOutput<typeof ProblemSchema>>) {
    super(init);
    this.code = init.data?.code ?? 0;
  }
}

describe("error map", () => {
  const failing = (errors?: ErrorMap) =>
    defineOperation({
      id: "failing",
      method: "GET",
      path: "/fail",
      input: v.object({ status: v.number() }),
      request: (input) => ({ query: { status: input.status } }),
      output: v.unknown(),
      security: null,
      ...(errors ? { errors } : {}),
    });
  beforeEach(() => {
    server.route("GET", "/fail", (req, res) => {
      const status = Number(req.query.get("status"));
      sendJSON(res, status, { code: status, message: `failed with ${status}` }, { "x-trace": "t-1" });
    });
  });

  const full = failing({ "404": NotFoundError, "4XX": ClientError, default: ServerFault });

  it.each([
    [404, NotFoundError],
    [400, ClientError],
    [409, ClientError],
    [500, ServerFault],
    [302, ServerFault],
  ])("maps %i to the most specific class (exact > range > default)", async (status, Expected) => {
    const error = await sdk.request(full, { status }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Expected);
    expect(error).toBeInstanceOf(APIError);
    // No other class of the map matches.
    for (const Other of [NotFoundError, ClientError, ServerFault].filter((c) => c !== Expected)) {
      expect(error).not.toBeInstanceOf(Other);
    }
  });

  it("falls back to APIError without a matching key, and without a map", async () => {
    const noDefault = failing({ "404": NotFoundError, "5XX": ServerFault });
    const e400 = await sdk.request(noDefault, { status: 400 }).catch((e: unknown) => e);
    expect(e400).toBeInstanceOf(APIError);
    expect(e400).not.toBeInstanceOf(NotFoundError);
    expect(e400).not.toBeInstanceOf(ServerFault);
    const e503 = await sdk.request(noDefault, { status: 503 }).catch((e: unknown) => e);
    expect(e503).toBeInstanceOf(ServerFault);
    const plain = await sdk.request(failing(), { status: 418 }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(APIError);
    expect(Object.getPrototypeOf(plain)).toBe(APIError.prototype);
  });

  it("fills status, method, url, headers, body and data", async () => {
    const error = (await sdk.request(full, { status: 404 }).catch((e: unknown) => e)) as NotFoundError;
    expect(error.status).toBe(404);
    expect(error.method).toBe("GET");
    expect(error.url).toBe(`${server.url}/fail`);
    expect(error.headers.get("x-trace")).toBe("t-1");
    expect(JSON.parse(error.body)).toEqual({ code: 404, message: "failed with 404" });
    expect(error.data).toEqual({ code: 404, message: "failed with 404" });
    expect(error.response?.status).toBe(404);
    expect(error.message).toContain("GET /fail failed with 404");
  });

  it("parses `data` with the class's dataSchema", async () => {
    const op = failing({ default: ProblemError });
    const error = await sdk.request(op, { status: 400 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).code).toBe(400);
    expect((error as ProblemError).data).toEqual({ code: 400, message: "failed with 400" });
  });

  it("keeps the declared class when the body does not match the dataSchema (data undefined, body kept)", async () => {
    // One rule: the status picks the class, whatever the body (the same 401 is the same class on
    // every path); `data` is only ever the declared shape.
    server.route("GET", "/fail", (_req, res) => sendJSON(res, 400, { error: "not the declared shape" }));
    const op = failing({ default: ProblemError });
    const error = (await sdk.request(op, { status: 400 }).catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.data).toBeUndefined();
    expect(JSON.parse(error.body)).toEqual({ error: "not the declared shape" });
    expect(error.status).toBe(400);
  });

  it("keeps a non-JSON error body as text and does not parse it", async () => {
    server.route("GET", "/fail", (_req, res) =>
      sendText(res, 502, "<html><body>Bad gateway</body></html>", { "content-type": "text/html" }),
    );
    const op = failing({ default: ProblemError });
    const error = (await sdk.request(op, { status: 502 }).catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.body).toBe("<html><body>Bad gateway</body></html>");
    expect(error.data).toBeUndefined();
    // An HTML page is not pasted into the message: its size and the status are.
    expect(error.message).toContain("failed with 502");
    expect(error.message).toContain("HTML response (37 bytes)");
    expect(error.message).not.toContain("<html>");
  });

  it("does not parse a JSON-looking body labelled text/plain", async () => {
    server.route("GET", "/fail", (_req, res) => sendText(res, 400, '{"code":400,"message":"x"}'));
    const error = (await sdk.request(failing(), { status: 400 }).catch((e: unknown) => e)) as APIError;
    expect(error.data).toBeUndefined();
    expect(error.body).toBe('{"code":400,"message":"x"}');
  });
});
