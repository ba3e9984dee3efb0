// The published generated SDKs our two SDKs are held against (issue 18, section 5): Speakeasy's own
// client for the registry Auth API, Apex's Ascend SDK for the IAM Authentication API. Both are
// devDependencies of this package only. Each is pointed at the mock through its `serverURL` option and
// given the mock's seeded credentials, and makes the same wire call as ours.
import { createRequire } from "node:module";
import { loadOptional } from "./sdks.mjs";

export const PEER = {
  speakeasy: "peer Speakeasy (class)",
  speakeasyStandalone: "peer Speakeasy standalone",
  ascend: "peer Apexascend (class)",
  ascendStandalone: "peer Apexascend standalone",
};

const SPEAKEASY = "@speakeasy-api/speakeasy-client-sdk-typescript";
const ASCEND = "@apexfintechsolutions/ascend-sdk";

/**
 * Loaded only for the full benchmark, not the smoke run: importing them costs seconds (Ascend's index
 * ~3-4 s, Speakeasy's ~0.6 s in a cold process here), more than the rest of the smoke run.
 */
export async function loadPeers() {
  const [speakeasy, speakeasyCore, speakeasyFn, ascend, ascendCore, ascendFn] = await Promise.all([
    loadOptional(SPEAKEASY),
    loadOptional(`${SPEAKEASY}/core.js`),
    loadOptional(`${SPEAKEASY}/funcs/authValidateApiKey.js`),
    loadOptional(ASCEND),
    loadOptional(`${ASCEND}/core.js`),
    loadOptional(`${ASCEND}/funcs/authenticationListSigningKeys.js`),
  ]);
  return {
    speakeasy: speakeasy && {
      Speakeasy: speakeasy.Speakeasy,
      SpeakeasyCore: speakeasyCore.SpeakeasyCore,
      authValidateApiKey: speakeasyFn.authValidateApiKey,
    },
    ascend: ascend && {
      Apexascend: ascend.Apexascend,
      ApexascendCore: ascendCore.ApexascendCore,
      authenticationListSigningKeys: ascendFn.authenticationListSigningKeys,
    },
  };
}

/** The installed version of each peer (for the report), or nothing when it is not installed. */
export function peerVersions() {
  const require = createRequire(import.meta.url);
  const versions = {};
  for (const name of [SPEAKEASY, ASCEND]) {
    try {
      versions[name] = require(`${name}/package.json`).version;
    } catch {}
  }
  return versions;
}

/** A standalone function's `Result`: its value, or its error thrown (a failed call must not be timed). */
function unwrap(result) {
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * The peers' contenders per scenario, each checked once against the mock first: same workspace, same
 * 100 key ids as our SDK gets, so a peer that silently failed or parsed nothing is never timed.
 */
export async function peerContenders(server, peers) {
  const { auth, iam } = server.credentials;
  const out = { validateApiKey: {}, listSigningKeys: {} };
  if (peers?.speakeasy) {
    const { Speakeasy, SpeakeasyCore, authValidateApiKey } = peers.speakeasy;
    // Global security `{ apiKey }`: the SDK sends it as `x-api-key`, as the spec's first scheme says.
    const options = { serverURL: server.url, security: { apiKey: auth.apiKey } };
    const client = new Speakeasy(options);
    const core = new SpeakeasyCore(options);
    out.validateApiKey[PEER.speakeasy] = () => client.auth.validateApiKey();
    out.validateApiKey[PEER.speakeasyStandalone] = async () => unwrap(await authValidateApiKey(core));
    for (const call of Object.values(out.validateApiKey)) {
      const details = await call();
      if (details.workspaceId !== auth.workspaceId || details.orgSlug !== auth.orgSlug) {
        throw new Error("peer Speakeasy: validateApiKey did not return the seeded workspace");
      }
    }
  }
  if (peers?.ascend) {
    const { Apexascend, ApexascendCore, authenticationListSigningKeys } = peers.ascend;
    // The operation's own security is `{ apiKeyAuth }` (sent as `x-api-key`), as its docs show. But the
    // SDK's one registered hook (hooks/apexaccesstokenhook.js) runs before every request and throws
    // "apiKey is not defined" unless the security it is handed also has `apiKey` and
    // `serviceAccountCreds`: it then mints a service-account token (POST generateAccessToken, cached
    // per client for max(expires_in - 3600, 60) s, i.e. 60 s against the mock's 3600 s tokens) and sends
    // it as a bearer beside the key. So it gets the mock's seeded service account too.
    const security = { apiKeyAuth: iam.apiKey, apiKey: iam.apiKey, serviceAccountCreds: iam.serviceAccount };
    const client = new Apexascend({ serverURL: server.url });
    const core = new ApexascendCore({ serverURL: server.url });
    const keys = out.listSigningKeys;
    keys[PEER.ascend] = async () =>
      (await client.authentication.listSigningKeys(security, 100)).listSigningKeysResponse;
    keys[PEER.ascendStandalone] = async () =>
      unwrap(await authenticationListSigningKeys(core, security, 100)).listSigningKeysResponse;
    for (const call of Object.values(keys)) {
      const page = await call();
      if (page?.keys?.length !== 100 || typeof page.nextPageToken !== "string") {
        throw new Error("peer Apexascend: listSigningKeys did not return a full page of 100 keys");
      }
    }
  }
  return out;
}
