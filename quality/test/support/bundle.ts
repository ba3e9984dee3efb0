import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";

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

/** An app's build as a user's bundler would make it (ESM, minified, tree-shaken, for browsers). */
function appBuild(source: string) {
  return {
    stdin: { contents: source, resolveDir: QUALITY_DIR, loader: "js", sourcefile: "app.js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["browser", "import"],
    write: false,
    logLevel: "silent",
  } satisfies BuildOptions;
}

/**
 * Bundles a small browser app as a user's bundler would: ESM, minified, tree-shaken, resolving the
 * workspace packages through their exports (conditions browser/import) to their built `dist/`.
 */
export async function bundleApp(source: string): Promise<BundleSize> {
  const result = await build({ ...appBuild(source), metafile: true });
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

export interface ModuleShare {
  /** The source file (workspace packages by their `src/` file, dependencies by their `dist/` file). */
  path: string;
  /** Minified bytes of the bundle that come from this file. */
  minified: number;
  /** How much smaller the gzipped bundle gets without this file's bytes (the shares add up to a little more than the total). */
  gzip: number;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes one source-map segment (base64 VLQ). */
function decodeSegment(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >> 1) : value >> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * Where the gzipped bytes of an app's bundle come from, per source file: the app is bundled as in
 * `bundleApp`, but with `@core/http` and `@sdk/errors` taken from their `src/` (so each pipeline module
 * shows), and every output byte is attributed to a file through the source map. A report, not a budget:
 * the bundle from sources is about 0.1 KB larger than from `dist/`.
 */
export async function moduleShares(source: string): Promise<{ gzip: number; modules: ModuleShare[] }> {
  const result = await build({
    ...appBuild(source),
    alias: {
      "@core/http": `${QUALITY_DIR}../packages/http/src/index.ts`,
      "@sdk/errors": `${QUALITY_DIR}../packages/errors/src/index.ts`,
    },
    sourcemap: "external",
    outfile: "app.out.js",
  });
  const files = result.outputFiles ?? [];
  const map = JSON.parse(files.find((f) => f.path.endsWith(".map"))!.text) as {
    sources: string[];
    mappings: string;
  };
  const code = files.find((f) => f.path.endsWith(".js"))!.text;
  const owner = new Int32Array(code.length).fill(-1);
  const lines = code.split("\n");
  let lineStart = 0;
  let sourceIndex = 0;
  map.mappings.split(";").forEach((line, i) => {
    let column = 0;
    const points: [number, number][] = [];
    for (const segment of line ? line.split(",") : []) {
      const fields = decodeSegment(segment);
      column += fields[0]!;
      if (fields.length > 1) {
        sourceIndex += fields[1]!;
        points.push([column, sourceIndex]);
      }
    }
    const lineEnd = lineStart + (lines[i]?.length ?? 0);
    points.forEach(([start, index], p) => {
      owner.fill(index, lineStart + start, p + 1 < points.length ? lineStart + points[p + 1]![0] : lineEnd);
    });
    lineStart = lineEnd + 1;
  });
  const gzip = (text: string) => gzipSync(text, { level: 9 }).length;
  const total = gzip(code);
  const modules: ModuleShare[] = [];
  map.sources.forEach((path, index) => {
    let rest = "";
    let minified = 0;
    for (let at = 0; at < code.length; at++) {
      if (owner[at] === index) minified++;
      else rest += code[at];
    }
    if (minified) {
      modules.push({
        path: path
          .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")
          .replace(/^(\.\.\/)+.*?packages\//, ""),
        minified,
        gzip: total - gzip(rest),
      });
    }
  });
  return { gzip: total, modules: modules.sort((a, b) => b.gzip - a.gzip) };
}
