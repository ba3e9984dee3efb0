// Sums the vitest JSON reports of every workspace package into the one closing line CI reads.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const roots = ["packages", "apps", "repo-tests"].filter((d) => existsSync(d));
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const root of roots) {
  const dirs = root === "repo-tests" ? ["."] : readdirSync(root);
  for (const dir of dirs) {
    const file = join(root, dir, "test-results", "vitest.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    rows.push(`${join(root, dir).padEnd(24)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  }
}
console.log(rows.join("\n"));
if (passed + failed === 0) {
  console.log("no test reports found");
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
