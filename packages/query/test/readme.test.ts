import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// README examples are type-checked: each ```ts block lives verbatim in examples/*.ts, which
// tsconfig.json includes (`pnpm typecheck`), with `@sdk/query/*` mapped to src/. The React example
// is a ```tsx block (React is not a dependency), checked here for the factories it uses.

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f, text: readFileSync(join(root, "examples", f), "utf8") }));

describe("README examples", () => {
  it("has one per example file", () => {
    expect(blocks.length).toBe(examples.length);
  });

  it.each(blocks.map((block, i) => [i + 1, block.split("\n")[0], block]))(
    "block %i (%s) appears verbatim in examples/",
    (_i, _first, block) => {
      expect(examples.some((e) => e.text.includes(block))).toBe(true);
    },
  );

  it("every example file is shown in the README", () => {
    for (const { file, text } of examples) {
      const shown = text.includes("// ---- README ----\n") ? text.split("// ---- README ----\n")[1]! : text;
      expect(readme, file).toContain(shown.trimEnd());
    }
  });

  it("names every factory the package exports", async () => {
    const names = [
      ...Object.keys(await import("@sdk/query/auth")),
      ...Object.keys(await import("@sdk/query/iam")),
    ];
    for (const name of names) expect(readme, name).toContain(name);
  });

  it("has a React example with useQuery and useInfiniteQuery", () => {
    const tsx = readme.match(/```tsx\n([\s\S]*?)```/)?.[1] ?? "";
    expect(tsx).toContain("useQuery(getUserQueryOptions(auth))");
    expect(tsx).toContain("useInfiniteQuery(listSigningKeysInfiniteQueryOptions(iam");
  });
});
