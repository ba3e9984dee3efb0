import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Every ```ts block is compiled, alone, against the built package by the one README checker of the
// repository (repo-tests/test/readme-examples.test.ts). Here: the README covers what it must.

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("README", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
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
