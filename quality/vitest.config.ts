import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../vitest.shared.ts";

// Forks with --expose-gc: the soak test compares the heap after forced collections.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      pool: "forks",
      execArgv: ["--expose-gc"],
      testTimeout: 60_000,
    },
  }),
);
