// Stage "body": `maxResponseBytes` bounds what a response can make the client hold, whatever the
// server sends: an endless body, a page over the limit, or a Content-Length that announces too much.
import { InvalidRequestError, ResponseTooLargeError } from "@sdk/errors";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_RESPONSE_BYTES, defineOperation } from "../src/index.js";
import { client, useTestServer } from "./support/client.js";
import { sendJSON, type TestServer } from "./support/server.js";

let server: TestServer;
useTestServer((s) => {
  server = s;
});

const page = defineOperation({
  id: "page",
  method: "GET",
  path: "/page",
  output: v.object({ items: v.array(v.string()) }),
  security: null,
});

describe("maxResponseBytes", () => {
  it("defaults to 8 MiB", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(8 * 1024 * 1024);
  });

  it("cancels an endless JSON body at the limit (4 MiB): fast, without holding it", async () => {
    let stopped = false;
    server.route("GET", "/page", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"items":[');
      const chunk = `${'"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",'.repeat(2000)}`;
      const pump = () => {
        while (!stopped && res.write(chunk)) {}
        if (!stopped) res.once("drain", pump);
      };
      res.on("close", () => {
        stopped = true;
      });
      pump();
    });
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    const error = await client(server.url, { maxResponseBytes: 4 * 1024 * 1024 })
      .request(page, undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).maxResponseBytes).toBe(4 * 1024 * 1024);
    expect((error as ResponseTooLargeError).receivedBytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
    // The read was cancelled: the server sees its response closed.
    await expect.poll(() => stopped, { timeout: 2000 }).toBe(true);
  });

  it("rejects a 6 KB page with a 1,000-byte limit (per call), and reads it with the default", async () => {
    const items = Array.from({ length: 300 }, (_, i) => `item-${String(i).padStart(8, "0")}`);
    server.route("GET", "/page", (_req, res) => sendJSON(res, 200, { items }));
    const sdk = client(server.url);
    const error = await sdk.request(page, undefined, { maxResponseBytes: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((await sdk.request(page, undefined)).items).toHaveLength(300);
  });

  it("counts a chunked body (no Content-Length) too", async () => {
    server.route("GET", "/page", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"items":[');
      res.write(`${'"abc",'.repeat(400)}"abc"`);
      res.end("]}");
    });
    const error = await client(server.url, { maxResponseBytes: 1000 })
      .request(page, undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it("refuses a Content-Length over the limit before reading the body", async () => {
    let closed = false;
    server.route("GET", "/page", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) });
      res.write('{"items":[');
      // The rest never comes: a client that waited for it would hang.
      res.on("close", () => {
        closed = true;
      });
    });
    const started = Date.now();
    const error = await client(server.url, { maxResponseBytes: 1024 * 1024 })
      .request(page, undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).receivedBytes).toBe(50 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect.poll(() => closed, { timeout: 2000 }).toBe(true);
  });

  it("applies to error bodies as well", async () => {
    server.route("GET", "/page", (_req, res) => sendJSON(res, 500, { message: "x".repeat(5000) }));
    const error = await client(server.url, { maxResponseBytes: 1000 })
      .request(page, undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).status).toBe(500);
  });

  it("takes Infinity explicitly, and refuses a limit that is not a whole number of bytes", async () => {
    server.route("GET", "/page", (_req, res) => sendJSON(res, 200, { items: ["a"] }));
    const data = await client(server.url, { maxResponseBytes: Number.POSITIVE_INFINITY }).request(
      page,
      undefined,
    );
    expect(data.items).toEqual(["a"]);
    for (const bad of [-1, 1.5, Number.NaN, "1000"]) {
      expect(() => client(server.url, { maxResponseBytes: bad as never }), String(bad)).toThrow(
        InvalidRequestError,
      );
      const error = await client(server.url)
        .request(page, undefined, { maxResponseBytes: bad as never })
        .catch((e: unknown) => e);
      expect(error, String(bad)).toBeInstanceOf(InvalidRequestError);
    }
  });
});
