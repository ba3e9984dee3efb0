// Turbo caching: the task definitions that make `pnpm test` cacheable and correct (inputs, outputs,
// order), and, with RUN_CACHE_CHECK=1, the real thing: scripts/check-cache.mjs runs
// `turbo run build typecheck lint:pkg` twice and requires the second run to be all cache hits.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, readJson, runOk, workspacePackages } from "./support/workspace.ts";

type Task = { dependsOn?: string[]; inputs?: string[]; outputs?: string[]; env?: string[]; cache?: boolean };
type TurboJson = { extends?: string[]; tasks?: Record<string, Task> };

const rootTurbo = readJson<TurboJson>(join(ROOT, "turbo.json"));
const CHECKED = ["build", "typecheck", "lint:pkg", "test"];

function rootProblems(turbo: TurboJson): string[] {
  const problems: string[] = [];
  const tasks = turbo.tasks ?? {};
  for (const name of CHECKED) {
    const task = tasks[name];
    if (!task) {
      problems.push(`${name}: not defined`);
      continue;
    }
    if (task.cache === false) problems.push(`${name}: cache disabled`);
    if (!task.inputs?.length) problems.push(`${name}: no inputs (every file of the package would be hashed)`);
    if (!Array.isArray(task.outputs)) problems.push(`${name}: no outputs declared`);
  }
  const has = (name: string, key: keyof Task, value: string) =>
    (tasks[name]?.[key] as string[] | undefined)?.includes(value);
  if (!has("build", "outputs", "dist/**")) problems.push(`build: outputs must include "dist/**"`);
  if (!has("build", "dependsOn", "^build")) problems.push(`build: must depend on "^build"`);
  if (!has("typecheck", "dependsOn", "^build")) problems.push(`typecheck: must depend on "^build"`);
  if (!has("lint:pkg", "dependsOn", "build")) problems.push(`lint:pkg: must depend on "build"`);
  if (!has("lint:pkg", "inputs", "dist/**")) problems.push(`lint:pkg: inputs must include "dist/**"`);
  if (!has("test", "dependsOn", "build")) problems.push(`test: must depend on "build"`);
  if (!has("test", "outputs", "test-results/**"))
    problems.push(`test: outputs must include "test-results/**"`);
  if (!has("test", "env", "CI")) problems.push(`test: env must include "CI"`);
  for (const name of ["build", "typecheck", "test"]) {
    if (!has(name, "inputs", "src/**")) problems.push(`${name}: inputs must include "src/**"`);
  }
  return problems;
}

describe("turbo task definitions", () => {
  test("root turbo.json: build, typecheck, lint:pkg, test are cacheable, with inputs, outputs and order", () => {
    expect(rootProblems(rootTurbo)).toEqual([]);
  });

  test.each([
    ["build without inputs", (t: TurboJson) => delete t.tasks!.build!.inputs],
    ["build without dist/** output", (t: TurboJson) => (t.tasks!.build!.outputs = [])],
    [
      "test without test-results/** (the summary would lose cached reports)",
      (t: TurboJson) => (t.tasks!.test!.outputs = []),
    ],
    ["test not after build", (t: TurboJson) => (t.tasks!.test!.dependsOn = [])],
    ["typecheck uncached", (t: TurboJson) => (t.tasks!.typecheck!.cache = false)],
  ])("would fail: %s", (_, edit) => {
    const broken = structuredClone(rootTurbo);
    edit(broken);
    expect(rootProblems(broken)).not.toEqual([]);
  });

  test("package turbo.json overrides keep inputs and outputs", () => {
    for (const pkg of workspacePackages()) {
      const file = join(pkg.abs, "turbo.json");
      if (!existsSync(file)) continue;
      const turbo = readJson<TurboJson>(file);
      expect(turbo.extends, `${pkg.dir}/turbo.json extends the root`).toEqual(["//"]);
      for (const [name, task] of Object.entries(turbo.tasks ?? {})) {
        if (!CHECKED.includes(name) || task.cache === false) continue;
        if (task.inputs) expect(task.inputs.length, `${pkg.dir} ${name} inputs`).toBeGreaterThan(0);
        if (name === "build" && task.outputs) expect(task.outputs, `${pkg.dir} build`).toContain("dist/**");
        if (name === "test" && task.outputs)
          expect(task.outputs, `${pkg.dir} test`).toContain("test-results/**");
      }
    }
  });

  test("repo-tests runs after every package it packs is built, and is re-run when what it reads changes", () => {
    const self = readJson<TurboJson>(join(ROOT, "repo-tests", "turbo.json"));
    const task = self.tasks?.test;
    expect(task?.dependsOn).toContain("^build");
    expect(task?.outputs).toContain("test-results/**");
    expect(task?.env).toEqual(expect.arrayContaining(["CI", "RUN_CACHE_CHECK"]));
    expect(task?.inputs).toEqual(
      expect.arrayContaining([
        "test/**",
        "$TURBO_ROOT$/.changeset/config.json",
        "$TURBO_ROOT$/packages/*/package.json",
        "$TURBO_ROOT$/turbo.json",
      ]),
    );
  });

  test("every package's vitest writes the JSON report that scripts/summary.mjs counts", () => {
    for (const pkg of workspacePackages()) {
      if (!/\bvitest\b/.test(pkg.json.scripts?.test ?? "")) continue;
      const config = ["vitest.config.ts", "vitest.config.mts", "vitest.config.js"]
        .map((f) => join(pkg.abs, f))
        .find((f) => existsSync(f));
      expect(config, `${pkg.dir} has a vitest config`).toBeDefined();
      expect(readFileSync(config!, "utf8"), `${pkg.dir} reuses vitest.shared.ts`).toMatch(/vitest\.shared/);
    }
  });
});

describe("turbo cache, for real (RUN_CACHE_CHECK=1)", () => {
  test.runIf(process.env.RUN_CACHE_CHECK === "1")(
    "a second `turbo run build typecheck lint:pkg` is all cache hits",
    async () => {
      const out = await runOk(process.execPath, [join(ROOT, "scripts", "check-cache.mjs")], {
        cwd: ROOT,
        timeoutMs: 1_140_000,
      });
      console.log(out);
      expect(out).toMatch(/FULL TURBO/);
    },
    1_200_000,
  );
});
