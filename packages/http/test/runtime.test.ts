// Runtime code must run in browsers and edge runtimes: no Node built-ins in the published bundles of
// @core/http and @sdk/errors (nor in their sources), and no node-fetch polyfill pulled in.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every module specifier a file imports, statically, dynamically or with require. */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bimport\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+[^'"]*?\s+from\s+["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.add(m[1]!);
  return [...found];
}

const bundles = [
  { pkg: "http", files: ["dist/index.js", "dist/index.cjs"] },
  { pkg: "errors", files: ["dist/index.js", "dist/index.cjs"] },
];

describe.each(bundles)("packages/$pkg bundles", ({ pkg, files }) => {
  const manifest = JSON.parse(readFileSync(join(root, pkg, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const allowed = new Set(Object.keys(manifest.dependencies ?? {}));

  it.each(files)("%s imports no Node built-in and only declared dependencies", (file) => {
    const code = readFileSync(join(root, pkg, file), "utf8");
    const imported = specifiers(code);
    expect(imported.filter((s) => BUILTINS.has(s) || s.startsWith("node:"))).toEqual([]);
    expect(imported.filter((s) => !allowed.has(s) && !s.startsWith("."))).toEqual([]);
    expect(code).not.toMatch(/node-fetch-native|from\s*["']node:|require\(["']node:/);
    // Node-only globals would throw in a browser or an edge runtime.
    expect(code).not.toMatch(/\b(?:process\.(?:env|versions|nextTick)|Buffer\.|__dirname|__filename)\b/);
  });
});

describe("sources", () => {
  it.each(["http", "errors"])("packages/%s/src imports no Node built-in", (pkg) => {
    const dir = join(root, pkg, "src");
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const imported = specifiers(readFileSync(join(dir, name), "utf8"));
      expect(
        imported.filter((s) => BUILTINS.has(s) || s.startsWith("node:")),
        name,
      ).toEqual([]);
    }
  });

  it("the scanner itself finds built-ins (so a clean result means something)", () => {
    const sample = `import { x } from "node:http"; const fs = require("fs"); export * from "./a.js"; await import("crypto");`;
    expect(
      specifiers(sample)
        .filter((s) => BUILTINS.has(s))
        .sort(),
    ).toEqual(["crypto", "fs", "node:http"]);
  });
});
