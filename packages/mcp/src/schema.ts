// A tool's input JSON Schema, converted from the SDK's valibot schema: the same schema that validates
// the call inside the SDK, so the two cannot disagree.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";

/** A tool's input JSON Schema, as the MCP SDK types it. */
export type InputSchema = Tool["inputSchema"];

/** What MCP wants for a tool without parameters: an object with none. */
const NO_INPUT: InputSchema = { type: "object", properties: {}, additionalProperties: false };

/**
 * The JSON Schema (draft 2020-12, MCP's default dialect) of a tool's arguments. An optional object
 * (`getAccess`, `listSigningKeys` take `v.optional(v.object(...), {})`) is described as the object:
 * MCP arguments are always an object, and an empty one means the same as none. A schema the converter
 * cannot express throws here, when the server is built, not at a call.
 */
export function inputJsonSchema(schema: v.GenericSchema | undefined): InputSchema {
  if (schema === undefined) return NO_INPUT;
  const object =
    schema.type === "optional" ? (schema as unknown as { wrapped: v.GenericSchema }).wrapped : schema;
  const { $schema: _dialect, ...json } = toJsonSchema(object, { target: "draft-2020-12", typeMode: "input" });
  if (json.type !== "object")
    throw new TypeError(`a tool's input must be an object schema, not ${json.type}`);
  return json as InputSchema;
}
