// API reports: the public surface of every published package, as API Extractor sees it in the built
// declarations (dist/*.d.ts), committed as packages/<pkg>/etc/<name>.api.md.
//
//   node scripts/api-report.mjs [dir...]            check: exit 1 if a surface differs from its report
//   node scripts/api-report.mjs --update [dir...]   rewrite the reports (`pnpm api:update` builds first)
//
// With no dir, every non-private package under packages/. Each entry of a package's `exports` map
// (".", "./schemas", ...) gets its own report: `<name>.api.md` for ".", `<name>-<subpath>.api.md` else.
// Each package's `lint:pkg` runs the check on itself, so `pnpm test` fails when a report is stale.
// An `ae-forgotten-export` (a public signature naming a type that is not exported) is an error.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "../..");
// Resolved from the repository root: the script also runs with a package as the working directory.
const { Extractor, ExtractorConfig } = createRequire(join(root, "package.json"))("@microsoft/api-extractor");

const args = process.argv.slice(2);
const update = args.includes("--update");
const dirs = args.filter((a) => !a.startsWith("--")).map((d) => resolve(d));
const packages = dirs.length
  ? dirs
  : readdirSync(join(root, "packages"))
      .map((d) => join(root, "packages", d))
      .filter((d) => {
        try {
          return !JSON.parse(readFileSync(join(d, "package.json"), "utf8")).private;
        } catch {
          return false;
        }
      });

/** Every report-worthy message is an error: a clean run has none. */
const messages = {
  compilerMessageReporting: { default: { logLevel: "error" } },
  extractorMessageReporting: {
    default: { logLevel: "error" },
    "ae-forgotten-export": { logLevel: "error", addToApiReportFile: false },
    // Release tags (@public/@beta) are not used in this repo: everything exported is public.
    "ae-missing-release-tag": { logLevel: "none" },
    // Documentation coverage is not what the report guards (the READMEs document the API).
    "ae-undocumented": { logLevel: "none" },
  },
  // Doc comments are prose for editors, not TSDoc: their syntax is not part of the surface.
  tsdocMessageReporting: { default: { logLevel: "none" } },
};

/** `.` → dist/index.d.ts; `./schemas` → dist/schemas.d.ts (the ESM `types` condition). */
function entries(dir, pkg) {
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? { ".": {} })) {
    if (subpath === "./package.json") continue;
    const types = target?.import?.types ?? pkg.types;
    const suffix = subpath === "." ? "" : `-${subpath.slice(2).replaceAll("/", "-")}`;
    out.push({ subpath, file: join(dir, types), report: `${pkg.name.split("/").pop()}${suffix}` });
  }
  return out;
}

/**
 * The declaration bundler numbers the namespace imports it emits (`_core_http0`, `_core_http1`) in build
 * order, which differs between a fresh and an incremental build: the number is not API, so reports are
 * kept and compared with it removed.
 */
function withoutAliasNumbers(text) {
  let out = text;
  for (const [, alias, base] of text.matchAll(/^import \* as ((\w+?)\d+) from '[^']+';$/gm))
    out = out.replace(new RegExp(`\\b${alias}\\b`, "g"), base);
  return out;
}

const temp = mkdtempSync(join(tmpdir(), "api-report-"));
const stale = [];
let failed = false;
try {
  for (const dir of packages) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (update) mkdirSync(join(dir, "etc"), { recursive: true });
    for (const entry of entries(dir, pkg)) {
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: dir,
          mainEntryPointFilePath: entry.file,
          compiler: {
            overrideTsconfig: {
              compilerOptions: {
                target: "ES2022",
                module: "ESNext",
                moduleResolution: "Bundler",
                lib: ["ES2023", "DOM", "DOM.Iterable"],
                strict: true,
                types: [],
                skipLibCheck: true,
              },
              files: [entry.file],
            },
            skipLibCheck: true,
          },
          apiReport: {
            enabled: true,
            reportFileName: entry.report,
            reportFolder: join(dir, "etc"),
            reportTempFolder: temp,
          },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          messages,
        },
        configObjectFullPath: join(dir, "api-extractor.json"), // virtual: nothing is read from it
        packageJsonFullPath: join(dir, "package.json"),
      });
      const problems = [];
      const result = Extractor.invoke(config, {
        localBuild: update,
        messageCallback(message) {
          // A changed or missing report is summed up below, with what to do about it.
          const aboutReport = message.messageId.startsWith("console-api-report");
          if (!aboutReport && (message.logLevel === "error" || message.logLevel === "warning")) {
            problems.push(
              `${message.messageId}: ${message.text} (${basename(message.sourceFilePath ?? "")})`,
            );
          }
          message.handled = true;
        },
      });
      const where = `${pkg.name}${entry.subpath === "." ? "" : entry.subpath.slice(1)}`;
      for (const p of problems) console.error(`${where}: ${p}`);
      if (problems.length || (!result.succeeded && !result.apiReportChanged)) failed = true;
      const kept = join(dir, "etc", `${entry.report}.api.md`);
      const fresh = withoutAliasNumbers(readFileSync(join(temp, `${entry.report}.api.md`), "utf8"));
      const before = existsSync(kept) ? readFileSync(kept, "utf8") : undefined;
      if (update) writeFileSync(kept, fresh); // API Extractor wrote it with the numbers: keep it without
      if (before === undefined || withoutAliasNumbers(before) !== fresh)
        stale.push(`packages/${basename(dir)}/etc/${entry.report}.api.md`);
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

if (update) {
  console.log(stale.length ? `updated: ${stale.join(", ")}` : "API reports: all up to date");
} else if (stale.length) {
  console.error(
    `\nThe public API changed, but its report does not say so: ${stale.join(", ")}.\n` +
      "Run `pnpm api:update` and commit the report (review the diff: it is the API change).",
  );
  failed = true;
}
process.exit(failed ? 1 : 0);
