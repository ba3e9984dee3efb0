import { describe, expect, it } from "vitest";
import {
  APIError,
  AuthError,
  ConnectionError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
} from "../src/index.js";
import {
  ACCESS,
  ACCESS_TOKEN,
  clientFor,
  rejectionOf,
  requestsTo,
  USER,
  useMockApi,
  VALIDATE,
} from "./helpers.js";

const mock = useMockApi();

const fault = (spec: string) => ({ headers: { "x-mock-fault": spec } });

describe("retries", () => {
  it("getAccess retries a 503 by default", async () => {
    mock.server.faults.add({ kind: "status", status: 503, route: ACCESS, count: 2 });
    const { data, attempts } = await clientFor(mock.server).getAccess().withResponse();
    expect(attempts).toBe(3);
    expect(data.generationAllowed).toBe(true);
    expect(requestsTo(mock.server, ACCESS).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("getAccess retries a fail-then-succeed fault (header form)", async () => {
    const { attempts } = await clientFor(mock.server)
      .getAccess(
        { passive: true },
        { headers: { "x-mock-fault": "fail-then-succeed;times=2;status=502", "x-mock-fault-key": "ftS-1" } },
      )
      .withResponse();
    expect(attempts).toBe(3);
  });

  it("getAccess retries a dropped connection and a proxy's HTML 502", async () => {
    mock.server.faults.add([
      { kind: "reset", route: ACCESS },
      { kind: "html", route: ACCESS },
    ]);
    const { attempts } = await clientFor(mock.server).getAccess().withResponse();
    expect(attempts).toBe(3);
  });

  it("getAccess does not retry what is not in its status codes", async () => {
    mock.server.faults.add({ kind: "status", status: 504, route: ACCESS, count: 2 });
    const error = await rejectionOf(clientFor(mock.server).getAccess());
    expect((error as APIError).status).toBe(504);
    expect(requestsTo(mock.server, ACCESS)).toHaveLength(1);
  });

  it("a call can turn getAccess's retries off", async () => {
    mock.server.faults.add({ kind: "status", status: 503, route: ACCESS, count: 2 });
    const error = await rejectionOf(clientFor(mock.server).getAccess({}, { retries: { strategy: "none" } }));
    expect(error).toBeInstanceOf(APIError);
    expect(requestsTo(mock.server, ACCESS)).toHaveLength(1);
  });

  it("the other operations do not retry unless configured", async () => {
    mock.server.faults.add({ kind: "status", status: 503, route: VALIDATE, count: 1 });
    const auth = clientFor(mock.server);
    await expect(auth.validateApiKey()).rejects.toBeInstanceOf(APIError);
    expect(requestsTo(mock.server, VALIDATE)).toHaveLength(1);

    mock.server.faults.add({ kind: "status", status: 503, route: VALIDATE, count: 1 });
    const { attempts } = await auth
      .validateApiKey({ retries: { strategy: "backoff", backoff: { initialInterval: 10 } } })
      .withResponse();
    expect(attempts).toBe(2);
  });

  it("client-level retries apply to every operation", async () => {
    mock.server.faults.add({ kind: "status", status: 500, route: USER, count: 1 });
    const auth = clientFor(mock.server, {
      retries: { strategy: "backoff", backoff: { initialInterval: 10 } },
    });
    const { attempts } = await auth.getUser().withResponse();
    expect(attempts).toBe(2);
  });

  it("honours Retry-After", async () => {
    mock.server.faults.add({ kind: "status", status: 503, route: ACCESS, count: 1, retryAfterMs: 300 });
    const { attempts, elapsedMs } = await clientFor(mock.server).getAccess().withResponse();
    expect(attempts).toBe(2);
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
  });
});

describe("error responses", () => {
  it("a 5XX is an APIError, not an AuthError, even with the API's error body", async () => {
    const error = await rejectionOf(clientFor(mock.server).validateApiKey(fault("status;status=503")));
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as APIError).status).toBe(503);
    expect((error as APIError).data).toMatchObject({ status_code: 503 });
  });

  it("a 4XX whose body is not the error model is still an AuthError (one rule: the status picks the class)", async () => {
    const error = await rejectionOf(clientFor(mock.server).getUser(fault("status;status=403;body=go away")));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as APIError).status).toBe(403);
    expect((error as APIError).body).toBe("go away");
    expect((error as APIError).data).toBeUndefined();
    expect((error as APIError).message).toMatch(/^auth\.getUser: GET \/v1\/user failed with 403/);
  });

  it("an HTML 502 from a proxy is an APIError with the page as body", async () => {
    const error = await rejectionOf(clientFor(mock.server).validateApiKey(fault("html")));
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).headers.get("content-type")).toMatch(/text\/html/);
    expect((error as APIError).data).toBeUndefined();
  });

  it("a truncated JSON body is a ResponseValidationError", async () => {
    const error = await rejectionOf(clientFor(mock.server).getUser(fault("truncate")));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).message).toMatch(/not valid JSON/);
    expect((error as ResponseValidationError).status).toBe(200);
  });

  it("a success with the wrong content type is a ResponseValidationError", async () => {
    const error = await rejectionOf(clientFor(mock.server).validateApiKey(fault("content-type")));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).message).toMatch(/text\/plain/);
  });
});

describe("contract drift", () => {
  it("ignores an extra field", async () => {
    const details = await clientFor(mock.server).validateApiKey(fault("drift;mode=extra-field"));
    expect(details.workspaceSlug).toBe("acme-sandbox");
    expect(details).not.toHaveProperty("unexpectedField");
    expect(details).not.toHaveProperty("unexpected_field");
  });

  it("accepts an unknown account type (open enum)", async () => {
    const details = await clientFor(mock.server).validateApiKey(fault("drift;mode=unknown-enum"));
    expect(details.accountTypeV2).toBe("hyper-scale");
    const token = await clientFor(mock.server).getAccessToken(
      { workspaceId: mock.server.credentials.auth.workspaceId },
      fault("drift;mode=unknown-enum"),
    );
    expect(token.workspaces?.[0]?.accountType).toBe("hyper-scale");
  });

  it("rejects an unknown access level (closed enum)", async () => {
    const error = await rejectionOf(clientFor(mock.server).getAccess({}, fault("drift;mode=unknown-enum")));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues.map((i) => i.path)).toEqual(["level"]);
  });

  it.each([
    ["validateApiKey", VALIDATE, "workspace_id"],
    ["getUser", USER, "email"],
    ["getAccessToken", ACCESS_TOKEN, "access_token"],
    ["getAccess", ACCESS, "generation_allowed"],
  ] as const)("%s rejects a missing required field, naming it", async (method, _route, field) => {
    const auth = clientFor(mock.server);
    const options = fault("drift;mode=missing-field");
    const call =
      method === "getAccessToken"
        ? auth.getAccessToken({ workspaceId: mock.server.credentials.auth.workspaceId }, options)
        : method === "getAccess"
          ? auth.getAccess({}, options)
          : auth[method](options);
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(ResponseValidationError);
    const issues = (error as ResponseValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual([field]);
    expect((error as ResponseValidationError).message).toContain(field);
  });

  it("defaults billingAddOns to [] when an older server omits it", async () => {
    const details = await clientFor(mock.server).validateApiKey(
      fault("drift;mode=missing-field;field=billing_add_ons"),
    );
    expect(details.billingAddOns).toEqual([]);
    expect(mock.server.requests.at(-1)?.fault).toBe("drift");
  });
});

describe("timeouts and aborts", () => {
  it("a slow response past timeoutMs is a RequestTimeoutError", async () => {
    const started = Date.now();
    const error = await rejectionOf(
      clientFor(mock.server).validateApiKey({ timeoutMs: 100, ...fault("delay;ms=3000") }),
    );
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).timeoutMs).toBe(100);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("the client's timeoutMs applies too, and getAccess retries a timed-out attempt", async () => {
    mock.server.faults.add({ kind: "delay", ms: 5000, route: ACCESS, count: 1 });
    const { attempts } = await clientFor(mock.server, { timeoutMs: 800 }).getAccess().withResponse();
    expect(attempts).toBe(2);
  });

  it("the caller's abort is a RequestAbortedError and is never retried", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(
      clientFor(mock.server).getAccess({}, { signal: controller.signal, ...fault("delay;ms=3000") }),
    );
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(requestsTo(mock.server, ACCESS).length).toBeLessThanOrEqual(1);
  });

  it("an already-aborted signal sends nothing", async () => {
    const error = await rejectionOf(clientFor(mock.server).getUser({ signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(mock.server.requests).toHaveLength(0);
  });

  it("a dropped connection is a ConnectionError when not retried", async () => {
    const error = await rejectionOf(clientFor(mock.server).getUser(fault("reset")));
    expect(error).toBeInstanceOf(ConnectionError);
  });
});
