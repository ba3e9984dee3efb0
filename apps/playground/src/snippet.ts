// The TypeScript a user would write for the call on screen. Credentials are never inlined: the snippet
// reads them from environment variables, as real code should.
import { runtime, settings } from "./state.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A TypeScript literal of plain data, keys unquoted where possible. */
export function literal(value: unknown, indent = ""): string {
  if (value === undefined) return "undefined";
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

function clientOptions(pkg: "auth" | "iam", opts: { serviceAccount?: boolean } = {}): string {
  const lines: string[] = [];
  const [key, value] = serverOption(pkg);
  lines.push(`  ${key}: ${value}${value.endsWith(",") || value.includes("//") ? "" : ","}`);
  if (pkg === "auth") {
    const field = settings.authScheme;
    const env =
      field === "apiKey" ? ENV.authApiKey : field === "bearer" ? ENV.authBearer : ENV.authWorkspaceIdentifier;
    lines.push(`  security: { ${field}: process.env.${env} },`);
  } else if (opts.serviceAccount) {
    lines.push(
      "  security: {",
      `    apiKeyAuth: process.env.${ENV.iamApiKey},`,
      `    serviceAccount: parseServiceAccountCredentials(process.env.${ENV.serviceAccount} ?? ""),`,
      "  },",
    );
  } else {
    lines.push(`  security: { apiKeyAuth: process.env.${ENV.iamApiKey} },`);
  }
  if (settings.retriesEnabled) {
    const retries = {
      strategy: "backoff",
      backoff: {
        initialInterval: settings.initialIntervalMs,
        maxInterval: 2000,
        exponent: 1.5,
        maxElapsedTime: 30_000,
      },
      retryConnectionErrors: settings.retryConnectionErrors,
      statusCodes: [408, 429, "5XX"],
      maxRetries: settings.maxRetries,
    };
    lines.push(`  retries: ${literal(retries, "  ")},`);
  } else {
    lines.push(`  retries: { strategy: "none" },`);
  }
  if (settings.timeoutMs > 0) lines.push(`  timeoutMs: ${literal(settings.timeoutMs)}, // per attempt`);
  return lines.join("\n");
}

export function authClientSnippet(): string {
  return `const auth = new AuthClient({\n${clientOptions("auth")}\n});`;
}

export function iamClientSnippet(opts: { serviceAccount?: boolean } = {}): string {
  return `const iam = new IamClient({\n${clientOptions("iam", opts)}\n});`;
}

/** An argument list: nothing for an empty input. */
export function args(input: Record<string, unknown> | undefined): string {
  const clean = Object.fromEntries(
    Object.entries(input ?? {}).filter(([, v]) => v !== undefined && v !== ""),
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
