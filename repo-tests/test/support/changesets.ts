// Runs the real `changeset version` on a throwaway copy of the repo.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyRepo as copyRepoFiles } from "../../../scripts/release-local.mjs";
import { ROOT, readJson, removeDir, runOk, workspaceDirs } from "./workspace.ts";

export const CHANGESET_BIN = join(ROOT, "node_modules", "@changesets", "cli", "bin.js");

/** The repo as it is now, without node_modules or pending changesets (the one `pnpm release:local` uses). */
export const copyRepo = () => copyRepoFiles();

export interface Snapshot {
  /** dir → package.json text and CHANGELOG.md text (null when missing), for every workspace package. */
  [dir: string]: { packageJson: string; changelog: string | null };
}

export function snapshot(root: string): Snapshot {
  const out: Snapshot = {};
  for (const dir of workspaceDirs(root)) {
    const changelog = join(root, dir, "CHANGELOG.md");
    out[dir] = {
      packageJson: readFileSync(join(root, dir, "package.json"), "utf8"),
      changelog: existsSync(changelog) ? readFileSync(changelog, "utf8") : null,
    };
  }
  return out;
}

/** Which files changed between two snapshots, as `dir/package.json` / `dir/CHANGELOG.md`. */
export function changedFiles(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const dir of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[dir]?.packageJson !== after[dir]?.packageJson) changed.push(`${dir}/package.json`);
    if (before[dir]?.changelog !== after[dir]?.changelog) changed.push(`${dir}/CHANGELOG.md`);
  }
  return changed.sort();
}

export type Bump = "patch" | "minor" | "major";

/** Writes one changeset file into the copy. */
export function writeChangeset(root: string, id: string, releases: Record<string, Bump>, summary: string) {
  const header = Object.entries(releases)
    .map(([name, bump]) => `"${name}": ${bump}`)
    .join("\n");
  writeFileSync(join(root, ".changeset", `${id}.md`), `---\n${header}\n---\n\n${summary}\n`);
}

export function editJson(file: string, edit: (json: any) => void) {
  const json = readJson(file);
  edit(json);
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

/** `changeset version` in `root`, with the changesets CLI of the real repo. */
export async function changesetVersion(root: string): Promise<string> {
  return runOk(process.execPath, [CHANGESET_BIN, "version"], { cwd: root, timeoutMs: 60_000 });
}

/**
 * A fresh copy; `prepare` may edit it (config, package.json files) and write changesets; then
 * `changeset version`. Returns the snapshots before and after and the copy's root (removed afterwards).
 */
export async function versionInCopy(prepare: (root: string) => void) {
  const root = copyRepo();
  try {
    prepare(root);
    const before = snapshot(root);
    const output = await changesetVersion(root);
    const after = snapshot(root);
    const pending = readdirSync(join(root, ".changeset")).filter(
      (f) => f.endsWith(".md") && f !== "README.md",
    );
    return { before, after, changed: changedFiles(before, after), output, pending };
  } finally {
    removeDir(root);
  }
}

export function inc(version: string, bump: Bump): string {
  const m = version.match(/^(\d+)\.(\d+)\.(\d+)$/);
  if (!m) throw new Error(`expected a plain x.y.z version, got ${version}`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Does `version` satisfy the caret range `^base` (what `workspace:^` publishes as)? */
export function satisfiesCaret(version: string, base: string): boolean {
  const parse = (v: string) => v.split(".").map(Number) as [number, number, number];
  const [a, b, c] = parse(version);
  const [x, y, z] = parse(base);
  const gte = a !== x ? a > x : b !== y ? b > y : c >= z;
  if (!gte) return false;
  if (x > 0) return a === x;
  if (y > 0) return a === 0 && b === y;
  return a === 0 && b === 0 && c === z;
}
