// Leak scan: every operation under every fault mode, with the mock's seeded credentials and made-up
// canaries as credentials. No error rendering (message, stack, toString, JSON, inspect) and no debug
// log line may contain any of them.
import { inspect } from "node:util";
import { AuthClient } from "@sdk/auth";
import { SDKError } from "@sdk/errors";
import {
  IamClient,
  type IamSecurity,
  parseServiceAccountCredentials,
  signServiceAccountJws,
  verifyAccessToken,
} from "@sdk/iam";
import { type FaultSpec, type MockApi, startMockApi } from "@sdk/mock-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCanaries, pemCanaries, renderings } from "./support/canary.js";

const CANARY_API_KEY = "canary-apikey-5f1e2d9a7c3b";
const CANARY_BEARER = "canary-bearer-8e4f1a2b6d0c";

let server: MockApi;
let canaries: Record<string, string>;
let jws: string;
let accessToken: string;
const findings: string[] = [];
const stats = { cases: 0, errors: 0, logLines: 0 };

// Faults of the request itself (header form, so each call carries its own).
const HEADER_FAULTS: Record<string, string | undefined> = {
  none: undefined,
  reset: "reset",
  "delay past the timeout": "delay;ms=300",
  "400": "status;status=400",
  "401": "status;status=401",
  "403": "status;status=403",
  "404": "status;status=404",
  "429 + Retry-After": "status;status=429;retryAfter=1",
  "500": "status;status=500",
  "503 + Retry-After": "status;status=503;retryAfter=1",
  truncate: "truncate",
  html: "html",
  "content-type": "content-type",
  "drift extra-field": "drift;mode=extra-field",
  "drift missing-field": "drift;mode=missing-field",
  "drift unknown-enum": "drift;mode=unknown-enum",
  "expired token": "expired-token",
  "revoked token": "revoked-token",
};

/**
 * The next response: a 401 quoting the credentials it got, as some servers do. Queued, not sent as a
 * header: a header holding the credential would itself show up in the client's debug log.
 */
function echoFault(sent: readonly string[]): FaultSpec {
  const message = `rejected credentials: ${sent.join(" and ")}`;
  return { kind: "status", status: 401, body: { message, status_code: 401, code: 16 } };
}

function logger(label: string) {
  return {
    debug(message: string, ...data: unknown[]) {
      stats.logLines++;
      const line = [message, ...data.map((d) => inspect(d, { depth: Number.POSITIVE_INFINITY }))].join(" ");
      const found = findCanaries(line, canaries);
      if (found.length) findings.push(`${label}: log line shows ${found.join(", ")}: ${line.slice(0, 200)}`);
    },
  };
}

/** Runs one call and scans what comes out of it. */
async function scan(label: string, run: () => Promise<unknown>): Promise<void> {
  stats.cases++;
  try {
    await run();
  } catch (error) {
    stats.errors++;
    if (!(error instanceof SDKError)) findings.push(`${label}: threw a non-SDKError ${inspect(error)}`);
    for (const [how, text] of Object.entries(renderings(error))) {
      const found = findCanaries(text, canaries);
      if (found.length) findings.push(`${label}: ${how} shows ${found.join(", ")}`);
    }
  }
}

beforeAll(async () => {
  server = await startMockApi({ port: 0 });
  const { auth, iam } = server.credentials;
  const credentials = parseServiceAccountCredentials(JSON.stringify(iam.serviceAccount));
  jws = await signServiceAccountJws(credentials);
  const client = new IamClient({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } });
  accessToken = (await client.generateServiceAccountToken({ jws })).accessToken;
  canaries = {
    "auth API key": auth.apiKey,
    "auth bearer": auth.bearer,
    "auth workspace identifier": auth.workspaceIdentifier,
    "IAM API key": iam.apiKey,
    "canary API key": CANARY_API_KEY,
    "canary bearer": CANARY_BEARER,
    JWS: jws,
    "JWS signature": jws.split(".")[2]!,
    "access token": accessToken,
    "access token signature": accessToken.split(".")[2]!,
    ...pemCanaries(iam.serviceAccount.privateKey, "private key"),
  };
});
afterAll(() => server.close());

describe("no credential in any error or log line", () => {
  it("Auth API: every operation × credential × fault", async () => {
    const { auth } = server.credentials;
    const securities = {
      "API key": { apiKey: auth.apiKey },
      bearer: { bearer: auth.bearer },
      "workspace identifier": { workspaceIdentifier: auth.workspaceIdentifier },
      "unknown API key": { apiKey: CANARY_API_KEY },
      "unknown bearer": { bearer: CANARY_BEARER },
    };
    for (const [who, security] of Object.entries(securities)) {
      const client = new AuthClient({
        serverURL: server.url,
        security,
        retries: { strategy: "none" },
        logger: logger(`auth/${who}`),
      });
      const ops = {
        validateApiKey: (o: object) => client.validateApiKey(o),
        getUser: (o: object) => client.getUser(o),
        getAccessToken: (o: object) => client.getAccessToken({ workspaceId: auth.workspaceId }, o),
        getAccess: (o: object) => client.getAccess({ genLockId: "lock-1", passive: true }, o),
      };
      for (const [op, call] of Object.entries(ops)) {
        for (const [fault, header] of Object.entries(HEADER_FAULTS)) {
          const options = header ? { headers: { "x-mock-fault": header }, timeoutMs: 100 } : {};
          await scan(`auth ${op} / ${who} / ${fault}`, () => call(options));
        }
        await scan(`auth ${op} / ${who} / aborted`, () => call({ signal: AbortSignal.abort() }));
        // getAccessToken sends no credential: there is nothing for the server to echo.
        if (op !== "getAccessToken") {
          await scan(`auth ${op} / ${who} / server echoes the credential`, () => {
            server.faults.add(echoFault(Object.values(security)));
            return call({});
          });
          server.faults.clear();
        }
      }
    }
  });

  it("IAM API: every operation × credential × fault", async () => {
    const { iam } = server.credentials;
    const serviceAccount = parseServiceAccountCredentials(JSON.stringify(iam.serviceAccount));
    const securities: Record<string, IamSecurity> = {
      "API key": { apiKeyAuth: iam.apiKey },
      "unknown API key": { apiKeyAuth: CANARY_API_KEY },
      "service account": { apiKeyAuth: iam.apiKey, serviceAccount },
      "access token": { apiKeyAuth: iam.apiKey, bearerAuth: accessToken },
      "unknown bearer": { apiKeyAuth: iam.apiKey, bearerAuth: CANARY_BEARER },
    };
    for (const [who, security] of Object.entries(securities)) {
      const client = new IamClient({
        serverURL: server.url,
        security,
        retries: { strategy: "none" },
        logger: logger(`iam/${who}`),
      });
      const ops = {
        generateServiceAccountToken: (o: object) => client.generateServiceAccountToken({ jws }, o),
        listSigningKeys: (o: object) => client.listSigningKeys({ pageSize: 5 }, o),
        "listSigningKeys (iterated)": async (o: object) => {
          let n = 0;
          for await (const _ of client.listSigningKeys({ pageSize: 100 }, o)) if (++n > 150) break;
        },
        callProtected: (o: object) => client.callProtected({ path: "/iam/v1/whoami" }, o),
      };
      for (const [op, call] of Object.entries(ops)) {
        for (const [fault, header] of Object.entries(HEADER_FAULTS)) {
          const options = header ? { headers: { "x-mock-fault": header }, timeoutMs: 100 } : {};
          await scan(`iam ${op} / ${who} / ${fault}`, () => call(options));
        }
        server.faults.clear();
        await scan(`iam ${op} / ${who} / aborted`, () => call({ signal: AbortSignal.abort() }));
        // Only what the operation sends can come back: the API key, plus the bearer on protected calls.
        const sent = [security.apiKeyAuth, op === "callProtected" ? security.bearerAuth : undefined];
        await scan(`iam ${op} / ${who} / server echoes the credential`, () => {
          server.faults.add(echoFault(sent.filter((x): x is string => Boolean(x))));
          return call({});
        });
        server.faults.clear(); // unused when the call failed before sending
      }
    }
  });

  it("IAM token endpoint faults seen through protected calls (JWS and token in flight)", async () => {
    const { iam } = server.credentials;
    const route = "POST /iam/v1/serviceAccounts:generateAccessToken";
    const faults: FaultSpec[] = [
      { kind: "reset", route },
      { kind: "status", status: 400, route },
      { kind: "status", status: 401, route },
      { kind: "status", status: 500, route },
      { kind: "status", status: 503, retryAfter: "1", route },
      { kind: "truncate", route },
      { kind: "html", route },
      { kind: "content-type", route },
      { kind: "drift", mode: "missing-field", route },
      { kind: "drift", mode: "unknown-enum", route },
      { kind: "delay", ms: 300, route },
    ];
    for (const fault of faults) {
      server.faults.clear();
      server.faults.add(fault);
      // A new client per fault: a cold token cache, so the protected call must fetch a token.
      const client = new IamClient({
        serverURL: server.url,
        timeoutMs: 100,
        retries: { strategy: "none" },
        logger: logger(`iam token/${fault.kind}`),
        security: {
          apiKeyAuth: iam.apiKey,
          serviceAccount: parseServiceAccountCredentials(JSON.stringify(iam.serviceAccount)),
        },
      });
      await scan(`iam token endpoint / ${JSON.stringify(fault)}`, () =>
        client.callProtected({ path: "/iam/v1/whoami" }),
      );
    }
    server.faults.clear();
  });

  it("service-account helpers: broken credentials files, tampered and foreign tokens", async () => {
    const { iam } = server.credentials;
    const sa = iam.serviceAccount;
    const files: Record<string, unknown> = {
      "type not serviceAccount": { ...sa, type: "user" },
      "name not a string": { ...sa, name: 42 },
      "organization missing": { ...sa, organization: undefined },
      "truncated key": { ...sa, privateKey: sa.privateKey.slice(0, 400) },
      "key body altered": { ...sa, privateKey: sa.privateKey.replace(/[A-Za-z]{8}/, "!!!!!!!!") },
      "key without header": { ...sa, privateKey: sa.privateKey.replace(/-----[A-Z ]+-----/g, "") },
      "JSON text cut short": JSON.stringify(sa).slice(0, -12),
      "JSON text with a stray quote": JSON.stringify(sa).replace("MII", 'MI"I'),
      "bare PEM": sa.privateKey,
      "an array": [sa],
    };
    for (const [name, file] of Object.entries(files)) {
      await scan(`parseServiceAccountCredentials / ${name}`, async () => {
        const credentials = parseServiceAccountCredentials(file as string);
        await signServiceAccountJws(credentials); // a file that parses may still hold an unusable key
      });
    }
    const keys = (
      await new IamClient({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } }).listSigningKeys({
        pageSize: 1000,
      })
    ).keys;
    const [header, payload, signature] = accessToken.split(".") as [string, string, string];
    const tokens: Record<string, string> = {
      "signature altered": `${header}.${payload}.${signature.slice(0, -6)}AAAAAA`,
      "payload altered": `${header}.${payload.slice(0, -4)}AAAA.${signature}`,
      "the JWS (unknown kid)": jws,
      "not a JWS": CANARY_BEARER,
      "alg none": `${btoa('{"alg":"none"}').replace(/=+$/, "")}.${payload}.`,
    };
    for (const [name, token] of Object.entries(tokens)) {
      await scan(`verifyAccessToken / ${name}`, () => verifyAccessToken(token, { keys }));
    }
  });

  it("found nothing", () => {
    console.log("leak scan:", stats);
    expect(stats.cases).toBeGreaterThan(700);
    expect(stats.errors).toBeGreaterThan(500); // the scan looked at real failures, not only successes
    expect(stats.logLines).toBeGreaterThan(900);
    expect(findings).toEqual([]);
  });
});
