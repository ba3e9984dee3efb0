// Per-request cost and throughput: our clients versus raw fetch and bare ofetch, same HTTP call,
// same keep-alive pool (Node's global fetch dispatcher), interleaved rounds.
import { ofetch } from "ofetch";
import * as v from "valibot";
import { HarnessClient, listSigningKeysOp, validateApiKeyOp } from "./harness.mjs";
import { compare, table, withRatios } from "./lib.mjs";

function rawFetch(url, headers) {
  return async () => {
    const response = await fetch(url, { headers: { accept: "application/json", ...headers } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    return response.json();
  };
}

/** Raw fetch plus the SDK's own response schema: what validation costs, without the transport. */
function rawFetchValidated(url, headers, schema) {
  const fetchJSON = rawFetch(url, headers);
  return async () => v.parse(schema, await fetchJSON());
}

function bareOfetch(url, headers) {
  return () => ofetch(url, { headers: { accept: "application/json", ...headers } });
}

/**
 * The two layers the SDKs stand on, and nothing else: ofetch plus the SDK's response schema. What
 * an SDK costs on top of the stack it was asked to use is its ratio to this contender.
 */
const STACK = "ofetch + valibot";
function ofetchValidated(url, headers, schema) {
  const get = bareOfetch(url, headers);
  return async () => v.parse(schema, await get());
}

/**
 * Raw fetch again, as its own contender: its ratio to raw fetch shows how far apart two identical
 * contenders land in this run (the noise floor the other ratios should be read against).
 */
const AA = "raw fetch again (A/A)";

/** The contenders of each scenario; SDK entries only when that SDK is built. */
export function scenarios(server, sdks) {
  const { auth, iam } = server.credentials;
  const harness = new HarnessClient({ serverURL: server.url, security: { apiKey: auth.apiKey } });
  const harnessIam = new HarnessClient({ serverURL: server.url, security: { apiKey: iam.apiKey } });
  const out = {};

  const validate = {
    "raw fetch": rawFetch(`${server.url}/v1/auth/validate`, { "x-api-key": auth.apiKey }),
    [AA]: rawFetch(`${server.url}/v1/auth/validate`, { "x-api-key": auth.apiKey }),
    "raw fetch + valibot": rawFetchValidated(
      `${server.url}/v1/auth/validate`,
      { "x-api-key": auth.apiKey },
      sdks.auth?.ApiKeyDetailsSchema ?? validateApiKeyOp.output,
    ),
    "bare ofetch": bareOfetch(`${server.url}/v1/auth/validate`, { "x-api-key": auth.apiKey }),
    [STACK]: ofetchValidated(
      `${server.url}/v1/auth/validate`,
      { "x-api-key": auth.apiKey },
      sdks.auth?.ApiKeyDetailsSchema ?? validateApiKeyOp.output,
    ),
    "@core/http (harness op)": () => harness.validateApiKey(),
  };
  if (sdks.auth) {
    const client = new sdks.auth.AuthClient({ serverURL: server.url, security: { apiKey: auth.apiKey } });
    const core = new sdks.auth.AuthCore({ serverURL: server.url, security: { apiKey: auth.apiKey } });
    validate["@sdk/auth AuthClient"] = () => client.validateApiKey();
    validate["@sdk/auth standalone"] = () => sdks.auth.validateApiKey(core);
  }
  out.validateApiKey = validate;

  const keysURL = `${server.url}/iam/v1/keys?page_size=100`;
  const keys = {
    "raw fetch": rawFetch(keysURL, { "x-api-key": iam.apiKey }),
    [AA]: rawFetch(keysURL, { "x-api-key": iam.apiKey }),
    "raw fetch + valibot": rawFetchValidated(
      keysURL,
      { "x-api-key": iam.apiKey },
      sdks.iam?.ListSigningKeysResponseSchema ?? listSigningKeysOp.output,
    ),
    "bare ofetch": bareOfetch(keysURL, { "x-api-key": iam.apiKey }),
    [STACK]: ofetchValidated(
      keysURL,
      { "x-api-key": iam.apiKey },
      sdks.iam?.ListSigningKeysResponseSchema ?? listSigningKeysOp.output,
    ),
    "@core/http (harness op)": () => harnessIam.listSigningKeys({ pageSize: 100 }),
  };
  if (sdks.iam) {
    const client = new sdks.iam.IamClient({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } });
    const core = new sdks.iam.IamCore({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } });
    keys["@sdk/iam IamClient"] = () => client.listSigningKeys({ pageSize: 100 });
    keys["@sdk/iam standalone"] = () => sdks.iam.listSigningKeys(core, { pageSize: 100 });
  }
  out["listSigningKeys (100 keys/page)"] = keys;
  return out;
}

/** Ratios to raw fetch (the yardstick) and to the stack the SDKs stand on. */
function ratios(results) {
  return withRatios(withRatios(results, STACK, "ratioToStack"), "raw fetch");
}

const COLUMNS = [
  { label: "contender", value: (r) => r.name },
  { label: "latency µs (median)", value: (r) => r.latencyUs },
  { label: "client CPU µs/req", value: (r) => r.cpuUsPerRequest },
  { label: "req/s", value: (r) => r.requestsPerSecond },
  { label: "× raw fetch (per-round median)", value: (r) => r.ratio.toFixed(2) },
  { label: `× ${STACK}`, value: (r) => r.ratioToStack.toFixed(2) },
];

export async function benchRequests(server, sdks, { concurrency, rounds, count, label }) {
  const results = {};
  const tables = [];
  for (const [scenario, contenders] of Object.entries(scenarios(server, sdks))) {
    const r = ratios(await compare(contenders, { rounds, count, concurrency }));
    results[scenario] = r;
    const rows = Object.entries(r).map(([name, v]) => ({ name, ...v }));
    tables.push(table(`${scenario} — ${label}`, rows, COLUMNS));
  }
  return { results, tables };
}

export async function benchProtected(server, sdks, { concurrency, rounds, count, label }) {
  if (!sdks.iam?.IamClient) return undefined;
  const { iam } = server.credentials;
  const credentials = sdks.iam.parseServiceAccountCredentials(JSON.stringify(iam.serviceAccount));
  const client = new sdks.iam.IamClient({
    serverURL: server.url,
    security: { apiKeyAuth: iam.apiKey, serviceAccount: credentials },
  });
  const output = v.object({ sub: v.string(), name: v.string(), organization: v.string(), exp: v.number() });
  const whoami = sdks.iam.defineProtectedOperation({
    id: "whoami",
    method: "GET",
    path: "/iam/v1/whoami",
    output,
  });
  await client.request(whoami); // fills the token cache
  const jws = await sdks.iam.signServiceAccountJws(credentials);
  const token = (await client.generateServiceAccountToken({ jws })).accessToken;
  const headers = { "x-api-key": iam.apiKey, authorization: `Bearer ${token}` };
  const contenders = {
    "raw fetch": rawFetch(`${server.url}/iam/v1/whoami`, headers),
    [AA]: rawFetch(`${server.url}/iam/v1/whoami`, headers),
    "raw fetch + valibot": rawFetchValidated(`${server.url}/iam/v1/whoami`, headers, output),
    "bare ofetch": bareOfetch(`${server.url}/iam/v1/whoami`, headers),
    [STACK]: ofetchValidated(`${server.url}/iam/v1/whoami`, headers, output),
    "@sdk/iam defineProtectedOperation": () => client.request(whoami),
    "@sdk/iam callProtected": () => sdks.iam.callProtected(client, { path: "/iam/v1/whoami", output }),
  };
  const r = ratios(await compare(contenders, { rounds, count, concurrency }));
  const rows = Object.entries(r).map(([name, v]) => ({ name, ...v }));
  return { results: r, table: table(`protected GET /iam/v1/whoami — ${label}`, rows, COLUMNS) };
}
