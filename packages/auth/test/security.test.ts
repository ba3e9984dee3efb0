import { describe, expect, it } from "vitest";
import {
  AuthClient,
  AuthCore,
  type AuthSecurity,
  getAccessToken,
  InvalidRequestError,
} from "../src/index.js";
import { ACCESS_TOKEN, clientFor, rejectionOf, requestsTo, useMockApi, VALIDATE } from "./helpers.js";

const mock = useMockApi();

const CREDENTIAL_HEADERS = ["x-api-key", "authorization", "x-workspace-identifier"] as const;

/** Which credential headers the last request carried. */
function sentCredentials(): string[] {
  const entry = mock.server.requests.at(-1);
  return CREDENTIAL_HEADERS.filter((h) => entry?.headers[h] !== undefined);
}

function workspace(slug: string) {
  return mock.server.credentials.auth.workspaces.find((w) => w.slug === slug)!;
}

describe("security", () => {
  it.each<[string, (w: ReturnType<typeof workspace>) => AuthSecurity, string]>([
    ["an API key", (w) => ({ apiKey: w.apiKey }), "x-api-key"],
    ["a bearer token", (w) => ({ bearer: w.bearer }), "authorization"],
    [
      "a workspace identifier",
      (w) => ({ workspaceIdentifier: w.workspaceIdentifier }),
      "x-workspace-identifier",
    ],
  ])("authenticates with %s", async (_label, security, header) => {
    const w = workspace("globex-core");
    const details = await clientFor(mock.server, { security: security(w) }).validateApiKey();
    expect(details.workspaceSlug).toBe("globex-core");
    expect(sentCredentials()).toEqual([header]);
  });

  it("sends only the first configured credential, in the contract's order", async () => {
    const auth = clientFor(mock.server, {
      security: {
        bearer: workspace("acme-platform").bearer,
        workspaceIdentifier: workspace("globex-core").workspaceIdentifier,
      },
    });
    expect((await auth.validateApiKey()).workspaceSlug).toBe("acme-platform");
    expect(sentCredentials()).toEqual(["authorization"]);
  });

  it("lets one call override the client's security", async () => {
    const auth = clientFor(mock.server); // acme-sandbox's key
    const other = await auth.validateApiKey({ security: { apiKey: workspace("globex-enterprise").apiKey } });
    expect(other.workspaceSlug).toBe("globex-enterprise");
    expect((await auth.validateApiKey()).workspaceSlug).toBe("acme-sandbox");
  });

  it("re-reads an async security getter for every request", async () => {
    let current = workspace("acme-platform").apiKey;
    let reads = 0;
    const auth = new AuthClient({
      serverURL: mock.server.url,
      security: async () => {
        reads++;
        return { apiKey: current };
      },
    });
    expect((await auth.validateApiKey()).workspaceSlug).toBe("acme-platform");
    current = workspace("globex-core").apiKey;
    expect((await auth.getUser()).email).toBe("grace@globex.example");
    expect(reads).toBe(2);
  });

  it("reads the getter again on each retry", async () => {
    const keys = [mock.server.credentials.auth.unknown.apiKey, workspace("acme-platform").apiKey];
    let reads = 0;
    const auth = new AuthClient({ serverURL: mock.server.url, security: () => ({ apiKey: keys[reads++] }) });
    const { data, attempts } = await auth
      .validateApiKey({
        retries: { strategy: "backoff", backoff: { initialInterval: 1 }, statusCodes: [401] },
      })
      .withResponse();
    expect(attempts).toBe(2);
    expect(data.workspaceSlug).toBe("acme-platform");
  });

  it("fails before sending when no credential is configured", async () => {
    const auth = new AuthClient({ serverURL: mock.server.url });
    const error = await rejectionOf(auth.validateApiKey());
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues[0]?.path).toBe("security");
    expect(mock.server.requests).toHaveLength(0);
    // An empty string is not a credential either.
    await expect(clientFor(mock.server, { security: { apiKey: "" } }).getUser()).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it("sends no credentials at all with getAccessToken", async () => {
    const w = workspace("acme-sandbox");
    const all: AuthSecurity = {
      apiKey: w.apiKey,
      bearer: w.bearer,
      workspaceIdentifier: w.workspaceIdentifier,
    };
    const auth = clientFor(mock.server, { security: all });
    await auth.getAccessToken({ workspaceId: w.id });
    await auth.getAccessToken({ workspaceId: w.id }, { security: all });
    await getAccessToken(new AuthCore({ serverURL: mock.server.url }), { workspaceId: w.id });
    const entries = requestsTo(mock.server, ACCESS_TOKEN);
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      for (const header of CREDENTIAL_HEADERS) expect(entry.headers[header]).toBeUndefined();
    }
  });

  it("uses the named server by default and serverURL per client or per call", async () => {
    expect(new AuthClient().serverURL).toBe("https://api.prod.speakeasy.com");
    expect(new AuthClient({ server: "prod" }).serverURL).toBe("https://api.prod.speakeasy.com");
    // A client pointed nowhere useful still reaches the mock when the call says where to go.
    const auth = new AuthClient({
      serverURL: "http://127.0.0.1:9/unused",
      security: { apiKey: mock.server.credentials.auth.apiKey },
    });
    expect((await auth.validateApiKey({ serverURL: mock.server.url })).orgSlug).toBe("acme");
    expect(requestsTo(mock.server, VALIDATE)).toHaveLength(1);
  });

  it("rejects an unknown server name", () => {
    expect(() => new AuthClient({ server: "staging" as never })).toThrow(InvalidRequestError);
  });

  it("sends the SDK's user agent and the caller's extra headers", async () => {
    await clientFor(mock.server).validateApiKey({ headers: { "x-trace-id": "t-1" } });
    const entry = mock.server.requests.at(-1)!;
    expect(entry.headers["user-agent"]).toMatch(/^@sdk\/auth\/\d+\.\d+\.\d+/);
    expect(entry.headers["x-trace-id"]).toBe("t-1");
  });
});
