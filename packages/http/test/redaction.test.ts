// Stage "redaction": secrets declared per operation (request fields such as `jws`, response fields
// such as `access_token`) and every credential sent are scrubbed by one stage from every surface an
// error or a log line has. Canary values prove it: none may appear anywhere.
import { inspect } from "node:util";
import { APIError, type APIErrorInit, ResponseValidationError } from "@sdk/errors";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineOperation } from "../src/index.js";
import { client, useTestServer } from "./support/client.js";
import { sendJSON, type TestServer } from "./support/server.js";

let server: TestServer;
useTestServer((s) => {
  server = s;
});

// Not JWT- or key-shaped on purpose: only their declaration (or having been sent) marks them secret.
const API_KEY = "CANARY-apikey-7f3e9a1b2c";
const JWS = "CANARY-jws-4f9a8b7c6d5e3f2a";
const ACCESS_TOKEN = "CANARY-token-9z8y7x6w5v4u";
const CANARIES = [API_KEY, JWS, ACCESS_TOKEN];

const Status = v.looseObject({
  code: v.optional(v.number()),
  message: v.optional(v.string()),
  details: v.optional(v.array(v.looseObject({ "@type": v.string() }))),
});

/** Like @sdk/iam's StatusError: a google.rpc.Status body, its `details` exposed as a field. */
class StatusError extends APIError<v.InferOutput<typeof Status>> {
  static override readonly kind = "@test.StatusError";
  static readonly dataSchema = Status;
  readonly details: readonly unknown[];
  constructor(init: APIErrorInit<v.InferOutput<typeof Status>>) {
    super({ ...init, message: init.message ?? init.data?.message });
    this.details = init.data?.details ?? [];
  }
}

const exchange = defineOperation({
  id: "Tokens_Exchange",
  name: "tokens.exchange",
  method: "POST",
  path: "/token",
  input: v.object({ jws: v.string() }),
  request: (input) => ({ body: { jws: input.jws } }),
  output: v.object({ access_token: v.string(), expires_in: v.number() }),
  errors: { "400": StatusError },
  security: [["apiKey"]],
  secrets: { request: ["jws"], response: ["access_token"] },
});

function everySurface(error: unknown, sdk: unknown, logs: string[]): Record<string, string> {
  const e = error as APIError & { details?: unknown };
  const deep = { showHidden: true, depth: 8 };
  return {
    message: e.message,
    stack: String(e.stack),
    String: String(e),
    "JSON.stringify": JSON.stringify(e),
    "util.inspect showHidden depth 8": inspect(e, deep),
    "util.inspect customInspect false": inspect(e, { ...deep, customInspect: false }),
    body: String(e.body),
    data: JSON.stringify(e.data) ?? "",
    details: JSON.stringify(e.details) ?? "",
    spread: inspect({ ...e }, deep),
    logger: logs.join("\n"),
    client: inspect(sdk, { ...deep, customInspect: false }),
  };
}

function expectNoCanary(surfaces: Record<string, string>): void {
  for (const [surface, text] of Object.entries(surfaces)) {
    for (const canary of CANARIES) expect(text, `${surface} shows ${canary}`).not.toContain(canary);
  }
}

function loggingClient(logs: string[]) {
  return client(server.url, {
    security: { apiKey: API_KEY },
    logger: {
      debug: (...parts: unknown[]) => logs.push(parts.map((p) => inspect(p, { depth: 8 })).join(" ")),
    },
  });
}

describe("one redaction stage, proven with canaries", () => {
  it("a server echoing the JWS in its message and in a google.rpc.DebugInfo detail (and the key in a header)", async () => {
    server.route("POST", "/token", (req, res) => {
      const { jws } = JSON.parse(req.body) as { jws: string };
      sendJSON(
        res,
        400,
        {
          code: 3,
          message: `invalid JWS ${jws} for key ${req.headers["x-api-key"]}`,
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.DebugInfo",
              stack_entries: [`verify(${jws})`],
              detail: `jws=${encodeURIComponent(jws)}`,
            },
          ],
        },
        { "x-echo-key": String(req.headers["x-api-key"]), "x-request-id": "r-echo" },
      );
    });
    const logs: string[] = [];
    const sdk = loggingClient(logs);
    const error = await sdk.request(exchange, { jws: JWS }).catch((e: unknown) => e);
    // The canaries did travel: the server saw them and answered with them.
    expect(server.requests[0]?.body).toContain(JWS);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).details).toHaveLength(1);
    expect((error as StatusError).requestId).toBe("r-echo");
    expectNoCanary(everySurface(error, sdk, logs));
  });

  it("a 200 whose expires_in is invalid, beside a real-looking access_token", async () => {
    server.route("POST", "/token", (_req, res) =>
      sendJSON(res, 200, { access_token: ACCESS_TOKEN, expires_in: "soon", token_type: "Bearer" }),
    );
    const logs: string[] = [];
    const sdk = loggingClient(logs);
    const error = await sdk.request(exchange, { jws: JWS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]?.path).toBe("expires_in");
    expectNoCanary(everySurface(error, sdk, logs));
  });

  it("a proxy error quoting the key in a non-JSON body", async () => {
    server.route("POST", "/token", (req, res) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`upstream refused request with key ${req.headers["x-api-key"]} and body ${req.body}`);
    });
    const logs: string[] = [];
    const sdk = loggingClient(logs);
    const error = await sdk.request(exchange, { jws: JWS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).body).toContain("[REDACTED]");
    expectNoCanary(everySurface(error, sdk, logs));
  });
});
