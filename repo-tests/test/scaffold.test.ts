// CONTRIBUTING.md's "Add an operation" kept honest: scripts/scaffold-operation.mjs adds an operation to a
// temporary copy of the repository's spec and @sdk/auth, and the copy must then pass biome, both
// typechecks, the build, its API report and the conformance test (which finds the new operation in the
// spec and calls it on @sdk/mock-api). The worked example in CONTRIBUTING.md must be what the script writes.
import { cpSync, readFileSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, removeDir, runOk, tempDir } from "./support/workspace.ts";

const NAME = "getWidget";
const PATH = "/v1/widgets/{widget_id}";
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
const SKIP = new Set(["node_modules", "dist", "test-results", ".turbo", "etc"]);

let copy: string;
let pkg: string;
let scaffolded: string;
beforeAll(async () => {
  copy = tempDir("scaffold");
  pkg = join(copy, "packages", "auth");
  for (const file of [
    "package.json",
    ".gitignore",
    "tsconfig.base.json",
    "tsdown.base.ts",
    "vitest.shared.ts",
    "biome.json",
  ]) {
    cpSync(join(ROOT, file), join(copy, file));
  }
  cpSync(join(ROOT, "spec"), join(copy, "spec"), { recursive: true });
  cpSync(join(ROOT, "scripts"), join(copy, "scripts"), { recursive: true });
  cpSync(join(ROOT, "packages/auth"), pkg, {
    recursive: true,
    filter: (src) => !SKIP.has(relative(join(ROOT, "packages/auth"), src).split(/[\\/]/)[0]!),
  });
  // Dependencies as installed: the workspace packages resolve to their builds in this repository.
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
  symlinkSync(join(ROOT, "packages/auth/node_modules"), join(pkg, "node_modules"), "dir");
  scaffolded = await runOk(
    process.execPath,
    [
      join(copy, "scripts/scaffold-operation.mjs"),
      "--root",
      copy,
      "--package",
      "auth",
      "--name",
      NAME,
      "--path",
      PATH,
    ],
    { cwd: copy },
  );
  // As CONTRIBUTING.md says: format what was written.
  await runOk(bin("biome"), ["check", "--write", "packages/auth/src"], { cwd: copy });
}, 60_000);
afterAll(() => removeDir(copy));

// About a minute on an idle machine; the timeout leaves room for a loaded CI runner.
describe("scripts/scaffold-operation.mjs on a copy of @sdk/auth", { timeout: 240_000 }, () => {
  it("writes the worked example of CONTRIBUTING.md, verbatim", () => {
    expect(scaffolded).toContain(`scaffolded ${NAME}`);
    const contributing = readFileSync(join(ROOT, "CONTRIBUTING.md"), "utf8");
    const written = readFileSync(join(pkg, "src/operations/get-widget.ts"), "utf8");
    expect(contributing).toContain(`\`\`\`ts\n${written}\`\`\``);
    const models = readFileSync(join(pkg, "src/models.ts"), "utf8");
    expect(contributing).toContain(`\`\`\`ts\n${models.slice(models.indexOf("/** A widget. */"))}\`\`\``);
    const spec = readFileSync(join(copy, "spec/auth.openapi.yaml"), "utf8");
    const path = spec.slice(spec.indexOf(`  ${PATH}:`), spec.indexOf("components:"));
    expect(contributing).toContain(`\`\`\`yaml\n${path}\`\`\``);
  });

  // The source typecheck only: tsconfig.json adds the tests, which the scaffold does not touch (and it
  // takes the longest).
  it("leaves a package that passes biome, the source typecheck and the build", async () => {
    await runOk(bin("biome"), ["check", "packages/auth"], { cwd: copy });
    await runOk(bin("tsc"), ["-p", "tsconfig.src.json"], { cwd: pkg });
    await runOk(bin("tsdown"), [], { cwd: pkg });
    const api = await import(join(pkg, "dist/index.js"));
    expect(typeof api.AuthClient.prototype[NAME]).toBe("function");
    expect(typeof api[NAME]).toBe("function");
  });

  it("whose API report shows the new operation", async () => {
    await runOk(process.execPath, [join(copy, "scripts/api-report.mjs"), "--update", pkg], { cwd: copy });
    const report = readFileSync(join(pkg, "etc/auth.api.md"), "utf8");
    expect(report).toMatch(/export function getWidget\(client: AuthCore, input: GetWidgetInput/);
    expect(report).toMatch(/export interface Widget \{/);
  });

  it("and whose conformance test checks it against the spec and the mock", async () => {
    const out = await runOk(bin("vitest"), ["run", "test/conformance.test.ts", "--reporter=verbose"], {
      cwd: pkg,
    });
    expect(out).toContain("'getWidget' → 'getWidget'");
    expect(out).not.toMatch(/\bfailed\b/);
  });
});
