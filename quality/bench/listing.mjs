// Listing 100,000 signing keys through the async iterator (pageSize 1000): time per key against a raw
// fetch page loop, and heap: retained after GC, sampled peaks, and a run in a capped old space.
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { HarnessClient } from "./harness.mjs";
import { median, round, table } from "./lib.mjs";
import { startMockProcess } from "./mock-process.mjs";

const PAGE_SIZE = 1000;
const MB = 1024 * 1024;
/** Old-space limit of the bounded run: 100,000 parsed keys alone take more than this. */
const BOUNDED_OLD_SPACE_MB = 32;

/** Lists every key in a child process whose old space is capped; resolves with what it reports. */
async function boundedListing(server) {
  const script = new URL("./listing-bounded.mjs", import.meta.url).pathname;
  const args = [`--max-old-space-size=${BOUNDED_OLD_SPACE_MB}`, script, server.url];
  args.push(server.credentials.iam.apiKey, String(PAGE_SIZE));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: MB });
    return { ok: true, ...JSON.parse(stdout) };
  } catch (error) {
    return { ok: false, error: String(error.message).split("\n")[0] };
  }
}

async function rawListing(server) {
  let count = 0;
  let token;
  do {
    const query = `page_size=${PAGE_SIZE}${token ? `&page_token=${encodeURIComponent(token)}` : ""}`;
    const response = await fetch(`${server.url}/iam/v1/keys?${query}`, {
      headers: { accept: "application/json", "x-api-key": server.credentials.iam.apiKey },
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const page = await response.json();
    for (const key of page.keys) if (key.kid) count++;
    token = page.next_page_token;
  } while (token);
  return count;
}

async function iterate(list, onKey) {
  let count = 0;
  for await (const key of list()) {
    if (key.kid) count++;
    onKey?.(count);
  }
  return count;
}

/** `keys` and `passes` are smaller only in the smoke run (`run.mjs --smoke`). */
export async function benchListing(sdks, { keys = 100_000, passes = 3 } = {}) {
  // Heap windows: tenths of the listing (10,000 keys each for 100,000).
  const windowKeys = keys / 10;
  const server = await startMockProcess({ signingKeyCount: keys });
  try {
    const apiKey = server.credentials.iam.apiKey;
    const contenders = { "raw fetch page loop": () => rawListing(server) };
    const harness = new HarnessClient({ serverURL: server.url, security: { apiKey } });
    contenders["@core/http (harness op) for await"] = () =>
      iterate(() => harness.listSigningKeys({ pageSize: PAGE_SIZE }));
    let sdkList = () => harness.listSigningKeys({ pageSize: PAGE_SIZE });
    let sdkName = "@core/http (harness op) for await";
    if (sdks.iam) {
      const client = new sdks.iam.IamClient({ serverURL: server.url, security: { apiKeyAuth: apiKey } });
      sdkList = () => client.listSigningKeys({ pageSize: PAGE_SIZE });
      sdkName = "@sdk/iam for await";
      contenders[sdkName] = () => iterate(sdkList);
    }

    const times = Object.fromEntries(Object.keys(contenders).map((n) => [n, []]));
    for (let pass = 0; pass < passes; pass++) {
      for (const [name, run] of Object.entries(contenders)) {
        globalThis.gc?.();
        const t0 = performance.now();
        const count = await run();
        times[name].push(performance.now() - t0);
        if (count !== keys) throw new Error(`${name} listed ${count} keys, expected ${keys}`);
      }
    }

    // Heap pass: heapUsed sampled every 1,000 keys. Retained memory: after a forced GC at the end of the
    // first window (10k of 100k keys) and at the end. Peak: the highest sample per window, uncapped (a
    // sawtooth: V8 lets garbage pile up until a major GC), and a run in a capped old space
    // (boundedListing). Flat: retained memory does not grow and the capped run lists every key.
    const gc = globalThis.gc ?? (() => {});
    gc();
    const start = process.memoryUsage().heapUsed;
    const windowPeaks = Array.from({ length: 10 }, () => 0);
    let afterFirst = 0;
    await iterate(sdkList, (n) => {
      if (n % 1000 !== 0) return;
      const used = process.memoryUsage().heapUsed;
      const w = Math.min(windowPeaks.length - 1, Math.floor((n - 1) / windowKeys));
      windowPeaks[w] = Math.max(windowPeaks[w], used);
      if (n === windowKeys) {
        gc();
        afterFirst = process.memoryUsage().heapUsed;
      }
    });
    gc();
    const afterAll = process.memoryUsage().heapUsed;
    const bounded = sdks.iam ? await boundedListing(server) : undefined;
    const windowLabel = `${(windowKeys / 1000).toLocaleString("en")}k`;

    const results = { keys, pageSize: PAGE_SIZE, contenders: {}, heap: {} };
    const base = median(times["raw fetch page loop"]);
    for (const [name, samples] of Object.entries(times)) {
      const ms = median(samples);
      results.contenders[name] = {
        totalMs: round(ms, 0),
        nsPerKey: Math.round((ms * 1e6) / keys),
        ratio: round(ms / base, 3),
      };
    }
    results.heap = {
      measured: sdkName,
      startMB: round(start / MB, 1),
      windowKeys,
      afterGcFirstWindowMB: round(afterFirst / MB, 1),
      afterGcEndMB: round(afterAll / MB, 1),
      peakPerWindowMB: windowPeaks.map((p) => round(p / MB, 1)),
      retainedGrowthMB: round((afterAll - afterFirst) / MB, 2),
      boundedRun: bounded && { oldSpaceLimitMB: BOUNDED_OLD_SPACE_MB, ...bounded },
      flat: afterAll - afterFirst < 2 * MB && (bounded?.ok ?? true) && (bounded?.count ?? keys) === keys,
    };
    const rows = Object.entries(results.contenders).map(([name, r]) => ({ name, ...r }));
    const t = table(
      `list ${keys.toLocaleString("en")} signing keys, pageSize ${PAGE_SIZE} (median of ${passes})`,
      rows,
      [
        { label: "contender", value: (r) => r.name },
        { label: "total ms", value: (r) => r.totalMs },
        { label: "ns/key", value: (r) => r.nsPerKey },
        { label: "× raw fetch", value: (r) => r.ratio.toFixed(2) },
      ],
    );
    const h = results.heap;
    const b = h.boundedRun;
    const boundedText = !b
      ? ""
      : b.ok
        ? `; with the old space capped at ${b.oldSpaceLimitMB} MB: ${b.count.toLocaleString("en")} keys listed, peak ${b.peakMB} MB`
        : `; with the old space capped at ${b.oldSpaceLimitMB} MB: FAILED (${b.error})`;
    const heapLine = `heap (${h.measured}): after GC ${h.afterGcFirstWindowMB} MB at ${windowLabel} keys → ${h.afterGcEndMB} MB at ${(keys / 1000).toLocaleString("en")}k keys; peak per ${windowLabel} keys, uncapped [${h.peakPerWindowMB.join(", ")}] MB (garbage awaiting a major GC)${boundedText} — ${h.flat ? "flat ✓" : "GROWS ✗"}`;
    console.log(heapLine);
    return { results, table: `${t}\n\n${heapLine}` };
  } finally {
    await server.close();
  }
}
