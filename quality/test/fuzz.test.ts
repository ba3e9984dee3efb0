// Property tests (fast-check): random inputs end in a well-formed request or an InvalidRequestError
// (nothing sent); random mutations of real response bodies end in data or a typed error. Never a
// TypeError or any other untyped throw: everything thrown is an SDKError.
import { AuthClient } from "@sdk/auth";
import { APIError, InvalidRequestError, ResponseValidationError, SDKError } from "@sdk/errors";
import { IamClient, parseServiceAccountCredentials, verifyAccessToken } from "@sdk/iam";
import { startMockApi } from "@sdk/mock-api";
import fc from "fast-check";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";

const RUNS = 300;
const BASE = "http://api.test";

interface Sent {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** Real response bodies of every route, recorded from the mock API once. */
const bodies: Record<string, string> = {};

beforeAll(async () => {
  const server = await startMockApi({ port: 0 });
  const { auth, iam } = server.credentials;
  const get = async (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
    (await fetch(`${server.url}${path}`, { headers, ...init })).text();
  const authKey = { "x-api-key": auth.apiKey };
  bodies["/v1/auth/validate"] = await get("/v1/auth/validate", authKey);
  bodies["/v1/user"] = await get("/v1/user", authKey);
  bodies["/v1/auth/access_token"] = await get(`/v1/auth/access_token?workspace_id=${auth.workspaceId}`, {});
  bodies["/v1/workspace/access"] = await get("/v1/workspace/access?passive=true", authKey);
  bodies["/iam/v1/keys"] = await get("/iam/v1/keys?page_size=3", { "x-api-key": iam.apiKey });
  const client = new IamClient({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } });
  const { data: token, response } = await client
    .generateServiceAccountToken({
      jws: await (await import("@sdk/iam")).signServiceAccountJws(
        parseServiceAccountCredentials(JSON.stringify(iam.serviceAccount)),
      ),
    })
    .withResponse();
  expect(response.status).toBe(200);
  bodies["/iam/v1/serviceAccounts:generateAccessToken"] = JSON.stringify({
    access_token: token.accessToken,
    expires_in: token.expiresIn,
    token_type: token.tokenType,
  });
  bodies["/iam/v1/whoami"] = await get("/iam/v1/whoami", {
    "x-api-key": iam.apiKey,
    authorization: `Bearer ${token.accessToken}`,
  });
  await server.close();
});

/** A fetch that records what the SDK sent and answers with `respond` (the real body by default). */
function recorder(respond?: (path: string) => Response) {
  const sent: Sent[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init); // throws on anything fetch would refuse
    const url = new URL(request.url);
    sent.push({
      url,
      method: request.method,
      headers: request.headers,
      body: request.body ? await request.text() : undefined,
    });
    return respond?.(url.pathname) ?? json(bodies[url.pathname] ?? "{}");
  };
  return { sent, fetch };
}

function json(body: string, status = 200): Response {
  return new Response(status === 204 ? null : body, {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** Anything at all, biased towards the shapes and edge values an input field meets. */
const anyValue = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom("", " ", "0", "1000", "1001", "-1", "1.5", "\n", "\uD800", "a\r\nb: c"),
  fc.anything(),
);
const anyInput = (keys: string[]) =>
  fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...keys, "extra"), anyValue));

const noRetry = { strategy: "none" as const };

/** Runs a call; returns what it settled with, failing the property on an untyped throw. */
async function settle(
  run: () => Promise<unknown>,
): Promise<{ ok: true; value: unknown } | { ok: false; error: SDKError }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!(error instanceof SDKError)) throw new Error(`untyped throw: ${String(error)}`, { cause: error });
    return { ok: false, error };
  }
}

/** Either nothing was sent and the input was refused, or exactly one request went out. */
function sentOrRefused(outcome: Awaited<ReturnType<typeof settle>>, sent: Sent[]): Sent | undefined {
  if (!outcome.ok && outcome.error instanceof InvalidRequestError) {
    expect(sent).toHaveLength(0);
    return undefined;
  }
  expect(outcome.ok, outcome.ok ? "" : String(outcome.error)).toBe(true);
  expect(sent).toHaveLength(1);
  return sent[0];
}

describe("random inputs: a valid request or an InvalidRequestError", () => {
  it("Auth getAccessToken", async () => {
    await fc.assert(
      fc.asyncProperty(anyInput(["workspaceId"]), async (input) => {
        const { sent, fetch } = recorder();
        const client = new AuthClient({ serverURL: BASE, fetch, retries: noRetry });
        const request = sentOrRefused(await settle(() => client.getAccessToken(input as any)), sent);
        if (!request) return;
        expect(request.url.pathname).toBe("/v1/auth/access_token");
        expect(request.url.searchParams.get("workspace_id")).toBe((input as any).workspaceId);
        expect(request.headers.has("x-api-key")).toBe(false); // security: [] sends no credential
      }),
      { numRuns: RUNS },
    );
  });

  it("Auth getAccess", async () => {
    await fc.assert(
      fc.asyncProperty(anyInput(["genLockId", "targetType", "passive"]), async (input) => {
        const { sent, fetch } = recorder();
        const client = new AuthClient({
          serverURL: BASE,
          fetch,
          retries: noRetry,
          security: { apiKey: "k-123" },
        });
        const request = sentOrRefused(await settle(() => client.getAccess(input as any)), sent);
        if (!request) return;
        const query = request.url.searchParams;
        for (const key of query.keys()) expect(["genLockId", "targetType", "passive"]).toContain(key);
        if (query.has("passive")) expect(["true", "false"]).toContain(query.get("passive"));
        if (query.has("genLockId")) expect(query.get("genLockId")).toBe((input as any).genLockId);
      }),
      { numRuns: RUNS },
    );
  });

  it("IAM generateServiceAccountToken", async () => {
    await fc.assert(
      fc.asyncProperty(anyInput(["jws"]), async (input) => {
        const { sent, fetch } = recorder();
        const client = new IamClient({
          serverURL: BASE,
          fetch,
          retries: noRetry,
          security: { apiKeyAuth: "k-123" },
        });
        const request = sentOrRefused(
          await settle(() => client.generateServiceAccountToken(input as any)),
          sent,
        );
        if (!request) return;
        expect(request.method).toBe("POST");
        expect(request.headers.get("content-type")).toMatch(/^application\/json/);
        const body = JSON.parse(request.body!);
        expect(typeof body.jws === "string" && body.jws.length > 0).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("IAM listSigningKeys", async () => {
    await fc.assert(
      fc.asyncProperty(anyInput(["pageSize", "pageToken"]), async (input) => {
        const { sent, fetch } = recorder();
        const client = new IamClient({
          serverURL: BASE,
          fetch,
          retries: noRetry,
          security: { apiKeyAuth: "k-123" },
        });
        const request = sentOrRefused(await settle(() => client.listSigningKeys(input as any)), sent);
        if (!request) return;
        const size = request.url.searchParams.get("page_size");
        if (size !== null) {
          expect(Number.isInteger(Number(size)) && Number(size) >= 1 && Number(size) <= 1000).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("IAM callProtected: path, query and body", async () => {
    const input = fc.record({
      path: anyValue,
      query: fc.option(fc.dictionary(fc.string(), anyValue)),
      body: anyValue,
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ path, query, body }) => {
        const { sent, fetch } = recorder();
        const client = new IamClient({
          serverURL: BASE,
          fetch,
          retries: noRetry,
          security: { apiKeyAuth: "k-123", bearerAuth: "t-456" },
        });
        const request = sentOrRefused(
          await settle(() =>
            client.callProtected({ method: "POST", path: path as any, query: query ?? undefined, body }),
          ),
          sent,
        );
        if (!request) return;
        expect(request.url.origin).toBe(BASE); // the token never goes to another host
        expect(request.headers.get("authorization")).toBe("Bearer t-456");
      }),
      { numRuns: RUNS },
    );
  });

  it("credentials and per-call headers", async () => {
    const headerName = fc.oneof(fc.constantFrom("x-trace", "X-Trace", "bad name", "é", ""), fc.string());
    await fc.assert(
      fc.asyncProperty(
        anyValue,
        fc.dictionary(headerName, fc.string({ unit: "binary" })),
        async (apiKey, headers) => {
          const { sent, fetch } = recorder();
          const client = new AuthClient({
            serverURL: BASE,
            fetch,
            retries: noRetry,
            security: { apiKey: apiKey as any },
          });
          const request = sentOrRefused(await settle(() => client.validateApiKey({ headers })), sent);
          if (request) expect(request.url.pathname).toBe("/v1/auth/validate");
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** A JSON path mutation: drop, replace, or add a member; or corrupt the text itself. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constantFrom("delete", "replace", "insert", "wrap"),
    at: fc.nat(),
    value: fc.jsonValue(),
  }),
  fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
  fc.record({ kind: fc.constant("text"), text: fc.string({ unit: "binary" }) }),
);
type Mutation =
  | { kind: "delete" | "replace" | "insert" | "wrap"; at: number; value: unknown }
  | { kind: "truncate"; at: number }
  | { kind: "text"; text: string };

function slots(value: unknown, out: [any, string | number][] = []): [any, string | number][] {
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) {
      const k = Array.isArray(value) ? Number(key) : key;
      out.push([value, k]);
      slots((value as any)[k], out);
    }
  }
  return out;
}

function mutate(body: string, mutations: Mutation[]): string {
  let value: unknown = JSON.parse(body);
  let text: string | undefined;
  for (const m of mutations) {
    if (m.kind === "text") text = m.text;
    else if (m.kind === "truncate") text = (text ?? JSON.stringify(value)).slice(0, m.at % (body.length + 1));
    else {
      const all = slots(value);
      if (all.length === 0) {
        value = m.kind === "delete" ? undefined : m.value;
        continue;
      }
      const [parent, key] = all[m.at % all.length]!;
      if (m.kind === "delete") Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
      else if (m.kind === "replace") parent[key] = m.value;
      else if (m.kind === "wrap") parent[key] = [parent[key]];
      else if (parent && !Array.isArray(parent)) parent[`x_${key}`] = m.value;
    }
  }
  return text ?? JSON.stringify(value) ?? "";
}

const STATUSES = [200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503];

describe("random response mutations: data or a typed error", () => {
  const auth = (fetch: any) =>
    new AuthClient({ serverURL: BASE, fetch, retries: noRetry, security: { apiKey: "k-123" } });
  const iam = (fetch: any) =>
    new IamClient({
      serverURL: BASE,
      fetch,
      retries: noRetry,
      security: { apiKeyAuth: "k-123", bearerAuth: "t-456" },
    });
  const operations: Record<string, [string, (fetch: any) => Promise<unknown>]> = {
    validateApiKey: ["/v1/auth/validate", (f) => auth(f).validateApiKey()],
    getUser: ["/v1/user", (f) => auth(f).getUser()],
    getAccessToken: ["/v1/auth/access_token", (f) => auth(f).getAccessToken({ workspaceId: "w-1" })],
    getAccess: ["/v1/workspace/access", (f) => auth(f).getAccess({ passive: true })],
    generateServiceAccountToken: [
      "/iam/v1/serviceAccounts:generateAccessToken",
      (f) => iam(f).generateServiceAccountToken({ jws: "a.b.c" }),
    ],
    listSigningKeys: ["/iam/v1/keys", (f) => iam(f).listSigningKeys({ pageSize: 3 })],
    "listSigningKeys (iterated)": [
      "/iam/v1/keys",
      async (f) => {
        let n = 0;
        for await (const _ of iam(f).listSigningKeys({ pageSize: 3 })) if (++n >= 7) break;
      },
    ],
    callProtected: [
      "/iam/v1/whoami",
      (f) => iam(f).callProtected({ path: "/iam/v1/whoami", output: v.object({ sub: v.string() }) }),
    ],
  };

  for (const [name, [path, call]] of Object.entries(operations)) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...STATUSES),
          fc.array(mutation, { maxLength: 4 }),
          async (status, mutations) => {
            const body = mutate(bodies[path]!, mutations as Mutation[]);
            const { fetch } = recorder(() => json(body, status));
            const outcome = await settle(() => call(fetch));
            if (outcome.ok) return; // data: the mutation kept the body within the contract
            const error = outcome.error;
            if (status >= 200 && status < 300) expect(error).toBeInstanceOf(ResponseValidationError);
            else expect(error).toBeInstanceOf(APIError);
            if (error instanceof APIError) expect(error.status).toBe(status);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});

describe("service-account helpers on random input", () => {
  it("parseServiceAccountCredentials: credentials or an SDKError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyValue,
          fc.dictionary(fc.constantFrom("privateKey", "name", "organization", "type"), anyValue),
        ),
        (input) => {
          try {
            parseServiceAccountCredentials(input as any);
          } catch (error) {
            expect(error).toBeInstanceOf(SDKError);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("verifyAccessToken: claims or an SDKError", async () => {
    const keys = JSON.parse(bodies["/iam/v1/keys"]!).keys;
    const segment = fc.oneof(fc.base64String(), fc.string(), fc.constant("eyJhbGciOiJSUzI1NiJ9"));
    const token = fc.oneof(
      anyValue,
      fc.tuple(segment, segment, segment).map((s) => s.join(".")),
    );
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        const outcome = await settle(() => verifyAccessToken(t as any, { keys }));
        expect(outcome.ok).toBe(false); // random text is never a valid token of the mock's issuer
      }),
      { numRuns: RUNS },
    );
  });
});
