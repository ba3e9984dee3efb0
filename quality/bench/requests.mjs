// Per-request cost and throughput: our clients versus raw fetch and bare ofetch, same HTTP call,
// same keep-alive pool (Node's global fetch dispatcher), interleaved rounds.
import { ofetch } from "ofetch";
import * as v from "valibot";
import { HarnessClient, listSigningKeysOp, validateApiKeyOp } from "./harness.mjs";
import { compare, table, withRatios } from "./lib.mjs";
import { PEER, peerContenders } from "./peers.mjs";

function rawFetch(url, headers) {
  return async () => {
    const response = await fetch(url, { headers: { accept: "application/json", ...headers } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    return response.json();
  };
}

function bareOfetch(url, headers) {
  return () => ofetch(url, { headers: { accept: "application/json", ...headers } });
}

/** A contender's JSON, then `v.parse` with the SDK's own response schema. */
function validated(getJSON, schema) {
  return async () => v.parse(schema, await getJSON());
}

/**
 * "raw fetch + valibot" is what validation costs without a transport. "ofetch + valibot" is the two
 * layers the SDKs stand on, and nothing else: an SDK's ratio to it is what the SDK adds on top.
 */
const STACK = "ofetch + valibot";

/**
 * Raw fetch again, as its own contender: its ratio to raw fetch shows how far apart two identical
 * contenders land in this run (the noise floor the other ratios should be read against).
 */
const AA = "raw fetch again (A/A)";

/**
 * The contenders of each scenario; SDK entries only when that SDK is built, peer entries
 * (`peerContenders`) only when they were loaded.
 */
export function scenarios(server, sdks, peerCalls = {}) {
  const { auth, iam } = server.credentials;
  const harness = new HarnessClient({ serverURL: server.url, security: { apiKey: auth.apiKey } });
  const harnessIam = new HarnessClient({ serverURL: server.url, security: { apiKey: iam.apiKey } });
  const out = {};

  const validateURL = `${server.url}/v1/auth/validate`;
  const authHeaders = { "x-api-key": auth.apiKey };
  const authSchema = sdks.auth?.ApiKeyDetailsSchema ?? validateApiKeyOp.output;
  const validate = {
    "raw fetch": rawFetch(validateURL, authHeaders),
    [AA]: rawFetch(validateURL, authHeaders),
    "raw fetch + valibot": validated(rawFetch(validateURL, authHeaders), authSchema),
    "bare ofetch": bareOfetch(validateURL, authHeaders),
    [STACK]: validated(bareOfetch(validateURL, authHeaders), authSchema),
    "@core/http (harness op)": () => harness.validateApiKey(),
  };
  if (sdks.auth) {
    const client = new sdks.auth.AuthClient({ serverURL: server.url, security: { apiKey: auth.apiKey } });
    const core = new sdks.auth.AuthCore({ serverURL: server.url, security: { apiKey: auth.apiKey } });
    validate["@sdk/auth AuthClient"] = () => client.validateApiKey();
    validate["@sdk/auth standalone"] = () => sdks.auth.validateApiKey(core);
  }
  Object.assign(validate, peerCalls.validateApiKey);
  out.validateApiKey = validate;

  const keysURL = `${server.url}/iam/v1/keys?page_size=100`;
  const iamHeaders = { "x-api-key": iam.apiKey };
  const keysSchema = sdks.iam?.ListSigningKeysResponseSchema ?? listSigningKeysOp.output;
  const keys = {
    "raw fetch": rawFetch(keysURL, iamHeaders),
    [AA]: rawFetch(keysURL, iamHeaders),
    "raw fetch + valibot": validated(rawFetch(keysURL, iamHeaders), keysSchema),
    "bare ofetch": bareOfetch(keysURL, iamHeaders),
    [STACK]: validated(bareOfetch(keysURL, iamHeaders), keysSchema),
    "@core/http (harness op)": () => harnessIam.listSigningKeys({ pageSize: 100 }),
  };
  if (sdks.iam) {
    const client = new sdks.iam.IamClient({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } });
    const core = new sdks.iam.IamCore({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } });
    keys["@sdk/iam IamClient"] = () => client.listSigningKeys({ pageSize: 100 });
    keys["@sdk/iam standalone"] = () => sdks.iam.listSigningKeys(core, { pageSize: 100 });
  }
  Object.assign(keys, peerCalls.listSigningKeys);
  out["listSigningKeys (100 keys/page)"] = keys;
  return out;
}

/** The generated peer each scenario is held against (class client, standalone function). */
const PEERS = [
  [PEER.speakeasy, PEER.speakeasyStandalone],
  [PEER.ascend, PEER.ascendStandalone],
];

/**
 * Ratios to raw fetch (the yardstick), to the stack the SDKs stand on and, when the scenario
 * has one, to the generated peer's class client and to its standalone function (same per-round pairing).
 */
function ratios(results) {
  withRatios(withRatios(results, STACK, "ratioToStack"), "raw fetch");
  for (const [peer, standalone] of PEERS) {
    if (results[peer]) withRatios(results, peer, "ratioToPeer");
    if (results[standalone]) withRatios(results, standalone, "ratioToPeerStandalone");
  }
  return results;
}

const COLUMNS = [
  { label: "contender", value: (r) => r.name },
  { label: "latency µs (median)", value: (r) => r.latencyUs },
  { label: "client CPU µs/req", value: (r) => r.cpuUsPerRequest },
  { label: "req/s", value: (r) => r.requestsPerSecond },
  { label: "× raw fetch (per-round median)", value: (r) => r.ratio.toFixed(2) },
  { label: `× ${STACK}`, value: (r) => r.ratioToStack.toFixed(2) },
];
const PEER_COLUMNS = [
  { label: "× peer class", value: (r) => r.ratioToPeer.toFixed(2) },
  { label: "× peer standalone", value: (r) => r.ratioToPeerStandalone.toFixed(2) },
];

export async function benchRequests(server, sdks, { concurrency, rounds, count, label }) {
  const results = {};
  const tables = [];
  const peerCalls = sdks.peers ? await peerContenders(server, sdks.peers) : {};
  for (const [scenario, contenders] of Object.entries(scenarios(server, sdks, peerCalls))) {
    const r = ratios(await compare(contenders, { rounds, count, concurrency }));
    results[scenario] = r;
    const rows = Object.entries(r).map(([name, v]) => ({ name, ...v }));
    const hasPeer = rows[0].ratioToPeer !== undefined && rows[0].ratioToPeerStandalone !== undefined;
    tables.push(table(`${scenario} — ${label}`, rows, hasPeer ? [...COLUMNS, ...PEER_COLUMNS] : COLUMNS));
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
  const whoamiURL = `${server.url}/iam/v1/whoami`;
  const contenders = {
    "raw fetch": rawFetch(whoamiURL, headers),
    [AA]: rawFetch(whoamiURL, headers),
    "raw fetch + valibot": validated(rawFetch(whoamiURL, headers), output),
    "bare ofetch": bareOfetch(whoamiURL, headers),
    [STACK]: validated(bareOfetch(whoamiURL, headers), output),
    "@sdk/iam defineProtectedOperation": () => client.request(whoami),
    "@sdk/iam callProtected": () => sdks.iam.callProtected(client, { path: "/iam/v1/whoami", output }),
  };
  const r = ratios(await compare(contenders, { rounds, count, concurrency }));
  const rows = Object.entries(r).map(([name, v]) => ({ name, ...v }));
  return { results: r, table: table(`protected GET /iam/v1/whoami — ${label}`, rows, COLUMNS) };
}
