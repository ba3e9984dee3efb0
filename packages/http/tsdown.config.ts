import { defineConfig } from "tsdown";
import { baseConfig } from "../../tsdown.base.ts";

export default defineConfig({
  ...baseConfig,
  // ofetch's platform-neutral core is bundled (it is a devDependency): its Node entry imports
  // node-fetch-native, ~30 ms of cold import, only to polyfill the fetch Node 20+ already has.
  noExternal: ["ofetch", "ufo", "destr"],
});
