// Child process of listing.mjs: lists every key through the SDK's async iterator in a deliberately
// small old space (--max-old-space-size). All the keys would not fit in it: finishing proves the
// iterator keeps no more than a page or so, whatever the number of keys.
import { IamClient } from "@sdk/iam";

const [url, apiKey, pageSize] = process.argv.slice(2);
const client = new IamClient({ serverURL: url, security: { apiKeyAuth: apiKey } });
let count = 0;
let peak = 0;
for await (const key of client.listSigningKeys({ pageSize: Number(pageSize) })) {
  if (key.kid) count++;
  if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
}
process.stdout.write(JSON.stringify({ count, peakMB: Math.round((peak / 1024 / 1024) * 10) / 10 }));
