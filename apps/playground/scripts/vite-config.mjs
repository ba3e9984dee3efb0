// The one Vite configuration of the playground, used by the dev server (start.mjs), `vite build`
// (vite.config.ts) and the preview server.
import { fileURLToPath } from "node:url";

export const APP_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** @typedef {{ mockUrl: string | null }} PlaygroundConfig */

/**
 * Serves `/playground-config.json`: how the page learns where the embedded mock API listens. The page
 * gets a URL only: credentials are fetched by the page from the mock itself, never baked into the build.
 * @param {() => PlaygroundConfig} getConfig
 * @returns {import("vite").Plugin}
 */
export function playgroundConfigPlugin(getConfig) {
  /** @type {import("vite").Connect.NextHandleFunction} */
  const handler = (req, res, next) => {
    if (req.url?.split("?")[0] !== "/playground-config.json") return next();
    res.setHeader("content-type", "application/json");
    res.setHeader("cache-control", "no-store");
    res.end(JSON.stringify(getConfig()));
  };
  return {
    name: "sdk-playground-config",
    configureServer(server) {
      server.middlewares.use(handler);
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler);
    },
  };
}

/**
 * @param {{ getConfig?: () => PlaygroundConfig, quiet?: boolean, cacheDir?: string }} [options]
 * @returns {import("vite").InlineConfig}
 */
export function playgroundViteConfig(options = {}) {
  const getConfig = options.getConfig ?? (() => ({ mockUrl: null }));
  return {
    configFile: false,
    root: APP_ROOT,
    logLevel: options.quiet ? "silent" : "warn",
    clearScreen: false,
    plugins: [playgroundConfigPlugin(getConfig)],
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    optimizeDeps: {
      // The SDKs are workspace links: pre-bundle them (with valibot and ofetch) up front, so the first
      // page load never triggers a "new dependency found, reloading" round trip. `force`, because a
      // rebuilt dist/ does not change the optimizer's hash.
      include: ["@sdk/auth", "@sdk/iam", "valibot"],
      noDiscovery: true,
      force: true,
    },
    build: { outDir: "dist", target: "es2022", emptyOutDir: true },
  };
}
