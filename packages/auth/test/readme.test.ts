// The README's examples are part of the API: every ```ts block is compiled, alone, against the built
// package by the repository's one README checker (repo-tests/test/readme-examples.test.ts). Here: the
// README covers every operation, and the declarations carry the @deprecated tags editors show.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const BLOCKS = [...README.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

function parsedConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error("no tsconfig.json");
  return parsed;
}

/**
 * Type-checks in-memory modules placed in this package (so `@sdk/auth`, valibot and @types/node
 * resolve as for a file on disk). `built: true` drops the `paths` mapping: `@sdk/auth` then resolves,
 * as a package self-reference, to dist/*.d.ts.
 */
function compile(files: readonly string[], built: boolean, oldProgram?: ts.Program) {
  const { options } = parsedConfig();
  if (built) delete options.paths;
  const virtual = new Map(
    files.map((text, i) => [join(ROOT, "test", "__readme__", `block-${i + 1}.ts`), text]),
  );
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtual.get(name);
    return text === undefined
      ? getSourceFile(name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  host.fileExists = (name) => virtual.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => virtual.get(name) ?? ts.sys.readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host, oldProgram);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  return { program, files: [...virtual.keys()], errors };
}

// One program per mode (the probe below), built once: a program takes seconds. Programs
// of the two modes are never reused for each other: their module resolution differs.
const PROBE = [
  'import type { ApiKeyDetails } from "@sdk/auth";',
  "declare const d: ApiKeyDetails;",
  "export const a = d.featureFlags;",
  "export const b = d.enabledFeatures;",
].join("\n");
const programs = new Map<boolean, ReturnType<typeof compile>>();
function checked(built: boolean): ReturnType<typeof compile> {
  let result = programs.get(built);
  if (!result) programs.set(built, (result = compile([PROBE], built)));
  return result;
}

describe("README.md", { timeout: 60_000 }, () => {
  it("has a ts example for every operation, class and standalone", () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(15);
    for (const op of ["validateApiKey", "getUser", "getAccessToken", "getAccess"]) {
      expect(
        BLOCKS.some((b) => b.includes(`auth.${op}(`)),
        `auth.${op}(`,
      ).toBe(true);
      expect(
        BLOCKS.some((b) => b.includes(`await ${op}(core`)),
        `${op}(core`,
      ).toBe(true);
      expect(README).toContain(`### ${op}`);
    }
  });
});

describe("declarations", { timeout: 60_000 }, () => {
  it.each([
    ["the source", false],
    ["the built declarations", true],
  ])("mark ApiKeyDetails.featureFlags @deprecated in %s", (_label, built) => {
    const { program, files } = checked(built);
    const checker = program.getTypeChecker();
    const tags: Record<string, string[]> = {};
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        const symbol = checker.getSymbolAtLocation(node.name);
        tags[node.name.text] = symbol?.getJsDocTags(checker).map((t) => t.name) ?? [];
      }
      ts.forEachChild(node, visit);
    };
    visit(program.getSourceFile(files.at(-1)!)!);
    expect(tags).toEqual({ featureFlags: ["deprecated"], enabledFeatures: [] });
  });
});
