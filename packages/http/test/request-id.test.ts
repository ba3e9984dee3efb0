// Stage "errors": every error made from a response names the server's request id and the SDK method.
import { APIError, REQUEST_ID_HEADERS, ResponseTooLargeError, ResponseValidationError } from "@sdk/errors";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineOperation } from "../src/index.js";
import { client, useTestServer } from "./support/client.js";
import { sendJSON, sendText, type TestServer } from "./support/server.js";

let server: TestServer;
useTestServer((s) => {
  server = s;
});

const op = defineOperation({
  id: "Things_GetThing",
  name: "things.getThing",
  method: "GET",
  path: "/thing",
  output: v.object({ kind: v.picklist(["small", "large"]) }),
  security: null,
});

describe("requestId", () => {
  it("is read from x-request-id: in the message tail and in toJSON()", async () => {
    server.route("GET", "/thing", (_req, res) =>
      sendJSON(res, 500, { message: "boom" }, { "x-request-id": "req-123" }),
    );
    const error = (await client(server.url)
      .request(op, undefined)
      .catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.requestId).toBe("req-123");
    expect(error.message).toMatch(/\[request id req-123\]$/);
    expect(JSON.parse(JSON.stringify(error)).requestId).toBe("req-123");
  });

  it.each(REQUEST_ID_HEADERS.slice(1))("falls back to %s", async (header) => {
    server.route("GET", "/thing", (_req, res) =>
      sendJSON(res, 404, { message: "no" }, { [header]: "abc-9" }),
    );
    const error = (await client(server.url)
      .request(op, undefined)
      .catch((e: unknown) => e)) as APIError;
    expect(error.requestId).toBe("abc-9");
  });

  it("is on validation errors and on a body over the limit too", async () => {
    server.route("GET", "/thing", (_req, res) =>
      sendJSON(res, 200, { kind: "medium" }, { "x-request-id": "r-1" }),
    );
    const invalid = (await client(server.url)
      .request(op, undefined)
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(invalid).toBeInstanceOf(ResponseValidationError);
    expect(invalid.requestId).toBe("r-1");
    expect(invalid.toJSON().requestId).toBe("r-1");
    server.route("GET", "/thing", (_req, res) =>
      sendJSON(res, 200, { kind: "x".repeat(2000) }, { "x-request-id": "r-2" }),
    );
    const large = (await client(server.url, { maxResponseBytes: 100 })
      .request(op, undefined)
      .catch((e: unknown) => e)) as ResponseTooLargeError;
    expect(large).toBeInstanceOf(ResponseTooLargeError);
    expect(large.requestId).toBe("r-2");
    expect(large.message).toContain("[request id r-2]");
  });

  it("is not shown when the header does not look like an id", async () => {
    server.route("GET", "/thing", (_req, res) => sendJSON(res, 500, {}, { "x-request-id": "a b <script>" }));
    const error = (await client(server.url)
      .request(op, undefined)
      .catch((e: unknown) => e)) as APIError;
    expect(error.requestId).toBeUndefined();
    expect(error.message).not.toContain("request id");
  });
});

describe("messages", () => {
  it("name the SDK method, not the contract id", async () => {
    server.route("GET", "/thing", (_req, res) => sendJSON(res, 401, { message: "who are you" }));
    const error = (await client(server.url)
      .request(op, undefined)
      .catch((e: unknown) => e)) as APIError;
    expect(error.message).toMatch(/^things\.getThing: GET \/thing failed with 401/);
    expect(error.message).not.toContain("Things_GetThing");
  });

  it("say which value of a closed enum arrived and which were expected", async () => {
    server.route("GET", "/thing", (_req, res) => sendJSON(res, 200, { kind: "medium" }));
    const error = (await client(server.url)
      .request(op, undefined)
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(error.message).toContain("things.getThing");
    expect(error.message).toContain('"medium"');
    expect(error.message).toMatch(/"small" \| "large"/);
  });

  it("do not paste an HTML error page: its size and the status, the page stays on body", async () => {
    const page = `<!DOCTYPE html><html><body>${"<p>gateway</p>".repeat(50)}</body></html>`;
    server.route("GET", "/thing", (_req, res) =>
      sendText(res, 502, page, { "content-type": "text/html; charset=utf-8" }),
    );
    const error = (await client(server.url)
      .request(op, undefined)
      .catch((e: unknown) => e)) as APIError;
    expect(error.message).toContain(`failed with 502`);
    expect(error.message).toContain(`HTML response (${page.length} bytes)`);
    expect(error.message).not.toContain("<p>");
    expect(error.body).toBe(page);
  });
});
