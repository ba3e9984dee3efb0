// The playground's settings. Kept in memory only: credentials never go to the URL, localStorage,
// sessionStorage, cookies or the console. A reload starts over from the mock's seeded values.
import type { AuthServer, RetryConfig } from "@sdk/auth";
import { AUTH_SERVERS } from "@sdk/auth/schemas";
import type { IamServer } from "@sdk/iam";
import { IAM_SERVERS } from "@sdk/iam/schemas";
import type { SeededCredentials } from "@sdk/mock-api";

export type Target = "mock" | "named" | "custom";
export type AuthScheme = "apiKey" | "bearer" | "workspaceIdentifier";

export interface Settings {
  target: Target;
  authServer: AuthServer;
  iamServer: IamServer;
  customURL: string;
  /** Which one of the Auth API's three credentials is sent. */
  authScheme: AuthScheme;
  authApiKey: string;
  authBearer: string;
  authWorkspaceIdentifier: string;
  iamApiKey: string;
  retriesEnabled: boolean;
  maxRetries: number;
  initialIntervalMs: number;
  retryConnectionErrors: boolean;
  /** Per attempt; 0 = none. */
  timeoutMs: number;
}

export interface PlaygroundConfig {
  /** The embedded mock API, when the playground was started with one. */
  mockUrl: string | null;
}

export const settings: Settings = {
  target: "mock",
  authServer: "prod",
  iamServer: "uat",
  customURL: "http://127.0.0.1:4010",
  authScheme: "apiKey",
  authApiKey: "",
  authBearer: "",
  authWorkspaceIdentifier: "",
  iamApiKey: "",
  retriesEnabled: true,
  maxRetries: 3,
  initialIntervalMs: 200,
  retryConnectionErrors: true,
  timeoutMs: 10_000,
};

export const runtime: { config: PlaygroundConfig; seeded: SeededCredentials | undefined } = {
  config: { mockUrl: null },
  seeded: undefined,
};

type Listener = () => void;
const listeners = new Set<Listener>();

export function onSettingsChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function updateSettings(patch: Partial<Settings>): void {
  Object.assign(settings, patch);
  for (const listener of listeners) listener();
}

/** Fills the credentials from the mock's seed (only the ones still empty, unless `overwrite`). */
export function applySeeded(seeded: SeededCredentials, overwrite = false): void {
  runtime.seeded = seeded;
  const pick = (current: string, value: string) => (overwrite || current === "" ? value : current);
  updateSettings({
    authApiKey: pick(settings.authApiKey, seeded.auth.apiKey),
    authBearer: pick(settings.authBearer, seeded.auth.bearer),
    authWorkspaceIdentifier: pick(settings.authWorkspaceIdentifier, seeded.auth.workspaceIdentifier),
    iamApiKey: pick(settings.iamApiKey, seeded.iam.apiKey),
  });
}

/** The base URL calls go to, or `undefined` for the SDK's named server. */
export function serverURL(): string | undefined {
  if (settings.target === "mock") return runtime.config.mockUrl ?? undefined;
  if (settings.target === "custom") return settings.customURL.trim().replace(/\/+$/, "") || undefined;
  return undefined;
}

export function describeTarget(pkg: "auth" | "iam"): string {
  if (settings.target === "mock") return `embedded mock ${runtime.config.mockUrl ?? "(not running)"}`;
  if (settings.target === "custom") return `custom ${serverURL() ?? "(empty URL)"}`;
  return pkg === "auth"
    ? `${settings.authServer} ${AUTH_SERVERS[settings.authServer]}`
    : `${settings.iamServer} ${IAM_SERVERS[settings.iamServer]}`;
}

/** Mock control endpoints are only there when the target is the embedded mock (or a custom mock URL). */
export function mockControlURL(): string | undefined {
  if (settings.target === "named") return undefined;
  return serverURL();
}

export function retryConfig(): RetryConfig {
  if (!settings.retriesEnabled) return { strategy: "none" };
  return {
    strategy: "backoff",
    backoff: {
      initialInterval: settings.initialIntervalMs,
      maxInterval: 2_000,
      exponent: 1.5,
      maxElapsedTime: 30_000,
    },
    retryConnectionErrors: settings.retryConnectionErrors,
    statusCodes: [408, 429, "5XX"],
    maxRetries: settings.maxRetries,
  };
}

export function authSecurity(): { apiKey: string } | { bearer: string } | { workspaceIdentifier: string } {
  switch (settings.authScheme) {
    case "bearer":
      return { bearer: settings.authBearer };
    case "workspaceIdentifier":
      return { workspaceIdentifier: settings.authWorkspaceIdentifier };
    default:
      return { apiKey: settings.authApiKey };
  }
}
