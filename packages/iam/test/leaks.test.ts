import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  IamClient,
  parseServiceAccountCredentials,
  type StatusError,
  signServiceAccountJws,
  verifyAccessToken,
} from "../src/index.js";
import { expectNoSecrets, keyFragments, TOKEN_ROUTE, useMockApi, WHOAMI_ROUTE } from "./helpers.js";

const mock = useMockApi();

/** Records every credential that went over the wire, to look for it everywhere else. */
function recordingFetch(seen: Set<string>): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const auth = request.headers.get("authorization");
    if (auth) seen.add(auth.replace(/^Bearer /, ""));
    const apiKey = request.headers.get("x-api-key");
    if (apiKey) seen.add(apiKey);
    if (request.method === "POST") {
      const body = (await request.clone().json()) as { jws?: string };
      if (body.jws) seen.add(body.jws);
    }
    return globalThis.fetch(request);
  };
}

describe("no credential leaks", () => {
  it("log lines, errors, the client and the token cache never show the key, JWS, token or API key", async () => {
    const seen = new Set<string>();
    const lines: string[] = [];
    const logger = {
      debug: (...args: unknown[]) => lines.push(args.map((a) => inspect(a, { depth: 5 })).join(" ")),
    };
    const file = mock.server.credentials.iam.serviceAccount;
    const iam = new IamClient({
      serverURL: mock.server.url,
      now: () => mock.server.clock.now(),
      fetch: recordingFetch(seen),
      logger,
      security: {
        apiKeyAuth: mock.server.credentials.iam.apiKey,
        serviceAccount: parseServiceAccountCredentials(file),
      },
    });

    const errors: unknown[] = [];
    await iam.callProtected({ path: "/iam/v1/whoami" });
    mock.server.revokeTokens();
    await iam.callProtected({ path: "/iam/v1/whoami" });
    mock.server.faults.add({ kind: "revoked-token", route: WHOAMI_ROUTE, count: 2 });
    errors.push(await iam.callProtected({ path: "/iam/v1/whoami" }).catch((e) => e));
    mock.server.faults.add({ kind: "status", status: 500, route: TOKEN_ROUTE });
    iam.serviceAccountTokens.clear();
    errors.push(await iam.callProtected({ path: "/iam/v1/whoami" }).catch((e) => e));
    mock.server.faults.add({ kind: "drift", mode: "missing-field", route: TOKEN_ROUTE });
    errors.push(await iam.callProtected({ path: "/iam/v1/whoami" }).catch((e) => e));
    const tokens = [...seen].filter((s) => s.startsWith("eyJ"));
    const accessToken = tokens.find(
      (t) => "kid" in JSON.parse(Buffer.from(t.split(".")[0]!, "base64url").toString()),
    );
    errors.push(await verifyAccessToken(accessToken!, { client: iam, now: 0 }).catch((e) => e));

    expect(tokens.length).toBeGreaterThanOrEqual(4); // JWSs and access tokens were captured
    expect(lines.length).toBeGreaterThan(5);
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    expect((errors[0] as StatusError).status).toBe(401);
    expect(errors[3]).toMatchObject({ reason: "not_yet_valid" });
    const secrets = [...seen, ...keyFragments(file.privateKey)];
    for (const line of lines) expectNoSecrets(line, secrets);
    for (const error of errors) expectNoSecrets(error, secrets);
    expectNoSecrets(iam, secrets);
    expectNoSecrets(iam.serviceAccountTokens, secrets);
    expectNoSecrets(iam.serviceAccountTokens.stats(), secrets);
    expect(inspect(iam)).toContain(mock.server.url);
  });

  it("a 401 from the token endpoint does not echo the JWS it was sent", async () => {
    const stranger = parseServiceAccountCredentials(mock.server.credentials.iam.unknownServiceAccount);
    const jws = await signServiceAccountJws(stranger, { now: mock.server.clock.now() });
    const iam = new IamClient({
      serverURL: mock.server.url,
      security: { apiKeyAuth: mock.server.credentials.iam.apiKey },
    });
    const error = await iam.generateServiceAccountToken({ jws }).catch((e) => e);
    expectNoSecrets(error, [jws, jws.split(".")[2]!, mock.server.credentials.iam.apiKey]);
    expectNoSecrets(stranger, keyFragments(mock.server.credentials.iam.unknownServiceAccount.privateKey));
  });
});
