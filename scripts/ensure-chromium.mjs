// Makes sure a Chromium binary exists for the browser tests (apps/playground e2e).
// Present: prints where and exits 0. Missing and root on Debian: `apt-get install -y chromium`, quietly.
// Exits 0 only if chromium ends up available. Idempotent: run it as often as you like.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noUndeclaredEnvVars: declared where turbo runs this script (apps/playground/turbo.json test.env)
const binary = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isDebian() {
  if (existsSync("/etc/debian_version")) return true;
  try {
    return /^(ID|ID_LIKE)=.*debian/m.test(readFileSync("/etc/os-release", "utf8"));
  } catch {
    return false;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    if (result.error) console.error(result.error.message);
    console.error(`ensure-chromium: \`${command} ${args.join(" ")}\` failed (exit ${result.status})`);
  }
  return result.status === 0;
}

if (executable(binary)) {
  console.log(`ensure-chromium: chromium present at ${binary}`);
  process.exit(0);
}

const root = typeof process.getuid === "function" && process.getuid() === 0;
if (!root || !isDebian()) {
  console.error(
    `ensure-chromium: ${binary} is missing and cannot be installed here (${root ? "not Debian" : "not root"}); ` +
      "install chromium or set CHROMIUM_PATH",
  );
  process.exit(1);
}

console.log(
  `ensure-chromium: ${binary} missing, installing it: apt-get update && apt-get install -y chromium`,
);
const ok =
  run("apt-get", ["update", "-qq"]) &&
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"]);
if (ok && executable(binary)) process.exit(0);
if (ok && binary !== "/usr/bin/chromium" && executable("/usr/bin/chromium")) {
  console.error(`ensure-chromium: installed /usr/bin/chromium, but CHROMIUM_PATH=${binary} is still missing`);
}
console.error(`ensure-chromium: chromium is still not available at ${binary}`);
process.exit(1);
