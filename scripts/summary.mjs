// Sums the vitest JSON reports of every workspace package into the one closing line CI reads.
// Packages come from pnpm-workspace.yaml (`dir/*` globs and plain dirs such as `quality`, `repo-tests`).
// scripts/test.mjs deletes every */test-results first, so only this run's reports (fresh, or restored
// by turbo from its cache) are counted. A package with a `test` script but no report (its test did
// not run, or crashed before reporting) is listed and makes the exit code non-zero.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export function workspaceDirs(root = ".") {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const globs = [];
  let inPackages = false;
  for (const line of yaml.split("\n")) {
    if (/^\S/.test(line)) inPackages = /^packages\s*:/.test(line);
    const item = inPackages && line.match(/^\s+-\s+["']?([^"'#]+?)["']?\s*(#.*)?$/);
    if (item) globs.push(item[1].replace(/\/$/, ""));
  }
  const dirs = [];
  for (const glob of globs) {
    if (glob.startsWith("!")) continue;
    if (glob.endsWith("/*")) {
      const parent = glob.slice(0, -2);
      if (!existsSync(join(root, parent))) continue;
      for (const name of readdirSync(join(root, parent)).sort()) {
        const dir = join(parent, name);
        if (statSync(join(root, dir)).isDirectory() && existsSync(join(root, dir, "package.json")))
          dirs.push(dir);
      }
    } else if (existsSync(join(root, glob, "package.json"))) {
      dirs.push(glob);
    }
  }
  return dirs;
}

function main() {
  // --allow-missing: a filtered run (`pnpm test -- --filter=…`); packages without a report are listed only.
  const allowMissing = process.argv.includes("--allow-missing");
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const missing = [];
  const broken = [];
  const rows = [];
  for (const dir of workspaceDirs()) {
    const file = join(dir, "test-results", "vitest.json");
    if (!existsSync(file)) {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.scripts?.test) {
        missing.push(dir);
        if (!allowMissing) rows.push(`${dir.padEnd(24)} no report (its test did not run or crashed)`);
      }
      continue;
    }
    let report;
    try {
      report = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      broken.push(dir);
      rows.push(`${dir.padEnd(24)} unreadable report ${file}`);
      continue;
    }
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A test file that fails to load (syntax error, failing hook) fails the run without failing a test.
    const note = report.numFailedTests === 0 && report.numFailedTestSuites > 0 ? " (a test file failed)" : "";
    if (note) broken.push(dir);
    rows.push(`${dir.padEnd(24)} ${report.numPassedTests} passed, ${report.numFailedTests} failed${note}`);
  }
  console.log(rows.join("\n"));
  if (passed + failed === 0) {
    console.log("0 passed, 0 failed, no test reports found");
    process.exit(1);
  }
  const extra = [
    skipped ? `${skipped} skipped` : "",
    missing.length && !allowMissing ? `${missing.length} without report` : "",
    broken.length ? `${broken.length} with a failed test file or unreadable report` : "",
  ];
  console.log([`${passed} passed, ${failed} failed`, ...extra.filter(Boolean)].join(", "));
  process.exit(failed > 0 || (missing.length > 0 && !allowMissing) || broken.length > 0 ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
