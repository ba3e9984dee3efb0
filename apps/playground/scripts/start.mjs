#!/usr/bin/env node
// `pnpm playground`: the embedded mock API plus the Vite dev server of the web playground.
// `--tour` runs the terminal tour instead; `--preview` serves the production build (`vite build` first).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startMockApi } from "@sdk/mock-api";
import { createServer, preview } from "vite";
import { APP_ROOT, playgroundViteConfig } from "./vite-config.mjs";

const DEFAULT_MOCK_PORT = 4010;
const DEFAULT_WEB_PORT = 5173;

/** @param {unknown} error */
const inUse = (error) => /** @type {{ code?: string }} */ (error)?.code === "EADDRINUSE";

/**
 * A free port on 127.0.0.1. Vite reads `port: 0` as "the default", so "any free port" is resolved here.
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the mock API and the web playground on 127.0.0.1.
 * @param {{ port?: number, mockPort?: number, quiet?: boolean, preview?: boolean }} [options]
 *   `port`/`mockPort`: `0` picks a free port; unset tries 5173 / 4010, then any free port.
 */
export async function startPlayground(options = {}) {
  const mock = await startMockApi({ port: options.mockPort ?? DEFAULT_MOCK_PORT }).catch((error) => {
    if (options.mockPort === undefined && inUse(error)) return startMockApi({ port: 0 });
    throw error;
  });
  // Each server pre-bundles the SDKs into its own cache: two playgrounds (or a test run next to
  // `pnpm playground`) must not rewrite each other's optimized deps mid-flight.
  const cacheDir = await mkdtemp(join(tmpdir(), "sdk-playground-vite-"));
  const config = playgroundViteConfig({
    getConfig: () => ({ mockUrl: mock.url }),
    quiet: options.quiet,
    cacheDir,
  });
  const cleanup = async () => {
    await mock.close();
    await rm(cacheDir, { recursive: true, force: true });
  };
  const host = "127.0.0.1";
  const port = options.port === 0 ? await freePort() : (options.port ?? DEFAULT_WEB_PORT);
  // An explicit port must be that port; the default may move to the next free one.
  const strictPort = options.port !== undefined;
  try {
    let server;
    if (options.preview) {
      if (!existsSync(join(APP_ROOT, "dist", "index.html"))) {
        throw new Error("no production build: run `pnpm --filter @sdk/playground build` first");
      }
      server = await preview({ ...config, preview: { host, port, strictPort, open: false } });
    } else {
      server = await createServer({ ...config, server: { host, port, strictPort, open: false } });
      await server.listen();
    }
    const url = server.resolvedUrls?.local[0] ?? `http://${host}:${port}/`;
    return {
      url,
      mockUrl: mock.url,
      mock,
      close: async () => {
        await server.close();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ tour: boolean, preview: boolean, quiet: boolean, port?: number, mockPort?: number }} */
  const args = { tour: false, preview: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${arg} expects a port number`);
      return n;
    };
    if (arg === "--tour") args.tour = true;
    else if (arg === "--preview") args.preview = true;
    else if (arg === "--quiet") args.quiet = true;
    else if (arg === "--port") args.port = value();
    else if (arg === "--mock-port") args.mockPort = value();
    else if (arg === "--help" || arg === "-h") {
      console.log(
        "usage: pnpm playground [--tour] [--preview] [--port <n>] [--mock-port <n>] [--quiet]\n" +
          "  --tour        run every operation once in the terminal instead of starting the web playground\n" +
          "  --preview     serve the production build (after `pnpm --filter @sdk/playground build`)\n" +
          "  --port        web port (default 5173, or the next free one; 0 = any free port)\n" +
          "  --mock-port   mock API port (default 4010, or any free one; 0 = any free port)",
      );
      process.exit(0);
    } else if (arg !== "--") throw new Error(`unknown option ${arg} (try --help)`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.tour) {
    const { runTour } = await import("./tour.mjs");
    const { ok } = await runTour();
    process.exit(ok ? 0 : 1);
  }
  const playground = await startPlayground(args);
  // Handlers before the banner: whoever reads the URLs may press Ctrl-C at once. Ctrl-C ends with exit
  // code 0 and no ELIFECYCLE from pnpm because the scripts `exec` node (the shell does not die of SIGINT).
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\n  stopping…");
    await playground.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  console.log(
    [
      "",
      "  @sdk/playground",
      "",
      `  Playground   ${playground.url}`,
      `  Mock API     ${playground.mockUrl}   (seeded credentials: GET ${playground.mockUrl}/__mock/credentials)`,
      "",
      "  Open the playground in a browser; press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
