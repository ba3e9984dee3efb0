// The API reports (packages/*/etc/*.api.md, written by scripts/api-report.mjs): one per entry point of
// every published package, the READMEs of the SDKs list exactly what they export, and the check fails,
// naming `pnpm api:update`, when a surface and its report differ.
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { publishable, ROOT, removeDir, run, tempDir } from "./support/workspace.ts";

/** `@sdk/auth` → `auth`; `./schemas` → `auth-schemas`. */
const reportName = (name: string, subpath: string) =>
  `${name.split("/").pop()}${subpath === "." ? "" : `-${subpath.slice(2).replaceAll("/", "-")}`}`;

/** The names an API report says an entry point exports. */
function reportedNames(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const declared =
    /^export (?:declare )?(?:abstract )?(?:class|function|interface|type|const|enum|let) (\w+)/gm;
  const reexported = /^export \{ (\w+) \}/gm;
  return [...text.matchAll(declared), ...text.matchAll(reexported)].map((m) => m[1]!).sort();
}

/** The identifiers a README's "Exports" section lists, for the root and for `./schemas`. */
function readmeNames(dir: string, name: string): { root: string[]; schemas: string[] } {
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Exports"));
  const end = section.indexOf("\n## ", 1);
  const body = end === -1 ? section : section.slice(0, end);
  const split = body.indexOf(`\`${name}/schemas\` exports`);
  const ids = (text: string) => [...text.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!).sort();
  return { root: ids(body.slice(0, split)), schemas: ids(body.slice(split)) };
}

describe("API reports", () => {
  it.each(publishable().map((p) => [p.json.name, p] as const))("%s has one per entry point", (_, pkg) => {
    const subpaths = Object.keys(pkg.json.exports ?? {}).filter((s) => s !== "./package.json");
    for (const subpath of subpaths) {
      const file = join(pkg.abs, "etc", `${reportName(pkg.json.name, subpath)}.api.md`);
      expect(existsSync(file), file).toBe(true);
      expect(reportedNames(file).length).toBeGreaterThan(0);
    }
  });

  it.each(["@sdk/auth", "@sdk/iam"])("the README of %s lists exactly its exports", (name) => {
    const pkg = publishable().find((p) => p.json.name === name)!;
    const listed = readmeNames(pkg.abs, name);
    expect(listed.root).toEqual(reportedNames(join(pkg.abs, "etc", `${reportName(name, ".")}.api.md`)));
    expect(listed.schemas).toEqual(
      reportedNames(join(pkg.abs, "etc", `${reportName(name, "./schemas")}.api.md`)),
    );
  });
});

describe("the report check", { timeout: 120_000 }, () => {
  let copy: string | undefined;
  afterAll(() => removeDir(copy));

  it("fails on a stale report and says to run `pnpm api:update`", async () => {
    // A copy of @sdk/errors (no dependencies: its declarations resolve on their own), report tampered.
    copy = tempDir("api-report");
    const source = join(ROOT, "packages/errors");
    for (const part of ["package.json", "dist", "etc"])
      cpSync(join(source, part), join(copy, part), { recursive: true });
    const script = join(ROOT, "scripts/api-report.mjs");
    const clean = await run(process.execPath, [script, copy], { cwd: copy });
    expect(clean.code, clean.stderr).toBe(0);

    const report = join(copy, "etc/errors.api.md");
    writeFileSync(
      report,
      readFileSync(report, "utf8").replace("export class APIError", "export class APIErr"),
    );
    const stale = await run(process.execPath, [script, copy], { cwd: copy });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("packages/");
    expect(stale.stderr).toContain("Run `pnpm api:update`");
  });
});
