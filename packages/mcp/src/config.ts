// Where the server's credentials and servers come from: environment variables (named in the README),
// or the embedded mock API (`--mock`). A variable that is set but unusable stops the server at start; a
// missing credential fails only the tools that need it, at the call, naming the variable.
import { readFileSync } from "node:fs";
import { SDKError } from "@sdk/errors";
import { type IamServer, parseServiceAccountCredentials, type ServiceAccountCredentials } from "@sdk/iam";
import { IAM_SERVERS } from "@sdk/iam/schemas";

/** The environment variables the server reads. */
export const ENV = {
  /** `x-api-key` of the registry Auth API (`@sdk/auth`). */
  registryApiKey: "REGISTRY_API_KEY",
  /** Base URL of the Auth API (default: its `prod` server). */
  registryServerURL: "REGISTRY_SERVER_URL",
  /** `x-api-key` of the IAM API (`@sdk/iam`). */
  iamApiKey: "IAM_API_KEY",
  /** Path of a service-account credentials JSON file (signs the JWS of generateServiceAccountToken). */
  iamServiceAccountFile: "IAM_SERVICE_ACCOUNT_FILE",
  /** A named IAM server: `uat` (default), `prod` or `sbx`. */
  iamServer: "IAM_SERVER",
  /** Base URL of the IAM API; wins over IAM_SERVER. */
  iamServerURL: "IAM_SERVER_URL",
} as const;

/** A credential a tool needs, by the variable that provides it. */
export type Credential = "registryApiKey" | "iamApiKey" | "iamServiceAccount";

/** The variable that provides each credential. */
export const CREDENTIAL_VARIABLES: Readonly<Record<Credential, string>> = {
  registryApiKey: ENV.registryApiKey,
  iamApiKey: ENV.iamApiKey,
  iamServiceAccount: ENV.iamServiceAccountFile,
};

/** Everything the tools may use; built from the environment or from the mock's seeded credentials. */
export interface McpConfig {
  auth: { apiKey?: string | undefined; serverURL?: string | undefined };
  iam: {
    apiKey?: string | undefined;
    serviceAccount?: ServiceAccountCredentials | undefined;
    server?: IamServer | undefined;
    serverURL?: string | undefined;
  };
  /** Where the values came from, for messages: `environment` or `mock API at http://…`. */
  source: string;
}

/** The server cannot run, or a tool cannot, because of its configuration. Never shows a value. */
export class McpConfigError extends SDKError {
  static override readonly kind: string = "@sdk/mcp.McpConfigError";
  /** The environment variable at fault. */
  readonly variable: string;

  constructor(variable: string, problem: string, options?: { cause?: unknown }) {
    super(`${variable} ${problem}`, options);
    this.variable = variable;
  }

  protected override safeFields(): Record<string, unknown> {
    return { variable: this.variable };
  }
}

/** The error of a tool that needs `credential` while the configuration lacks it. */
export function missingCredential(credential: Credential): McpConfigError {
  return new McpConfigError(
    CREDENTIAL_VARIABLES[credential],
    "is not set: set it in the environment of the MCP server (see the @sdk/mcp README), or start it with --mock to try the tools against the embedded mock API",
  );
}

/** Whether `config` holds `credential`. */
export function hasCredential(config: McpConfig, credential: Credential): boolean {
  if (credential === "registryApiKey") return Boolean(config.auth.apiKey);
  if (credential === "iamApiKey") return Boolean(config.iam.apiKey);
  return config.iam.serviceAccount !== undefined;
}

// A credentials file is a few KB (a PEM key and two names); anything far larger is not one.
const MAX_CREDENTIALS_FILE_BYTES = 64 * 1024;

/** Reads and parses the service-account file; the error names the variable, never the key. */
function readServiceAccount(path: string): ServiceAccountCredentials {
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.byteLength > MAX_CREDENTIALS_FILE_BYTES) {
      throw new McpConfigError(
        ENV.iamServiceAccountFile,
        `names a file of ${bytes.byteLength} bytes: a credentials file is at most ${MAX_CREDENTIALS_FILE_BYTES}`,
      );
    }
    text = bytes.toString("utf8");
  } catch (err) {
    if (err instanceof McpConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new McpConfigError(ENV.iamServiceAccountFile, `names a file that cannot be read (${code})`);
  }
  try {
    return parseServiceAccountCredentials(text);
  } catch (err) {
    // InvalidCredentialsError names the bad field and never the key.
    const detail = err instanceof SDKError ? err.message : "not a credentials file";
    throw new McpConfigError(ENV.iamServiceAccountFile, `names an unusable file: ${detail}`, { cause: err });
  }
}

/** An empty value counts as unset: MCP client configs often carry `"VAR": ""` placeholders. */
function read(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * The configuration from environment variables (see `ENV`). Throws `McpConfigError` for a variable
 * that is set but unusable (an unknown IAM_SERVER, an unreadable or malformed credentials file); a
 * missing credential is not an error here: the tools that need it report it when called.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): McpConfig {
  const server = read(env, ENV.iamServer);
  if (server !== undefined && !Object.hasOwn(IAM_SERVERS, server)) {
    throw new McpConfigError(ENV.iamServer, `must be one of ${Object.keys(IAM_SERVERS).join(", ")}`);
  }
  const file = read(env, ENV.iamServiceAccountFile);
  return {
    auth: { apiKey: read(env, ENV.registryApiKey), serverURL: read(env, ENV.registryServerURL) },
    iam: {
      apiKey: read(env, ENV.iamApiKey),
      serviceAccount: file === undefined ? undefined : readServiceAccount(file),
      server: server as IamServer | undefined,
      serverURL: read(env, ENV.iamServerURL),
    },
    source: "environment",
  };
}
