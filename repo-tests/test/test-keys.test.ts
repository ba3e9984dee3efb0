// A hang waiting in the tests: on Node 20, exporting a KeyObject that came straight from
// generateKeyPairSync can deadlock the process (garbage collection frees the key-generation job while
// the key is exported; both wait on one mutex). Every key generation in the repository's tests and
// scripts must therefore ask for PEM encodings (then re-import), or use fixed fixtures.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/workspace.js";

const SKIP = new Set(["node_modules", "dist", ".turbo", "test-results", "results", ".git"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(m?[jt]s|tsx)$/.test(name) ? [path] : [];
  });
}

/** Each `generateKeyPair(Sync)(` call with the text of its argument list (balanced parentheses). */
function keyGenerations(text: string): string[] {
  const calls: string[] = [];
  for (const match of text.matchAll(/\bgenerateKeyPair(?:Sync)?\(/g)) {
    let depth = 1;
    let i = match.index + match[0].length;
    while (i < text.length && depth > 0) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
      i++;
    }
    calls.push(text.slice(match.index, i));
  }
  return calls;
}

describe("test keys are generated as PEM, never exported from a fresh KeyObject", () => {
  it("every generateKeyPair(Sync) call in packages, apps, quality and repo-tests asks for PEM encodings", () => {
    const offenders: string[] = [];
    let seen = 0;
    for (const top of ["packages", "apps", "quality", "repo-tests", "scripts"]) {
      for (const file of sources(join(ROOT, top))) {
        if (file === import.meta.filename) continue;
        for (const call of keyGenerations(readFileSync(file, "utf8"))) {
          seen++;
          const pem =
            /privateKeyEncoding/.test(call) && /publicKeyEncoding/.test(call) && /format:\s*"pem"/.test(call);
          if (!pem) offenders.push(`${relative(ROOT, file)}: ${call.slice(0, 80)}`);
        }
      }
    }
    expect(offenders).toEqual([]);
    expect(seen).toBeGreaterThan(0); // the scan does find the generations that exist
  });
});
