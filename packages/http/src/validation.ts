import type { ValidationIssue } from "@sdk/errors";
import * as v from "valibot";

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return "Date";
  return typeof value;
}

interface SchemaLike {
  expects?: string;
  pipe?: readonly unknown[];
  wrapped?: unknown;
  entries?: Record<string, unknown>;
  item?: unknown;
  items?: readonly unknown[];
}

/** Through pipes and optional/nullable wrappers to the schema that has entries or items. */
function unwrap(schema: unknown): SchemaLike | undefined {
  let s = schema as SchemaLike | undefined;
  for (let depth = 0; s && depth < 16; depth++) {
    if (s.pipe?.[0] && s.pipe[0] !== s) s = s.pipe[0] as SchemaLike;
    else if (s.wrapped) s = s.wrapped as SchemaLike;
    else return s;
  }
  return s;
}

/** The declared schema of the entry at `keys` (not unwrapped: its `expects` is what the field takes). */
function entryAt(root: unknown, keys: readonly unknown[]): SchemaLike | undefined {
  let entry = root as SchemaLike | undefined;
  for (const key of keys) {
    const parent = unwrap(entry);
    if (!parent) return undefined;
    if (parent.entries && typeof key === "string") entry = parent.entries[key] as SchemaLike | undefined;
    else if (parent.item && typeof key === "number") entry = parent.item as SchemaLike;
    else if (parent.items && typeof key === "number") entry = parent.items[key] as SchemaLike | undefined;
    else return undefined;
  }
  return entry;
}

/**
 * What a validation action (integer, minValue, regex, check...) expected. A schema author's own
 * message ("a non-empty string") says it best; valibot's default ones ("Invalid integer: Received
 * 1.5") quote the value, which may be a credential, so only their requirement is kept.
 */
function expectation(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith("Invalid ")) return issue.message;
  if (issue.expected) return issue.expected;
  return issue.type === "check" ? "a valid value" : `a valid ${issue.type.replaceAll("_", " ")}`;
}

const CLOSED_SET = new Set(["picklist", "enum", "literal"]);

function shortValue(text: string): string | undefined {
  return text.length <= 64 && !/[\s"\\]/.test(text) ? JSON.stringify(text) : undefined;
}

/** "must not be empty" reads as it is; "a non-empty string" reads after "expected". */
const PHRASED = /^(?:must|should|is|cannot|may)\b/i;

/**
 * valibot issues as our ValidationIssue: the path and what was expected, and only the TYPE of
 * what was received — a received value may be a credential. `root`, the schema that was run, lets a
 * missing field say which type it expects (valibot reports the key name there).
 */
export function toIssues(issues: readonly v.BaseIssue<unknown>[], root?: v.GenericSchema): ValidationIssue[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? "";
    let expected = issue.kind === "validation" ? expectation(issue) : (issue.expected ?? issue.type);
    const keys = issue.path?.map((item) => item.key) ?? [];
    const last = keys[keys.length - 1];
    if (
      issue.kind === "schema" &&
      issue.input === undefined &&
      last !== undefined &&
      expected === `"${String(last)}"`
    ) {
      expected = (root && entryAt(root, keys)?.expects) || "a value";
    }
    const received = typeName(issue.input);
    // A closed set (an enum, a picklist, a literal) names the value that arrived: the fix is a newer
    // SDK or a server bug, and the value is what says which. A short string only (a declared secret
    // is scrubbed by the redaction stage anyway).
    const value =
      issue.kind === "schema" && CLOSED_SET.has(issue.type) && typeof issue.input === "string"
        ? shortValue(issue.input)
        : undefined;
    if (value !== undefined) {
      return {
        path,
        expected: String(expected),
        received,
        message: `expected one of ${expected}, received ${value}`,
      };
    }
    const message =
      issue.kind === "schema"
        ? `expected ${expected}, received ${received}`
        : PHRASED.test(String(expected))
          ? String(expected)
          : `expected ${expected}`;
    return { path, expected: String(expected), received, message };
  });
}
