// The playground's settings. Kept in memory only: credentials never go to the URL, localStorage,
// sessionStorage, cookies or the console. A reload starts over from the mock's seeded values.
import type { AuthServer, RetryConfig } from "@sdk/auth";
import { AUTH_SERVERS } from "@sdk/auth/schemas";
import type { IamServer } from "@sdk/iam";
import { DEFAULT_RETRY, IAM_SERVERS } from "@sdk/iam/schemas";
import type { SeededCredentials } from "@sdk/mock-api";

export type Target = "mock" | "named" | "custom";
export type AuthScheme = "apiKey" | "bearer" | "workspaceIdentifier";
/** `sdk`: each operation's own default policy (no `retries` option at all); `custom`: the fields below. */
export type RetriesMode = "sdk" | "none" | "custom";

/** The custom policy starts from the SDK's own (the IAM operations' default): numbers from code, not text. */
const SDK_BACKOFF = DEFAULT_RETRY.strategy === "backoff" ? DEFAULT_RETRY.backoff : undefined;
export const CUSTOM_RETRY_BASE = {
  initialInterval: SDK_BACKOFF?.initialInterval ?? 500,
  maxInterval: SDK_BACKOFF?.maxInterval ?? 5_000,
  exponent: SDK_BACKOFF?.exponent ?? 1.5,
  maxElapsedTime: SDK_BACKOFF?.maxElapsedTime ?? 60_000,
  statusCodes: [408, 429, "5XX"] as (number | string)[],
};

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
  retriesMode: RetriesMode;
  maxRetries: number;
  initialIntervalMs: number;
  retryConnectionErrors: boolean;
  /** Per attempt; 0 = none (the SDKs' default: no timeout unless you set one). */
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
  retriesMode: "sdk",
  maxRetries: 3,
  initialIntervalMs: CUSTOM_RETRY_BASE.initialInterval,
  retryConnectionErrors: true,
  timeoutMs: 0,
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

/** The client's `retries` option, or `undefined` to keep each operation's SDK default. */
export function retryConfig(): RetryConfig | undefined {
  if (settings.retriesMode === "sdk") return undefined;
  if (settings.retriesMode === "none") return { strategy: "none" };
  return {
    strategy: "backoff",
    backoff: {
      initialInterval: settings.initialIntervalMs,
      maxInterval: CUSTOM_RETRY_BASE.maxInterval,
      exponent: CUSTOM_RETRY_BASE.exponent,
      maxElapsedTime: CUSTOM_RETRY_BASE.maxElapsedTime,
    },
    retryConnectionErrors: settings.retryConnectionErrors,
    statusCodes: CUSTOM_RETRY_BASE.statusCodes,
    maxRetries: settings.maxRetries,
  };
}

/**
 * What a result depends on besides its input: where it was sent and with which credentials. A result
 * whose context differs from the current one is shown as stale (kept in memory only, like the settings).
 */
export function resultContext(pkg: "auth" | "iam"): string {
  return JSON.stringify(
    pkg === "auth"
      ? [settings.target, serverURL(), settings.authServer, authSecurity()]
      : [settings.target, serverURL(), settings.iamServer, settings.iamApiKey],
  );
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
