import type { ValidationIssue } from "@sdk/errors";
import * as v from "valibot";

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return "Date";
  return typeof value;
}

/**
 * valibot issues as our ValidationIssue: the path and what was expected, and only the TYPE of
 * what was received — a received value may be a credential.
 */
export function toIssues(issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? "";
    const expected = issue.expected ?? (issue.kind === "validation" ? issue.message : issue.type);
    const received = typeName(issue.input);
    const message =
      issue.kind === "schema" ? `expected ${expected}, received ${received}` : `expected ${expected}`;
    return { path, expected: String(expected), received, message };
  });
}
