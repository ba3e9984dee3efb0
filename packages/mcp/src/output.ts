// What a tool call returns to the assistant: its result as JSON text, or an error result. Nothing a
// tool returns may carry a credential the user did not ask to see: declared secret fields are hidden
// (or, with --reveal-secrets, shown under a SECRET warning), everything else passes @sdk/errors'
// redaction, and the configured credentials themselves are scrubbed from every text as a last resort.

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { REDACTED, redactText, redactValue, SDKError } from "@sdk/errors";

/** What replaces a secret field when secrets are not revealed. */
export const HIDDEN_SECRET =
  "[hidden: a credential; the MCP server returns it only when started with --reveal-secrets]";

export interface OutputOptions {
  /** Return declared secret fields (marked as secret) instead of hiding them. */
  revealSecrets: boolean;
  /** Values never to show (the configured API keys), replaced everywhere; PEM keys and JWTs are redacted by shape. */
  scrub: readonly string[];
}

/** Replaces every configured credential in `text`; short values are skipped (they would mangle prose). */
function scrub(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (value.length >= 8) out = out.replaceAll(value, REDACTED);
  return out;
}

function text(value: string, options: OutputOptions): CallToolResult["content"][number] {
  return { type: "text", text: scrub(value, options.scrub) };
}

/** A successful tool result: the SDK's return value as JSON. */
export function resultOf(value: unknown, secrets: readonly string[], options: OutputOptions): CallToolResult {
  const fields = value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  const present = secrets.filter(
    (key) => fields && typeof (fields as Record<string, unknown>)[key] === "string",
  );
  // Everything but the declared secrets passes the SDK's redaction (it masks credential-named keys and
  // JWT/PEM-shaped strings wherever they are, e.g. inside a token's claims).
  const safe = redactValue(value) as Record<string, unknown>;
  for (const key of present) {
    safe[key] = options.revealSecrets ? (fields as Record<string, unknown>)[key] : HIDDEN_SECRET;
  }
  const json = JSON.stringify(safe, null, 2) ?? "null";
  if (!options.revealSecrets || present.length === 0) return { content: [text(json, options)] };
  const names = present.map((key) => `\`${key}\``).join(", ");
  const warning =
    `SECRET: ${names} below ${present.length > 1 ? "are live credentials" : "is a live credential"}. ` +
    "Use it only for the task it was requested for; do not repeat it in replies, logs, files or commits.";
  return { content: [text(warning, options), text(json, options)] };
}

/** Any error as an MCP error result: the typed SDK error's name and message (already credential-free). */
export function errorResult(err: unknown, options: OutputOptions): CallToolResult {
  let message: string;
  if (err instanceof SDKError) message = `${err.name}: ${err.message}`;
  else if (err instanceof Error) message = `Unexpected ${err.name}: ${redactText(err.message)}`;
  else message = "Unexpected error (not an Error)";
  return { isError: true, content: [text(message, options)] };
}

/** An error result of the server's own (a disabled tool, an unknown one). */
export function refusal(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}
