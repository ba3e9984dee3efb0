import { defineConfig } from "vitest/config";

// One vitest setup for every package: each package's vitest.config.ts re-exports this.
// The JSON report feeds scripts/summary.mjs, which prints the "N passed, N failed" line CI reads.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
