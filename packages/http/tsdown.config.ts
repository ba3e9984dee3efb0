import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "neutral",
  target: "es2022",
  sourcemap: false,
  clean: true,
  // ofetch's platform-neutral core is bundled: its Node entry pulls node-fetch-native (≈26 ms of
  // import time) only to polyfill a fetch that Node 20+ already has.
  noExternal: ["ofetch", "ufo", "destr"],
});
