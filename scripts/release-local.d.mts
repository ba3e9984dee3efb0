// Types of release-local.mjs for the TypeScript tests that drive it.
export const ROOT: string;
export const LOCAL_SCOPES: string[];
export function tempDir(prefix: string): string;
export function exec(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }>;
export function npmEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function pnpmCommand(): { command: string; prefix: string[] };
export function configuredRegistry(): string;
export interface LocalRegistry {
  url: string;
  uplink: string;
  npmrc: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}
export function startLocalRegistry(options?: { uplink?: string }): Promise<LocalRegistry>;
export function copyRepo(options?: {
  keepChangesets?: boolean;
  packageModules?: boolean;
  prefix?: string;
}): string;
export function publicPackages(root: string): Array<{ dir: string; name: string; version: string }>;
export function versionBuildPublish(
  root: string,
  registry: LocalRegistry,
  options?: { log?: (line: string) => void },
): Promise<string[]>;
export function installByName(
  registry: LocalRegistry,
  commands?: string[][],
  options?: { prefix?: string },
): Promise<string>;
