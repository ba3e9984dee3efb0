import { defineConfig } from "vitest/config";

// One vitest setup for every package: each package's vitest.config.ts re-exports this.
// The JSON report feeds scripts/summary.mjs, which prints the "N passed, N failed" line CI reads.
// No `typecheck`: vitest's tsc mode prints an "experimental feature" warning in every package on every
// run. The type tests (test/*.test-d.ts, `expectTypeOf`) are compiled instead by each package's
// `pnpm typecheck` (`tsc -p tsconfig.json`, whose `include` covers test/): a wrong type fails it there.
// repo-tests/test/tooling.test.ts keeps both true.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
