import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const QUALITY_DIR = new URL("../..", import.meta.url).pathname;

export interface BundleSize {
  /** Minified bytes. */
  minified: number;
  /** Minified, then gzip -9. */
  gzip: number;
  /** Minified bytes per input, largest first (where the bytes come from). */
  inputs: { path: string; bytes: number }[];
  /** The minified bundle itself. */
  text: string;
}

/**
 * Bundles a small browser app as a user's bundler would: ESM, minified, tree-shaken, resolving the
 * workspace packages through their exports (conditions browser/import) to their built `dist/`.
 */
export async function bundleApp(source: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir: QUALITY_DIR, loader: "js", sourcefile: "app.js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["browser", "import"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const output = result.outputFiles[0]!.contents;
  const meta = Object.values(result.metafile.outputs)[0]!;
  const inputs = Object.entries(meta.inputs)
    .map(([path, info]) => ({
      path: path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, ""),
      bytes: info.bytesInOutput,
    }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return {
    minified: output.length,
    gzip: gzipSync(output, { level: 9 }).length,
    inputs,
    text: result.outputFiles[0]!.text,
  };
}
