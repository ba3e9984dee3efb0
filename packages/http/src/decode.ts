// Stage "decode": the caller's input validated before anything is sent, a 2xx body parsed as JSON and
// validated against the operation's output schema.
import { InvalidRequestError, ResponseValidationError } from "@sdk/errors";
import * as v from "valibot";
import type { Operation } from "./operation.js";
import { toIssues } from "./validation.js";

const JSON_TYPE = /^application\/(?:[\w!#$%&*.^`~-]*\+)?json\s*(?:;|$)/i;

export function isJSONContentType(contentType: string | null): boolean {
  return contentType !== null && JSON_TYPE.test(contentType);
}

export function parseJSON(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
}

export function validateInput(op: Operation<any, any, any>, input: unknown, name: string): unknown {
  if (!op.input) return undefined;
  let result: v.SafeParseResult<v.GenericSchema>;
  try {
    result = v.safeParse(op.input, input);
  } catch (error) {
    // A getter or a Proxy trap of the input threw while it was read.
    throw new InvalidRequestError(
      name,
      [{ path: "(input)", expected: "plain data", message: "could not be read" }],
      { cause: error },
    );
  }
  if (!result.success) throw new InvalidRequestError(name, toIssues(result.issues, op.input));
  return result.output;
}

/** A 2xx body as the operation's output, or a ResponseValidationError that says what is wrong. */
export function parseSuccess(
  op: Operation<any, any, any>,
  name: string,
  response: Response,
  body: string,
): unknown {
  const contentType = response.headers.get("content-type");
  const fail = (message: string, cause?: SyntaxError) =>
    new ResponseValidationError({
      operation: name,
      issues: [],
      status: response.status,
      headers: response.headers,
      body,
      response,
      message,
      cause,
    });
  let value: unknown;
  if (body === "" && (response.status === 204 || response.status === 205)) {
    value = undefined;
  } else if (!isJSONContentType(contentType)) {
    throw fail(`expected a JSON body but the content type is ${contentType ?? "missing"}`);
  } else {
    const json = parseJSON(body);
    if (!json.ok) {
      // Not V8's SyntaxError as it is: its message quotes the body, which may hold a credential.
      const at = /position (\d+)/.exec(String((json.error as Error).message))?.[1];
      const where = at ? `at position ${at} of ${body.length}` : `${body.length} characters`;
      throw fail(`the body is not valid JSON (${where})`, new SyntaxError(`invalid JSON ${where}`));
    }
    value = json.value;
  }
  const result = v.safeParse(op.output, value);
  if (!result.success) {
    const error = new ResponseValidationError({
      operation: name,
      issues: toIssues(result.issues, op.output),
      status: response.status,
      headers: response.headers,
      body,
      response,
    });
    // The parsed body rides along to the redaction stage (declared response secrets are found in it).
    PARSED.set(error, value);
    throw error;
  }
  return result.output;
}

/** The parsed JSON of a body that failed validation, for the redaction stage only. */
export const PARSED = new WeakMap<object, unknown>();
