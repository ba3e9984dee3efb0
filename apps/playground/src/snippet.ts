// The TypeScript a user would write for the call on screen: paste-ready, and compiled in CI
// (test/snippets.test.ts runs `tsc` on every snippet). Credentials are never inlined: the snippet reads
// them from environment variables, as real code should. Options left at the SDK's defaults are left out.
import { retryConfig, runtime, settings } from "./state.js";

/** Code written as is into a literal (an expression, not a string). */
class Code {
  constructor(readonly code: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A TypeScript literal of plain data, keys unquoted where possible. */
export function literal(value: unknown, indent = ""): string {
  if (value === undefined) return "undefined";
  if (value instanceof Code) return value.code;
  if (value === null || typeof value !== "object") {
    return typeof value === "number" && Number.isInteger(value) && Math.abs(value) >= 10_000
      ? value.toLocaleString("en-US").replaceAll(",", "_")
      : JSON.stringify(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((v) => literal(v, inner));
    const flat = `[${items.join(", ")}]`;
    return flat.length <= 72 ? flat : `[\n${items.map((i) => `${inner}${i},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const parts = entries.map(
    ([k, v]) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${literal(v, inner)}`,
  );
  const flat = `{ ${parts.join(", ")} }`;
  return flat.length <= 92 && !flat.includes("\n")
    ? flat
    : `{\n${parts.map((p) => `${inner}${p},`).join("\n")}\n${indent}}`;
}

const ENV = {
  authApiKey: "REGISTRY_API_KEY",
  authBearer: "REGISTRY_BEARER_TOKEN",
  authWorkspaceIdentifier: "REGISTRY_WORKSPACE_IDENTIFIER",
  iamApiKey: "IAM_API_KEY",
  serviceAccount: "IAM_SERVICE_ACCOUNT_JSON",
} as const;

function serverOption(pkg: "auth" | "iam"): [string, string] {
  if (settings.target === "named") {
    return ["server", JSON.stringify(pkg === "auth" ? settings.authServer : settings.iamServer)];
  }
  const url = settings.target === "mock" ? runtime.config.mockUrl : settings.customURL.trim();
  const comment = settings.target === "mock" ? " // the embedded mock API" : "";
  return ["serverURL", `${JSON.stringify(url ?? "")},${comment}`];
}

export interface ClientSnippetOptions {
  /** `false`: the operation sends no credentials (getAccessToken), so the client gets none. */
  security?: boolean;
  /** The name of a variable holding parsed service-account credentials, declared before the client. */
  serviceAccount?: string;
}

function clientOptions(pkg: "auth" | "iam", opts: ClientSnippetOptions = {}): string {
  const lines: string[] = [];
  const [key, value] = serverOption(pkg);
  lines.push(`  ${key}: ${value}${value.endsWith(",") || value.includes("//") ? "" : ","}`);
  if (opts.security === false) {
    // No credentials: this operation takes none.
  } else if (pkg === "auth") {
    const field = settings.authScheme;
    const env =
      field === "apiKey" ? ENV.authApiKey : field === "bearer" ? ENV.authBearer : ENV.authWorkspaceIdentifier;
    lines.push(`  security: { ${field}: process.env.${env} },`);
  } else if (opts.serviceAccount) {
    lines.push(
      `  security: { apiKeyAuth: process.env.${ENV.iamApiKey}, serviceAccount: ${opts.serviceAccount} },`,
    );
  } else {
    lines.push(`  security: { apiKeyAuth: process.env.${ENV.iamApiKey} },`);
  }
  // The same object the page's client gets; nothing when each operation keeps its SDK default.
  const retries = retryConfig();
  if (retries) lines.push(`  retries: ${literal(retries, "  ")},`);
  if (settings.timeoutMs > 0) lines.push(`  timeoutMs: ${literal(settings.timeoutMs)}, // per attempt`);
  return lines.join("\n");
}

export function authClientSnippet(opts: ClientSnippetOptions = {}): string {
  return `const auth = new AuthClient({\n${clientOptions("auth", opts)}\n});`;
}

export function iamClientSnippet(opts: ClientSnippetOptions = {}): string {
  return `const iam = new IamClient({\n${clientOptions("iam", opts)}\n});`;
}

/** `workspaceId` → `WORKSPACE_ID`. */
const envName = (field: string) => field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/**
 * An argument list: nothing for an empty input. A required field left empty is read from an environment
 * variable named after it (`workspaceId: process.env.WORKSPACE_ID!`), never pasted as `""`.
 */
export function args(input: Record<string, unknown> | undefined, required: readonly string[] = []): string {
  const clean = Object.fromEntries(
    Object.entries(input ?? {})
      .map(([k, v]) => [k, v === "" && required.includes(k) ? new Code(`process.env.${envName(k)}!`) : v])
      .filter(([, v]) => v !== undefined && v !== ""),
  );
  return Object.keys(clean).length ? literal(clean) : "";
}

/**
 * The same operation through `@sdk/query` in a React component (TanStack Query v5): `hook` is
 * `useQuery`, `useInfiniteQuery` or `useMutation`, `call` the line that uses its result.
 */
export function querySnippet(
  pkg: "auth" | "iam",
  hook: "useQuery" | "useInfiniteQuery" | "useMutation",
  factory: string,
  factoryArgs: string,
  use: readonly string[],
  extraImports: readonly string[] = [],
): string {
  const client = pkg === "auth" ? "auth" : "iam";
  const sdkImports = [pkg === "auth" ? "AuthClient" : "IamClient", ...extraImports].join(", ");
  return [
    `// npm i @sdk/query @tanstack/react-query @sdk/${pkg}`,
    `import { ${sdkImports} } from "@sdk/${pkg}";`,
    `import { ${factory} } from "@sdk/query/${pkg}";`,
    `import { ${hook} } from "@tanstack/react-query";`,
    "",
    pkg === "auth" ? authClientSnippet() : iamClientSnippet(),
    "",
    "// In a component:",
    `const ${hook === "useMutation" ? "mutation" : "query"} = ${hook}(${factory}(${[client, factoryArgs].filter(Boolean).join(", ")}));`,
    ...use,
  ].join("\n");
}

/** The service-account walk-through, by hand and then with the client doing it. */
export function walkthroughSnippet(): string {
  return [
    `import { IamClient, parseServiceAccountCredentials, signServiceAccountJws, verifyAccessToken } from "@sdk/iam";`,
    "",
    `const credentials = parseServiceAccountCredentials(process.env.${ENV.serviceAccount} ?? "");`,
    iamClientSnippet({ serviceAccount: "credentials" }),
    "",
    "// By hand: sign, exchange, verify.",
    "const jws = await signServiceAccountJws(credentials);",
    "const { accessToken } = await iam.generateServiceAccountToken({ jws });",
    "const keys = [];",
    "for await (const page of iam.listSigningKeys({ pageSize: 100 }).pages()) keys.push(...page.keys);",
    'const claims = await verifyAccessToken(accessToken, { keys, audience: "apexapis.com", issuer: "apexapis.com" }); // or { client: iam, ... }',
    "",
    "// Or let the client do it: protected calls get a cached, auto-renewed bearer token.",
    `const me = await iam.callProtected({ path: "/iam/v1/whoami" });`,
    "console.log(claims.sub, me);",
  ].join("\n");
}

/** What `mcpSnippet` needs of an operation: its `@sdk/mcp` tool, and whether it mints a credential. */
export interface McpToolRef {
  tool: string;
  mints?: boolean;
}

/**
 * The same operation as a tool of `@sdk/mcp`, the MCP server an AI assistant (Claude Desktop, an IDE)
 * starts over stdio: how to start it, and the `tools/call` request the assistant then sends.
 */
export function mcpSnippet(ref: McpToolRef, args: Record<string, unknown>): string {
  const flag = ref.mints ? " --allow-token-minting" : "";
  const env = ref.tool.startsWith("auth_") ? "REGISTRY_API_KEY" : "IAM_API_KEY (+ IAM_SERVICE_ACCOUNT_FILE)";
  return [
    `# No account needed: npx @sdk/mcp --mock${flag}`,
    `# Your own: ${env} in the environment, then npx @sdk/mcp${flag}`,
    `# The assistant calls the tool ${ref.tool}:`,
    JSON.stringify({ method: "tools/call", params: { name: ref.tool, arguments: args } }, null, 2),
  ].join("\n");
}
