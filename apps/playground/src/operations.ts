// Every operation the playground offers: its form (built from the SDK's input), how to call it with the
// SDK, and the TypeScript snippet of the same call.
import { GetAccessInputSchema, GetAccessTokenInputSchema } from "@sdk/auth/schemas";
import {
  type ListSigningKeysResponse,
  parseServiceAccountCredentials,
  signServiceAccountJws,
} from "@sdk/iam";
import { GenerateServiceAccountTokenInputSchema, ListSigningKeysInputSchema } from "@sdk/iam/schemas";
import type * as v from "valibot";
import { type AttemptRecord, authClient, iamClient } from "./clients.js";
import { args, authClientSnippet, iamClientSnippet, type McpToolRef, querySnippet } from "./snippet.js";
import { runtime } from "./state.js";

export type FieldValue = string | boolean;

export interface FieldSpec {
  name: string;
  label: string;
  kind: "text" | "number" | "checkbox" | "select" | "textarea";
  required?: boolean;
  help?: string;
  /** `select`: the choices. */
  options?: readonly { value: string; label: string }[];
  /** Suggestions offered in a datalist (free text still allowed). */
  suggestions?: () => readonly { value: string; label: string }[];
  initial?: () => FieldValue;
  placeholder?: string;
  /** Not part of the SDK input (e.g. how many pages to fetch). */
  control?: boolean;
  /** A helper button next to the field that computes its value. */
  action?: { label: string; run: () => Promise<string> };
}

export interface RunResult {
  data: unknown;
  /** The final Response (of the first page for paginated reads). */
  response: Response | undefined;
  /** HTTP attempts made for the call (retries included). */
  attempts: number;
  elapsedMs: number;
  /** One line that sums the result up. */
  summary: string;
}

export interface OperationSpec {
  pkg: "auth" | "iam";
  id: string;
  method: "GET" | "POST";
  path: string;
  /** The mock's route filter for faults scoped to this operation. */
  route: string;
  summary: string;
  /** What credentials it sends. */
  security: string;
  fields: readonly FieldSpec[];
  /** The SDK's own input schema: the form validates with it as you type. */
  schema?: v.GenericSchema;
  toInput(values: Record<string, FieldValue>): Record<string, unknown> | undefined;
  run(
    input: Record<string, unknown> | undefined,
    values: Record<string, FieldValue>,
    log: AttemptRecord[],
  ): Promise<RunResult>;
  snippet(input: Record<string, unknown> | undefined, values: Record<string, FieldValue>): string;
  /** The same operation through @sdk/query (TanStack Query), where it has a factory. */
  querySnippet?(input: Record<string, unknown> | undefined): string;
  /**
   * The same operation as an @sdk/mcp tool, where it has one; `mcpArgs` gives the tool's arguments when
   * they differ from the SDK input (default: the input as is).
   */
  mcp?: McpToolRef & { mcpArgs?(input: Record<string, unknown> | undefined): Record<string, unknown> };
}

/**
 * The `[min, max]` a number field of an SDK input schema accepts, read from its valibot pipe (so the
 * form's hint shows the SDK's own bounds, not a copy of them).
 */
export function numberRange(
  schema: v.GenericSchema,
  field: string,
): [number | undefined, number | undefined] {
  type Node = {
    wrapped?: Node;
    entries?: Record<string, Node>;
    pipe?: { type: string; requirement?: unknown }[];
  };
  let node = schema as unknown as Node | undefined;
  while (node?.wrapped) node = node.wrapped;
  node = node?.entries?.[field];
  while (node?.wrapped) node = node.wrapped;
  const find = (type: string) => node?.pipe?.find((a) => a.type === type)?.requirement as number | undefined;
  return [find("min_value"), find("max_value")];
}

/** The SDK input from form values: empty optional fields are left out, numbers parsed. */
function inputFrom(
  fields: readonly FieldSpec[],
  values: Record<string, FieldValue>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.control) continue;
    const value = values[field.name];
    if (field.kind === "checkbox") {
      if (value === true) input[field.name] = true;
    } else if (typeof value === "string" && value !== "") {
      // A number field with text in it stays a string, so the SDK's schema names the problem.
      input[field.name] = field.kind === "number" && Number.isFinite(Number(value)) ? Number(value) : value;
    } else if (field.required) {
      input[field.name] = "";
    }
  }
  return input;
}

function timed<T>(
  meta: { data: T; response: Response; attempts: number; elapsedMs: number },
  summary: string,
) {
  return {
    data: meta.data,
    response: meta.response,
    attempts: meta.attempts,
    elapsedMs: meta.elapsedMs,
    summary,
  };
}

function seededServiceAccount() {
  const file = runtime.seeded?.iam.serviceAccount;
  if (!file) throw new Error("No seeded service account: the embedded mock is not reachable.");
  return parseServiceAccountCredentials(file);
}

const AUTH_SECURITY = "one of x-api-key, Authorization: Bearer, x-workspace-identifier (Settings)";

export const OPERATIONS: readonly OperationSpec[] = [
  {
    pkg: "auth",
    id: "validateApiKey",
    mcp: { tool: "auth_validateApiKey" },
    method: "GET",
    path: "/v1/auth/validate",
    route: "GET /v1/auth/validate",
    summary: "Validates the current credential and returns the workspace it belongs to.",
    security: AUTH_SECURITY,
    fields: [],
    toInput: () => undefined,
    async run(_input, _values, log) {
      const meta = await authClient(log).validateApiKey().withResponse();
      return timed(meta, `${meta.data.workspaceSlug} (${meta.data.accountTypeV2}), org ${meta.data.orgSlug}`);
    },
    snippet: () =>
      [
        `import { AuthClient } from "@sdk/auth";`,
        "",
        authClientSnippet(),
        "",
        "const { data, response, attempts } = await auth.validateApiKey().withResponse();",
        "console.log(response.status, attempts, data.workspaceSlug, data.workspaceCreatedAt.toISOString());",
      ].join("\n"),
    querySnippet: () =>
      querySnippet("auth", "useQuery", "validateApiKeyQueryOptions", "", [
        "console.log(query.data?.workspaceSlug, query.error?.message);",
      ]),
  },
  {
    pkg: "auth",
    id: "getUser",
    mcp: { tool: "auth_getUser" },
    method: "GET",
    path: "/v1/user",
    route: "GET /v1/user",
    summary: "Gets the user the current credential belongs to.",
    security: AUTH_SECURITY,
    fields: [],
    toInput: () => undefined,
    async run(_input, _values, log) {
      const meta = await authClient(log).getUser().withResponse();
      return timed(meta, `${meta.data.displayName} <${meta.data.email}>`);
    },
    snippet: () =>
      [
        `import { AuthClient } from "@sdk/auth";`,
        "",
        authClientSnippet(),
        "",
        "const { data: user, attempts } = await auth.getUser().withResponse();",
        'console.log(user.email, user.lastLoginAt?.toISOString() ?? "never", attempts);',
      ].join("\n"),
    querySnippet: () =>
      querySnippet("auth", "useQuery", "getUserQueryOptions", "", ["console.log(query.data?.email);"]),
  },
  {
    pkg: "auth",
    id: "getAccessToken",
    mcp: { tool: "auth_getAccessToken", mints: true },
    method: "GET",
    path: "/v1/auth/access_token",
    route: "GET /v1/auth/access_token",
    summary: "Gets or refreshes an access token for a workspace.",
    security: "none: the workspace ID alone selects the token",
    schema: GetAccessTokenInputSchema,
    fields: [
      {
        name: "workspaceId",
        label: "workspaceId",
        kind: "text",
        required: true,
        help: "The workspace ID (query parameter workspace_id).",
        initial: () => runtime.seeded?.auth.workspaceId ?? "",
        suggestions: () =>
          (runtime.seeded?.auth.workspaces ?? []).map((w) => ({
            value: w.id,
            label: `${w.slug} (${w.accountType})`,
          })),
      },
    ],
    toInput(values) {
      return inputFrom(this.fields, values);
    },
    async run(input, _values, log) {
      const meta = await authClient(log)
        .getAccessToken(input as v.InferInput<typeof GetAccessTokenInputSchema>)
        .withResponse();
      const workspaces = meta.data.workspaces?.length ?? 0;
      return timed(meta, `token for ${meta.data.user.email ?? "?"}, ${workspaces} workspace(s)`);
    },
    snippet: (input) =>
      [
        `import { AuthClient } from "@sdk/auth";`,
        "",
        authClientSnippet({ security: false }),
        "",
        `const token = await auth.getAccessToken(${args(input, ["workspaceId"])});`,
        "console.log(token.claims, token.workspaces?.map((w) => w.name));",
      ].join("\n"),
    // Minting a token is a mutation: a token never sits in the query cache.
    querySnippet: (input) =>
      querySnippet("auth", "useMutation", "getAccessTokenMutationOptions", "", [
        `const token = await mutation.mutateAsync(${args(input)});`,
      ]),
  },
  {
    pkg: "auth",
    id: "getAccess",
    mcp: { tool: "auth_getAccess" },
    method: "GET",
    path: "/v1/workspace/access",
    route: "GET /v1/workspace/access",
    summary:
      "Checks whether generation is permitted for a run of the CLI, and counts it unless passive. On the free workspace, counted calls first warn, then are blocked, once the quota is reached.",
    security: AUTH_SECURITY,
    schema: GetAccessInputSchema,
    fields: [
      {
        name: "genLockId",
        label: "genLockId",
        kind: "text",
        help: "Unique identifier of the generation target.",
        placeholder: "lock-1",
      },
      {
        name: "targetType",
        label: "targetType",
        kind: "text",
        help: "The type of the generated target.",
        placeholder: "typescript",
        suggestions: () =>
          ["typescript", "python", "go", "java", "csharp", "terraform"].map((value) => ({
            value,
            label: value,
          })),
      },
      {
        name: "passive",
        label: "passive",
        kind: "checkbox",
        help: "Skip side effects like incrementing metrics.",
      },
    ],
    toInput(values) {
      return inputFrom(this.fields, values);
    },
    async run(input, _values, log) {
      const meta = await authClient(log)
        .getAccess(input as v.InferInput<typeof GetAccessInputSchema>)
        .withResponse();
      return timed(
        meta,
        `level ${meta.data.level ?? "(none)"}, generation ${meta.data.generationAllowed ? "allowed" : "not allowed"}`,
      );
    },
    snippet: (input) =>
      [
        `import { AuthClient } from "@sdk/auth";`,
        "",
        authClientSnippet(),
        "",
        `const access = await auth.getAccess(${args(input)});`,
        "if (!access.generationAllowed) console.warn(access.message);",
      ].join("\n"),
    // Passive: a query (refetches never count); counted: a mutation.
    querySnippet: (input) => {
      const { passive, ...rest } = input ?? {};
      return passive === true
        ? querySnippet("auth", "useQuery", "getAccessQueryOptions", args(rest), [
            "console.log(query.data?.level);",
          ])
        : querySnippet("auth", "useMutation", "getAccessMutationOptions", "", [
            `const access = await mutation.mutateAsync(${args(input)});`,
          ]);
    },
  },
  {
    pkg: "iam",
    id: "generateServiceAccountToken",
    mcp: {
      tool: "iam_generateServiceAccountToken",
      mints: true,
      // Without a jws the server signs one with IAM_SERVICE_ACCOUNT_FILE: no key ever goes to the assistant.
      mcpArgs: () => ({}),
    },
    method: "POST",
    path: "/iam/v1/serviceAccounts:generateAccessToken",
    route: "POST /iam/v1/serviceAccounts:generateAccessToken",
    summary:
      "Creates an access token for a service account, in exchange for a JWS signed with its private key.",
    security: "x-api-key (Settings)",
    schema: GenerateServiceAccountTokenInputSchema,
    fields: [
      {
        name: "jws",
        label: "jws",
        kind: "textarea",
        required: true,
        help: "A compact JWS (RS256) over { name, organization, datetime }. The server accepts it only while its datetime is close to the server's clock.",
        placeholder: "eyJhbGciOiJSUzI1NiIs…",
        action: {
          label: "Sign one with the seeded service account",
          run: () => signServiceAccountJws(seededServiceAccount()),
        },
      },
    ],
    toInput(values) {
      return inputFrom(this.fields, values);
    },
    async run(input, _values, log) {
      const meta = await iamClient(log)
        .generateServiceAccountToken(input as v.InferInput<typeof GenerateServiceAccountTokenInputSchema>)
        .withResponse();
      return timed(meta, `${meta.data.tokenType ?? "?"} token, expires in ${meta.data.expiresIn ?? "?"} s`);
    },
    snippet: () =>
      [
        `import { IamClient, parseServiceAccountCredentials, signServiceAccountJws } from "@sdk/iam";`,
        "",
        iamClientSnippet(),
        "",
        `const credentials = parseServiceAccountCredentials(process.env.IAM_SERVICE_ACCOUNT_JSON ?? "");`,
        "const jws = await signServiceAccountJws(credentials);",
        "const { data: token, attempts } = await iam.generateServiceAccountToken({ jws }).withResponse();",
        "console.log(token.tokenType, token.expiresIn, attempts);",
      ].join("\n"),
    querySnippet: () =>
      querySnippet(
        "iam",
        "useMutation",
        "generateServiceAccountTokenMutationOptions",
        "",
        [
          `const credentials = parseServiceAccountCredentials(process.env.IAM_SERVICE_ACCOUNT_JSON ?? "");`,
          "const token = await mutation.mutateAsync({ jws: await signServiceAccountJws(credentials) });",
        ],
        ["parseServiceAccountCredentials", "signServiceAccountJws"],
      ),
  },
  {
    pkg: "iam",
    id: "listSigningKeys",
    mcp: { tool: "iam_listSigningKeys" },
    method: "GET",
    path: "/iam/v1/keys",
    route: "GET /iam/v1/keys",
    summary: "Lists the public keys (JWKs) that sign this service's access tokens, a page at a time.",
    security: "x-api-key (Settings)",
    schema: ListSigningKeysInputSchema,
    fields: [
      {
        name: "pageSize",
        label: "pageSize",
        kind: "number",
        help: (() => {
          const [min, max] = numberRange(ListSigningKeysInputSchema, "pageSize");
          return `Keys per page, ${min} to ${max} (empty: the server's default).`;
        })(),
        placeholder: "100",
      },
      {
        name: "pageToken",
        label: "pageToken",
        kind: "text",
        help: "The nextPageToken of the previous page.",
      },
      {
        name: "fetch",
        label: "Fetch",
        kind: "select",
        control: true,
        help: "Await the call for one page, or iterate it (for await) for every page.",
        initial: () => "page",
        options: [
          { value: "page", label: "one page (await)" },
          { value: "all", label: "every page (for await … .pages())" },
        ],
      },
    ],
    toInput(values) {
      return inputFrom(this.fields, values);
    },
    async run(input, values, log) {
      const call = iamClient(log).listSigningKeys(input as v.InferInput<typeof ListSigningKeysInputSchema>);
      const first = await call.withResponse();
      if (values.fetch !== "all") {
        const next = first.data.nextPageToken ? ", more pages" : ", last page";
        return timed(first, `${first.data.keys.length} key(s)${next}`);
      }
      const started = performance.now();
      const pages: ListSigningKeysResponse[] = [];
      for await (const page of call.pages()) pages.push(page);
      const keys = pages.flatMap((p) => p.keys);
      return {
        data: {
          pageCount: pages.length,
          keyCount: keys.length,
          keysPerPage: pages.map((p) => p.keys.length),
          keys,
        },
        response: first.response,
        attempts: log.length,
        elapsedMs: first.elapsedMs + Math.round(performance.now() - started),
        summary: `${keys.length} keys in ${pages.length} page(s)`,
      };
    },
    snippet: (input, values) =>
      [
        `import { IamClient } from "@sdk/iam";`,
        "",
        iamClientSnippet(),
        "",
        ...(values.fetch === "all"
          ? [
              "let count = 0;",
              `for await (const key of iam.listSigningKeys(${args(input)})) {`,
              "  count++; // every key of every page, fetched lazily",
              "}",
              `console.log(count, "signing keys");`,
            ]
          : [
              `const page = await iam.listSigningKeys(${args(input)});`,
              "console.log(page.keys.map((k) => k.kid), page.nextPageToken);",
            ]),
      ].join("\n"),
    querySnippet: (input) =>
      querySnippet("iam", "useInfiniteQuery", "listSigningKeysInfiniteQueryOptions", args(input), [
        "const keys = query.data?.pages.flatMap((page) => page.keys) ?? [];",
        "if (query.hasNextPage) void query.fetchNextPage(); // one page per call, on demand",
      ]),
  },
  {
    pkg: "iam",
    id: "callProtected",
    method: "GET",
    path: "/iam/v1/whoami",
    route: "GET /iam/v1/whoami",
    summary:
      "Calls a protected endpoint of the IAM API family. The SDK signs a JWS with the service account, exchanges it for an access token, caches it for every call and renews it once on a 401.",
    security: "x-api-key (Settings) + Authorization: Bearer (a token for the seeded service account)",
    fields: [
      {
        name: "path",
        label: "path",
        kind: "text",
        required: true,
        help: "A path on the IAM server, never a full URL (the token stays home). The mock serves /iam/v1/whoami.",
        initial: () => "/iam/v1/whoami",
      },
    ],
    toInput(values) {
      return inputFrom(this.fields, values);
    },
    async run(input, _values, log) {
      const meta = await iamClient(log, seededServiceAccount())
        .callProtected({ path: String(input?.path ?? "") })
        .withResponse();
      const tokenRequests = log.filter((a) => a.operationId === "Authentication_GenerateServiceAccountToken");
      return timed(meta, `with a service-account token (${tokenRequests.length} token request this run)`);
    },
    snippet: (input) =>
      [
        `import { IamClient, parseServiceAccountCredentials } from "@sdk/iam";`,
        "",
        `const credentials = parseServiceAccountCredentials(process.env.IAM_SERVICE_ACCOUNT_JSON ?? "");`,
        iamClientSnippet({ serviceAccount: "credentials" }),
        "",
        "// The token is fetched once, shared by concurrent calls and renewed before it expires.",
        `const me = await iam.callProtected(${args(input, ["path"])});`,
        "console.log(me);",
      ].join("\n"),
  },
];

export function findOperation(pkg: string, id: string): OperationSpec | undefined {
  return OPERATIONS.find((op) => op.pkg === pkg && op.id === id);
}

export function defaultValues(op: OperationSpec): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const field of op.fields)
    values[field.name] = field.initial?.() ?? (field.kind === "checkbox" ? false : "");
  return values;
}
