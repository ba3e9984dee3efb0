// The README must stay true: every tool, variable and flag the server has is documented there.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV } from "../src/config.js";
import { TOOLS } from "../src/tools.js";
import { run } from "./helpers.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it.each(TOOLS.map((tool) => [tool.name, tool] as const))(
    "documents the tool %s and its access",
    (name, tool) => {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `a table row for ${name}`).toBeDefined();
      expect(row).toContain(tool.access === "mint" ? "--allow-token-minting" : "| read");
    },
  );

  it("documents every environment variable and every flag of --help", () => {
    for (const name of Object.values(ENV)) expect(readme).toContain(`| \`${name}\` |`);
    const flags = run(["--help"]).stdout.match(/--[a-z][a-z-]+/g) ?? [];
    expect(flags.length).toBeGreaterThan(3);
    for (const flag of new Set(flags)) expect(readme).toContain(flag);
  }, 60_000); // spawns the bin: slow on a loaded machine
});
