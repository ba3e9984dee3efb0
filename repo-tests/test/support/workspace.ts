// Helpers shared by the repo-level tests: where the workspace is, which packages it has, running commands.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { npmEnv, pnpmCommand } from "../../../scripts/release-local.mjs";
import { workspaceDirs } from "../../../scripts/summary.mjs";

export { npmEnv, pnpmCommand };

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Our scopes: a dependency named `@sdk/*` or `@core/*` is one of ours. */
export const isInternalName = (name: string) => name.startsWith("@sdk/") || name.startsWith("@core/");

export interface PackageJson {
  name: string;
  version: string;
  license?: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean | string[];
  main?: string;
  module?: string;
  types?: string;
  bin?: string | Record<string, string>;
  files?: string[];
  exports?: any;
  engines?: Record<string, string>;
  publishConfig?: Record<string, string>;
  repository?: { type?: string; url?: string; directory?: string } | string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** Folder relative to the repo root, with forward slashes: `packages/iam`. */
  dir: string;
  abs: string;
  json: PackageJson;
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

// The folders pnpm-workspace.yaml names: the same list `pnpm test` counts reports from.
export { workspaceDirs };

export function workspacePackages(root = ROOT): WorkspacePackage[] {
  return workspaceDirs(root).map((dir) => ({
    dir,
    abs: join(root, dir),
    json: readJson<PackageJson>(join(root, dir, "package.json")),
  }));
}

export const publishable = (root = ROOT) => workspacePackages(root).filter((p) => !p.json.private);

export function byName(name: string, root = ROOT): WorkspacePackage {
  const found = workspacePackages(root).find((p) => p.json.name === name);
  if (!found) throw new Error(`no workspace package named ${name}`);
  return found;
}

/** `name` plus every workspace package it needs at runtime (`dependencies`, transitively). */
export function runtimeClosure(name: string, root = ROOT): string[] {
  const all = new Map(workspacePackages(root).map((p) => [p.json.name, p]));
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    const pkg = all.get(n);
    if (!pkg) throw new Error(`${n} is not a workspace package`);
    seen.add(n);
    for (const dep of Object.keys(pkg.json.dependencies ?? {})) if (all.has(dep)) visit(dep);
  };
  visit(name);
  return [...seen].sort();
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sdk-repo-tests-${prefix}-`));
}

export function removeDir(dir: string | undefined) {
  if (dir && !process.env.KEEP_TEMP) rmSync(dir, { recursive: true, force: true });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never rejects: check `code`. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && !stderr ? String(error.message) : stderr });
      },
    );
  });
}

/** Like `run`, but throws with the command's output when it exits non-zero. */
export async function runOk(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `\`${command} ${args.join(" ")}\` in ${options.cwd} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Sum of the sizes of every file under `dir` (symlinks are not followed). */
export function dirSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Every file under `dir`, relative to it, with forward slashes; `skip` names folders not to enter. */
export function listFiles(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!skip.includes(entry.name)) walk(path);
      } else out.push(relative(dir, path).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** `pnpm pack` each named workspace package into `dest`; returns name → tarball path. */
export async function packPackages(names: string[], dest: string): Promise<Map<string, string>> {
  const pnpm = pnpmCommand();
  const tarballs = new Map<string, string>();
  await Promise.all(
    names.map(async (name) => {
      const pkg = byName(name);
      const missing = ["dist"].filter((d) => !existsSync(join(pkg.abs, d)));
      if (missing.length)
        throw new Error(`${name} is not built (no ${pkg.dir}/dist): run \`pnpm turbo run build\``);
      const out = join(dest, name.replace("@", "").replace("/", "-"));
      await runOk(pnpm.command, [...pnpm.prefix, "pack", "--pack-destination", out], {
        cwd: pkg.abs,
        timeoutMs: 60_000,
      });
      const file = readdirSync(out).find((f) => f.endsWith(".tgz"));
      if (!file) throw new Error(`pnpm pack wrote no tarball for ${name} into ${out}`);
      tarballs.set(name, join(out, file));
    }),
  );
  return tarballs;
}
