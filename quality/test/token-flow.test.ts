// The service-account token under load: 1,000 concurrent protected calls share one token request, and
// a revocation in the middle of them costs exactly one more, shared by every caller that got a 401.
import { IamClient, parseServiceAccountCredentials } from "@sdk/iam";
import { type MockApi, startMockApi } from "@sdk/mock-api";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

const CALLERS = 1_000;
const TOKEN_ROUTE = "POST /iam/v1/serviceAccounts:generateAccessToken";
const WHOAMI_ROUTE = "GET /iam/v1/whoami";
const Whoami = v.object({ sub: v.string() });

let server: MockApi;
let onLogLine: ((line: string) => void) | undefined;
beforeAll(async () => {
  // The log callback runs as each response is sent: the place to act between two requests.
  server = await startMockApi({ port: 0, logRequests: (line) => onLogLine?.(line) });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function client(): IamClient {
  return new IamClient({
    serverURL: server.url,
    security: {
      apiKeyAuth: server.credentials.iam.apiKey,
      serviceAccount: parseServiceAccountCredentials(JSON.stringify(server.credentials.iam.serviceAccount)),
    },
  });
}

const logged = (route: string) => server.requests.filter((r) => r.route === route);

describe("service-account token under load", () => {
  it(`${CALLERS} concurrent protected calls with a cold cache make exactly one token request`, async () => {
    const iam = client();
    const results = await Promise.all(
      Array.from({ length: CALLERS }, () => iam.callProtected({ path: "/iam/v1/whoami", output: Whoami })),
    );
    expect(results.every((r) => r.sub === server.credentials.iam.serviceAccountIds[0])).toBe(true);
    expect(logged(TOKEN_ROUTE)).toHaveLength(1);
    expect(logged(WHOAMI_ROUTE)).toHaveLength(CALLERS);
    expect(iam.serviceAccountTokens.stats().tokenRequests).toBe(1);
  });

  it("a revocation mid-run is recovered by one refresh shared by every caller", async () => {
    let answered = 0;
    // Revoke once the server has answered a tenth of the calls: the rest are in flight with the old
    // token and must each see a 401, refresh (together) and retry.
    onLogLine = (line) => {
      if (line.includes("GET /iam/v1/whoami -> 200") && ++answered === CALLERS / 10) server.revokeTokens();
    };
    const iam = client();
    const results = await Promise.all(
      Array.from({ length: CALLERS }, () =>
        iam.callProtected({ path: "/iam/v1/whoami", output: Whoami }).withResponse(),
      ),
    );

    expect(results.every((r) => r.data.sub === server.credentials.iam.serviceAccountIds[0])).toBe(true);
    const whoami = logged(WHOAMI_ROUTE);
    const rejected = whoami.filter((r) => r.status === 401).length;
    expect(rejected).toBeGreaterThan(0); // the revocation did hit calls in flight
    expect(whoami).toHaveLength(CALLERS + rejected); // each rejected call was retried once, no more
    expect(results.filter((r) => r.attempts === 2)).toHaveLength(rejected);
    expect(logged(TOKEN_ROUTE)).toHaveLength(2); // the first token, and one refresh for everyone
    console.log("revocation mid-run:", { callers: CALLERS, rejectedWith401: rejected, tokenRequests: 2 });
    onLogLine = undefined;
  });
});
