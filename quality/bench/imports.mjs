// Cold import time: `await import(pkg)` timed inside a fresh Node process (so nothing is cached in
// memory), median of 10 spawns per package, packages interleaved.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, round, table } from "./lib.mjs";

const PACKAGES = ["@sdk/errors", "@core/http", "@sdk/auth", "@sdk/iam", "@sdk/mock-api"];
const CWD = fileURLToPath(new URL("..", import.meta.url));

function timeImport(name) {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(name)}); console.log(performance.now() - t0);`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: CWD,
    encoding: "utf8",
  });
  return Number(out.trim());
}

export async function benchImports(sdks, { spawns: SPAWNS = 10 } = {}) {
  const present = PACKAGES.filter(
    (p) => !(p === "@sdk/auth" && !sdks.auth) && !(p === "@sdk/iam" && !sdks.iam),
  );
  const samples = Object.fromEntries(present.map((p) => [p, []]));
  for (let i = 0; i < SPAWNS; i++) for (const name of present) samples[name].push(timeImport(name));
  const results = {};
  for (const name of present) {
    results[name] = {
      medianMs: round(median(samples[name]), 1),
      minMs: round(Math.min(...samples[name]), 1),
      maxMs: round(Math.max(...samples[name]), 1),
      ...(name === "@sdk/iam" || name === "@sdk/auth" ? { budgetMs: 40 } : {}),
    };
  }
  const rows = Object.entries(results).map(([name, r]) => ({ name, ...r }));
  return {
    results,
    table: table(`cold import (median of ${SPAWNS} fresh processes)`, rows, [
      { label: "package", value: (r) => r.name },
      { label: "median ms", value: (r) => r.medianMs },
      { label: "min ms", value: (r) => r.minMs },
      { label: "max ms", value: (r) => r.maxMs },
      {
        label: "budget",
        value: (r) => (r.budgetMs ? `≤ ${r.budgetMs} ms ${r.medianMs <= r.budgetMs ? "✓" : "✗"}` : ""),
      },
    ]),
  };
}
