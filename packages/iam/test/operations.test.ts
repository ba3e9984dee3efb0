import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  APIError,
  ConnectionError,
  generateServiceAccountToken,
  IamClient,
  IamCore,
  InvalidRequestError,
  listSigningKeys,
  parseServiceAccountCredentials,
  ResponseValidationError,
  type SigningKey,
  StatusError,
  signServiceAccountJws,
} from "../src/index.js";
import { clientFor, countRoute, KEYS_ROUTE, rewritingFetch, TOKEN_ROUTE, useMockApi } from "./helpers.js";

const mock = useMockApi();

async function freshJws(at = mock.server.clock.now()): Promise<string> {
  return signServiceAccountJws(parseServiceAccountCredentials(mock.server.credentials.iam.serviceAccount), {
    now: at,
  });
}

describe("generateServiceAccountToken", () => {
  it("exchanges a signed JWS for a bearer token, with only the API key", async () => {
    const iam = clientFor(mock.server);
    const token = await iam.generateServiceAccountToken({ jws: await freshJws() });
    expect(token.accessToken.split(".")).toHaveLength(3);
    expect(token.expiresIn).toBe(3600);
    expect(token.tokenType).toBe("Bearer");
    const [entry] = mock.server.requests;
    expect(entry?.route).toBe(TOKEN_ROUTE);
    expect(entry?.headers["x-api-key"]).toBe("[present]");
    expect(entry?.headers.authorization).toBeUndefined();
  });

  it("works as a standalone function on IamCore, with per-call security winning", async () => {
    const core = new IamCore({ serverURL: mock.server.url, security: { apiKeyAuth: "wrong-key" } });
    const { data, response, attempts } = await generateServiceAccountToken(
      core,
      { jws: await freshJws() },
      { security: { apiKeyAuth: mock.server.credentials.iam.apiKey } },
    ).withResponse();
    expect(data.accessToken).toMatch(/^eyJ/);
    expect(response.status).toBe(200);
    expect(attempts).toBe(1);
  });

  it("400: a JWS that is not a string in the body → StatusError INVALID_ARGUMENT", async () => {
    const iam = clientFor(mock.server, {
      // The SDK refuses an empty jws, so the bad body is produced on the wire.
      fetch: (input, init) => globalThis.fetch(input, { ...init, body: JSON.stringify({ jws: 42 }) }),
    });
    const error = await iam.generateServiceAccountToken({ jws: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatusError);
    expect(error).toBeInstanceOf(APIError);
    const status = error as StatusError;
    expect(status.status).toBe(400);
    expect(status.code).toBe(3);
    expect(status.details[0]?.["@type"]).toBe("type.googleapis.com/google.rpc.ErrorInfo");
    expect(status.data.message).toContain("jws");
    expect(status.message).toContain("jws is required");
  });

  it("401: a bad API key → StatusError UNAUTHENTICATED", async () => {
    const iam = clientFor(mock.server, { apiKey: mock.server.credentials.iam.unknownApiKey });
    const error = (await iam
      .generateServiceAccountToken({ jws: await freshJws() })
      .catch((e) => e)) as StatusError;
    expect(error).toBeInstanceOf(StatusError);
    expect(error.status).toBe(401);
    expect(error.code).toBe(16);
    expect(error.details[0]).toMatchObject({ reason: "API_KEY_INVALID" });
  });

  it("401: a JWS signed with an unregistered account → StatusError", async () => {
    const stranger = parseServiceAccountCredentials(mock.server.credentials.iam.unknownServiceAccount);
    const jws = await signServiceAccountJws(stranger, { now: mock.server.clock.now() });
    const error = (await clientFor(mock.server)
      .generateServiceAccountToken({ jws })
      .catch((e) => e)) as StatusError;
    expect(error.status).toBe(401);
    expect(error.details[0]).toMatchObject({ reason: "SERVICE_ACCOUNT_UNKNOWN" });
  });

  it("500 → StatusError INTERNAL (declared); 503 → plain APIError, not retried by default", async () => {
    const iam = clientFor(mock.server);
    mock.server.faults.add({ kind: "status", status: 500, route: TOKEN_ROUTE });
    const internal = (await iam
      .generateServiceAccountToken({ jws: await freshJws() })
      .catch((e) => e)) as StatusError;
    expect(internal).toBeInstanceOf(StatusError);
    expect(internal.code).toBe(13);
    expect(internal.details[0]?.["@type"]).toBe("type.googleapis.com/google.rpc.ErrorInfo");

    mock.server.clearRequests();
    mock.server.faults.add({ kind: "status", status: 503, route: TOKEN_ROUTE });
    const unavailable = await iam.generateServiceAccountToken({ jws: await freshJws() }).catch((e) => e);
    expect(unavailable).toBeInstanceOf(APIError);
    expect(unavailable).not.toBeInstanceOf(StatusError);
    expect((unavailable as APIError).status).toBe(503);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(1);
  });

  it("is retried on 504 although it is a POST (declared idempotent)", async () => {
    const iam = clientFor(mock.server);
    mock.server.faults.add({ kind: "status", status: 504, route: TOKEN_ROUTE, retryAfterMs: 10 });
    const { data, attempts } = await iam
      .generateServiceAccountToken({ jws: await freshJws() })
      .withResponse();
    expect(data.accessToken).toBeTruthy();
    expect(attempts).toBe(2);
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(2);
  });

  it("rejects an empty jws before sending", async () => {
    const iam = clientFor(mock.server);
    await expect(iam.generateServiceAccountToken({ jws: "" })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(mock.server.requests).toHaveLength(0);
  });

  it("a token without access_token is a ResponseValidationError", async () => {
    const iam = clientFor(mock.server);
    mock.server.faults.add({ kind: "drift", mode: "missing-field", route: TOKEN_ROUTE });
    const error = (await iam.generateServiceAccountToken({ jws: await freshJws() }).catch((e) => e)) as Error;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]?.path).toBe("access_token");
  });

  it("accepts a token without expires_in and token_type (optional in the contract)", async () => {
    const iam = clientFor(mock.server, {
      fetch: rewritingFetch((body) => ({ access_token: body.access_token })),
    });
    const token = await iam.generateServiceAccountToken({ jws: await freshJws() });
    expect(token).toEqual({ accessToken: expect.any(String) });
  });

  it("needs an API key: none configured → InvalidRequestError, nothing sent", async () => {
    const iam = new IamClient({ serverURL: mock.server.url });
    await expect(iam.generateServiceAccountToken({ jws: "a.b.c" })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(mock.server.requests).toHaveLength(0);
  });
});

describe("listSigningKeys", () => {
  it("awaited: the first page, with unknown JWK members kept", async () => {
    const iam = clientFor(mock.server);
    const page = await iam.listSigningKeys({ pageSize: 50 });
    expect(page.keys).toHaveLength(50);
    expect(page.nextPageToken).toEqual(expect.any(String));
    const key = page.keys[0]!;
    expect(key).toMatchObject({ kty: "RSA", e: "AQAB", use: "sig", alg: "PS256" });
    expect(key.kid).toMatch(/^[0-9a-f]{64}$/);
    // `x5t` is not in the contract's SigningKey: kept, not dropped.
    expect(key.x5t).toEqual(expect.any(String));
    expect(mock.server.requests[0]?.query).toEqual({ page_size: "50" });
  });

  it("needs only the API key, even on a client that also holds service-account credentials", async () => {
    const iam = clientFor(mock.server, { serviceAccount: true });
    await iam.listSigningKeys({ pageSize: 1 });
    expect(countRoute(mock.server, TOKEN_ROUTE)).toBe(0);
    expect(mock.server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("with no input: the server's default page", async () => {
    const page = await listSigningKeys(clientFor(mock.server));
    expect(page.keys).toHaveLength(100);
    expect(mock.server.requests[0]?.query).toEqual({});
  });

  it.each([0, 1001, 2.5, -1, Number.NaN])("rejects pageSize %s before sending", async (pageSize) => {
    const iam = clientFor(mock.server);
    const error = (await iam.listSigningKeys({ pageSize }).catch((e) => e)) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.issues[0]?.path).toBe("pageSize");
    expect(mock.server.requests).toHaveLength(0);
  });

  it("accepts the bounds 1 and 1000", async () => {
    const iam = clientFor(mock.server);
    expect((await iam.listSigningKeys({ pageSize: 1 })).keys).toHaveLength(1);
    expect((await iam.listSigningKeys({ pageSize: 1000 })).keys).toHaveLength(250);
  });

  it("for await: every key across pages, each once (250 keys, pageSize 7)", async () => {
    const iam = clientFor(mock.server);
    const kids: string[] = [];
    for await (const key of iam.listSigningKeys({ pageSize: 7 })) kids.push(key.kid!);
    expect(kids).toHaveLength(250);
    expect(new Set(kids).size).toBe(250);
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(Math.ceil(250 / 7));
  });

  it("is lazy: breaking early fetches only the pages needed", async () => {
    const iam = clientFor(mock.server);
    let seen = 0;
    for await (const _key of iam.listSigningKeys({ pageSize: 7 })) {
      if (++seen === 10) break;
    }
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(2);
  });

  it(".pages(): whole pages, the first one fetched once", async () => {
    const iam = clientFor(mock.server);
    const listing = iam.listSigningKeys({ pageSize: 100 });
    const first = await listing;
    const sizes: number[] = [];
    for await (const page of listing.pages()) sizes.push(page.keys.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(first.keys).toHaveLength(100);
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(3);
  });

  it("starts from a given pageToken", async () => {
    const iam = clientFor(mock.server);
    const first = await iam.listSigningKeys({ pageSize: 200 });
    const rest: SigningKey[] = [];
    for await (const key of iam.listSigningKeys({ pageSize: 200, pageToken: first.nextPageToken }))
      rest.push(key);
    expect(rest).toHaveLength(50);
    expect(rest[0]?.kid).not.toBe(first.keys[0]?.kid);
  });

  it("a bad page token → 400 (untyped in the contract for this operation: APIError with the Status as data)", async () => {
    const iam = clientFor(mock.server);
    const error = (await iam.listSigningKeys({ pageToken: "bm9wZQ" }).catch((e) => e)) as APIError<any>;
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(StatusError);
    expect(error.status).toBe(400);
    expect(error.data).toMatchObject({ code: 3, details: [{ reason: "INVALID_PAGE_TOKEN" }] });
  });

  it("a bad API key → 401 APIError", async () => {
    const iam = clientFor(mock.server, { apiKey: mock.server.credentials.iam.unknownApiKey });
    const error = (await iam.listSigningKeys().catch((e) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(401);
  });

  it("500 → StatusError with code and details; iteration surfaces it too", async () => {
    const iam = clientFor(mock.server);
    mock.server.faults.add({ kind: "status", status: 500, route: KEYS_ROUTE });
    const error = (await iam.listSigningKeys().catch((e) => e)) as StatusError;
    expect(error).toBeInstanceOf(StatusError);
    expect(error.code).toBe(13);
    expect(error.details[0]?.["@type"]).toBe("type.googleapis.com/google.rpc.ErrorInfo");

    mock.server.faults.add({ kind: "status", status: 500, route: KEYS_ROUTE });
    const keys: SigningKey[] = [];
    const failure = await (async () => {
      for await (const key of iam.listSigningKeys({ pageSize: 100 })) keys.push(key);
    })().catch((e) => e);
    expect(failure).toBeInstanceOf(StatusError);
    expect(keys).toHaveLength(0);
  });

  it("503 → APIError (not retried by default); 429 and 504 are retried", async () => {
    const iam = clientFor(mock.server);
    mock.server.faults.add({ kind: "status", status: 503, route: KEYS_ROUTE });
    const error = await iam.listSigningKeys().catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(StatusError);
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(1);

    mock.server.faults.add([
      { kind: "status", status: 429, route: KEYS_ROUTE, retryAfterMs: 10 },
      { kind: "status", status: 504, route: KEYS_ROUTE, retryAfterMs: 10 },
    ]);
    const { attempts } = await iam.listSigningKeys({ pageSize: 1 }).withResponse();
    expect(attempts).toBe(3);
  });

  it("retries a reset connection; without retries it is a ConnectionError", async () => {
    const iam = clientFor(mock.server);
    mock.server.faults.add({ kind: "reset", route: KEYS_ROUTE });
    const { attempts } = await iam.listSigningKeys({ pageSize: 1 }).withResponse();
    expect(attempts).toBe(2);

    mock.server.faults.add({ kind: "reset", route: KEYS_ROUTE });
    const error = await iam
      .listSigningKeys({ pageSize: 1 }, { retries: { strategy: "none" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("drops null entries upstream may send", async () => {
    const iam = clientFor(mock.server, {
      fetch: rewritingFetch((body) => ({ ...body, keys: [null, ...body.keys, null] })),
    });
    const page = await iam.listSigningKeys({ pageSize: 3 });
    expect(page.keys).toHaveLength(3);
    expect(page.keys.every((k) => k !== null && typeof k.kid === "string")).toBe(true);
  });

  it("a page without keys is an empty page", async () => {
    const iam = clientFor(mock.server, { fetch: rewritingFetch(() => ({})) });
    const page = await iam.listSigningKeys();
    expect(page).toEqual({ keys: [] });
  });

  it("a server that repeats a page token gets a ResponseValidationError, not an endless loop", async () => {
    let firstToken: string | undefined;
    const iam = clientFor(mock.server, {
      // Every page claims the same next token as the first page.
      fetch: rewritingFetch((body) => {
        firstToken ??= body.next_page_token;
        return { ...body, next_page_token: firstToken };
      }),
    });
    const kids: string[] = [];
    const error = await (async () => {
      for await (const key of iam.listSigningKeys({ pageSize: 10 })) kids.push(key.kid!);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(kids).toHaveLength(20);
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(2);
  });

  it("the same, against a tiny server that always answers the same page", async () => {
    const local = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [{ kty: "RSA", kid: "k1" }], next_page_token: "again" }));
    });
    await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = local.address() as AddressInfo;
      const iam = new IamClient({ serverURL: `http://127.0.0.1:${port}`, security: { apiKeyAuth: "k" } });
      const pages: unknown[] = [];
      const error = await (async () => {
        for await (const page of iam.listSigningKeys().pages()) pages.push(page);
      })().catch((e) => e);
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(pages).toHaveLength(2);
    } finally {
      local.closeAllConnections();
      await new Promise((resolve) => local.close(resolve));
    }
  });

  it("tolerates drift: an unknown kty value is data, an extra field is ignored", async () => {
    const iam = clientFor(mock.server);
    mock.server.faults.add({ kind: "drift", mode: "unknown-enum", route: KEYS_ROUTE });
    expect((await iam.listSigningKeys({ pageSize: 2 })).keys[0]?.kty).toBe("PQC");
    mock.server.faults.add({ kind: "drift", mode: "extra-field", route: KEYS_ROUTE });
    expect((await iam.listSigningKeys({ pageSize: 2 })).keys).toHaveLength(2);
  });
});
