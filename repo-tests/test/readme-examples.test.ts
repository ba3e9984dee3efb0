// Every ```ts block of every README (root, packages/*, apps/*) is compiled here, each block alone, the way
// a user who copies it compiles it: with the minimal tsconfig.json the root README documents, against the
// packages' published types (`@sdk/auth` resolves through node_modules and the package's `exports` to
// dist/*.d.ts, so build first: `pnpm test` does). One checker for every README: a new README or a new
// block is picked up without registering it.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { isInternalName, publishable, ROOT, removeDir, tempDir } from "./support/workspace.ts";

const HERE = join(ROOT, "repo-tests");

/** The READMEs a user reads: the root one and each package's and app's. */
function readmes(): string[] {
  const found = ["README.md"];
  for (const group of ["packages", "apps"]) {
    for (const dir of readdirSync(join(ROOT, group)).sort()) {
      try {
        readFileSync(join(ROOT, group, dir, "README.md"));
        found.push(`${group}/${dir}/README.md`);
      } catch {}
    }
  }
  return found;
}

/** The fenced blocks of one language in a markdown text, with the line each starts on. */
export function fencedBlocks(markdown: string, lang: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== `\`\`\`${lang}`) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "```") end++;
    out.push({ line: start + 1, text: `${lines.slice(start, end).join("\n")}\n` });
    i = end;
  }
  return out;
}

const ROOT_README = readFileSync(join(ROOT, "README.md"), "utf8");
/** The tsconfig.json the root README tells users to start from (the json block under "TypeScript setup"). */
const TSCONFIG_TEXT = (() => {
  const section = ROOT_README.split(/^## TypeScript setup$/m)[1]?.split(/^## /m)[0] ?? "";
  return fencedBlocks(section, "json")[0]?.text ?? "";
})();

const BLOCKS = readmes().flatMap((readme) =>
  fencedBlocks(readFileSync(join(ROOT, readme), "utf8"), "ts").map((b) => ({ readme, ...b })),
);

// Virtual files live in this package (its package.json says "type": "module", and every published
// package is a devDependency here), so imports resolve as they do in a user's project.
const VIRTUAL_DIR = join(HERE, "__readme__");
const fileName = (b: { readme: string; line: number }) =>
  join(VIRTUAL_DIR, `${b.readme.replace(/\/?README\.md$/, "").replaceAll("/", "-") || "root"}-L${b.line}.ts`);

function compile(
  files: Map<string, string>,
  options: ts.CompilerOptions,
): { file: string; message: string; code: number }[] {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name) ?? ts.sys.readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file
      ? `${relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "",
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    code: d.code,
  }));
}

function readmeOptions(): ts.CompilerOptions {
  const json = ts.parseConfigFileTextToJson("tsconfig.json", TSCONFIG_TEXT);
  if (json.error) throw new Error(ts.flattenDiagnosticMessageText(json.error.messageText, "\n"));
  const parsed = ts.convertCompilerOptionsFromJson(json.config.compilerOptions, VIRTUAL_DIR);
  if (parsed.errors.length) throw new Error(parsed.errors.map((e) => e.messageText).join("\n"));
  return { ...parsed.options, noEmit: true };
}

describe("README TypeScript blocks", { timeout: 120_000 }, () => {
  it("finds the blocks of every README", () => {
    const per = new Map<string, number>();
    for (const b of BLOCKS) per.set(b.readme, (per.get(b.readme) ?? 0) + 1);
    expect(per.get("packages/auth/README.md")).toBeGreaterThanOrEqual(15);
    expect(per.get("packages/iam/README.md")).toBeGreaterThanOrEqual(10);
    expect(per.get("README.md")).toBeGreaterThanOrEqual(2);
  });

  it("every workspace package a block imports is installed here (a devDependency of repo-tests)", () => {
    const deps = Object.keys(JSON.parse(readFileSync(join(HERE, "package.json"), "utf8")).devDependencies);
    for (const b of BLOCKS) {
      for (const [, spec] of b.text.matchAll(/from "(@[^"/]+\/[^"/]+)/g)) {
        if (isInternalName(spec!)) expect(deps, `${b.readme}:${b.line} imports ${spec}`).toContain(spec);
      }
    }
    // And every published package, so a new package's README is checked like the others.
    for (const p of publishable()) expect(deps, p.json.name).toContain(p.json.name);
  });

  it("each block imports what it uses (a module on its own, nothing from another block)", () => {
    const without = BLOCKS.filter((b) => !/^import /m.test(b.text)).map((b) => `${b.readme}:${b.line}`);
    expect(without).toEqual([]);
  });

  it("each block compiles alone with the README's tsconfig.json against the built packages", () => {
    const files = new Map(BLOCKS.map((b) => [fileName(b), b.text]));
    // Each block a program of its own would take minutes; one program is the same check because each
    // file is an ES module ("type": "module" + NodeNext), so no name leaks from one block to another.
    const errors = compile(files, readmeOptions());
    expect(errors.map((e) => `${e.file} TS${e.code} ${e.message}`)).toEqual([]);
  });

  it("would catch a broken block", () => {
    const broken = 'import { AuthClient } from "@sdk/auth";\nawait new AuthClient().getUser({ bogus: 1 });\n';
    const errors = compile(new Map([[join(VIRTUAL_DIR, "broken.ts"), broken]]), readmeOptions());
    expect(errors.map((e) => e.message).join("\n")).toMatch(/bogus/);
  });
});

describe("the minimal tsconfig.json in the root README", { timeout: 120_000 }, () => {
  // A fresh project, as a user has it: package.json with "type": "module", the packages installed,
  // one file importing the SDK. `tsc` itself runs, not the compiler API.
  const dir = tempDir("tsconfig");
  afterAll(() => removeDir(dir));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  symlinkSync(join(HERE, "node_modules"), join(dir, "node_modules"), "dir");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "main.ts"), BLOCKS.find((b) => b.readme === "README.md")?.text ?? "");
  const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: "utf8" });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it("is documented", () => {
    expect(TSCONFIG_TEXT).toContain('"compilerOptions"');
  });

  it("is needed: without one, tsc's defaults (ES5) fail on the SDK's declarations (TS18028)", () => {
    const { status, out } = run("--noEmit", "src/main.ts");
    expect(status).not.toBe(0);
    expect(out).toContain("TS18028");
  });

  it("is enough: with it, `tsc` compiles the README's first example", () => {
    writeFileSync(join(dir, "tsconfig.json"), TSCONFIG_TEXT);
    const { status, out } = run("--noEmit");
    expect(out).toBe("");
    expect(status).toBe(0);
  });
});
