// The error hierarchy: fields, names, causes and `instanceof` (by brand, including subclasses).
import { describe, expect, it } from "vitest";
import {
  APIError,
  type APIErrorInit,
  ConnectionError,
  DeadlineExceededError,
  hasKind,
  InvalidRequestError,
  REQUEST_ID_HEADERS,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseTooLargeError,
  ResponseValidationError,
  requestIdOf,
  SDKError,
} from "../src/index.js";

const request = { method: "GET", url: "https://api.example.com/v1/things/t-1?page=2" };

function apiInit(overrides: Partial<APIErrorInit> = {}): APIErrorInit {
  return {
    status: 404,
    statusText: "Not Found",
    headers: new Headers({ "content-type": "application/json", "x-request-id": "r-1" }),
    body: '{"message":"no such thing"}',
    data: { message: "no such thing" },
    request,
    ...overrides,
  };
}

describe("classes", () => {
  it("APIError carries the response and names the request without its query", () => {
    const response = new Response("{}", { status: 404 });
    const error = new APIError({ ...apiInit(), response });
    expect(error).toMatchObject({ status: 404, method: "GET", url: request.url, name: "APIError" });
    expect(error.headers.get("x-request-id")).toBe("r-1");
    expect(error.body).toBe('{"message":"no such thing"}');
    expect(error.data).toEqual({ message: "no such thing" });
    expect(error.response).toBe(response);
    // The server's request id (x-request-id) ends the message and is in toJSON().
    expect(error.message).toBe(
      'GET /v1/things/t-1 failed with 404 Not Found: {"message":"no such thing"} [request id r-1]',
    );
    expect(error.requestId).toBe("r-1");
    expect(error.toJSON().requestId).toBe("r-1");
  });

  it("APIError shortens a long body and says when it is empty", () => {
    const long = new APIError(apiInit({ body: "x".repeat(1000) }));
    expect(long.message.length).toBeLessThan(300);
    expect(long.message.endsWith("… [request id r-1]")).toBe(true);
    expect(new APIError(apiInit({ body: "" })).message).toContain("(empty body)");
    expect(new APIError(apiInit({ message: "custom" })).message).toContain(": custom");
  });

  it("InvalidRequestError lists the issues (five at most in the message)", () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({
      path: `items.${i}`,
      expected: "string",
      received: "number",
      message: "expected string, received number",
    }));
    const error = new InvalidRequestError("createThing", issues);
    expect(error.issues).toBe(issues);
    expect(error.operation).toBe("createThing");
    expect(error.message).toContain("items.4: expected string");
    expect(error.message).not.toContain("items.5:");
    expect(error.message).toContain("and 2 more");
    expect(
      new InvalidRequestError("op", [{ path: "", expected: "object", message: "expected object" }]).message,
    ).toContain("(root): expected object");
  });

  it("ResponseValidationError keeps the raw body and headers", () => {
    const error = new ResponseValidationError({
      operation: "getThing",
      issues: [
        { path: "id", expected: "string", received: "number", message: "expected string, received number" },
      ],
      status: 200,
      headers: new Headers({ "content-type": "application/json" }),
      body: '{"id":1}',
    });
    expect(error).toMatchObject({
      operation: "getThing",
      status: 200,
      body: '{"id":1}',
      name: "ResponseValidationError",
    });
    expect(error.message).toBe(
      "Unexpected response from getThing (status 200): id: expected string, received number",
    );
  });

  it("ConnectionError, RequestTimeoutError and RequestAbortedError keep their cause", () => {
    const system = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const fetchFailed = new TypeError("fetch failed", { cause: system });
    const connection = new ConnectionError(request, fetchFailed);
    expect(connection.cause).toBe(fetchFailed);
    expect(connection.message).toContain("ECONNREFUSED");
    expect(connection.message).toContain("fetch failed");

    const timeoutCause = new DOMException("timed out", "TimeoutError");
    const timeout = new RequestTimeoutError(request, 250, { cause: timeoutCause });
    expect(timeout).toMatchObject({ timeoutMs: 250, method: "GET", url: request.url });
    expect(timeout.cause).toBe(timeoutCause);

    const reason = new Error("navigated away");
    expect(new RequestAbortedError(request, reason).cause).toBe(reason);
    expect(new SDKError("x", { cause: 0 }).cause).toBe(0);
    expect("cause" in new SDKError("x")).toBe(false);
  });

  it("keeps cause and the raw fields out of enumeration", () => {
    const error = new APIError({ ...apiInit(), cause: new Error("inner") });
    expect(Object.keys(error)).toEqual(
      expect.not.arrayContaining(["cause", "headers", "body", "data", "response"]),
    );
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("instanceof", () => {
  const all = {
    SDKError: new SDKError("x"),
    APIError: new APIError(apiInit()),
    InvalidRequestError: new InvalidRequestError("op", []),
    ResponseValidationError: new ResponseValidationError({
      operation: "op",
      issues: [],
      status: 200,
      headers: new Headers(),
      body: "",
    }),
    ConnectionError: new ConnectionError(request, new Error("reset")),
    RequestTimeoutError: new RequestTimeoutError(request, 1),
    RequestAbortedError: new RequestAbortedError(request),
  };
  const classes = {
    SDKError,
    APIError,
    InvalidRequestError,
    ResponseValidationError,
    ConnectionError,
    RequestTimeoutError,
    RequestAbortedError,
  };

  it("each error is an instance of its own class, of SDKError and of Error, and of no sibling", () => {
    for (const [name, error] of Object.entries(all)) {
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(SDKError);
      for (const [other, Class] of Object.entries(classes)) {
        expect(error instanceof Class, `${name} instanceof ${other}`).toBe(
          other === name || other === "SDKError",
        );
      }
    }
  });

  it("distinguishes SDK subclasses by their kind", () => {
    class AuthError extends APIError {
      static override readonly kind: string = "@test/auth.AuthError";
    }
    class QuotaError extends AuthError {
      static override readonly kind: string = "@test/auth.QuotaError";
    }
    const auth = new AuthError(apiInit());
    const quota = new QuotaError(apiInit());
    expect(auth.name).toBe("AuthError");
    expect(quota.name).toBe("QuotaError");
    expect(quota).toBeInstanceOf(AuthError);
    expect(quota).toBeInstanceOf(APIError);
    expect(auth).not.toBeInstanceOf(QuotaError);
    expect(new APIError(apiInit())).not.toBeInstanceOf(AuthError);
    expect(hasKind(quota, "@test/auth.AuthError")).toBe(true);
    expect(hasKind({}, "@test/auth.AuthError")).toBe(false);
    expect(hasKind(null, "@sdk/errors.SDKError")).toBe(false);
  });

  it("does not confuse a parent with a subclass that forgot its own kind", () => {
    class Forgetful extends APIError {}
    expect(new APIError(apiInit())).not.toBeInstanceOf(Forgetful);
    expect(new Forgetful(apiInit())).toBeInstanceOf(Forgetful);
    expect(new Forgetful(apiInit())).toBeInstanceOf(APIError);
  });

  it("rejects look-alikes and primitives", () => {
    expect(Object.assign(new Error("x"), { name: "APIError", status: 500 })).not.toBeInstanceOf(APIError);
    expect("APIError").not.toBeInstanceOf(SDKError);
    expect(null).not.toBeInstanceOf(SDKError);
    expect({ [Symbol.for("@sdk/errors.kinds")]: "not-an-array" }).not.toBeInstanceOf(SDKError);
  });
});

describe("bounds and request ids", () => {
  it("DeadlineExceededError and ResponseTooLargeError are SDKErrors with safe JSON", () => {
    const deadline = new DeadlineExceededError(request, 1500, 2, {
      reason: "a retry in 1000 ms would pass it",
    });
    expect(deadline).toBeInstanceOf(SDKError);
    expect(deadline.name).toBe("DeadlineExceededError");
    expect(deadline.message).toContain("deadline of 1500 ms exceeded (a retry in 1000 ms would pass it)");
    expect(deadline.toJSON()).toMatchObject({ totalTimeoutMs: 1500, attempts: 2 });
    const large = new ResponseTooLargeError(request, {
      status: 200,
      maxResponseBytes: 1000,
      receivedBytes: 6000,
      headers: new Headers({ "request-id": "q-9" }),
    });
    expect(large).toBeInstanceOf(SDKError);
    expect(large.toJSON()).toMatchObject({ maxResponseBytes: 1000, receivedBytes: 6000, requestId: "q-9" });
  });

  it("requestIdOf: the first id-looking header of REQUEST_ID_HEADERS", () => {
    expect(requestIdOf(new Headers({ "x-amzn-requestid": "a-1", "request-id": "b-2" }))).toBe("b-2");
    expect(requestIdOf(new Headers({ "x-request-id": "has space" }))).toBeUndefined();
    expect(requestIdOf(new Headers())).toBeUndefined();
    expect(REQUEST_ID_HEADERS[0]).toBe("x-request-id");
  });

  it("an HTML body is summarised, not pasted", () => {
    const page = "<!doctype html><html><body>Bad gateway</body></html>";
    const error = new APIError(
      apiInit({ status: 502, body: page, headers: new Headers({ "content-type": "text/html" }) }),
    );
    expect(error.message).toContain(`HTML response (${page.length} bytes)`);
    expect(error.message).not.toContain("<html>");
  });
});
