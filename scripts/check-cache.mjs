// Turbo cache check: runs `turbo run build typecheck lint:pkg` twice; the second run must be all cache
// hits (FULL TURBO). A miss means a task's inputs changed under it (it writes into its own inputs, or
// reads something undeclared that changes between runs): the misses are listed with the input files
// and environment variables whose hashes differ between the two runs.
//   node scripts/check-cache.mjs [extra turbo args, e.g. --filter=@sdk/iam]
// Also run by repo-tests when RUN_CACHE_CHECK=1 (slow: a cold first run builds and checks everything).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runsDir = join(root, ".turbo", "runs");
const tasks = ["build", "typecheck", "lint:pkg"];
const extra = process.argv.slice(2).filter((arg) => arg !== "--");
const listRuns = () => (existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith(".json")) : []);

function turboRun(label) {
  const before = new Set(listRuns());
  const args = ["run", ...tasks, "--output-logs=none", "--continue", "--summarize", ...extra];
  console.log(`check-cache: ${label}: turbo ${args.join(" ")}`);
  const result = spawnSync(join(root, "node_modules", ".bin", "turbo"), args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const created = listRuns().filter((f) => !before.has(f));
  if (created.length !== 1) {
    process.stdout.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    console.error(`check-cache: expected one new run summary in ${runsDir}, found ${created.length}`);
    process.exit(1);
  }
  const summary = JSON.parse(readFileSync(join(runsDir, created[0]), "utf8"));
  return { summary, code: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

const first = turboRun("run 1");
const failed = first.summary.tasks.filter((t) => t.execution?.exitCode !== 0);
if (first.code !== 0 || failed.length > 0) {
  console.error(
    `check-cache: run 1 failed (${failed.map((t) => t.taskId).join(", ") || `exit ${first.code}`}); ` +
      "failed tasks are never cached, fix them first:",
  );
  console.error(first.output.trim().split("\n").slice(-20).join("\n"));
  process.exit(1);
}

const second = turboRun("run 2");
const all = second.summary.tasks;
const misses = all.filter((t) => t.cache?.status !== "HIT");
const byId = new Map(first.summary.tasks.map((t) => [t.taskId, t]));
for (const task of misses) {
  const before = byId.get(task.taskId);
  const changedInputs = Object.keys({ ...before?.inputs, ...task.inputs }).filter(
    (file) => before?.inputs?.[file] !== task.inputs?.[file],
  );
  const envBefore = JSON.stringify(before?.environmentVariables ?? {});
  const envNow = JSON.stringify(task.environmentVariables ?? {});
  console.error(
    `check-cache: MISS ${task.taskId} (hash ${before?.hash} → ${task.hash})` +
      (changedInputs.length ? `\n  inputs changed by run 1: ${changedInputs.join(", ")}` : "") +
      (envBefore !== envNow ? "\n  environment variables differ between the runs" : "") +
      (!before ? "\n  (not part of run 1)" : ""),
  );
}
const cached = all.length - misses.length;
console.log(
  `check-cache: run 2: ${cached}/${all.length} tasks cached${misses.length === 0 ? " (FULL TURBO)" : ""}`,
);
process.exit(misses.length === 0 && second.code === 0 && all.length > 0 ? 0 : 1);
