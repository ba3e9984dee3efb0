// Where the client's time goes: a CPU profile (inspector, in this process) of the hot path — calls
// through our client at concurrency 16 — written as a .cpuprofile (open it in Chrome DevTools), then
// summarized by package and by function (self time).
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { HarnessClient } from "./harness.mjs";
import { round, runPool, table } from "./lib.mjs";

function categoryOf(url, fn) {
  if (fn === "(garbage collector)") return "GC";
  if (fn === "(idle)") return "idle";
  if (fn === "(program)" || fn === "(root)") return "V8 (program)";
  if (url.includes("/packages/http/")) return "@core/http";
  if (url.includes("/packages/errors/")) return "@sdk/errors";
  if (url.includes("/packages/auth/")) return "@sdk/auth";
  if (url.includes("/packages/iam/")) return "@sdk/iam";
  if (url.includes("/valibot/")) return "valibot";
  if (/\/(ofetch|ufo|destr|node-fetch-native)\//.test(url)) return "ofetch + ufo + destr";
  if (url.includes("node:internal/deps/undici")) return "undici (fetch)";
  if (url.startsWith("node:")) return "Node internals";
  if (url.includes("/quality/bench/")) return "bench loop";
  return url ? "other JS" : "native / builtins";
}

const OURS = new Set([
  "@core/http",
  "@sdk/errors",
  "@sdk/auth",
  "@sdk/iam",
  "valibot",
  "ofetch + ufo + destr",
]);

export function summarize(profile) {
  const total = profile.endTime - profile.startTime; // µs
  const samples = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const perSample = total / Math.max(1, samples);
  const byCategory = new Map();
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const self = (node.hitCount ?? 0) * perSample;
    if (!self) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const category = categoryOf(url, functionName);
    byCategory.set(category, (byCategory.get(category) ?? 0) + self);
    if (!OURS.has(category)) continue;
    const file = url.slice(
      url.lastIndexOf("/node_modules/") >= 0
        ? url.lastIndexOf("/node_modules/") + 14
        : url.indexOf("/packages/") + 1,
    );
    const key = `${functionName || "(anonymous)"}  ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + self);
  }
  const busy = total - (byCategory.get("idle") ?? 0);
  const categories = [...byCategory]
    .filter(([c]) => c !== "idle")
    .sort((a, b) => b[1] - a[1])
    .map(([category, us]) => ({ category, ms: round(us / 1000, 1), share: round((100 * us) / busy, 1) }));
  const functions = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([fn, us]) => ({ fn, ms: round(us / 1000, 1), share: round((100 * us) / busy, 1) }));
  return { totalMs: round(total / 1000, 0), busyMs: round(busy / 1000, 0), categories, functions };
}

export async function profileHotPath(server, sdks, file, { validateCalls = 4000, listCalls = 1000 } = {}) {
  const { auth, iam } = server.credentials;
  const validate = sdks.auth
    ? new sdks.auth.AuthClient({ serverURL: server.url, security: { apiKey: auth.apiKey } })
    : new HarnessClient({ serverURL: server.url, security: { apiKey: auth.apiKey } });
  const keys = sdks.iam
    ? new sdks.iam.IamClient({ serverURL: server.url, security: { apiKeyAuth: iam.apiKey } })
    : new HarnessClient({ serverURL: server.url, security: { apiKey: iam.apiKey } });
  const work = async () => {
    await runPool(() => validate.validateApiKey(), validateCalls, 16);
    await runPool(() => keys.listSigningKeys({ pageSize: 100 }), listCalls, 16);
  };
  await work(); // warm up: the profile should show steady state, not compilation

  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  await work();
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  await writeFile(file, JSON.stringify(profile));

  const summary = summarize(profile);
  const label = `${sdks.auth ? "@sdk/auth" : "harness"} validateApiKey ×${validateCalls} + ${sdks.iam ? "@sdk/iam" : "harness"} listSigningKeys ×${listCalls}, concurrency 16`;
  const t1 = table(
    `CPU profile: ${label} — self time by package (busy ${summary.busyMs} ms)`,
    summary.categories,
    [
      { label: "package", value: (r) => r.category },
      { label: "self ms", value: (r) => r.ms },
      { label: "% busy", value: (r) => r.share },
    ],
  );
  const t2 = table("top self-time functions of the code we ship", summary.functions, [
    { label: "function", value: (r) => r.fn },
    { label: "self ms", value: (r) => r.ms },
    { label: "% busy", value: (r) => r.share },
  ]);
  return {
    summary: { ...summary, file: "quality/results/hot-path.cpuprofile", workload: label },
    table: `${t1}\n\n${t2}`,
  };
}
