import { defineConfig } from "tsdown";

export default defineConfig({
  // cli.ts keeps its `#!/usr/bin/env node` line; the shared code lands in a chunk both entries import.
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "node",
  target: "node20",
  sourcemap: false,
  clean: true,
});
