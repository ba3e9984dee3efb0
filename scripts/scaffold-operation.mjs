// Scaffolds a new GET operation into an SDK: the steps 1-5 of "Add an operation" in CONTRIBUTING.md,
// done for you, as a starting point to edit (the model's fields are placeholders).
//
//   node scripts/scaffold-operation.mjs --package auth --name getWidget --path "/v1/widgets/{widget_id}"
//     [--model Widget] [--root <repo>]
//
// Writes, in this order: the spec (a path and a component schema), src/models.ts (interface + schema),
// src/operations/<name>.ts, the client method (src/client.ts), the root export (src/index.ts) and the
// schemas export (src/schemas.ts). Then: run `pnpm format`, add the mock route, tests and README section,
// `pnpm api:update`, and a changeset (CONTRIBUTING.md). repo-tests/test/scaffold.test.ts runs this on a
// temporary copy of the repository, then type-checks, builds and tests the copy.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const SDKS = {
  auth: {
    spec: "auth.openapi.yaml",
    core: "AuthCore",
    security: "AuthSecurity",
    errorClass: "AuthError",
    apiImport: 'import type { AuthSecurity } from "../api.js";',
    specSecurity: "",
    extra: "",
  },
  iam: {
    spec: "iam.openapi.yaml",
    core: "IamCore",
    security: "IamSecurity",
    errorClass: "StatusError",
    apiImport: 'import { API_KEY_ONLY, type IamSecurity } from "../api.js";',
    specSecurity: "      security: [ { ApiKeyAuth: [] } ]\n",
    extra: "  security: API_KEY_ONLY,\n",
  },
};

const { values } = parseArgs({
  options: {
    package: { type: "string" },
    name: { type: "string" },
    path: { type: "string" },
    model: { type: "string" },
    root: { type: "string", default: join(fileURLToPath(import.meta.url), "../..") },
  },
});
const sdk = SDKS[values.package];
if (!sdk || !/^[a-z][A-Za-z0-9]*$/.test(values.name ?? "") || !values.path?.startsWith("/")) {
  console.error(
    "usage: scaffold-operation.mjs --package auth|iam --name getWidget --path /v1/widgets/{widget_id} [--model Widget]",
  );
  process.exit(2);
}

const name = values.name;
const Name = name[0].toUpperCase() + name.slice(1);
const model = values.model ?? Name.replace(/^(Get|List|Create|Update|Delete)/, "");
const lower = model[0].toLowerCase() + model.slice(1);
const file = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (wire) => wire.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const params = [...values.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
const pkg = join(values.root, "packages", values.package);

function edit(path, change) {
  const text = readFileSync(path, "utf8");
  const next = change(text);
  if (next === text) throw new Error(`scaffold: could not edit ${path}`);
  writeFileSync(path, next);
}
if (existsSync(join(pkg, "src/operations", `${file}.ts`))) {
  console.error(`scaffold: ${file}.ts exists already`);
  process.exit(1);
}

// 1. The spec: the operation (before `components:`) and its response model (last component schema).
const specFile = join(values.root, "spec", sdk.spec);
const specParams = params
  .map((p) => `        - { name: ${p}, in: path, required: true, schema: { type: string } }\n`)
  .join("");
edit(specFile, (text) =>
  text.replace(
    /^components:/m,
    `  ${values.path}:
    get:
      operationId: ${name}
      summary: Get a ${lower}.
${sdk.specSecurity}${specParams ? `      parameters:\n${specParams}` : ""}      responses:
        "200": { description: OK, content: { application/json: { schema: { $ref: "#/components/schemas/${model}" } } } }
        4XX: { description: typed error }
components:`,
  ),
);
appendFileSync(
  specFile,
  `    ${model}:
      type: object
      required: [id, display_name, size]
      properties:
        id: { type: string }
        display_name: { type: string }
        size: { type: integer }
`,
);

// 2. The model: an interface (the public type) and the schema reading the wire JSON into it.
appendFileSync(
  join(pkg, "src/models.ts"),
  `
/** A ${lower}. */
export interface ${model} {
  /** Its ID. */
  id: string;
  /** Its name, for people. */
  displayName: string;
  /** Its size. */
  size: number;
}
const ${lower} = wireObject({
  id: v.string(),
  display_name: v.string(),
  size: v.pipe(v.number(), v.integer()),
});
type _${model} = Assert<Exact<v.InferOutput<typeof ${lower}>, ${model}>>;
/** Parses the wire JSON of {@link ${model}}. */
export const ${model}Schema: v.GenericSchema<unknown, ${model}> = ${lower};
`,
);

// 3. The operation: its input, its descriptor and the standalone function.
const inputFields = params.map((p) => `  /** The \`${p}\` path parameter. */\n  ${camel(p)}`);
const hasInput = params.length > 0;
writeFileSync(
  join(pkg, "src/operations", `${file}.ts`),
  `import { type APIPromise, type CallOptions, defineOperation } from "@core/http";
${hasInput ? 'import * as v from "valibot";\n' : ""}${sdk.apiImport}
import type { ${sdk.core} } from "../core.js";
import { ${sdk.errorClass} } from "../errors.js";
import { type ${model}, ${model}Schema } from "../models.js";
${
  hasInput
    ? `
export const ${Name}InputSchema = v.object({
${inputFields.map((f) => `${f}: v.pipe(v.string(), v.minLength(1, "a non-empty string")),`).join("\n")}
});
export interface ${Name}Input {
${inputFields.map((f) => `${f}: string;`).join("\n")}
}
`
    : ""
}
export const ${name}Operation = defineOperation({
  id: "${name}",
  method: "GET",
  path: "${values.path}",
${
  hasInput
    ? `  input: ${Name}InputSchema,
  request: (input) => ({ path: { ${params.map((p) => `${p}: input.${camel(p)}`).join(", ")} } }),
`
    : ""
}  output: ${model}Schema,
  errors: { "4XX": ${sdk.errorClass} },
${sdk.extra}});

/** Gets a ${lower}. */
export function ${name}(
  client: ${sdk.core},
${hasInput ? `  input: ${Name}Input,\n` : ""}  options?: CallOptions<${sdk.security}>,
): APIPromise<${model}> {
  return client.request(${name}Operation, ${hasInput ? "input" : "undefined"}, options);
}
`,
);

// 4. The class client's method.
const inputArg = hasInput ? `input: ${Name}Input, ` : "";
edit(join(pkg, "src/client.ts"), (text) =>
  text
    .replace(
      /\n}\n*$/,
      `

  /** Gets a ${lower}. */
  ${name}(${inputArg}options?: CallOptions<${sdk.security}>): APIPromise<${model}> {
    return ${name}(this, ${hasInput ? "input, " : ""}options);
  }
}
`,
    )
    .replace(
      /^(import [^;]+;\n)(?!import)/m,
      `$1import type { ${model} } from "./models.js";
import { ${hasInput ? `type ${Name}Input, ` : ""}${name} } from "./operations/${file}.js";
`,
    ),
);

// 5. The exports: function, input and model types at the root; schemas and descriptor in ./schemas.
appendFileSync(
  join(pkg, "src/index.ts"),
  `export type { ${model} } from "./models.js";
export { ${hasInput ? `type ${Name}Input, ` : ""}${name} } from "./operations/${file}.js";
`,
);
appendFileSync(
  join(pkg, "src/schemas.ts"),
  `export { type ${model}, ${model}Schema } from "./models.js";
export { ${hasInput ? `${Name}InputSchema, ` : ""}${name}Operation } from "./operations/${file}.js";
`,
);

console.log(`scaffolded ${name} (${model}) into packages/${values.package} and spec/${sdk.spec}.
Next: pnpm format; the mock route (packages/mock-api/src/${values.package}-api.ts); tests; the README section;
pnpm api:update; a changeset. See CONTRIBUTING.md "Add an operation".`);
