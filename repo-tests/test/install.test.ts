// Install only what you need: `pnpm pack` an SDK and the workspace packages it needs at runtime, install
// those tarballs with plain npm into an empty project, and check what lands in node_modules, that
// ESM import and CommonJS require both work and agree, and how big the install is.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  byName,
  dirSize,
  isInternalName,
  npmEnv,
  packPackages,
  readJson,
  removeDir,
  runOk,
  runtimeClosure,
  tempDir,
} from "./support/workspace.ts";

const TIMEOUT = 240_000;
const MB = 1024 * 1024;
const OURS_BUDGET = 0.5 * MB;
const TOTAL_BUDGET = 3.5 * MB;
const REPORT = join(import.meta.dirname, "..", "test-results", "install-size.json");

interface Case {
  sdk: string;
  client: string;
  mustNotInstall: string[];
  /** Installed alongside (e.g. the one SDK a binding's optional peer names), with its own closure. */
  with?: string[];
  /** The entry imported (a subpath such as `/iam`); default the package root. */
  entry?: string;
  /** Third-party peers the user brings anyway (e.g. TanStack Query): outside the total budget. */
  peers?: string[];
}
const CASES: Case[] = [
  { sdk: "@sdk/iam", client: "IamClient", mustNotInstall: ["@sdk/auth", "@sdk/mock-api"] },
  { sdk: "@sdk/auth", client: "AuthClient", mustNotInstall: ["@sdk/iam", "@sdk/mock-api"] },
  // @sdk/auth and @sdk/iam are optional peers of @sdk/query: with @sdk/iam, npm must not add @sdk/auth.
  {
    sdk: "@sdk/query",
    client: "listSigningKeysInfiniteQueryOptions",
    mustNotInstall: ["@sdk/auth", "@sdk/mock-api", "@sdk/mcp"],
    with: ["@sdk/iam"],
    entry: "/iam",
    peers: ["@tanstack/query-core"],
  },
];

const report: Record<string, unknown> = {};
afterAll(() => {
  mkdirSync(join(REPORT, ".."), { recursive: true });
  writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
});

/** Every installed package (scoped ones as `@scope/name`), each with the size of its folder. */
function packageSizes(nodeModules: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || !entry.isDirectory()) continue;
    if (entry.name.startsWith("@")) {
      for (const sub of readdirSync(join(nodeModules, entry.name), { withFileTypes: true })) {
        if (sub.isDirectory())
          sizes[`${entry.name}/${sub.name}`] = dirSize(join(nodeModules, entry.name, sub.name));
      }
    } else {
      sizes[entry.name] = dirSize(join(nodeModules, entry.name));
    }
  }
  return sizes;
}

/** Our packages anywhere in the tree (hoisted or nested), as `@scope/name`. */
function installedInternal(nodeModules: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const names = entry.name.startsWith("@")
        ? readdirSync(join(dir, entry.name)).map((sub) => `${entry.name}/${sub}`)
        : [entry.name];
      for (const name of names) {
        if (isInternalName(name)) found.add(name);
        walk(join(dir, name, "node_modules"));
      }
    }
  };
  walk(nodeModules);
  return [...found].sort();
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

describe.concurrent("install only what you need (pnpm pack + plain npm)", () => {
  for (const { sdk, client, mustNotInstall, with: alongside = [], entry = "", peers = [] } of CASES) {
    test(
      `${sdk}: npm installs ${sdk} and only the internal packages it needs; ESM and CJS agree`,
      async () => {
        const needed = [...new Set([sdk, ...alongside].flatMap((name) => runtimeClosure(name)))].sort();
        for (const name of mustNotInstall) expect(needed, `${sdk} must not need ${name}`).not.toContain(name);
        const work = tempDir(`install-${sdk.replace(/\W/g, "-")}`);
        try {
          const tarballs = await packPackages(needed, join(work, "tarballs"));
          for (const [name, file] of tarballs) {
            const listing = await runOk("tar", ["-xOzf", file, "package/package.json"], { cwd: work });
            const packed = JSON.parse(listing);
            expect(
              JSON.stringify(packed.dependencies ?? {}),
              `${name}: pnpm pack rewrote workspace: ranges`,
            ).not.toContain("workspace:");
          }

          const project = join(work, "project");
          mkdirSync(project);
          writeFileSync(
            join(project, "package.json"),
            `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true }, null, 2)}\n`,
          );
          // All tarballs in one command, so npm resolves our packages to them and not to the registry.
          await runOk(
            "npm",
            [
              "install",
              "--no-audit",
              "--no-fund",
              "--prefer-offline",
              "--loglevel=error",
              ...tarballs.values(),
            ],
            { cwd: project, env: npmEnv(), timeoutMs: TIMEOUT - 30_000 },
          );

          const nodeModules = join(project, "node_modules");
          expect(installedInternal(nodeModules)).toEqual(needed);
          for (const name of mustNotInstall) expect(existsSync(join(nodeModules, name)), name).toBe(false);
          const lock = readJson(join(project, "package-lock.json"));
          for (const name of needed) {
            const entry = lock.packages[`node_modules/${name}`];
            expect(entry?.version, `${name} installed at the workspace version`).toBe(
              byName(name).json.version,
            );
            expect(entry?.resolved, `${name} came from its tarball, not a registry`).toMatch(/^file:/);
          }

          const esm = JSON.parse(
            await runOk(
              process.execPath,
              [
                "--input-type=module",
                "-e",
                `const m = await import(${JSON.stringify(sdk + entry)});
                 console.log(JSON.stringify({
                   resolved: import.meta.resolve(${JSON.stringify(sdk + entry)}),
                   types: Object.fromEntries(Object.keys(m).sort().map((k) => [k, typeof m[k]])),
                 }));`,
              ],
              { cwd: project },
            ),
          );
          const cjs = JSON.parse(
            await runOk(
              process.execPath,
              [
                "-e",
                `const m = require(${JSON.stringify(sdk + entry)});
                 console.log(JSON.stringify({
                   resolved: require.resolve(${JSON.stringify(sdk + entry)}),
                   types: Object.fromEntries(Object.keys(m).filter((k) => k !== "__esModule").sort().map((k) => [k, typeof m[k]])),
                 }));`,
              ],
              { cwd: project },
            ),
          );
          console.log(
            `${sdk} exports (${Object.keys(esm.types).length}): ${Object.keys(esm.types).join(", ")}`,
          );
          const file = entry ? entry.slice(1) : "index";
          expect(esm.resolved.endsWith(`/dist/${file}.js`), esm.resolved).toBe(true);
          expect(cjs.resolved.endsWith(`/dist/${file}.cjs`), cjs.resolved).toBe(true);
          expect(Object.keys(esm.types).length, "the module has exports").toBeGreaterThan(0);
          expect(Object.keys(cjs.types), "ESM and CJS export the same names").toEqual(Object.keys(esm.types));
          expect(cjs.types, "... with the same kinds of values").toEqual(esm.types);
          if (client in esm.types) expect(esm.types[client], `${client} is a class`).toBe("function");

          const sizes = packageSizes(nodeModules);
          const ours = Object.entries(sizes)
            .filter(([name]) => isInternalName(name))
            .reduce((sum, [, bytes]) => sum + bytes, 0);
          const peerBytes = peers.reduce((sum, name) => sum + (sizes[name] ?? 0), 0);
          for (const name of peers) expect(sizes[name], `${name}: the peer npm installs`).toBeGreaterThan(0);
          const total = dirSize(nodeModules) - peerBytes;
          const rows = Object.entries(sizes)
            .sort(([, a], [, b]) => b - a)
            .map(([name, bytes]) => `  ${name.padEnd(28)} ${String(kb(bytes)).padStart(8)} KB`);
          console.log(
            `npm install ${[sdk, ...alongside].join(" ")}: node_modules ${kb(total)} KB (ours ${kb(ours)} KB${
              peers.length ? `; plus the peer(s) ${peers.join(", ")}: ${kb(peerBytes)} KB` : ""
            })\n${rows.join("\n")}`,
          );
          report[sdk] = {
            packages: Object.fromEntries(
              Object.entries(sizes).map(([n, bytes]) => [n, { bytes, kb: kb(bytes) }]),
            ),
            oursBytes: ours,
            totalBytes: total,
            ...(peers.length ? { peerBytes } : {}),
            budgets: { oursBytes: OURS_BUDGET, totalBytes: TOTAL_BUDGET },
          };
          expect(ours, `our packages in ${sdk}'s install (bytes)`).toBeLessThanOrEqual(OURS_BUDGET);
          expect(total, `${sdk}'s whole node_modules (bytes)`).toBeLessThanOrEqual(TOTAL_BUDGET);
        } finally {
          removeDir(work);
        }
      },
      TIMEOUT,
    );
  }
});
