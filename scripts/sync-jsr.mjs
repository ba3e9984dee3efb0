// After `changeset version`: copies each public package's new version into its jsr.json (changesets
// knows package.json only). Part of `pnpm version-packages`; runtimes/test/jsr.test.ts checks they agree.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { workspaceDirs } from "./summary.mjs";

export function syncJsr(root = ".") {
  const changed = [];
  for (const dir of workspaceDirs(root)) {
    const file = join(root, dir, "jsr.json");
    if (!existsSync(file)) continue;
    const { version } = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
    const jsr = JSON.parse(readFileSync(file, "utf8"));
    if (jsr.version === version) continue;
    jsr.version = version;
    writeFileSync(file, `${JSON.stringify(jsr, null, 2)}\n`);
    changed.push(`${jsr.name}@${version}`);
  }
  return changed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const changed = syncJsr();
  console.log(changed.length ? `jsr.json: ${changed.join(", ")}` : "jsr.json: every version already matches");
}
