// Measures the mock's memory under 1,500 POSTs of 1 MiB (the body limit): the request log is a ring of
// small entries, so RSS must level off. Prints figures; asserts nothing about time.
// Usage (after `pnpm --filter @sdk/mock-api build`): node --expose-gc scripts/log-memory.mjs [count]
import { startMockApi } from "../dist/index.js";

const count = Number(process.argv[2] ?? 1500);
const server = await startMockApi();
const body = JSON.stringify({ jws: "x".repeat(1024 * 1024 - 20) }); // 1 MiB, the largest accepted
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
globalThis.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
for (let i = 0; i < count; i++) {
  const r = await fetch(`${server.url}/iam/v1/serviceAccounts:generateAccessToken`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": server.credentials.iam.apiKey },
    body,
  });
  await r.arrayBuffer();
  if (i % 100 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
globalThis.gc?.();
const after = process.memoryUsage().rss;
peak = Math.max(peak, after);
console.log(
  JSON.stringify({
    posts: count,
    bodyBytes: Buffer.byteLength(body),
    logEntries: server.requests.length,
    rssBefore: mb(before),
    rssAfter: mb(after),
    rssPeak: mb(peak),
    growth: mb(after - before),
    peakGrowth: mb(peak - before),
  }),
);
await server.close();
