// `pnpm test`: the whole suite, as CI runs it.
//   1. turbo run build typecheck lint:pkg test --continue   (every failure shows, not just the first)
//   2. biome check .
//   3. node scripts/summary.mjs — always, even if 1 or 2 failed; its `N passed, N failed` line is the
//      last line printed.
// Exits non-zero if any step failed. Extra arguments go to turbo: `pnpm test -- --filter=@sdk/iam`.
// Every */test-results is deleted first, so the summary counts only this run's vitest reports: fresh ones
// and the ones turbo restores from its cache (`test-results/**` is an output of the test task).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { workspaceDirs } from "./summary.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

for (const dir of workspaceDirs(root))
  rmSync(join(root, dir, "test-results"), { recursive: true, force: true });

const bin = (name) => join(root, "node_modules", ".bin", name);
function step(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root });
  if (result.error) console.error(`${command}: ${result.error.message}`);
  return result.status === 0;
}

const extra = process.argv.slice(2).filter((arg) => arg !== "--");
const turboOk = step(bin("turbo"), ["run", "build", "typecheck", "lint:pkg", "test", "--continue", ...extra]);
const biomeOk = step(bin("biome"), ["check", "."]);
if (!turboOk || !biomeOk) {
  const failed = [!turboOk && "turbo run build typecheck lint:pkg test", !biomeOk && "biome check ."];
  console.log(`\nfailed: ${failed.filter(Boolean).join("; ")}`);
}
// Last: the summary's closing line must be the last line of the run.
// With a --filter (extra args), packages outside it have no report: that is not a failure then.
const summaryArgs = extra.length ? ["--allow-missing"] : [];
const summaryOk = step(process.execPath, [join(root, "scripts", "summary.mjs"), ...summaryArgs]);
process.exit(turboOk && biomeOk && summaryOk ? 0 : 1);
