// The release path, for real: a Verdaccio registry on loopback (scripts/release-local.mjs, what
// `pnpm release:local` runs), `changeset version` + build + `changeset publish` on a copy of the repo,
// then `npm init -y && npm i @sdk/iam` by name in a folder outside the workspace, loaded from CommonJS and
// ESM and type-checked with TypeScript 5.1 (the minimum) and the latest, under node16 and bundler.
// Then two more releases on the same registry: a changeset on @sdk/iam alone publishes @sdk/iam alone;
// a minor on @core/http publishes it and patches both SDKs, whose published range follows.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  copyRepo,
  exec,
  installByName,
  type LocalRegistry,
  publicPackages,
  startLocalRegistry,
  versionBuildPublish,
} from "../../scripts/release-local.mjs";
import { inc, writeChangeset } from "./support/changesets.ts";
import { isInternalName, readJson, removeDir, tempDir } from "./support/workspace.ts";

const TIMEOUT = 600_000;
const HERE = join(import.meta.dirname, "..");
/**
 * TypeScript versions, installed in the consumer from the registry as npm aliases, as a user would
 * (not in the workspace: an aliased `typescript` there becomes valibot's peer and splits valibot in two).
 */
const TS_VERSIONS = { "5.1": "5.1.6", latest: "latest" };
/** What a published tarball may hold (the same rule as packaging.test.ts applies to `pnpm pack`). */
const PUBLISHED_FILE = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+|bin\/[\w-]+\.js)$/;

/** The install commands README.md shows (its package table), as npm argument lists; the tests run exactly these. */
const README_INSTALL = (() => {
  const readme = readFileSync(join(HERE, "..", "README.md"), "utf8");
  const line = (pkg: string) => {
    const m = readme.match(new RegExp(`\\| \`(npm i (?:-D )?${pkg.replace("/", "\\/")})\` \\|`));
    if (!m) throw new Error(`README.md has no install line for ${pkg}`);
    return m[1]!.split(" ").slice(1);
  };
  return { iam: line("@sdk/iam"), auth: line("@sdk/auth"), mockApi: line("@sdk/mock-api") };
})();

let registry: LocalRegistry;
let root: string;
let project: string | undefined;
const firstVersions = new Map<string, string>();
const log = (line: string) => console.log(`release: ${line}`);

beforeAll(async () => {
  registry = await startLocalRegistry();
  root = copyRepo({ packageModules: true, prefix: "release" });
  for (const p of publicPackages(root)) firstVersions.set(p.name, p.version);
}, 240_000);
afterAll(async () => {
  await registry?.close();
  removeDir(root);
  removeDir(project);
});

const npm = (args: string[], cwd = root) => exec("npm", args, { cwd, env: registry.env, timeoutMs: 60_000 });
/** `npm view <name> versions` for @sdk/iam (the command a user would run); the registry's packument for the others. */
async function versionsOf(name: string): Promise<string[]> {
  if (name === "@sdk/iam") {
    const { stdout } = await npm(["view", name, "versions", "--json"]);
    const parsed = JSON.parse(stdout);
    return (Array.isArray(parsed) ? parsed : [parsed]).sort();
  }
  const res = await fetch(`${registry.url}${name.replace("/", "%2f")}`, {
    signal: AbortSignal.timeout(30_000),
  });
  expect(res.status, `${name} on the registry`).toBe(200);
  return Object.keys(((await res.json()) as { versions: Record<string, unknown> }).versions).sort();
}
async function dependenciesOf(spec: string): Promise<Record<string, string>> {
  const { stdout } = await npm(["view", spec, "dependencies", "--json"]);
  return stdout.trim() ? JSON.parse(stdout) : {};
}
/** Every package installed in node_modules (hoisted or nested), as `name`. */
function installedNames(nodeModules: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const names = entry.name.startsWith("@")
        ? readdirSync(join(dir, entry.name)).map((sub) => `${entry.name}/${sub}`)
        : [entry.name];
      for (const name of names) {
        found.add(name);
        walk(join(dir, name, "node_modules"));
      }
    }
  };
  walk(nodeModules);
  return [...found].sort();
}

describe.sequential("release through a local registry (Verdaccio), install by name", () => {
  test(
    "changeset version + publish puts every public package on the registry; `npm pack` holds dist, README, CHANGELOG, LICENSE only",
    async () => {
      const published = await versionBuildPublish(root, registry, { log });
      expect(published).toEqual([...firstVersions].map(([n, v]) => `${n}@${v}`).sort());
      for (const [name, version] of firstVersions) expect(await versionsOf(name), name).toEqual([version]);
      // The tarballs as the registry serves them (one `npm pack` for all).
      const specs = [...firstVersions].map(([n, v]) => `${n}@${v}`);
      const packDir = tempDir("pack");
      try {
        const { stdout } = await npm(["pack", ...specs, "--dry-run", "--json"], packDir);
        const packs: { name: string; files: { path: string }[] }[] = JSON.parse(stdout);
        expect(packs.map((p) => p.name).sort()).toEqual([...firstVersions.keys()].sort());
        for (const { name, files: entries } of packs) {
          const files = entries.map((f) => f.path);
          expect(
            files.filter((f) => !PUBLISHED_FILE.test(f)),
            `${name}: unexpected files`,
          ).toEqual([]);
          expect(files, name).toEqual(
            expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md", "LICENSE", "dist/index.js"]),
          );
          expect(
            files.some((f) => /(^|\/)(test|tests|fixtures|src)\//.test(f)),
            name,
          ).toBe(false);
        }
      } finally {
        removeDir(packDir);
      }
    },
    TIMEOUT,
  );

  test(
    "`npm init -y && npm i @sdk/iam` outside the workspace: the dependencies it declares, nothing of @sdk/auth or @sdk/mock-api",
    async () => {
      project = await installByName(registry, [README_INSTALL.iam], { prefix: "consumer" });
      expect(project.startsWith(join(HERE, ".."))).toBe(false);
      const nodeModules = join(project, "node_modules");
      const installed = installedNames(nodeModules);
      // Expected: exactly what the published package.json files declare, transitively.
      const expected = new Set<string>();
      const visit = async (name: string) => {
        if (expected.has(name)) return;
        expected.add(name);
        const deps = readJson(join(nodeModules, name, "package.json")).dependencies ?? {};
        for (const dep of Object.keys(deps)) await visit(dep);
      };
      await visit("@sdk/iam");
      expect(installed).toEqual([...expected].sort());
      const iamDeps = await dependenciesOf(`@sdk/iam@${firstVersions.get("@sdk/iam")}`);
      expect(Object.keys(iamDeps)).toEqual(expect.arrayContaining(["@core/http", "@sdk/errors", "valibot"]));
      for (const dep of ["@core/http", "@sdk/errors", "valibot"]) expect(installed).toContain(dep);
      expect(installed).not.toContain("@sdk/auth");
      expect(installed).not.toContain("@sdk/mock-api");
      expect(installed.filter(isInternalName)).toEqual(["@core/http", "@sdk/errors", "@sdk/iam"]);
      const lock = readJson(join(project, "package-lock.json"));
      expect(lock.packages["node_modules/@sdk/iam"].resolved).toContain(registry.url);

      const cjs = await exec(
        process.execPath,
        ["-e", 'const m = require("@sdk/iam"); console.log(typeof m.IamClient, require.resolve("@sdk/iam"))'],
        { cwd: project },
      );
      expect(cjs.stdout).toMatch(/^function .*\/node_modules\/@sdk\/iam\/dist\/index\.cjs\n$/);
      const esm = await exec(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          'const m = await import("@sdk/iam"); console.log(typeof m.IamClient, import.meta.resolve("@sdk/iam"))',
        ],
        { cwd: project },
      );
      expect(esm.stdout).toMatch(/^function .*\/node_modules\/@sdk\/iam\/dist\/index\.js\n$/);
    },
    TIMEOUT,
  );

  test(
    "the README's other install lines, as written: `npm i @sdk/auth`, `npm i -D @sdk/mock-api`",
    async () => {
      const other = await installByName(registry, [README_INSTALL.auth, README_INSTALL.mockApi], {
        prefix: "consumer-auth",
      });
      try {
        const pkg = readJson(join(other, "package.json"));
        expect(Object.keys(pkg.dependencies)).toEqual(["@sdk/auth"]);
        expect(Object.keys(pkg.devDependencies)).toEqual(["@sdk/mock-api"]);
        const { stdout } = await exec(
          process.execPath,
          [
            "-e",
            'console.log(typeof require("@sdk/auth").AuthClient, typeof require("@sdk/mock-api").startMockApi)',
          ],
          { cwd: other },
        );
        expect(stdout.trim()).toBe("function function");
        expect(existsSync(join(other, "node_modules", "@sdk", "iam"))).toBe(false);
      } finally {
        removeDir(other);
      }
    },
    TIMEOUT,
  );

  test(
    "a consumer file using IamClient type-checks with TypeScript 5.1 and the latest, moduleResolution node16 and bundler",
    async () => {
      expect(project, "installed by the previous test").toBeDefined();
      const dir = project!;
      const consumer = `import { IamClient, StatusError, type SigningKey } from "@sdk/iam";

const iam = new IamClient({ server: "sbx", security: { apiKeyAuth: "key" } });
export async function kids(): Promise<string[]> {
  const out: string[] = [];
  for await (const key of iam.listSigningKeys({ pageSize: 50 })) out.push((key satisfies SigningKey).kid ?? "");
  return out;
}
export const isStatus = (e: unknown): e is StatusError => e instanceof StatusError;
// The check can fail: with missing or \`any\` types this directive would be unused, and tsc would say so.
// @ts-expect-error server is "prod" | "sbx" (or a URL via serverURL), not a number
new IamClient({ server: 42 });
`;
      // .ts is CommonJS in this project (npm init -y: no "type"), .mts is ESM: both entry points checked.
      writeFileSync(join(dir, "consumer.ts"), consumer);
      writeFileSync(join(dir, "consumer.mts"), consumer);
      // node16 checks every .d.ts too (valibot's types are why 5.1 is the minimum); bundler with
      // skipLibCheck, the usual app setting, keeps the run short.
      const config = (module: string, moduleResolution: string, files: string[], skipLibCheck = false) =>
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module,
            moduleResolution,
            // What the README tells users: fetch types come from lib "DOM" (or @types/node).
            lib: ["ES2022", "DOM"],
            types: [],
            strict: true,
            noEmit: true,
            skipLibCheck,
          },
          files,
        });
      writeFileSync(
        join(dir, "tsconfig.node16.json"),
        config("node16", "node16", ["consumer.ts", "consumer.mts"]),
      );
      writeFileSync(join(dir, "tsconfig.bundler.json"), config("esnext", "bundler", ["consumer.ts"], true));
      await exec(
        "npm",
        ["i", "-D", ...Object.entries(TS_VERSIONS).map(([k, v]) => `ts-${k}@npm:typescript@${v}`)],
        { cwd: dir, env: { ...registry.env, npm_config_cache: join(dir, ".npm-cache") }, timeoutMs: 240_000 },
      );
      for (const version of Object.keys(TS_VERSIONS)) {
        const tsc = join(dir, "node_modules", `ts-${version}`, "bin", "tsc");
        const { stdout } = await exec(process.execPath, [tsc, "--version"], { cwd: dir });
        log(`tsc ${version}: ${stdout.trim()}`);
        if (version === "5.1") expect(stdout).toContain("Version 5.1.");
        for (const project of ["tsconfig.node16.json", "tsconfig.bundler.json"])
          await exec(process.execPath, [tsc, "-p", project], { cwd: dir, timeoutMs: 120_000 });
      }
    },
    TIMEOUT,
  );

  test(
    "a changeset on @sdk/iam alone publishes a new @sdk/iam (and a patch of @sdk/mcp, built on it) and nothing else",
    async () => {
      const next = inc(firstVersions.get("@sdk/iam")!, "minor");
      // @sdk/mcp depends on @sdk/iam (`^`): a minor on 0.x leaves its range, so it follows with a patch.
      // @sdk/query names the SDKs as peers over their whole major: it stays as it is.
      const mcp = inc(firstVersions.get("@sdk/mcp")!, "patch");
      writeChangeset(root, "iam-feature", { "@sdk/iam": "minor" }, "A feature of @sdk/iam.");
      expect(await versionBuildPublish(root, registry, { log })).toEqual([
        `@sdk/iam@${next}`,
        `@sdk/mcp@${mcp}`,
      ]);
      expect(await versionsOf("@sdk/iam")).toEqual([firstVersions.get("@sdk/iam"), next]);
      for (const name of ["@core/http", "@sdk/auth", "@sdk/errors", "@sdk/mock-api", "@sdk/query"])
        expect(await versionsOf(name), name).toEqual([firstVersions.get(name)]);
      const { stdout } = await npm(["view", "@sdk/iam", "dist-tags.latest"]);
      expect(stdout.trim()).toBe(next);
    },
    TIMEOUT,
  );

  test(
    "a minor on @core/http publishes it and a patch of both SDKs, whose published range moves to the new version",
    async () => {
      const http = inc(firstVersions.get("@core/http")!, "minor");
      const iam = inc(inc(firstVersions.get("@sdk/iam")!, "minor"), "patch");
      const auth = inc(firstVersions.get("@sdk/auth")!, "patch");
      writeChangeset(root, "http-break", { "@core/http": "minor" }, "A breaking change on 0.x.");
      expect(await versionBuildPublish(root, registry, { log })).toEqual(
        [`@core/http@${http}`, `@sdk/auth@${auth}`, `@sdk/iam@${iam}`].sort(),
      );
      expect(await versionsOf("@core/http")).toEqual([firstVersions.get("@core/http"), http]);
      expect((await versionsOf("@sdk/iam")).at(-1)).toBe(iam);
      expect(await versionsOf("@sdk/auth")).toEqual([firstVersions.get("@sdk/auth"), auth]);
      for (const name of ["@sdk/errors", "@sdk/mock-api"])
        expect(await versionsOf(name), name).toEqual([firstVersions.get(name)]);
      expect((await dependenciesOf(`@sdk/iam@${iam}`))["@core/http"]).toBe(`^${http}`);
      expect((await dependenciesOf(`@sdk/auth@${auth}`))["@core/http"]).toBe(`^${http}`);
      // The SDK compiled its new version in (the user agent): the copy was rebuilt, not re-packed.
      const dist = await exec(
        process.execPath,
        ["-e", `process.stdout.write(require("fs").readFileSync(require.resolve("@sdk/iam"), "utf8"))`],
        { cwd: join(root, "packages", "iam") },
      );
      expect(dist.stdout).toContain(iam);
    },
    TIMEOUT,
  );
});
