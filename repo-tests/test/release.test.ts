// The release path, for real: a Verdaccio registry on loopback (scripts/release-local.mjs, what
// `pnpm release:local` runs), `changeset version` + build + `changeset publish` on a copy of the repo,
// then `npm init -y && npm i @sdk/iam` by name in a folder outside the workspace, loaded from CommonJS and
// ESM and type-checked with TypeScript 5.1 (the minimum) and the latest, under node16 and bundler.
// Then two more releases on the same registry: a changeset on @sdk/iam alone publishes @sdk/iam alone;
// a minor on @core/http publishes it and patches both SDKs, whose published range follows.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
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
const TSC = {
  "5.1": join(HERE, "node_modules", "typescript-5.1", "bin", "tsc"),
  latest: join(HERE, "node_modules", "typescript-latest", "bin", "tsc"),
};
/** What a published tarball may hold (the same rule as packaging.test.ts applies to `pnpm pack`). */
const PUBLISHED_FILE = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+|bin\/[\w-]+\.js)$/;

let registry: LocalRegistry;
let root: string;
let project: string | undefined;
const firstVersions = new Map<string, string>();
const log = (line: string) => console.log(`release: ${line}`);

beforeAll(async () => {
  registry = await startLocalRegistry();
  root = copyRepo({ packageModules: true, prefix: "release" });
  for (const p of publicPackages(root)) firstVersions.set(p.name, p.version);
}, 60_000);
afterAll(async () => {
  await registry?.close();
  removeDir(root);
  removeDir(project);
});

const npm = (args: string[], cwd = root) => exec("npm", args, { cwd, env: registry.env, timeoutMs: 60_000 });
async function versionsOf(name: string): Promise<string[]> {
  const { stdout } = await npm(["view", name, "versions", "--json"]);
  const parsed = JSON.parse(stdout);
  return (Array.isArray(parsed) ? parsed : [parsed]).sort();
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
      for (const [name, version] of firstVersions) {
        expect(await versionsOf(name), name).toEqual([version]);
        // The tarball as the registry serves it.
        const { stdout } = await npm(["pack", `${name}@${version}`, "--dry-run", "--json"], tempDir("pack"));
        const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path);
        expect(files.filter((f) => !PUBLISHED_FILE.test(f)), `${name}: unexpected files`).toEqual([]);
        expect(files, name).toEqual(
          expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md", "LICENSE", "dist/index.js"]),
        );
        expect(files.some((f) => /(^|\/)(test|tests|fixtures|src)\//.test(f))).toBe(false);
      }
    },
    TIMEOUT,
  );

  test(
    "`npm init -y && npm i @sdk/iam` outside the workspace: the dependencies it declares, nothing of @sdk/auth or @sdk/mock-api",
    async () => {
      project = await installByName(registry, "@sdk/iam", { prefix: "consumer" });
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
`;
      // .ts is CommonJS in this project (npm init -y: no "type"), .mts is ESM: both entry points checked.
      writeFileSync(join(dir, "consumer.ts"), consumer);
      writeFileSync(join(dir, "consumer.mts"), consumer);
      writeFileSync(join(dir, "wrong.ts"), `import { IamClient } from "@sdk/iam";\nnew IamClient({ server: 42 });\n`);
      const config = (module: string, moduleResolution: string, files: string[]) =>
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
            skipLibCheck: false,
          },
          files,
        });
      writeFileSync(join(dir, "tsconfig.node16.json"), config("node16", "node16", ["consumer.ts", "consumer.mts"]));
      writeFileSync(join(dir, "tsconfig.bundler.json"), config("esnext", "bundler", ["consumer.ts"]));
      writeFileSync(join(dir, "tsconfig.wrong.json"), config("esnext", "bundler", ["wrong.ts"]));
      for (const [version, tsc] of Object.entries(TSC)) {
        const { stdout } = await exec(process.execPath, [tsc, "--version"], { cwd: dir });
        log(`tsc ${version}: ${stdout.trim()}`);
        if (version === "5.1") expect(stdout).toContain("Version 5.1.");
        for (const project of ["tsconfig.node16.json", "tsconfig.bundler.json"])
          await exec(process.execPath, [tsc, "-p", project], { cwd: dir, timeoutMs: 120_000 });
        // The check can fail: a wrong option type is reported.
        await expect(
          exec(process.execPath, [tsc, "-p", "tsconfig.wrong.json"], { cwd: dir, timeoutMs: 120_000 }),
        ).rejects.toThrow(/wrong\.ts\(2,\d+\): error TS/);
      }
    },
    TIMEOUT,
  );

  test(
    "a changeset on @sdk/iam alone publishes a new @sdk/iam and nothing else",
    async () => {
      const next = inc(firstVersions.get("@sdk/iam")!, "minor");
      writeChangeset(root, "iam-feature", { "@sdk/iam": "minor" }, "A feature of @sdk/iam.");
      expect(await versionBuildPublish(root, registry, { log })).toEqual([`@sdk/iam@${next}`]);
      expect(await versionsOf("@sdk/iam")).toEqual([firstVersions.get("@sdk/iam"), next]);
      for (const name of ["@core/http", "@sdk/auth", "@sdk/errors", "@sdk/mock-api"])
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
