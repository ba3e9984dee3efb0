import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "neutral",
  target: "es2022",
  sourcemap: false,
  clean: true,
  // ofetch's platform-neutral core is bundled (it is a devDependency): its Node entry imports
  // node-fetch-native, ~30 ms of cold import, only to polyfill the fetch Node 20+ already has.
  noExternal: ["ofetch", "ufo", "destr"],
});
