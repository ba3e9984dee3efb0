import { createRequire } from "node:module";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  APIError,
  AuthClient,
  AuthError,
  InvalidRequestError,
  RequestTimeoutError,
  ResponseValidationError,
  SDKError,
} from "../src/index.js";
import { clientFor, leakedSecrets, rejectionOf, seededSecrets, useMockApi } from "./helpers.js";

const mock = useMockApi();

describe("instanceof", () => {
  it("AuthError is an APIError and an SDKError, and a plain APIError is not an AuthError", async () => {
    const auth = clientFor(mock.server, {
      security: { apiKey: mock.server.credentials.auth.unknown.apiKey },
    });
    const authError = await rejectionOf(auth.getUser());
    expect(authError).toBeInstanceOf(AuthError);
    expect(authError).toBeInstanceOf(APIError);
    expect(authError).toBeInstanceOf(SDKError);
    expect(authError).toBeInstanceOf(Error);
    expect((authError as AuthError).name).toBe("AuthError");

    const apiError = await rejectionOf(
      clientFor(mock.server).getUser({ headers: { "x-mock-fault": "status;status=500" } }),
    );
    expect(apiError).toBeInstanceOf(APIError);
    expect(apiError).not.toBeInstanceOf(AuthError);
    expect(AuthError.kind).toBe("@sdk/auth.AuthError");
  });

  it("works across two copies of the package (the built CJS bundle and this ESM source)", async () => {
    // The CJS build brings its own copies of @sdk/errors and @core/http: the dual-package hazard.
    const cjs = createRequire(import.meta.url)("../dist/index.cjs") as typeof import("../src/index.js");
    expect(cjs.AuthError).not.toBe(AuthError);
    const other = new cjs.AuthClient({
      serverURL: mock.server.url,
      security: { apiKey: mock.server.credentials.auth.unknown.apiKey },
    });
    const error = await rejectionOf(other.validateApiKey());
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(cjs.AuthError);
    const ours = await rejectionOf(clientFor(mock.server, { security: { apiKey: "nope" } }).getUser());
    expect(ours).toBeInstanceOf(cjs.AuthError);
    expect(ours).toBeInstanceOf(cjs.APIError);
  });
});

describe("no credential in any error", () => {
  it("keeps every configured and issued credential out of messages, JSON, toString and inspect", async () => {
    const { auth: creds } = mock.server.credentials;
    const token = await clientFor(mock.server).getAccessToken({ workspaceId: creds.workspaceId });
    const secrets = seededSecrets(mock.server, [token.accessToken]);
    const everything = {
      apiKey: creds.apiKey,
      bearer: creds.bearer,
      workspaceIdentifier: creds.workspaceIdentifier,
    };
    const auth = new AuthClient({ serverURL: mock.server.url, security: everything });
    const bearerOnly = new AuthClient({
      serverURL: mock.server.url,
      security: { bearer: token.accessToken },
    });
    const fault = (spec: string) => ({ headers: { "x-mock-fault": spec } });
    const workspaceId = creds.workspaceId;

    const errors = await Promise.all([
      rejectionOf(auth.validateApiKey({ security: { apiKey: creds.unknown.apiKey } })),
      rejectionOf(auth.getUser({ security: { bearer: creds.unknown.bearer } })),
      rejectionOf(auth.getUser({ security: { workspaceIdentifier: creds.unknown.workspaceIdentifier } })),
      rejectionOf(bearerOnly.getUser(fault("expired-token"))),
      rejectionOf(bearerOnly.validateApiKey(fault("status;status=503"))),
      rejectionOf(auth.getAccessToken({ workspaceId: creds.unknown.workspaceId })),
      // Bodies that carry the issued token: cut in half, wrong type, or missing a field.
      rejectionOf(auth.getAccessToken({ workspaceId }, fault("truncate"))),
      rejectionOf(auth.getAccessToken({ workspaceId }, fault("content-type"))),
      rejectionOf(auth.getAccessToken({ workspaceId }, fault("drift;mode=missing-field;field=user"))),
      rejectionOf(auth.getAccess({}, { ...fault("html"), retries: { strategy: "none" } })),
      rejectionOf(auth.getUser({ timeoutMs: 50, ...fault("delay;ms=2000") })),
      rejectionOf(auth.validateApiKey(fault("reset"))),
      rejectionOf(auth.getAccessToken({ workspaceId: "" })),
      // A caller's abort reason that quotes a bearer header (redaction recognises that shape).
      rejectionOf(
        auth.getUser({ signal: AbortSignal.abort(new Error(`gave up on Bearer ${creds.bearer}`)) }),
      ),
    ]);
    const kinds = new Set(errors.map((e) => (e as Error).name));
    expect([...kinds].sort()).toEqual([
      "APIError",
      "AuthError",
      "ConnectionError",
      "InvalidRequestError",
      "RequestAbortedError",
      "RequestTimeoutError",
      "ResponseValidationError",
    ]);
    for (const error of errors) expect(leakedSecrets(error, secrets), String(error)).toEqual([]);
    // The client itself prints no credential either.
    expect(leakedSecrets(auth, secrets)).toEqual([]);
  });

  it("still exposes the raw body for debugging, on purpose, outside the renderings", async () => {
    const { workspaceId } = mock.server.credentials.auth;
    const error = await rejectionOf(
      clientFor(mock.server).getAccessToken(
        { workspaceId },
        { headers: { "x-mock-fault": "drift;mode=missing-field;field=user" } },
      ),
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).body).toContain("access_token");
    expect(Object.keys(error as object)).not.toContain("body");
  });

  it("names fields, not values, in validation issues", async () => {
    const error = await rejectionOf(clientFor(mock.server).getAccessToken({ workspaceId: 7 as never }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues).toEqual([
      expect.objectContaining({ path: "workspaceId", received: "number" }),
    ]);
  });

  it("is typed for every timeout", async () => {
    const error = await rejectionOf(
      clientFor(mock.server).getUser({ timeoutMs: 30, headers: { "x-mock-fault": "delay;ms=2000" } }),
    );
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: "RequestTimeoutError", timeoutMs: 30 });
  });
});

describe("logging", () => {
  it("logs each attempt and retry without any credential", async () => {
    const lines: string[] = [];
    const logger = { debug: (...parts: unknown[]) => lines.push(parts.map((p) => inspect(p)).join(" ")) };
    const { auth: creds } = mock.server.credentials;
    mock.server.faults.add({ kind: "status", status: 503, route: "GET /v1/workspace/access", count: 1 });
    const auth = clientFor(mock.server, {
      logger,
      security: {
        apiKey: creds.apiKey,
        bearer: creds.bearer,
        workspaceIdentifier: creds.workspaceIdentifier,
      },
    });
    await auth.getAccess();
    await auth.getUser({ security: { bearer: creds.bearer } });
    expect(lines.join("\n")).toMatch(/\[auth\.getAccess\] → GET .*\/v1\/workspace\/access \(attempt 2\)/);
    expect(lines.join("\n")).toMatch(/retrying in \d+ ms after 503/);
    expect(lines.join("\n")).toContain("[REDACTED]");
    expect(leakedSecrets(lines.join("\n"), seededSecrets(mock.server))).toEqual([]);
  });
});
