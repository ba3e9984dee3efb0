// The built server, spawned over stdio and driven by the official MCP client, against the mock API.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetAccessInputSchema } from "@sdk/auth/schemas";
import {
  generateServiceAccountToken,
  IamCore,
  parseServiceAccountCredentials,
  signServiceAccountJws,
} from "@sdk/iam";
import { ListSigningKeysInputSchema } from "@sdk/iam/schemas";
import { type MockApi, startMockApi } from "@sdk/mock-api";
import { toJsonSchema } from "@valibot/to-json-schema";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HIDDEN_SECRET } from "../src/output.js";
import { TOOLS } from "../src/tools.js";
import { connect, mockEnv, run, type Session } from "./helpers.js";

// Each test starts a Node process that loads the MCP SDK; on a loaded 2-core machine that alone took
// over 15 s. Generous bounds: a hang still fails, a slow machine does not.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const READ_TOOLS = [
  "auth_validateApiKey",
  "auth_getUser",
  "auth_getAccess",
  "iam_listSigningKeys",
  "iam_verifyAccessToken",
];
const MINT_TOOLS = ["auth_getAccessToken", "iam_generateServiceAccountToken"];

let mock: MockApi;
let work: string;
const sessions: Session[] = [];
/** Every text a server produced in this file (tool output and stderr), checked for leaks at the end. */
const seen: string[] = [];

async function start(args: string[], env: Record<string, string>): Promise<Session> {
  const session = await connect(args, env);
  sessions.push(session);
  const call = session.call;
  session.call = async (name, input) => {
    const out = await call(name, input);
    seen.push(out.text);
    return out;
  };
  return session;
}

/** A fresh IAM access token from the mock, minted in-process with @sdk/iam (not through the server). */
async function mintIamToken(): Promise<string> {
  const iam = new IamCore({ serverURL: mock.url, security: { apiKeyAuth: mock.credentials.iam.apiKey } });
  return (await generateServiceAccountToken(iam, { jws: await signedJws() })).accessToken;
}

/** A JWS signed with the first seeded service account's key. */
function signedJws(): Promise<string> {
  return signServiceAccountJws(parseServiceAccountCredentials(mock.credentials.iam.serviceAccount));
}

beforeAll(async () => {
  mock = await startMockApi({ signingKeyCount: 5 });
  work = mkdtempSync(join(tmpdir(), "sdk-mcp-"));
});
afterEach(async () => {
  mock.faults.clear();
  for (const session of sessions.splice(0)) {
    seen.push(session.stderr());
    await session.close();
  }
});
afterAll(async () => {
  // No credential the server was given ever reached an output or its stderr.
  const all = seen.join("\n");
  for (const secret of [
    mock.credentials.auth.apiKey,
    mock.credentials.iam.apiKey,
    mock.credentials.auth.unknown.apiKey,
    mock.credentials.iam.unknownApiKey,
    "PRIVATE KEY",
  ]) {
    expect(all, "a credential leaked").not.toContain(secret);
  }
  await mock.close();
  rmSync(work, { recursive: true, force: true });
});

describe("--help, --version, bad flags", () => {
  it("--help prints the usage, every variable and every tool, and exits 0 without starting", () => {
    const { code, stdout } = run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: sdk-mcp \[options\]/);
    for (const flag of ["--mock", "--allow-token-minting", "--reveal-secrets"])
      expect(stdout).toContain(flag);
    for (const name of [
      "REGISTRY_API_KEY",
      "REGISTRY_SERVER_URL",
      "IAM_API_KEY",
      "IAM_SERVICE_ACCOUNT_FILE",
      "IAM_SERVER",
      "IAM_SERVER_URL",
    ]) {
      expect(stdout).toContain(name);
    }
    for (const name of [...READ_TOOLS, ...MINT_TOOLS]) expect(stdout).toContain(name);
  });

  it("--version prints the package's version; an unknown flag exits 2 with the usage on stderr", () => {
    const version = run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^@sdk\/mcp \d+\.\d+\.\d+/);
    const bad = run(["--allow-everything"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("Unknown option '--allow-everything'");
    expect(bad.stderr).toContain("Usage: sdk-mcp");
  });
});

describe("read-only by default", () => {
  let session: Session;
  beforeAll(async () => {
    session = await connect([], mockEnv(mock));
  });
  afterAll(async () => {
    seen.push(session.stderr());
    await session.close();
  });

  it("lists the read tools only, with input schemas converted from the SDKs' valibot schemas", async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(READ_TOOLS);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    // The same conversion of the same schema objects the SDKs validate with.
    const convert = (schema: { wrapped: never }) => {
      const { $schema: _, ...json } = toJsonSchema(schema.wrapped, { target: "draft-2020-12" });
      return json;
    };
    expect(byName.get("iam_listSigningKeys")!.inputSchema).toEqual(
      convert(ListSigningKeysInputSchema as never),
    );
    expect(byName.get("iam_listSigningKeys")!.inputSchema.properties).toEqual({
      pageSize: { type: "integer", minimum: 1, maximum: 1000 },
      pageToken: { type: "string" },
    });
    expect(byName.get("auth_getAccess")!.inputSchema).toEqual(convert(GetAccessInputSchema as never));
    expect(byName.get("auth_validateApiKey")!.inputSchema).toEqual({
      type: "object",
      properties: {},
      additionalProperties: false,
    });
    expect(byName.get("auth_validateApiKey")!.annotations?.readOnlyHint).toBe(true);
    // getAccess counts a generation run unless passive: not advertised as read-only.
    expect(byName.get("auth_getAccess")!.annotations?.readOnlyHint).toBe(false);
  });

  it("auth_validateApiKey returns the workspace of the configured key", async () => {
    const out = await session.call("auth_validateApiKey");
    expect(out.isError).toBe(false);
    expect(out.json()).toMatchObject({
      workspaceId: mock.credentials.auth.workspaceId,
      workspaceSlug: mock.credentials.auth.workspaceSlug,
      accountTypeV2: "free",
    });
  });

  it("auth_getUser returns the key's user", async () => {
    const out = await session.call("auth_getUser");
    expect(out.isError).toBe(false);
    expect(out.json()).toMatchObject({
      id: mock.credentials.auth.userId,
      email: mock.credentials.auth.userEmail,
    });
  });

  it("auth_getAccess passes its arguments to the SDK (passive: no run counted)", async () => {
    mock.clearRequests();
    const out = await session.call("auth_getAccess", { passive: true, targetType: "typescript" });
    expect(out.isError).toBe(false);
    expect(out.json()).toMatchObject({ generationAllowed: true });
    expect(mock.requests.map((r) => [r.route, r.query])).toEqual([
      ["GET /v1/workspace/access", { passive: "true", targetType: "typescript" }],
    ]);
  });

  it("iam_listSigningKeys returns one page and its token; the token reaches the next page", async () => {
    const first = await session.call("iam_listSigningKeys", { pageSize: 2 });
    expect(first.isError).toBe(false);
    const page = first.json() as { keys: { kid: string }[]; nextPageToken: string };
    expect(page.keys).toHaveLength(2);
    expect(page.nextPageToken).toEqual(expect.any(String));
    const second = (
      await session.call("iam_listSigningKeys", { pageSize: 2, pageToken: page.nextPageToken })
    ).json() as { keys: { kid: string }[] };
    expect(second.keys).toHaveLength(2);
    expect(second.keys[0]!.kid).not.toBe(page.keys[0]!.kid);
  });

  it("iam_verifyAccessToken returns a real token's claims; a forged one is an error naming why", async () => {
    const token = await mintIamToken();
    const out = await session.call("iam_verifyAccessToken", { token });
    expect(out.isError).toBe(false);
    expect(out.json()).toMatchObject({
      sub: mock.credentials.iam.serviceAccountIds[0],
      iss: mock.issuer.issuer,
    });
    expect(out.text).not.toContain(token);

    const [header, claims] = token.split(".");
    const forged = `${header}.${claims}.${"A".repeat(342)}`;
    const bad = await session.call("iam_verifyAccessToken", { token: forged });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^TokenVerificationError: .*signature does not verify/);
    expect(bad.text).not.toContain(claims);
  });

  it("a typed SDK error becomes an MCP error result: bad input, rejected before anything is sent", async () => {
    mock.clearRequests();
    const out = await session.call("iam_listSigningKeys", { pageSize: 0 });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^InvalidRequestError: Invalid input for iam.listSigningKeys: pageSize/);
    expect(mock.requests).toEqual([]);
  });

  it("a typed SDK error becomes an MCP error result: a server error (StatusError)", async () => {
    mock.faults.add({ kind: "status", status: 500, route: "GET /iam/v1/keys" });
    const out = await session.call("iam_listSigningKeys", {});
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^StatusError: iam.listSigningKeys: GET \/iam\/v1\/keys failed with 500/);
  });

  it("a token-minting tool is refused, and nothing is sent", async () => {
    mock.clearRequests();
    for (const name of MINT_TOOLS) {
      const out = await session.call(name, { workspaceId: mock.credentials.auth.workspaceId });
      expect(out.isError).toBe(true);
      expect(out.text).toBe(
        `The tool ${name} is disabled: it mints access tokens. Start the MCP server with --allow-token-minting to enable it.`,
      );
    }
    expect(mock.requests).toEqual([]);
  });

  it("an unknown tool is a protocol error", async () => {
    await expect(session.call("auth_deleteEverything")).rejects.toThrow(
      /Unknown tool: auth_deleteEverything/,
    );
  });
});

describe("configuration", () => {
  it("a wrong API key: the SDK's AuthError as an error result, without the key", async () => {
    const session = await start([], {
      ...mockEnv(mock),
      REGISTRY_API_KEY: mock.credentials.auth.unknown.apiKey,
    });
    const out = await session.call("auth_validateApiKey");
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^AuthError: auth.validateApiKey: GET \/v1\/auth\/validate failed with 401/);
    expect(out.text).not.toContain(mock.credentials.auth.unknown.apiKey);
  });

  it("a missing credential fails the tools that need it, naming the variable; the others work", async () => {
    const { IAM_API_KEY: _, ...env } = mockEnv(mock);
    const session = await start([], env);
    const out = await session.call("iam_listSigningKeys");
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^McpConfigError: IAM_API_KEY is not set: set it in the environment/);
    expect((await session.call("auth_getUser")).isError).toBe(false);
    expect(session.stderr()).toContain("IAM_API_KEY is not set: the tools that need it will fail");
  });

  it("a set but unusable variable stops the server at start, naming it (and never the key)", () => {
    const badServer = run([], { IAM_SERVER: "moon" });
    expect(badServer.code).toBe(1);
    expect(badServer.stderr).toContain("sdk-mcp: IAM_SERVER must be one of uat, prod, sbx");

    const missingFile = run([], { IAM_SERVICE_ACCOUNT_FILE: join(work, "nope.json") });
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain(
      "IAM_SERVICE_ACCOUNT_FILE names a file that cannot be read (ENOENT)",
    );

    const file = join(work, "broken.json");
    const { privateKey } = mock.credentials.iam.serviceAccount;
    writeFileSync(file, JSON.stringify({ type: "serviceAccount", privateKey, name: "", organization: "x" }));
    const broken = run([], { IAM_SERVICE_ACCOUNT_FILE: file });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(
      "IAM_SERVICE_ACCOUNT_FILE names an unusable file: Invalid service-account",
    );
    expect(broken.stderr).not.toContain("PRIVATE KEY");

    const badURL = run([], { IAM_SERVER_URL: "ftp://example.invalid" });
    expect(badURL.code).toBe(1);
    expect(badURL.stderr).toContain("sdk-mcp: IAM_SERVER_URL is not usable:");
  });
});

it("the MCP client's cancellation aborts the SDK call: the API sees the request's connection closed", async () => {
  // A server that never answers (the mock answers everything): the call can end only by cancellation.
  let arrived!: () => void;
  let closed!: () => void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  const closing = new Promise<void>((resolve) => (closed = resolve));
  const hanging = createServer((req) => {
    req.on("close", () => closed());
    arrived();
  });
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = hanging.address() as AddressInfo;
    const session = await start([], { ...mockEnv(mock), REGISTRY_SERVER_URL: `http://127.0.0.1:${port}` });
    const controller = new AbortController();
    const call = session.client.callTool({ name: "auth_getUser", arguments: {} }, undefined, {
      signal: controller.signal,
    });
    await arrival;
    controller.abort();
    await expect(call).rejects.toThrow();
    await closing; // the SDK call was aborted: it closed its connection (the test times out otherwise)
    expect((await session.call("iam_listSigningKeys", { pageSize: 1 })).isError).toBe(false);
  } finally {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  }
});

describe("token minting (--allow-token-minting)", () => {
  it("lists the minting tools; tokens are hidden by default", async () => {
    const file = join(work, "service-account.json");
    writeFileSync(file, JSON.stringify(mock.credentials.iam.serviceAccount));
    const session = await start(["--allow-token-minting"], {
      ...mockEnv(mock),
      IAM_SERVICE_ACCOUNT_FILE: file,
    });
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOLS.map((tool) => tool.name));

    const iam = await session.call("iam_generateServiceAccountToken");
    expect(iam.isError).toBe(false);
    expect(iam.json()).toMatchObject({ accessToken: HIDDEN_SECRET, tokenType: "Bearer" });
    expect(iam.text).not.toMatch(/eyJ/);

    const auth = await session.call("auth_getAccessToken", {
      workspaceId: mock.credentials.auth.workspaceId,
    });
    expect(auth.isError).toBe(false);
    expect(auth.json()).toMatchObject({
      accessToken: HIDDEN_SECRET,
      user: { email: mock.credentials.auth.userEmail },
    });
    expect(auth.text).not.toMatch(/eyJ/);
    expect(auth.parts).toHaveLength(1);
  });

  it("--reveal-secrets returns the token under a SECRET warning; the token is real", async () => {
    const session = await start(["--allow-token-minting", "--reveal-secrets"], mockEnv(mock));
    // No service-account file configured: without a jws the tool says which variable is missing.
    const missing = await session.call("iam_generateServiceAccountToken");
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^McpConfigError: IAM_SERVICE_ACCOUNT_FILE is not set/);

    const out = await session.call("iam_generateServiceAccountToken", { jws: await signedJws() });
    expect(out.isError).toBe(false);
    expect(out.parts).toHaveLength(2);
    expect(out.parts[0]).toMatch(/^SECRET: `accessToken` below is a live credential\./);
    const { accessToken } = out.json() as { accessToken: string };
    expect(accessToken).toMatch(/^eyJ/);
    const verified = await session.call("iam_verifyAccessToken", { token: accessToken });
    expect(verified.json()).toMatchObject({ sub: mock.credentials.iam.serviceAccountIds[0] });

    // The typed error of a minting call: an unknown workspace.
    const unknown = await session.call("auth_getAccessToken", {
      workspaceId: mock.credentials.auth.unknown.workspaceId,
    });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(
      /^AuthError: auth.getAccessToken: GET \/v1\/auth\/access_token failed with 4\d\d/,
    );
  });
});

describe("--mock", () => {
  it("starts the embedded mock API and uses its seeded credentials, with no environment at all", async () => {
    const session = await start(["--mock"], {});
    expect((await session.call("auth_validateApiKey")).json()).toMatchObject({
      workspaceSlug: mock.credentials.auth.workspaceSlug,
    });
    const page = (await session.call("iam_listSigningKeys", { pageSize: 1 })).json() as { keys: unknown[] };
    expect(page.keys).toHaveLength(1);
    expect(session.stderr()).toMatch(/using the embedded mock API at http:\/\/127\.0\.0\.1:\d+/);
    // It is not the test's mock: nothing reached it.
    mock.clearRequests();
    await session.call("auth_getUser");
    expect(mock.requests).toEqual([]);
  });
});
