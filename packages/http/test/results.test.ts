// What a call returns: an awaitable APIPromise with `.withResponse()`, and for paginated operations an
// awaitable first page that is also an async iterable of items and of pages.
import { InvalidRequestError, ResponseValidationError } from "@sdk/errors";
import * as v from "valibot";
import { beforeEach, describe, expect, it } from "vitest";
import { defineOperation, paginate, wireObject } from "../src/index.js";
import { type TestClient, useTestServer } from "./support/client.js";
import { sendJSON, type TestServer } from "./support/server.js";

let server: TestServer;
let sdk: TestClient;
useTestServer((s, c) => {
  server = s;
  sdk = c;
});

describe("APIPromise", () => {
  const get = defineOperation({
    id: "getValue",
    method: "GET",
    path: "/value",
    output: wireObject({ the_value: v.number() }),
    security: null,
  });
  beforeEach(() => {
    server.route("GET", "/value", (_req, res) =>
      sendJSON(res, 200, { the_value: 42 }, { "x-request-id": "req-1" }),
    );
  });

  it("resolves to the parsed data", async () => {
    await expect(sdk.request(get, undefined)).resolves.toEqual({ theValue: 42 });
  });

  it(".withResponse() gives data, raw response, attempts and time, from ONE request", async () => {
    const call = sdk.request(get, undefined);
    const data = await call;
    const meta = await call.withResponse();
    const again = await call.then((d) => d.theValue);
    expect(data).toEqual({ theValue: 42 });
    expect(meta.data).toBe(data);
    expect(meta.response).toBeInstanceOf(Response);
    expect(meta.response.status).toBe(200);
    expect(meta.response.headers.get("x-request-id")).toBe("req-1");
    expect(meta.attempts).toBe(1);
    expect(meta.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(again).toBe(42);
    expect(server.requests).toHaveLength(1);
  });

  it("does not keep the body text on the Response (undici holds a Response after the call)", async () => {
    // Text kept on the Response (ofetch's `_data`) outlived every call and was promoted to the old
    // generation: 4× the GC work of raw fetch on a 100-key page (see quality/README.md).
    const { response } = await sdk.request(get, undefined).withResponse();
    const kept = Object.values(response).filter((value) => typeof value === "string");
    expect(kept).toEqual([]);
    expect(response.bodyUsed).toBe(true);
  });

  it("supports catch and finally like a Promise", async () => {
    server.route("GET", "/value", (_req, res) => sendJSON(res, 500, { message: "x" }));
    let finished = false;
    const status = await sdk
      .request(get, undefined)
      .finally(() => {
        finished = true;
      })
      .catch((e: { status: number }) => e.status);
    expect(status).toBe(500);
    expect(finished).toBe(true);
    const call = sdk.request(get, undefined);
    expect(Object.prototype.toString.call(call)).toBe("[object APIPromise]");
    await call.catch(() => undefined);
  });
});

describe("pagination", () => {
  const Page = wireObject({
    items: v.array(v.string()),
    next_page_token: v.optional(v.nullable(v.string())),
  });
  const listItems = defineOperation({
    id: "listItems",
    method: "GET",
    path: "/items",
    input: v.optional(v.object({ pageToken: v.optional(v.string()), pageSize: v.optional(v.number()) }), {}),
    request: (input) => ({ query: { page_token: input.pageToken, page_size: input.pageSize } }),
    output: Page,
    security: null,
    pagination: {
      inputToken: "pageToken",
      nextToken: (page) => page.nextPageToken,
      items: (page) => page.items,
    },
  });

  /** Serves `pages` keyed by the page_token they answer ("" for the first). */
  function pages(map: Record<string, { items: string[]; next_page_token?: string | null }>) {
    server.route("GET", "/items", (req, res) => {
      const page = map[req.query.get("page_token") ?? ""];
      if (page) sendJSON(res, 200, page);
      else sendJSON(res, 400, { message: "bad token" });
    });
  }
  const tokens = () => server.requests.map((r) => r.query.get("page_token"));

  it("iterates every item across pages, fetching each page once", async () => {
    pages({
      "": { items: ["a", "b"], next_page_token: "p2" },
      p2: { items: ["c"], next_page_token: "p3" },
      p3: { items: ["d", "e"] },
    });
    const items: string[] = [];
    for await (const item of paginate(sdk, listItems, {})) items.push(item);
    expect(items).toEqual(["a", "b", "c", "d", "e"]);
    expect(tokens()).toEqual([null, "p2", "p3"]);
  });

  it(".pages() yields whole pages; awaiting gives the first page", async () => {
    pages({ "": { items: ["a"], next_page_token: "p2" }, p2: { items: ["b"] } });
    const listing = paginate(sdk, listItems, {});
    const first = await listing;
    expect(first).toEqual({ items: ["a"], nextPageToken: "p2" });
    const all = [];
    for await (const page of listing.pages()) all.push(page.items);
    expect(all).toEqual([["a"], ["b"]]);
    // The first page was fetched once although it was awaited and iterated.
    expect(tokens()).toEqual([null, "p2"]);
  });

  it("stops on an empty next token and on a null one", async () => {
    pages({ "": { items: ["a"], next_page_token: "" } });
    const items: string[] = [];
    for await (const item of paginate(sdk, listItems, undefined)) items.push(item);
    expect(items).toEqual(["a"]);
    server.reset();
    pages({ "": { items: ["a"], next_page_token: "p2" }, p2: { items: [], next_page_token: null } });
    const more: string[] = [];
    for await (const item of paginate(sdk, listItems, {})) more.push(item);
    expect(more).toEqual(["a"]);
    expect(tokens()).toEqual([null, "p2"]);
  });

  it("throws instead of looping when the server repeats a token", async () => {
    pages({
      "": { items: ["a"], next_page_token: "p2" },
      p2: { items: ["b"], next_page_token: "p3" },
      p3: { items: ["c"], next_page_token: "p2" },
    });
    const items: string[] = [];
    const error = await (async () => {
      for await (const item of paginate(sdk, listItems, {})) items.push(item);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toContain("repeated a page token");
    expect(items).toEqual(["a", "b", "c"]);
    expect(tokens()).toEqual([null, "p2", "p3"]);
  });

  it("refuses an operation declared without pagination with a typed error", () => {
    const plain = defineOperation({ id: "plain", method: "GET", path: "/x", output: v.unknown() });
    expect(() => paginate(sdk, plain as never, undefined as never)).toThrow(InvalidRequestError);
    expect(server.requests).toHaveLength(0);
  });

  it("treats the starting token as seen", async () => {
    pages({ p5: { items: ["x"], next_page_token: "p5" } });
    const error = await (async () => {
      for await (const _ of paginate(sdk, listItems, { pageToken: "p5" })) {
        // drain
      }
    })().catch((e) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(tokens()).toEqual(["p5"]);
  });

  it("keeps the other input fields on every page", async () => {
    pages({ "": { items: ["a"], next_page_token: "p2" }, p2: { items: ["b"] } });
    for await (const _ of paginate(sdk, listItems, { pageSize: 7 })) {
      // drain
    }
    expect(server.requests.map((r) => r.query.get("page_size"))).toEqual(["7", "7"]);
  });

  it("fetches lazily: breaking out early fetches no further page", async () => {
    pages({ "": { items: ["a", "b"], next_page_token: "p2" }, p2: { items: ["c"] } });
    for await (const item of paginate(sdk, listItems, {})) {
      if (item === "a") break;
    }
    expect(tokens()).toEqual([null]);
  });

  it("surfaces a failing later page as its typed error", async () => {
    pages({ "": { items: ["a"], next_page_token: "unknown" } });
    const items: string[] = [];
    const error = await (async () => {
      for await (const item of paginate(sdk, listItems, {})) items.push(item);
    })().catch((e) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(items).toEqual(["a"]);
  });
});
