// Packaging metadata of every publishable package, the shape of the dependency graph, and what
// `pnpm pack` really puts in each tarball. The checks are functions returning problems, so the
// "would fail" cases can feed them a broken copy of a real package.json and see the problem reported.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  isInternalName,
  type PackageJson,
  packPackages,
  publishable,
  ROOT,
  readJson,
  removeDir,
  runOk,
  tempDir,
  type WorkspacePackage,
  workspacePackages,
} from "./support/workspace.ts";

const ROOT_PKG = readJson<PackageJson>(join(ROOT, "package.json"));
const RUNTIME_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies"] as const;
const ALL_FIELDS = [...RUNTIME_FIELDS, "devDependencies"] as const;
const THIRD_PARTY_ALLOWED = new Set(["ofetch", "valibot"]);
/** Which of our packages each one may need at runtime: errors ← http ← auth, iam; mock-api stands alone. */
const LAYERS: Record<string, string[]> = {
  "@sdk/errors": [],
  "@core/http": ["@sdk/errors"],
  "@sdk/auth": ["@core/http", "@sdk/errors"],
  "@sdk/iam": ["@core/http", "@sdk/errors"],
  "@sdk/mock-api": [],
};
/** A publishable package not listed above (added later) may build on the shared layers only. */
const DEFAULT_LAYER = ["@core/http", "@sdk/errors"];
/** Only these (private) packages may depend on an SDK (@sdk/auth, @sdk/iam). */
const SDK_CONSUMERS = new Set(["@sdk/playground", "@sdk/quality", "@sdk/repo-tests", "@sdk/runtimes"]);

const runtimeDeps = (json: PackageJson) =>
  Object.assign({}, ...RUNTIME_FIELDS.map((f) => json[f] ?? {})) as Record<string, string>;

function metadataProblems(pkg: WorkspacePackage): string[] {
  const { json, dir } = pkg;
  const problems: string[] = [];
  const need = (ok: unknown, problem: string) => {
    if (!ok) problems.push(problem);
  };
  need(json.type === "module", `type must be "module"`);
  need(json.sideEffects === false, "sideEffects must be false");
  need(json.license, "license missing");
  need(json.engines?.node === ROOT_PKG.engines?.node, `engines.node must be ${ROOT_PKG.engines?.node}`);
  need(json.publishConfig?.access === "public", "publishConfig.access must be public");
  const repo = typeof json.repository === "object" ? json.repository : undefined;
  need(repo?.directory === dir, `repository.directory must be ${dir}`);
  need(repo?.url, "repository.url missing");
  need(Array.isArray(json.files) && json.files.includes("dist"), `files must list "dist"`);
  need(existsSync(join(pkg.abs, "README.md")), "README.md missing");
  need(existsSync(join(pkg.abs, "CHANGELOG.md")), "CHANGELOG.md missing");

  const exp = json.exports;
  need(exp && typeof exp === "object", "exports missing");
  if (exp && typeof exp === "object") {
    need(exp["./package.json"] === "./package.json", `exports["./package.json"] must be "./package.json"`);
    need(exp["."], `exports["."] missing`);
    for (const [subpath, target] of Object.entries<any>(exp)) {
      if (subpath === "./package.json") continue;
      for (const condition of ["import", "require"]) {
        const c = target?.[condition];
        need(
          c && Object.keys(c)[0] === "types" && typeof c.default === "string",
          `exports["${subpath}"].${condition} must be { types (first), default }`,
        );
        if (condition === "import")
          need(/\.d\.ts$/.test(c?.types ?? ""), `exports["${subpath}"].import.types: .d.ts`);
        if (condition === "require") {
          need(/\.d\.cts$/.test(c?.types ?? ""), `exports["${subpath}"].require.types: .d.cts`);
          need(/\.cjs$/.test(c?.default ?? ""), `exports["${subpath}"].require.default: .cjs`);
        }
      }
    }
  }

  for (const field of ALL_FIELDS) {
    for (const [name, range] of Object.entries(json[field] ?? {})) {
      if (!isInternalName(name)) continue;
      if (field === "devDependencies")
        need(range.startsWith("workspace:"), `${field}.${name}: use workspace:`);
      else need(range === "workspace:^", `${field}.${name} must be "workspace:^" (is "${range}")`);
    }
  }
  const deps = runtimeDeps(json);
  for (const name of Object.keys(deps)) {
    if (!isInternalName(name)) need(THIRD_PARTY_ALLOWED.has(name), `runtime dependency ${name} not allowed`);
  }
  const layer = LAYERS[json.name] ?? DEFAULT_LAYER;
  for (const name of Object.keys(deps).filter(isInternalName)) {
    need(
      layer.includes(name),
      `${json.name} must not depend on ${name} (allowed: ${layer.join(", ") || "none"})`,
    );
  }
  if (json.name === "@sdk/mock-api") {
    for (const field of ALL_FIELDS) {
      for (const name of Object.keys(json[field] ?? {})) {
        need(!isInternalName(name), `@sdk/mock-api stands alone: ${field}.${name}`);
      }
    }
  }
  for (const field of ALL_FIELDS) {
    for (const sdk of ["@sdk/auth", "@sdk/iam"]) {
      if (json[field]?.[sdk] && json.name !== sdk)
        need(false, `a published package must not depend on ${sdk}`);
    }
  }
  return problems;
}

const clone = (pkg: WorkspacePackage, edit: (json: any) => void): WorkspacePackage => {
  const json = structuredClone(pkg.json);
  edit(json);
  return { ...pkg, json };
};

const packages = publishable();
const find = (name: string) => {
  const pkg = packages.find((p) => p.json.name === name);
  if (!pkg) throw new Error(`${name} is not a publishable workspace package`);
  return pkg;
};

describe("packaging metadata", () => {
  test("the publishable packages", () => {
    expect(packages.map((p) => `${p.dir} ${p.json.name}`)).toEqual(
      expect.arrayContaining([
        "packages/errors @sdk/errors",
        "packages/http @core/http",
        "packages/auth @sdk/auth",
        "packages/iam @sdk/iam",
        "packages/mock-api @sdk/mock-api",
      ]),
    );
  });

  test.each(packages.map((p) => [p.json.name, p] as const))(
    "%s: metadata, exports, dependencies",
    (_, pkg) => {
      expect(metadataProblems(pkg)).toEqual([]);
    },
  );

  test("only private packages depend on @sdk/auth or @sdk/iam; @sdk/auth's one app is the playground", () => {
    const all = workspacePackages();
    for (const pkg of all) {
      for (const sdk of ["@sdk/auth", "@sdk/iam"]) {
        const uses = ALL_FIELDS.some((f) => pkg.json[f]?.[sdk]);
        if (uses && pkg.json.name !== sdk) {
          expect(pkg.json.private, `${pkg.json.name} depends on ${sdk}`).toBe(true);
          expect([...SDK_CONSUMERS], `${pkg.json.name} depends on ${sdk}`).toContain(pkg.json.name);
        }
      }
    }
    const appsOnAuth = all.filter((p) => p.dir.startsWith("apps/") && runtimeDeps(p.json)["@sdk/auth"]);
    expect(appsOnAuth.map((p) => p.json.name)).toEqual(["@sdk/playground"]);
  });

  test("the runtime dependency graph of our packages has no cycle", () => {
    const graph = new Map(
      packages.map((p) => [p.json.name, Object.keys(runtimeDeps(p.json)).filter(isInternalName)]),
    );
    const state = new Map<string, "visiting" | "done">();
    const visit = (name: string, path: string[]) => {
      if (state.get(name) === "done") return;
      expect(state.get(name), `cycle: ${[...path, name].join(" → ")}`).not.toBe("visiting");
      state.set(name, "visiting");
      for (const dep of graph.get(name) ?? []) visit(dep, [...path, name]);
      state.set(name, "done");
    };
    for (const name of graph.keys()) visit(name, []);
  });

  test("repo-tests builds every publishable package first (a workspace devDependency each)", () => {
    const self = readJson<PackageJson>(join(ROOT, "repo-tests", "package.json"));
    for (const pkg of packages)
      expect(self.devDependencies?.[pkg.json.name], pkg.json.name).toBe("workspace:*");
  });

  describe("would fail", () => {
    test.each([
      [
        "@sdk/iam depends on @sdk/auth",
        "@sdk/iam",
        (j: any) => (j.dependencies["@sdk/auth"] = "workspace:^"),
      ],
      [
        "@sdk/errors depends on @core/http",
        "@sdk/errors",
        (j: any) => (j.dependencies = { "@core/http": "workspace:^" }),
      ],
      [
        "@core/http pins @sdk/errors with workspace:*",
        "@core/http",
        (j: any) => (j.dependencies["@sdk/errors"] = "workspace:*"),
      ],
      ["@sdk/auth pulls lodash", "@sdk/auth", (j: any) => (j.dependencies.lodash = "^4.17.21")],
      [
        "@sdk/mock-api uses @sdk/errors in tests",
        "@sdk/mock-api",
        (j: any) => (j.devDependencies = { "@sdk/errors": "workspace:*" }),
      ],
      ["@sdk/iam has sideEffects", "@sdk/iam", (j: any) => (j.sideEffects = true)],
      ["@sdk/iam without require types", "@sdk/iam", (j: any) => delete j.exports["."].require.types],
      ["@sdk/iam without ./package.json export", "@sdk/iam", (j: any) => delete j.exports["./package.json"]],
      [
        "@sdk/iam with a wrong repository.directory",
        "@sdk/iam",
        (j: any) => (j.repository.directory = "packages/auth"),
      ],
      ["@sdk/iam not public", "@sdk/iam", (j: any) => delete j.publishConfig],
    ])("%s", (_, name, edit) => {
      expect(metadataProblems(clone(find(name), edit))).not.toEqual([]);
    });
  });
});

describe("what pnpm pack publishes", () => {
  let work: string;
  let tarballs: Map<string, string>;
  beforeAll(async () => {
    work = tempDir("pack");
    tarballs = await packPackages(
      packages.map((p) => p.json.name),
      work,
    );
  }, 180_000);
  afterAll(() => removeDir(work));

  test.each(packages.map((p) => [p.json.name, p] as const))(
    "%s: only dist (and bin), README, CHANGELOG, LICENSE; every entry point inside; workspace: ranges resolved",
    async (name, pkg) => {
      const file = tarballs.get(name)!;
      const listing = (await runOk("tar", ["-tzf", file], { cwd: work }))
        .split("\n")
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, ""));
      const unexpected = listing.filter(
        (f) => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+|bin\/[\w-]+\.js)$/.test(f),
      );
      expect(unexpected, "files that should not be published").toEqual([]);
      expect(listing).toEqual(
        expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md", "LICENSE"]),
      );

      const packed = JSON.parse(await runOk("tar", ["-xOzf", file, "package/package.json"], { cwd: work }));
      const targets = new Set<string>();
      const collect = (v: unknown) => {
        if (typeof v === "string") targets.add(v.replace(/^\.\//, ""));
        else if (v && typeof v === "object") for (const x of Object.values(v)) collect(x);
      };
      collect([packed.main, packed.module, packed.types, packed.exports, packed.bin]);
      for (const target of targets) expect(listing, `${name} entry point ${target}`).toContain(target);

      expect(JSON.stringify(packed), "no workspace: range left").not.toContain("workspace:");
      for (const [dep, range] of Object.entries<string>(runtimeDeps(packed))) {
        if (!isInternalName(dep)) continue;
        expect(range, `${name} → ${dep}`).toBe(`^${find(dep).json.version}`);
      }
      expect(packed.version).toBe(pkg.json.version);
    },
    60_000,
  );
});
