// The README's OpenTelemetry recipe (test/support/otel-recipe.ts), run against an in-memory exporter.
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import * as v from "valibot";
import { afterEach, describe, expect, it } from "vitest";
import { defineOperation } from "../src/index.js";
import { client, FAST_RETRY, useTestServer } from "./support/client.js";
import { tracingHooks } from "./support/otel-recipe.js";
import { sendJSON, type TestServer } from "./support/server.js";

let server: TestServer;
useTestServer((s) => {
  server = s;
});

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer("@core/http recipe");
afterEach(() => exporter.reset());

const op = defineOperation({
  id: "Things_List",
  name: "things.list",
  method: "GET",
  path: "/things",
  input: v.object({ q: v.string() }),
  request: (input) => ({ query: { q: input.q } }),
  output: v.object({ ok: v.boolean() }),
});

const KEY = "query-key-CANARY-123456";
/** What an exporter would send: names, attributes, events and status of every span. */
const exported = () =>
  JSON.stringify(
    exporter
      .getFinishedSpans()
      .map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
  );

function traced() {
  return client(server.url, {
    security: { queryKey: KEY },
    retries: FAST_RETRY,
    hooks: tracingHooks(tracer),
  });
}

describe("OpenTelemetry recipe", () => {
  it("one span per call, one event per attempt, standard attributes, query redacted", async () => {
    let n = 0;
    server.route("GET", "/things", (_req, res) =>
      n++ < 2 ? sendJSON(res, 503, { message: "busy" }) : sendJSON(res, 200, { ok: true }),
    );
    await traced().request(op, { q: "shoes" });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe("things.list");
    expect(span.attributes["http.request.method"]).toBe("GET");
    expect(span.attributes["http.response.status_code"]).toBe(200);
    expect(span.attributes["http.request.resend_count"]).toBe(2);
    expect(span.attributes["url.full"]).toBe(`${server.url}/things?q=REDACTED&key=REDACTED`);
    expect(
      span.events.map((e) => [
        e.name,
        e.attributes?.["http.attempt"],
        e.attributes?.["http.response.status_code"],
      ]),
    ).toEqual([
      ["http.attempt", 1, 503],
      ["http.attempt", 2, 503],
      ["http.attempt", 3, 200],
    ]);
    expect(span.status.code).not.toBe(2); // not ERROR
    expect(exported()).not.toContain(KEY);
  });

  it("a failed call: error.type, the status, an ERROR status without the credential", async () => {
    server.route("GET", "/things", (req, res) => sendJSON(res, 404, { message: `nothing for ${req.url}` }));
    await expect(traced().request(op, { q: "x" })).rejects.toThrow(/404/);
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes["error.type"]).toBe("APIError");
    expect(span?.attributes["http.response.status_code"]).toBe(404);
    expect(span?.attributes["http.request.resend_count"]).toBe(0);
    expect(span?.status.code).toBe(2); // ERROR
    expect(exported()).not.toContain(KEY);
  });

  it("a call that fails before sending still ends its span", async () => {
    await expect(traced().request(op, { q: 42 as never })).rejects.toThrow();
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes["error.type"]).toBe("InvalidRequestError");
    expect(span?.events).toHaveLength(0);
  });
});
