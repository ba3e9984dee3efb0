import { defineConfig } from "tsdown";
import { baseConfig, pureTopLevel } from "../../tsdown.base.ts";

const DESTR = "\0destr-json-parse";

/**
 * ofetch parses JSON responses with destr, a tolerant parser (1.2 KB minified). This transport never
 * asks ofetch to parse (it reads text and parses it itself, with typed errors), so destr is dead code
 * in every app bundle: it is replaced by what destr does for text that is not JSON, in one line.
 */
function destrAsJSONParse() {
  return {
    name: "destr-as-json-parse",
    resolveId: (id: string) => (id === "destr" ? DESTR : null),
    load: (id: string) =>
      id === DESTR
        ? "export default function destr(text) { try { return JSON.parse(text); } catch { return text; } }"
        : null,
  };
}

export default defineConfig({
  ...baseConfig,
  // ofetch's platform-neutral core is bundled (it is a devDependency): its Node entry imports
  // node-fetch-native, ~30 ms of cold import, only to polyfill the fetch Node 20+ already has.
  noExternal: ["ofetch", "ufo"],
  plugins: [pureTopLevel() as never, destrAsJSONParse() as never],
});
