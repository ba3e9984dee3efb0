// The playground's "As an MCP tool" snippets name real @sdk/mcp tools, with the flag they need and
// arguments their input schema (the SDK's own valibot schema) accepts: the snippet cannot drift from
// the server it describes.
import { TOOLS } from "@sdk/mcp";
import { seededCredentials } from "@sdk/mock-api";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defaultValues, OPERATIONS } from "../src/operations.js";
import { mcpSnippet } from "../src/snippet.js";
import { runtime } from "../src/state.js";

runtime.config = { mockUrl: "http://127.0.0.1:4010" };
runtime.seeded = seededCredentials;

const withTool = OPERATIONS.filter((op) => op.mcp);

describe("MCP snippets", () => {
  it("every @sdk/mcp tool over an SDK operation has its snippet in the playground", () => {
    const shown = withTool.map((op) => op.mcp!.tool).sort();
    const operationTools = TOOLS.map((t) => t.name).filter((name) =>
      OPERATIONS.some((op) => name === `${op.pkg}_${op.id}`),
    );
    expect(shown).toEqual(operationTools.sort());
  });

  it.each(withTool.map((op) => [op.id, op] as const))("%s: the tool, its flag and its arguments", (_, op) => {
    const ref = op.mcp!;
    const tool = TOOLS.find((t) => t.name === ref.tool);
    expect(tool, `@sdk/mcp has a tool ${ref.tool}`).toBeDefined();
    expect(ref.tool).toBe(`${op.pkg}_${op.id}`);
    expect(Boolean(ref.mints)).toBe(tool!.access === "mint");
    const input = op.toInput(defaultValues(op));
    const args = ref.mcpArgs?.(input) ?? input ?? {};
    if (tool!.input) expect(v.safeParse(tool!.input, args).issues).toBeUndefined();
    else expect(args).toEqual({});
    const text = mcpSnippet(ref, args);
    expect(text).toContain(`npx @sdk/mcp --mock${ref.mints ? " --allow-token-minting" : ""}\n`);
    const request = JSON.parse(text.slice(text.indexOf("{")));
    expect(request).toEqual({ method: "tools/call", params: { name: ref.tool, arguments: args } });
  });

  it("never puts a JWS or key in the arguments of the token exchange", () => {
    const op = OPERATIONS.find((o) => o.id === "generateServiceAccountToken")!;
    const args = op.mcp!.mcpArgs!({ jws: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" });
    expect(JSON.stringify(args)).not.toContain("eyJ");
  });
});
