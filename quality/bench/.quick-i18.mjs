// Quick paired ratios: AuthClient.validateApiKey and IamClient.listSigningKeys vs ofetch + valibot.
import { ofetch } from "ofetch";
import * as v from "valibot";
import { startMockProcess } from "/work/wt/i18/quality/bench/mock-process.mjs";

const auth = await import("@sdk/auth");
const iam = await import("@sdk/iam");
const server = await startMockProcess();
const { auth: a, iam: i } = server.credentials;
const client = new auth.AuthClient({ serverURL: server.url, security: { apiKey: a.apiKey } });
const iclient = new iam.IamClient({ serverURL: server.url, security: { apiKeyAuth: i.apiKey } });
const stackV = () =>
  ofetch(`${server.url}/v1/auth/validate`, {
    headers: { accept: "application/json", "x-api-key": a.apiKey },
  }).then((j) => v.parse(auth.ApiKeyDetailsSchema, j));
const sdkV = () => client.validateApiKey();
const keysSchema = iam.ListSigningKeysResponseSchema ?? iam.SigningKeysPageSchema;
const stackL = () =>
  ofetch(`${server.url}/iam/v1/keys`, {
    query: { page_size: 100 },
    headers: { accept: "application/json", "x-api-key": i.apiKey },
  }).then((j) => (keysSchema ? v.parse(keysSchema, j) : j));
const sdkL = () => iclient.listSigningKeys({ pageSize: 100 });
async function time(fn, n) {
  const t = performance.now();
  for (let k = 0; k < n; k++) await fn();
  return performance.now() - t;
}
for (const [name, A, B, n] of [
  ["validateApiKey", stackV, sdkV, 150],
  ["listSigningKeys", stackL, sdkL, 60],
]) {
  const ratios = [];
  for (let r = 0; r < 16; r++) {
    const [ta, tb] = r % 2 ? [await time(A, n), await time(B, n)] : [0, 0].map(() => 0);
    if (r % 2 === 0) {
      const tb2 = await time(B, n);
      const ta2 = await time(A, n);
      if (r) ratios.push(tb2 / ta2);
    } else ratios.push(tb / ta);
  }
  ratios.sort((x, y) => x - y);
  console.log(
    name,
    "median ratio SDK / (ofetch+valibot):",
    ratios[ratios.length >> 1].toFixed(3),
    "schema:",
    Boolean(keysSchema),
  );
}
await server.close();
