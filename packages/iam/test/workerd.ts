// Runs a module worker in workerd (Cloudflare's runtime) through miniflare, with the BUILT @sdk/iam
// bundled in the way a Workers app would bundle it (esbuild, ESM, the `workerd`/`worker`/`browser`
// conditions). Reusable: any test can hand it a worker's source and its bindings.
import { join } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const PACKAGE_ROOT = join(import.meta.dirname, "..");

export interface Worker {
  /** Sends a request to the worker; rejects after `timeoutMs` (default 20 s) instead of hanging. */
  fetch(path: string, timeoutMs?: number): Promise<Response>;
  dispose(): Promise<void>;
}

/** Bundles `source` (a module worker; it may import "@sdk/iam") with the package's dist. */
export async function bundleWorker(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: PACKAGE_ROOT, loader: "ts", sourcefile: "worker.ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    // The built package, not src: what an app installs.
    alias: { "@sdk/iam": join(PACKAGE_ROOT, "dist", "index.js") },
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** Starts workerd with one module worker (its module scope lives across requests: one isolate). */
export async function startWorker(source: string, bindings: Record<string, string>): Promise<Worker> {
  const script = await bundleWorker(source);
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    bindings,
  });
  await mf.ready;
  return {
    async fetch(path, timeoutMs = 20_000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the worker did not answer ${path} within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        return (await Promise.race([
          mf.dispatchFetch(`http://worker.local${path}`),
          timeout,
        ])) as unknown as Response;
      } finally {
        clearTimeout(timer);
      }
    },
    dispose: () => mf.dispose(),
  };
}
