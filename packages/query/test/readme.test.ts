import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Every ```ts block of this README is compiled alone against the built package by
// repo-tests/test/readme-examples.test.ts; the React example is a ```tsx block (React is not a
// dependency), checked here for the factories it uses.

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

describe("README", () => {
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
