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

const UFO = "\0ufo-query-only";

/**
 * ofetch imports ufo's `withBase` and `withQuery`. The transport joins the URL itself and never passes
 * `baseURL` to ofetch, so `withBase` (and the URL joining behind it, ~0.3 KB gzipped) is dead code:
 * ofetch's import of ufo gets `withQuery` alone, and a `withBase` that says it is not wired.
 */
function ufoQueryOnly() {
  let ufo: string | undefined;
  return {
    name: "ufo-query-only",
    async resolveId(this: any, id: string, importer?: string) {
      if (id !== "ufo" || !importer?.includes("ofetch")) return null;
      ufo = (await this.resolve(id, importer, { skipSelf: true }))?.id;
      return UFO;
    },
    load: (id: string) =>
      id === UFO
        ? `export { withQuery } from ${JSON.stringify(ufo)};
export function withBase() { throw new Error("@core/http joins the URL itself: ofetch's baseURL is not used"); }`
        : null,
  };
}

export default defineConfig({
  ...baseConfig,
  // ofetch's platform-neutral core is bundled (it is a devDependency): its Node entry imports
  // node-fetch-native, ~30 ms of cold import, only to polyfill the fetch Node 20+ already has.
  noExternal: ["ofetch", "ufo"],
  plugins: [pureTopLevel() as never, destrAsJSONParse() as never, ufoQueryOnly() as never],
});
