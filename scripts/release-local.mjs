// `pnpm release:local`: the whole release path against a throwaway registry, never touching this
// working tree.
//   1. starts Verdaccio (repo-tests' devDependency) on a free 127.0.0.1 port with a temporary storage:
//      `@sdk/*` and `@core/*` are served from that storage only (never proxied, so nothing real can
//      shadow them); every other package is proxied to the registry npm is configured with;
//   2. copies the repo (tracked + untracked files, no node_modules/dist) to a temp folder, and there runs
//      `changeset version`, builds the public packages and runs `changeset publish` against it;
//   3. in a fresh temp folder outside the workspace: `npm init -y && npm i @sdk/iam`, then loads it.
// Flags: --keep   keep the registry running (and print its URL) until Ctrl-C, to try more installs.
// repo-tests/test/release.test.ts drives the same functions and checks every step.
import { execFile, execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { workspaceDirs } from "./summary.mjs";
import { syncJsr } from "./sync-jsr.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CHANGESET_BIN = join(ROOT, "node_modules", "@changesets", "cli", "bin.js");
/** The scopes the local registry owns: served from its storage, never proxied. */
export const LOCAL_SCOPES = ["@sdk", "@core"];
const SKIP = new Set(["node_modules", "dist", ".turbo", "test-results", ".git"]);

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `sdk-${prefix}-`));
}

/** Runs a command without a shell; rejects with its output when it exits non-zero. */
export function exec(command, args, { cwd, env = process.env, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `\`${command} ${args.join(" ")}\` in ${cwd} failed: ${error.message}\n${stdout}\n${stderr}`,
            ),
          );
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** An environment for plain npm: no pnpm-injected `npm_config_*` settings, no workspace leaking in. */
export function npmEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !/^npm_config_(registry|cache|userconfig)$/i.test(key)) continue;
    if (/^pnpm_/i.test(key) || key === "PNPM_PACKAGE_NAME") continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    ...extra,
  };
}

/** The pnpm that runs this script, the one on PATH, or (neither) `npx pnpm@<packageManager version>`. */
export function pnpmCommand() {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath) && /\.(c?js|mjs)$/.test(execpath)) {
    return { command: process.execPath, prefix: [execpath] };
  }
  const onPath = (process.env.PATH ?? "")
    .split(delimiter)
    .map((dir) => dir && join(dir, process.platform === "win32" ? "pnpm.cmd" : "pnpm"))
    .find((file) => file && existsSync(file));
  // The absolute path: pnpmShim() puts a `pnpm` first on PATH, which must not find itself.
  if (onPath) return { command: onPath, prefix: [] };
  const pinned = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).packageManager ?? "pnpm";
  return { command: "npx", prefix: ["--yes", pinned.split("+")[0]] };
}

/** The registry npm is configured with here (the uplink), e.g. https://registry.npmjs.org/. */
export function configuredRegistry() {
  const fromEnv = process.env.npm_config_registry ?? process.env.NPM_CONFIG_REGISTRY;
  if (fromEnv && !/127\.0\.0\.1|localhost/.test(fromEnv)) return fromEnv;
  try {
    return execFileSync("npm", ["config", "get", "registry"], {
      cwd: tmpdir(),
      env: npmEnv(),
      encoding: "utf8",
    }).trim();
  } catch {
    return "https://registry.npmjs.org/";
  }
}

/**
 * Verdaccio on 127.0.0.1:<free port>, storage in a temp folder, one user whose token can publish.
 * Returns { url, npmrc (a userconfig: registry + token), env (npm env using it), close() }.
 */
export async function startLocalRegistry({ uplink = configuredRegistry() } = {}) {
  const dir = tempDir("registry");
  const scoped = LOCAL_SCOPES.map(
    (scope) =>
      `  '${scope}/*':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`,
  ).join("");
  writeFileSync(
    join(dir, "config.yaml"),
    `storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 1
uplinks:
  npmjs:
    url: ${JSON.stringify(uplink)}
    timeout: 60s
    max_fails: 5
packages:
${scoped}  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
max_body_size: 20mb
log: { type: stdout, format: pretty, level: error }
`,
  );
  // Verdaccio is a devDependency of repo-tests (it is not needed at runtime by anything else).
  const require = createRequire(join(ROOT, "repo-tests", "package.json"));
  const { runServer } = require("verdaccio");
  const app = await runServer(join(dir, "config.yaml"));
  const server = await new Promise((resolve, reject) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const close = async () => {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
    if (!process.env.KEEP_TEMP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const res = await fetch(`${url}-/user/org.couchdb.user:release`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "release", password: "local-only-password" }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await res.json();
    if (!res.ok || typeof body.token !== "string") throw new Error(`verdaccio: no token (${res.status})`);
    const npmrc = join(dir, "npmrc");
    const hostPath = url.replace(/^http:/, "");
    writeFileSync(npmrc, `registry=${url}\n${hostPath}:_authToken=${body.token}\n`);
    const env = npmEnv({ npm_config_registry: url, npm_config_userconfig: npmrc });
    return { url, uplink, npmrc, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The repo as it is now (tracked + untracked-but-not-ignored files), without node_modules, dist or .git,
 * in a temp folder. The root node_modules is linked in (the changesets CLI and its changelog generator);
 * with `packageModules`, each workspace package's node_modules too (to build in the copy).
 * Pending changesets are dropped unless `keepChangesets`.
 */
export function copyRepo({ keepChangesets = false, packageModules = false, prefix = "changesets" } = {}) {
  const dir = tempDir(prefix);
  let files;
  try {
    files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .split("\0")
      .filter(Boolean);
  } catch {
    files = undefined; // not a git checkout: copy the tree instead
  }
  if (files) {
    for (const file of files) {
      if (file.split("/").some((part) => SKIP.has(part))) continue;
      const from = join(ROOT, file);
      if (!existsSync(from)) continue; // deleted in the working tree
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(from, join(dir, file), { dereference: false });
    }
  } else {
    cpSync(ROOT, dir, {
      recursive: true,
      filter: (src) =>
        !src
          .slice(ROOT.length)
          .split(/[\\/]/)
          .some((part) => SKIP.has(part)),
    });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "junction");
  if (packageModules) {
    for (const ws of workspaceDirs(ROOT)) {
      if (existsSync(join(ROOT, ws, "node_modules")) && existsSync(join(dir, ws)))
        linkModules(join(ROOT, ws, "node_modules"), join(dir, ws, "node_modules"), dir);
    }
  }
  if (!keepChangesets) {
    for (const file of readdirSync(join(dir, ".changeset"))) {
      if (file.endsWith(".md") && file !== "README.md") rmSync(join(dir, ".changeset", file));
    }
  }
  return dir;
}

/**
 * A package's node_modules for the copy: third-party entries link to the real ones, workspace packages
 * to their counterparts IN THE COPY (pnpm reads a `workspace:^` dependency's version from there when it
 * packs, so a link to this working tree would publish the old range).
 */
function linkModules(from, to, copyRoot) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === ".bin") continue;
    if (entry.name.startsWith("@") && entry.isDirectory()) {
      linkModules(join(from, entry.name), join(to, entry.name), copyRoot);
      continue;
    }
    const real = realpathSync(join(from, entry.name));
    const inWorkspace = !relative(ROOT, real).startsWith("..") && !real.includes(`${sep}node_modules${sep}`);
    symlinkSync(inWorkspace ? join(copyRoot, relative(ROOT, real)) : real, join(to, entry.name), "junction");
  }
}

/**
 * A folder holding a `pnpm` that runs pnpmCommand(): `changeset publish` spawns `pnpm` from PATH, and
 * in CI pnpm may be `npx pnpm@…` or the script pnpm runs this from. Created inside `parent`.
 */
function pnpmShim(parent) {
  const { command, prefix } = pnpmCommand();
  const bin = join(parent, ".pnpm-shim");
  mkdirSync(bin, { recursive: true });
  const quote = (s) => `'${s.replace(/'/g, "'\\''")}'`;
  writeFileSync(join(bin, "pnpm"), `#!/bin/sh\nexec ${[command, ...prefix].map(quote).join(" ")} "$@"\n`);
  chmodSync(join(bin, "pnpm"), 0o755);
  return bin;
}

/** The public workspace packages of `root`: { dir, name, version, private }. */
export function publicPackages(root) {
  return workspaceDirs(root)
    .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) }))
    .filter((p) => !p.private);
}

/**
 * In the copy `root`: `changeset version`, build every public package (its version is compiled in),
 * `changeset publish` to `registry`. Returns the `name@version`s changesets published.
 */
export async function versionBuildPublish(root, registry, { log = () => {} } = {}) {
  const env = { ...registry.env, PATH: `${pnpmShim(root)}${delimiter}${process.env.PATH ?? ""}` };
  const pnpm = pnpmCommand();
  const before = new Map(publicPackages(root).map((p) => [p.name, p.version]));
  log("changeset version");
  await exec(process.execPath, [CHANGESET_BIN, "version"], { cwd: root, env, timeoutMs: 60_000 });
  syncJsr(root); // as `pnpm version-packages` does
  // A package whose version changed is built in the copy (the SDKs compile their version in). The
  // others are the versions this working tree built (turbo): their dist is copied over as it is.
  const changed = [];
  for (const pkg of publicPackages(root)) {
    if (pkg.version !== before.get(pkg.name)) changed.push(pkg.name);
    else if (!existsSync(join(root, pkg.dir, "dist"))) {
      if (!existsSync(join(ROOT, pkg.dir, "dist")))
        throw new Error(`${pkg.name} is not built: run \`pnpm turbo run build --filter=./packages/*\``);
      cpSync(join(ROOT, pkg.dir, "dist"), join(root, pkg.dir, "dist"), { recursive: true });
    }
  }
  if (changed.length) {
    log(`build ${changed.join(", ")}`);
    const filters = changed.flatMap((name) => ["--filter", name]);
    await exec(pnpm.command, [...pnpm.prefix, "-r", ...filters, "run", "build"], {
      cwd: root,
      env,
      timeoutMs: 300_000,
    });
  }
  log(`changeset publish --registry ${registry.url}`);
  const { stdout, stderr } = await exec(process.execPath, [CHANGESET_BIN, "publish"], {
    cwd: root,
    env,
    timeoutMs: 300_000,
  });
  const output = `${stdout}\n${stderr}`;
  // changesets prints "New tag:  @sdk/iam@0.2.0" for each package it published.
  return [...output.matchAll(/New tag:\s+(\S+@\d+\.\d+\.\d+\S*)/g)].map((m) => m[1]).sort();
}

/**
 * `npm init -y`, then each npm command (default `npm i @sdk/iam`), in a fresh temp folder outside the
 * workspace, from the local registry. Returns the folder.
 */
export async function installByName(registry, commands = [["i", "@sdk/iam"]], { prefix = "consumer" } = {}) {
  const project = tempDir(prefix);
  const env = { ...registry.env, npm_config_cache: join(project, ".npm-cache") };
  await exec("npm", ["init", "-y"], { cwd: project, env });
  for (const args of commands) await exec("npm", args, { cwd: project, env, timeoutMs: 240_000 });
  return project;
}

async function main() {
  const keep = process.argv.includes("--keep");
  const log = (line) => console.log(`release:local: ${line}`);
  const registry = await startLocalRegistry();
  log(`registry ${registry.url} (uplink ${registry.uplink})`);
  const root = copyRepo({ keepChangesets: true, packageModules: true, prefix: "release" });
  let project;
  try {
    log(`copy of the repo: ${root}`);
    const published = await versionBuildPublish(root, registry, { log });
    log(`published: ${published.join(", ") || "(nothing)"}`);
    project = await installByName(registry);
    const { stdout } = await exec(
      process.execPath,
      ["-e", 'const m = require("@sdk/iam"); console.log(typeof m.IamClient)'],
      { cwd: project },
    );
    log(`npm init -y && npm i @sdk/iam in ${project}: require("@sdk/iam").IamClient is a ${stdout.trim()}`);
    if (keep) {
      log(`registry still running: npm i <pkg> --registry ${registry.url}  (Ctrl-C to stop)`);
      await new Promise((resolve) => process.once("SIGINT", resolve));
    }
  } finally {
    await registry.close();
    if (!process.env.KEEP_TEMP) {
      rmSync(root, { recursive: true, force: true });
      if (project) rmSync(project, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
