// The build every published package shares (each package's tsdown.config.ts extends it).
import type { UserConfig } from "tsdown";

type Node = { type: string; start: number; end: number };
type Statement = Node & { declarations?: { init?: Node | null }[] };
/** The part of rolldown's plugin context this plugin uses (rolldown is tsdown's, not ours to import). */
interface RenderContext {
  parse(code: string): { body: Statement[] };
  error(message: string): never;
}

/**
 * Marks every top-level `const x = call(...)` / `new X(...)` of the output as pure, wrapped as
 * `/* @__PURE__ *\/ (() => call(...))()`. Our packages are `sideEffects: false`: evaluating them has
 * no effect that matters. esbuild acts on that per file only, and keeps a top-level call it cannot
 * see into (`const TokenSchema = wireObject({...})` calls into another package), so an app calling
 * one operation would bundle every model and operation of the SDK. Webpack, Rollup and Vite read
 * the annotation the same way.
 */
export function pureTopLevel() {
  return {
    name: "pure-top-level",
    renderChunk(this: RenderContext, code: string, chunk: { fileName: string }) {
      if (/\.d\.[cm]?ts$/.test(chunk.fileName)) return null; // declarations: nothing runs
      const program = this.parse(code);
      const edits: Node[] = [];
      for (const statement of program.body) {
        if (statement.type !== "VariableDeclaration") continue;
        for (const { init } of statement.declarations ?? []) {
          if (!init || (init.type !== "CallExpression" && init.type !== "NewExpression")) continue;
          const text = code.slice(init.start, init.end);
          if (/\bawait\b/.test(text)) continue; // top-level await cannot move into a function
          // Offsets must be UTF-16 positions into `code`: refuse to splice anything else.
          if (/^\s/.test(text) || !text.endsWith(")")) {
            this.error(`pure-top-level: unexpected initializer ${JSON.stringify(text.slice(0, 40))}`);
          }
          edits.push(init);
        }
      }
      let out = code;
      for (const { start, end } of edits.reverse()) {
        out = `${out.slice(0, start)}/* @__PURE__ */ (() => ${out.slice(start, end)})()${out.slice(end)}`;
      }
      return { code: out, map: null };
    },
  };
}

export const baseConfig: UserConfig = {
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "neutral",
  target: "es2022",
  sourcemap: false,
  clean: true,
  plugins: [pureTopLevel() as never],
};
