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
/** Third-party peers a binding package may name (the framework it binds to, brought by the user). */
const THIRD_PARTY_PEERS: Record<string, string[]> = { "@sdk/query": ["@tanstack/query-core"] };
/**
 * Published bindings of the SDKs: they name @sdk/auth and @sdk/iam as OPTIONAL peers only (so
 * installing one with @sdk/iam does not pull @sdk/auth), never as dependencies. Their peer range is
 * `workspace:>=<min> <<next major>`, not `workspace:^`: changesets bumps a peer dependent by a MAJOR
 * whenever the peer leaves its range (on 0.x, every minor of an SDK would make @sdk/query 1.0, 2.0, ...);
 * with `onlyUpdatePeerDependentsWhenOutOfRange` (.changeset/config.json) a range over the SDK's whole
 * major keeps the binding's version its own.
 */
const SDK_BINDINGS = new Set(["@sdk/query"]);
/** Third-party runtime dependencies a package may add to those: what its purpose cannot do without. */
const THIRD_PARTY_EXTRA: Record<string, string[]> = {
  // The official MCP server, and the converter of the SDKs' own valibot schemas to the tools' JSON Schemas.
  "@sdk/mcp": ["@modelcontextprotocol/sdk", "@valibot/to-json-schema"],
  // @sdk/iam verifies untrusted tokens with jose (loaded only by verifyAccessToken).
  "@sdk/iam": ["jose"],
};
/** Which of our packages each one may need at runtime: errors ← http ← auth, iam; mock-api stands alone. */
const LAYERS: Record<string, string[]> = {
  "@sdk/errors": [],
  "@core/http": ["@sdk/errors"],
  "@sdk/auth": ["@core/http", "@sdk/errors"],
  "@sdk/iam": ["@core/http", "@sdk/errors"],
  "@sdk/mock-api": [],
  "@sdk/query": ["@sdk/auth", "@sdk/iam"],
  // The MCP server exposes both SDKs (and runs the mock for --mock); never @sdk/query.
  "@sdk/mcp": ["@sdk/auth", "@sdk/iam", "@sdk/errors", "@sdk/mock-api"],
};
/** A publishable package not listed above (added later) may build on the shared layers only. */
const DEFAULT_LAYER = ["@core/http", "@sdk/errors"];
/** Only these (private) packages may depend on an SDK (@sdk/auth, @sdk/iam). */
const SDK_CONSUMERS = new Set(["@sdk/playground", "@sdk/quality", "@sdk/repo-tests", "@sdk/runtimes"]);
/** Published packages built on top of the SDKs (their reason to exist): they may depend on them. */
const SDK_INTEGRATIONS = new Set(["@sdk/mcp"]);

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
      else if (field === "peerDependencies" && SDK_BINDINGS.has(json.name))
        need(
          /^workspace:>=\d+\.\d+\.\d+ <\d+$/.test(range),
          `${field}.${name} must be "workspace:>=<min> <<next major>" (is "${range}")`,
        );
      else need(range === "workspace:^", `${field}.${name} must be "workspace:^" (is "${range}")`);
    }
  }
  const deps = runtimeDeps(json);
  const peers = json.peerDependencies ?? {};
  for (const name of Object.keys(deps)) {
    if (isInternalName(name)) continue;
    const peerOnly = name in peers && !json.dependencies?.[name] && !json.optionalDependencies?.[name];
    const peerOk = peerOnly && (THIRD_PARTY_PEERS[json.name] ?? []).includes(name);
    need(
      THIRD_PARTY_ALLOWED.has(name) || peerOk || THIRD_PARTY_EXTRA[json.name]?.includes(name),
      `runtime dependency ${name} not allowed`,
    );
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
      if (!json[field]?.[sdk] || json.name === sdk || SDK_INTEGRATIONS.has(json.name)) continue;
      const optionalPeer =
        field === "peerDependencies" && json.peerDependenciesMeta?.[sdk]?.optional === true;
      if (SDK_BINDINGS.has(json.name) && (optionalPeer || field === "devDependencies")) continue;
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
        "packages/query @sdk/query",
        "packages/mcp @sdk/mcp",
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
      if (SDK_BINDINGS.has(pkg.json.name)) continue; // optional peers only: checked by metadataProblems
      for (const sdk of ["@sdk/auth", "@sdk/iam"]) {
        const uses = ALL_FIELDS.some((f) => pkg.json[f]?.[sdk]);
        if (uses && pkg.json.name !== sdk && !SDK_INTEGRATIONS.has(pkg.json.name)) {
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
        "@sdk/auth pulls the MCP SDK (allowed for @sdk/mcp only)",
        "@sdk/auth",
        (j: any) => (j.dependencies["@modelcontextprotocol/sdk"] = "^1.32.2"),
      ],
      [
        "@sdk/mcp depends on @sdk/query",
        "@sdk/mcp",
        (j: any) => (j.dependencies["@sdk/query"] = "workspace:^"),
      ],
      ["@sdk/mcp pulls lodash", "@sdk/mcp", (j: any) => (j.dependencies.lodash = "^4.17.21")],
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
      [
        "@sdk/query makes @sdk/auth a required peer",
        "@sdk/query",
        (j: any) => delete j.peerDependenciesMeta["@sdk/auth"],
      ],
      [
        "@sdk/query depends on @sdk/iam",
        "@sdk/query",
        (j: any) => (j.dependencies = { "@sdk/iam": "workspace:^" }),
      ],
      ["@sdk/query peers on react", "@sdk/query", (j: any) => (j.peerDependencies.react = "^19.0.0")],
      [
        "@sdk/query depends on @tanstack/query-core",
        "@sdk/query",
        (j: any) => (j.dependencies = { "@tanstack/query-core": "^5.62.0" }),
      ],
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
        // A binding's SDK peers keep their range (see SDK_BINDINGS); the rest pin the current minor.
        const repoRange = pkg.json.peerDependencies?.[dep];
        if (SDK_BINDINGS.has(name) && repoRange) expect(range, `${name} → ${dep}`).toBe(repoRange.slice(10));
        else expect(range, `${name} → ${dep}`).toBe(`^${find(dep).json.version}`);
      }
      expect(packed.version).toBe(pkg.json.version);
    },
    60_000,
  );
});
