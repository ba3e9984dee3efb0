// @core/http against @sdk/mock-api, a real HTTP server on 127.0.0.1 that misbehaves on demand: reset
// connections, delays past the timeout, 429 with Retry-After, bursts of 503s, truncated JSON, an HTML 502,
// a wrong content type and contract drift. Every case ends in a successful retry or the right typed error.
import {
  APIError,
  type APIErrorInit,
  ConnectionError,
  DeadlineExceededError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
} from "@sdk/errors";
import { type MockApi, startMockApi } from "@sdk/mock-api";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type ApiDescription,
  type ClientOptions,
  defineOperation,
  HttpClient,
  looseWireObject,
  openEnum,
  paginate,
  wireObject,
} from "../src/index.js";

interface MockSecurity {
  apiKey?: string | undefined;
  /** A workspace id: the custom scheme exchanges it for an Auth API access token and caches it. */
  workspace?: string | undefined;
}

let server: MockApi;
beforeAll(async () => {
  server = await startMockApi({ port: 0, signingKeyCount: 25 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** Access tokens the custom scheme obtained, newest last. */
const issued: string[] = [];
const tokenCache = new Map<string, string>();

const api = (): ApiDescription<MockSecurity> => ({
  sdk: "@test/mock-client",
  version: "0.0.1",
  servers: { mock: server.url },
  defaultServer: "mock",
  securitySchemes: [
    { field: "apiKey", type: "apiKey", in: "header", name: "x-api-key" },
    {
      field: "workspace",
      type: "custom",
      async apply(workspaceId, ctx) {
        let token = tokenCache.get(workspaceId);
        if (!token) {
          const res = await fetch(`${ctx.hook.baseURL}/v1/auth/access_token?workspace_id=${workspaceId}`);
          token = ((await res.json()) as { access_token: string }).access_token;
          tokenCache.set(workspaceId, token);
          issued.push(token);
        }
        return { authorization: `Bearer ${token}` };
      },
      async onUnauthorized(workspaceId) {
        tokenCache.delete(workspaceId);
        return true;
      },
    },
  ],
});

const FAST = {
  strategy: "backoff",
  backoff: { initialInterval: 5, maxInterval: 25, exponent: 2, maxElapsedTime: 5_000 },
  retryConnectionErrors: true,
} as const;

function mockClient(options: ClientOptions<MockSecurity> = {}) {
  return new HttpClient(api(), { security: { apiKey: server.credentials.auth.apiKey }, ...options });
}

// The Auth API's error model.
const AuthErrorBody = v.object({ message: v.string(), status_code: v.number() });
class AuthError extends APIError<v.InferOutput<typeof AuthErrorBody>> {
  static override readonly kind: string = "@test/mock-client.AuthError";
  static readonly dataSchema = AuthErrorBody;
}
// google.rpc.Status of the IAM API.
const StatusBody = v.object({
  code: v.number(),
  message: v.string(),
  details: v.optional(v.array(v.looseObject({ "@type": v.string(), reason: v.optional(v.string()) }))),
});
class StatusError extends APIError<v.InferOutput<typeof StatusBody>> {
  static override readonly kind: string = "@test/mock-client.StatusError";
  static readonly dataSchema = StatusBody;
  readonly reason: string | undefined;
  constructor(init: APIErrorInit<v.InferOutput<typeof StatusBody>>) {
    super(init);
    this.reason = init.data?.details?.[0]?.reason;
  }
}

const ACCOUNT_TYPES = ["free", "scale-up", "business", "enterprise"] as const;
const details = {
  workspace_id: v.string(),
  workspace_slug: v.string(),
  org_slug: v.string(),
  enabled_features: v.array(v.string()),
};
const validate = defineOperation({
  id: "validateApiKey",
  method: "GET",
  path: "/v1/auth/validate",
  output: wireObject({ ...details, account_type_v2: openEnum(ACCOUNT_TYPES) }),
  errors: { "4XX": AuthError },
});
/** The same operation with a closed enum: a renamed value must be a validation error, not a crash. */
const validateClosed = defineOperation({
  ...validate,
  id: "validateApiKeyClosed",
  output: wireObject({ ...details, account_type_v2: v.picklist(ACCOUNT_TYPES) }),
});

const listKeys = defineOperation({
  id: "listSigningKeys",
  method: "GET",
  path: "/iam/v1/keys",
  input: v.optional(
    v.object({
      pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
      pageToken: v.optional(v.string()),
    }),
    {},
  ),
  request: (input) => ({ query: { page_size: input.pageSize, page_token: input.pageToken } }),
  output: wireObject({
    keys: v.array(looseWireObject({ kid: v.string(), kty: openEnum(["RSA"]), n: v.string(), e: v.string() })),
    next_page_token: v.optional(v.string()),
  }),
  errors: { default: StatusError },
  security: [["apiKey"]],
  pagination: { inputToken: "pageToken", nextToken: (p) => p.nextPageToken, items: (p) => p.keys },
});

const generateAccessToken = defineOperation({
  id: "generateAccessToken",
  method: "POST",
  path: "/iam/v1/serviceAccounts:generateAccessToken",
  input: v.object({ jws: v.pipe(v.string(), v.minLength(1)) }),
  request: (input) => ({ body: { jws: input.jws } }),
  output: wireObject({ access_token: v.string(), expires_in: v.number(), token_type: v.string() }),
  errors: { default: StatusError },
  security: [["apiKey"]],
});

const iam = (options: ClientOptions<MockSecurity> = {}) =>
  mockClient({ security: { apiKey: server.credentials.iam.apiKey }, ...options });
const routeLog = (route: string) => server.requests.filter((r) => r.route === route);

describe("happy paths and typed errors", () => {
  it("validates an API key and maps the wire model", async () => {
    const details = await mockClient().request(validate, undefined);
    expect(details).toMatchObject({
      workspaceId: server.credentials.auth.workspaceId,
      workspaceSlug: server.credentials.auth.workspaceSlug,
      accountTypeV2: "free",
    });
    expect(server.requests[0]?.headers["x-api-key"]).toBe("[present]");
  });

  it("maps a 401 to the typed error with its parsed body", async () => {
    const error = await mockClient({ security: { apiKey: server.credentials.auth.unknown.apiKey } })
      .request(validate, undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).data).toEqual({ message: "Invalid API key.", status_code: 401 });
  });

  it("sends nothing for invalid input", async () => {
    const error = await iam()
      .request(listKeys, { pageSize: 0 })
      .catch((e) => e);
    expect(error).toMatchObject({ name: "InvalidRequestError" });
    expect(server.requests).toHaveLength(0);
  });

  it("pages through every signing key, each page fetched once", async () => {
    const kids: string[] = [];
    for await (const key of paginate(iam(), listKeys, { pageSize: 10 })) kids.push(key.kid);
    expect(kids).toHaveLength(25);
    expect(new Set(kids).size).toBe(25);
    expect(routeLog("GET /iam/v1/keys").map((r) => r.query.page_size)).toEqual(["10", "10", "10"]);
  });

  it("maps an IAM error to the google.rpc.Status error", async () => {
    const error = await iam()
      .request(generateAccessToken, { jws: "not-a-jws" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(StatusError);
    expect(error).toMatchObject({ status: 401, reason: "JWS_MALFORMED", data: { code: 16 } });
  });
});

describe("faults", () => {
  it("connection reset: retried to success", async () => {
    server.faults.add({ kind: "reset", route: "GET /v1/auth/validate", count: 2 });
    const { data, attempts } = await mockClient({ retries: FAST })
      .request(validate, undefined)
      .withResponse();
    expect(attempts).toBe(3);
    expect(data.workspaceId).toBe(server.credentials.auth.workspaceId);
    expect(routeLog("GET /v1/auth/validate").map((r) => r.status)).toEqual([0, 0, 200]);
  });

  it("connection reset: ConnectionError with its cause when not retried", async () => {
    const error = await mockClient()
      .request(validate, undefined, { headers: { "x-mock-fault": "reset" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).cause).toBeDefined();
  });

  it("delay past the timeout: RequestTimeoutError", async () => {
    const started = Date.now();
    const error = await mockClient({ timeoutMs: 100 })
      .request(validate, undefined, { headers: { "x-mock-fault": "delay;ms=3000" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("delay past the timeout once: retried to success", async () => {
    server.faults.add({ kind: "delay", ms: 2000, route: "GET /v1/auth/validate" });
    const { attempts } = await mockClient({ timeoutMs: 150, retries: FAST })
      .request(validate, undefined)
      .withResponse();
    expect(attempts).toBe(2);
  });

  it("429 with retry-after-ms: waits as told, then succeeds", async () => {
    server.faults.add({ kind: "status", status: 429, retryAfterMs: 150, route: "GET /v1/auth/validate" });
    const started = Date.now();
    const { attempts } = await mockClient({
      retries: { ...FAST, backoff: { ...FAST.backoff, maxInterval: 1000 } },
    })
      .request(validate, undefined)
      .withResponse();
    expect(attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("429 with Retry-After: 0 and retry-after-ms: 0 on every answer: a few requests, then the 429", async () => {
    // What used to make tens of thousands of requests a minute with `maxRetries: Infinity`: now the
    // default policy makes at most 4 attempts, each after the backoff floor.
    const spec = {
      kind: "status",
      status: 429,
      retryAfter: 0,
      retryAfterMs: 0,
      route: "GET /v1/auth/validate",
    };
    server.faults.add(Array.from({ length: 20 }, () => ({ ...spec }) as never));
    const error = await mockClient({ retries: { strategy: "backoff" } })
      .request(validate, undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(429);
    const sent = routeLog("GET /v1/auth/validate").length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThanOrEqual(5);
  });

  it("maxRetries: Infinity is refused when the client is built", () => {
    expect(() =>
      mockClient({ retries: { strategy: "backoff", maxRetries: Number.POSITIVE_INFINITY } }),
    ).toThrow(/maxRetries/);
  });

  it("totalTimeoutMs 1,500 against 429 + Retry-After: 1 settles before 2.5 s, as DeadlineExceededError", async () => {
    const spec = { kind: "status", status: 429, retryAfter: 1, route: "GET /v1/auth/validate" };
    server.faults.add(Array.from({ length: 10 }, () => ({ ...spec }) as never));
    const started = Date.now();
    const error = await mockClient({ retries: FAST, totalTimeoutMs: 1500 })
      .request(validate, undefined)
      .catch((e) => e);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).not.toBeInstanceOf(RequestAbortedError);
    expect((error as DeadlineExceededError).cause).toMatchObject({ status: 429 });
  });

  it("429 not retried: the typed error with the Retry-After header", async () => {
    const error = await mockClient()
      .request(validate, undefined, { headers: { "x-mock-fault": "status;status=429;retryAfter=7" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(429);
    expect((error as AuthError).headers.get("retry-after")).toBe("7");
  });

  it("a burst of 503s (header form): retried to success", async () => {
    const { attempts } = await mockClient({ retries: FAST })
      .request(validate, undefined, {
        headers: { "x-mock-fault": "fail-then-succeed;times=3;status=503", "x-mock-fault-key": "burst-1" },
      })
      .withResponse();
    expect(attempts).toBe(4);
  });

  it("a burst of 503s longer than maxRetries: the last 503", async () => {
    server.faults.add({ kind: "status", status: 503, route: "GET /v1/auth/validate", count: 5 });
    const error = await mockClient({ retries: { ...FAST, maxRetries: 2 } })
      .request(validate, undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(503);
    expect(routeLog("GET /v1/auth/validate")).toHaveLength(3);
  });

  it("truncated JSON: ResponseValidationError keeping the raw body, not retried", async () => {
    server.faults.add({ kind: "truncate", route: "GET /v1/auth/validate" });
    const error = await mockClient({ retries: FAST })
      .request(validate, undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).body.startsWith('{"workspace_id"')).toBe(true);
    expect((error as ResponseValidationError).cause).toBeInstanceOf(SyntaxError);
    expect(routeLog("GET /v1/auth/validate")).toHaveLength(1);
  });

  it("an HTML 502 page: retried to success", async () => {
    server.faults.add({ kind: "html", route: "GET /v1/auth/validate" });
    const { attempts } = await mockClient({ retries: FAST }).request(validate, undefined).withResponse();
    expect(attempts).toBe(2);
  });

  it("an HTML 502 page not retried: a plain APIError with the page as body and no data", async () => {
    const error = await mockClient()
      .request(validate, undefined, { headers: { "x-mock-fault": "html" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).body).toMatch(/<html/i);
    expect((error as APIError).data).toBeUndefined();
  });

  it("a wrong content type: ResponseValidationError", async () => {
    const error = await mockClient()
      .request(validate, undefined, { headers: { "x-mock-fault": "content-type" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toContain("text/plain");
    expect(JSON.parse((error as ResponseValidationError).body)).toHaveProperty("workspace_id");
  });

  it("an extra field: tolerated", async () => {
    const details = await mockClient().request(validate, undefined, {
      headers: { "x-mock-fault": "drift;mode=extra-field" },
    });
    expect(details.workspaceId).toBe(server.credentials.auth.workspaceId);
    expect(details).not.toHaveProperty("unexpectedField");
  });

  it("a missing required field: ResponseValidationError naming it", async () => {
    const error = await mockClient()
      .request(validate, undefined, { headers: { "x-mock-fault": "drift;mode=missing-field" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]).toMatchObject({
      path: "workspace_id",
      expected: "string",
      received: "undefined",
    });
  });

  it("a renamed enum value: accepted by an open enum", async () => {
    const details = await mockClient().request(validate, undefined, {
      headers: { "x-mock-fault": "drift;mode=unknown-enum" },
    });
    expect(details.accountTypeV2).toBe("hyper-scale");
  });

  it("a renamed enum value: ResponseValidationError for a closed enum", async () => {
    const error = await mockClient()
      .request(validateClosed, undefined, { headers: { "x-mock-fault": "drift;mode=unknown-enum" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]?.path).toBe("account_type_v2");
  });

  it("a revoked token: renewed once by the custom scheme, then success", async () => {
    tokenCache.clear();
    issued.length = 0;
    const sdk = mockClient({ security: { workspace: server.credentials.auth.workspaceId } });
    await sdk.request(validate, undefined);
    server.faults.add({ kind: "revoked-token", route: "GET /v1/auth/validate" });
    const { attempts } = await sdk.request(validate, undefined).withResponse();
    expect(attempts).toBe(2);
    expect(issued).toHaveLength(2);
    expect(routeLog("GET /v1/auth/validate").map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it("a POST is not retried after a 503 unless declared idempotent", async () => {
    server.faults.add({
      kind: "status",
      status: 503,
      route: "POST /iam/v1/serviceAccounts:generateAccessToken",
    });
    const error = await iam({ retries: FAST })
      .request(generateAccessToken, { jws: "not-a-jws" })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(routeLog("POST /iam/v1/serviceAccounts:generateAccessToken")).toHaveLength(1);

    server.reset();
    server.faults.add({
      kind: "status",
      status: 503,
      route: "POST /iam/v1/serviceAccounts:generateAccessToken",
    });
    const idempotent = defineOperation({ ...generateAccessToken, idempotent: true });
    const retried = await iam({ retries: FAST })
      .request(idempotent, { jws: "not-a-jws" })
      .catch((e) => e);
    // Retried past the 503 to the real answer for this JWS.
    expect(retried).toMatchObject({ status: 401, reason: "JWS_MALFORMED" });
    expect(routeLog("POST /iam/v1/serviceAccounts:generateAccessToken")).toHaveLength(2);
    expect(routeLog("POST /iam/v1/serviceAccounts:generateAccessToken")[1]?.body).toEqual({
      jws: "[redacted]",
    });
  });

  it("a 503 in the middle of a listing: the page is retried, no page is skipped or repeated", async () => {
    server.faults.add({ kind: "status", status: 503, route: "GET /iam/v1/keys", count: 1 });
    const kids: string[] = [];
    for await (const key of paginate(iam({ retries: FAST }), listKeys, { pageSize: 10 })) kids.push(key.kid);
    expect(new Set(kids).size).toBe(25);
    expect(routeLog("GET /iam/v1/keys").map((r) => r.status)).toEqual([503, 200, 200, 200]);
  });
});
