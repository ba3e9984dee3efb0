import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// README examples are type-checked: each ```ts block lives verbatim in examples/*.ts, which
// tsconfig.json includes (`pnpm typecheck`), with `@sdk/iam` mapped to src/.

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f, text: readFileSync(join(root, "examples", f), "utf8") }));

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
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

  it("documents both operations, the errors and the service-account guide", () => {
    for (const heading of [
      "### generateServiceAccountToken",
      "### listSigningKeys",
      "## Errors",
      "## Configuration",
      "## Service accounts",
      "### Verifying access tokens",
      "### Browsers and edge runtimes",
    ]) {
      expect(readme).toContain(heading);
    }
  });
});
