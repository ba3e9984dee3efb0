// The test tooling stays quiet and complete: no vitest "experimental feature" warning on every run (its
// typecheck mode prints one per package), and the type tests it used to run still fail the build when a
// type is wrong, because each package's `tsc -p tsconfig.json` (`pnpm typecheck`) compiles them.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DIRS = ["packages", "apps"]
  .flatMap((group) => readdirSync(join(ROOT, group)).map((d) => join(group, d)))
  .concat(["repo-tests", "quality"])
  .filter((dir) => existsSync(join(ROOT, dir, "vitest.config.ts")));

function typeTests(dir: string): string[] {
  const test = join(ROOT, dir, "test");
  if (!existsSync(test)) return [];
  return readdirSync(test, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test-d.ts"))
    .map((f) => join(test, f));
}

describe("vitest", { timeout: 60_000 }, () => {
  it.each(DIRS)("%s: typecheck mode is off (it prints a warning on every run)", async (dir) => {
    const config = (await import(pathToFileURL(join(ROOT, dir, "vitest.config.ts")).href)).default;
    expect(config.test?.typecheck?.enabled ?? false).toBe(false);
  });

  it("prints no warning when it runs a package's tests", () => {
    const vitest = join(ROOT, "node_modules", ".bin", "vitest");
    const r = spawnSync(vitest, ["list"], { cwd: join(ROOT, "packages", "errors"), encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("redaction.test.ts");
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/experimental feature/i);
  });

  it("the type tests exist and each package's tsconfig.json (its `pnpm typecheck`) compiles them", () => {
    const covered: string[] = [];
    for (const dir of DIRS) {
      const files = typeTests(dir);
      if (!files.length) continue;
      const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, dir, "tsconfig.json"), undefined, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
      });
      for (const file of files) {
        expect(parsed?.fileNames, file).toContain(file);
        covered.push(file);
      }
    }
    expect(covered.length).toBeGreaterThanOrEqual(3);
  });
});
