// jsr.json of every public package. `deno publish --dry-run` (the `deno` npm package, offline: no jsr.io
// needed for a dry run) runs for @sdk/errors, which imports nothing else. The others import workspace
// packages by their npm names (`@sdk/errors`, `@core/http`), which Deno resolves only from an npm-style
// workspace, and have "slow types" (exported functions without explicit return types): their dry run
// fails today, so for them the file's shape is checked. See CONTRIBUTING.md "Release".
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const DENO = join(import.meta.dirname, "..", "node_modules", ".bin", "deno");
const publicPackages = readdirSync(join(ROOT, "packages"))
  .map((dir) => ({
    dir: join(ROOT, "packages", dir),
    json: JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8")),
  }))
  .filter((p) => !p.json.private);
const DRY_RUN = ["@sdk/errors"];

describe("jsr.json", () => {
  test.each(publicPackages.map((p) => [p.json.name, p] as const))(
    "%s: name, version and license follow package.json; a source entry per export",
    (_, pkg) => {
      const file = join(pkg.dir, "jsr.json");
      expect(existsSync(file), "jsr.json").toBe(true);
      const jsr = JSON.parse(readFileSync(file, "utf8"));
      expect(jsr.name).toBe(pkg.json.name);
      expect(jsr.version, "changeset version does not bump jsr.json: keep it equal to package.json").toBe(
        pkg.json.version,
      );
      expect(jsr.license).toBe(pkg.json.license);
      // Every entry of package.json's exports map (but ./package.json) has its source entry on JSR.
      const subpaths = Object.keys(pkg.json.exports).filter((s) => s !== "./package.json");
      const entries: Record<string, string> =
        typeof jsr.exports === "string" ? { ".": jsr.exports } : (jsr.exports as Record<string, string>);
      expect(Object.keys(entries).sort()).toEqual(subpaths.sort());
      expect(entries["."]).toBe("./src/index.ts");
      for (const file of Object.values(entries)) expect(existsSync(join(pkg.dir, file)), file).toBe(true);
      expect(jsr.publish.include).toEqual(expect.arrayContaining(["src/**/*.ts", "README.md", "LICENSE"]));
    },
  );

  test.each(DRY_RUN)(
    "%s: deno publish --dry-run",
    async (name) => {
      const pkg = publicPackages.find((p) => p.json.name === name)!;
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          DENO,
          ["publish", "--dry-run", "--allow-dirty", "--sloppy-imports"],
          {
            cwd: pkg.dir,
            env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
            timeout: 120_000,
          },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${stdout}\n${stderr}`)) : resolve(`${stdout}\n${stderr}`),
        ),
      );
      expect(output).toContain(`Simulating publish of ${name}@${pkg.json.version}`);
      expect(output).toContain("Dry run complete");
      expect(output).not.toMatch(/\/test\//);
    },
    150_000,
  );
});
