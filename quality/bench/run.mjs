// `pnpm --filter @sdk/quality bench`: every benchmark section in one process, against mock APIs
// running in child processes. Prints tables and writes results/bench.json.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { benchImports } from "./imports.mjs";
import { benchListing } from "./listing.mjs";
import { startMockProcess } from "./mock-process.mjs";
import { loadPeers, peerVersions } from "./peers.mjs";
import { profileHotPath } from "./profile.mjs";
import { benchProtected, benchRequests } from "./requests.mjs";
import { loadOptional } from "./sdks.mjs";

const RESULTS = new URL("../results/", import.meta.url);
// `--smoke`: every section with tiny counts, to results/bench-smoke.json: proves the benchmark still
// runs end to end (quality/test/bench-smoke.test.ts); its figures mean nothing.
const smoke = process.argv.includes("--smoke");
// The generated peers join the per-request sections of a full run; a smoke run skips them (their
// imports cost seconds) unless `--peers` is given.
const withPeers = !smoke || process.argv.includes("--peers");
const only = process.argv.slice(2).filter((arg) => !["--", "--smoke", "--peers"].includes(arg));
const wants = (section) => only.length === 0 || only.includes(section);
const size = (full, tiny) => (smoke ? tiny : full);
// The two load shapes every per-request section runs (plain requests and protected calls alike).
const SEQUENTIAL = { concurrency: 1, rounds: size(40, 2), count: size(200, 5), label: "sequential" };
const CONCURRENT = { concurrency: 64, rounds: size(11, 2), count: size(2000, 64), label: "concurrency 64" };

const sdks = { auth: await loadOptional("@sdk/auth"), iam: await loadOptional("@sdk/iam") };
if (withPeers && (wants("sequential") || wants("concurrent"))) sdks.peers = await loadPeers();
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}`,
  sdks: { auth: Boolean(sdks.auth), iam: Boolean(sdks.iam) },
  peers: sdks.peers ? peerVersions() : {},
};
const tables = [];

const server = await startMockProcess();
try {
  if (wants("sequential")) {
    const r = await benchRequests(server, sdks, SEQUENTIAL);
    report.sequential = r.results;
    tables.push(...r.tables);
  }
  if (wants("concurrent")) {
    const r = await benchRequests(server, sdks, CONCURRENT);
    report.concurrency64 = r.results;
    tables.push(...r.tables);
  }
  if (wants("protected")) {
    const seq = await benchProtected(server, sdks, SEQUENTIAL);
    const c64 = await benchProtected(server, sdks, CONCURRENT);
    if (seq) {
      report.protected = { sequential: seq.results, concurrency64: c64.results };
      tables.push(seq.table, c64.table);
    }
  }
  if (wants("profile")) {
    const file = new URL(smoke ? "smoke-hot-path.cpuprofile" : "hot-path.cpuprofile", RESULTS);
    const r = await profileHotPath(server, sdks, file, smoke ? { validateCalls: 40, listCalls: 10 } : {});
    report.profile = r.summary;
    tables.push(r.table);
  }
} finally {
  await server.close();
}

if (wants("imports")) {
  const r = await benchImports(sdks, smoke ? { spawns: 1 } : {});
  report.imports = r.results;
  tables.push(r.table);
}
if (wants("listing")) {
  const r = await benchListing(sdks, smoke ? { keys: 20_000, passes: 1 } : {});
  report.listing = r.results;
  tables.push(r.table);
}

await mkdir(RESULTS, { recursive: true });
const file = smoke ? "bench-smoke.json" : only.length ? `bench-${only.join("-")}.json` : "bench.json";
await writeFile(new URL(file, RESULTS), `${JSON.stringify({ ...report, tables }, null, 2)}\n`);
console.log(`\nwrote quality/results/${file}`);
