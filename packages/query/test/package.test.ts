// What the package ships: each entry's exports, and that each entry loads only its own SDK, so
// `@sdk/query/iam` works with @sdk/iam alone installed (and the reverse).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** Every module specifier a built file imports or requires (following its own chunks). */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(file)) return out;
  seen.add(file);
  const text = readFileSync(join(ROOT, "dist", file), "utf8");
  for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|require\(\s*|import\s+)["']([^"']+)["']/g)) {
    const spec = m[1]!;
    // A declaration file names its chunk by the JS file it describes: core-x.js -> core-x.d.ts.
    const local = file.endsWith(".d.ts")
      ? spec.slice(2).replace(/\.js$/, ".d.ts")
      : file.endsWith(".d.cts")
        ? spec.slice(2).replace(/\.cjs$/, ".d.cts")
        : spec.slice(2);
    if (spec.startsWith("./")) for (const s of importsOf(local, seen)) out.add(s);
    else out.add(spec);
  }
  return out;
}

describe("entries", () => {
  it.each([
    ["index.js", []],
    ["index.cjs", []],
    ["auth.js", ["@sdk/auth"]],
    ["auth.cjs", ["@sdk/auth"]],
    ["iam.js", ["@sdk/iam"]],
    ["iam.cjs", ["@sdk/iam"]],
  ])("dist/%s loads only %j at runtime (not the other SDK, not @tanstack/query-core)", (file, expected) => {
    expect([...importsOf(file)].sort()).toEqual(expected);
  });

  it("the declarations name the SDK of their entry only", () => {
    for (const [entry, own, other] of [
      ["auth", "@sdk/auth", "@sdk/iam"],
      ["iam", "@sdk/iam", "@sdk/auth"],
    ] as const) {
      for (const ext of ["d.ts", "d.cts"]) {
        const specs = importsOf(`${entry}.${ext}`);
        expect(specs, `${entry}.${ext}`).toContain(own);
        expect(specs, `${entry}.${ext}`).not.toContain(other);
      }
    }
  });

  it("export these names, the same from ESM and CommonJS", async () => {
    const require = createRequire(import.meta.url);
    const names = async (sub: string) => {
      const esm = Object.keys(await import(`@sdk/query${sub}`)).sort();
      const cjs = Object.keys(require(`@sdk/query${sub}`))
        .filter((k) => k !== "__esModule")
        .sort();
      expect(cjs, sub).toEqual(esm);
      return esm;
    };
    expect(await names("")).toEqual(["keyServer"]);
    expect(await names("/auth")).toEqual([
      "authQueryKey",
      "getAccessMutationOptions",
      "getAccessQueryOptions",
      "getAccessTokenMutationOptions",
      "getUserQueryOptions",
      "validateApiKeyQueryOptions",
    ]);
    expect(await names("/iam")).toEqual([
      "generateServiceAccountTokenMutationOptions",
      "iamQueryKey",
      "listSigningKeysInfiniteQueryOptions",
      "listSigningKeysQueryOptions",
    ]);
  });
});

describe("package.json", () => {
  it("@tanstack/query-core is a peer; the SDKs are optional peers (install only the one you use)", () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([
      "@sdk/auth",
      "@sdk/iam",
      "@tanstack/query-core",
    ]);
    expect(pkg.peerDependencies["@tanstack/query-core"]).toMatch(/^\^5\./);
    expect(pkg.peerDependenciesMeta).toEqual({
      "@sdk/auth": { optional: true },
      "@sdk/iam": { optional: true },
    });
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});
