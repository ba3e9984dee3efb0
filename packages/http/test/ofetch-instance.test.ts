// The `$fetch` option: the user's own ofetch instance carries every attempt, with its defaults,
// its `fetch` and its `onRequest`/`onResponse` hooks (what a proxy `dispatcher` or a tracing
// interceptor needs).
import { InvalidRequestError } from "@sdk/errors";
import { createFetch, ofetch } from "ofetch";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineOperation } from "../src/index.js";
import { client, FAST_RETRY, useTestServer } from "./support/client.js";
import { sendJSON, type TestServer } from "./support/server.js";

let server: TestServer;
useTestServer((s) => {
  server = s;
});

const op = defineOperation({
  id: "ok",
  method: "GET",
  path: "/ok",
  input: v.object({ q: v.string() }),
  request: (input) => ({ query: { q: input.q } }),
  output: v.object({ ok: v.boolean() }),
});

function flaky(failures: number) {
  let n = 0;
  server.route("GET", "/ok", (_req, res) =>
    n++ < failures ? sendJSON(res, 503, { message: "busy" }) : sendJSON(res, 200, { ok: true }),
  );
}

describe("$fetch: the user's ofetch instance", () => {
  it("carries every attempt; its onRequest/onResponse hooks and default headers apply to each", async () => {
    flaky(2);
    const seen: string[] = [];
    const $fetch = ofetch.create({
      headers: { "x-from-instance": "yes" },
      onRequest: ({ request }) => {
        seen.push(`request ${String(request)}`);
      },
      onResponse: ({ response }) => {
        seen.push(`response ${response.status}`);
      },
    });
    const sdk = client(server.url, { $fetch, security: { apiKey: "k-123456789" }, retries: FAST_RETRY });
    const { attempts } = await sdk.request(op, { q: "a b" }).withResponse();
    expect(attempts).toBe(3);
    expect(seen.filter((s) => s.startsWith("request"))).toHaveLength(3);
    expect(seen.filter((s) => s.startsWith("response"))).toEqual([
      "response 503",
      "response 503",
      "response 200",
    ]);
    expect(server.requests.map((r) => r.headers["x-from-instance"])).toEqual(["yes", "yes", "yes"]);
    // Our request still goes out as built: query, credentials.
    expect(server.requests[0]?.query.get("q")).toBe("a b");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("k-123456789");
  });

  it("its own fetch carries the request (a test double, a proxy's dispatcher), and our hooks still run", async () => {
    flaky(0);
    const calls: string[] = [];
    const $fetch = createFetch({
      fetch: (input, init) => {
        calls.push(String(input instanceof Request ? input.url : input));
        return globalThis.fetch(input, init);
      },
    });
    const stages: string[] = [];
    const sdk = client(server.url, {
      $fetch,
      hooks: {
        beforeRequest: (_ctx, request) => {
          stages.push("beforeRequest");
          request.headers.set("x-hook", "1");
          return request;
        },
      },
    });
    await sdk.request(op, { q: "x" }, { security: { apiKey: "k-123456789" } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain("/ok?q=x");
    expect(stages).toEqual(["beforeRequest"]);
    expect(server.requests[0]?.headers["x-hook"]).toBe("1");
  });

  it("is refused together with `fetch`", () => {
    expect(() => client(server.url, { $fetch: ofetch, fetch: globalThis.fetch })).toThrow(
      InvalidRequestError,
    );
  });
});
