// SDK clients built from the current settings, exactly as a user would build them, plus hooks that
// record every attempt so the page can show the retries the SDK took.
import { AuthClient, type Hooks } from "@sdk/auth";
import { IamClient, type ServiceAccountCredentials } from "@sdk/iam";
import { authSecurity, retryConfig, serverURL, settings } from "./state.js";

export interface AttemptRecord {
  operationId: string;
  attempt: number;
  /** HTTP status, or undefined when no response arrived. */
  status: number | undefined;
  /** The error class of a failed attempt (`APIError`, `ConnectionError`, ...). */
  error: string | undefined;
  ms: number;
}

export function recordingHooks(log: AttemptRecord[]): Hooks {
  const started = new Map<string, number>();
  const key = (operationId: string, attempt: number) => `${operationId}#${attempt}`;
  const finish = (operationId: string, attempt: number, status: number | undefined, error?: string) => {
    const begin = started.get(key(operationId, attempt)) ?? performance.now();
    log.push({ operationId, attempt, status, error, ms: Math.round(performance.now() - begin) });
  };
  return {
    beforeRequest(ctx) {
      started.set(key(ctx.operationId, ctx.attempt), performance.now());
    },
    afterSuccess(ctx, response) {
      finish(ctx.operationId, ctx.attempt, response.status);
    },
    afterError(ctx, response, error) {
      finish(ctx.operationId, ctx.attempt, response?.status, (error as Error | undefined)?.name);
    },
  };
}

function common(log: AttemptRecord[]) {
  const url = serverURL();
  const retries = retryConfig();
  return {
    ...(settings.target === "named" || url === undefined ? {} : { serverURL: url }),
    ...(retries ? { retries } : {}),
    ...(settings.timeoutMs > 0 ? { timeoutMs: settings.timeoutMs } : {}),
    hooks: recordingHooks(log),
  };
}

export function authClient(log: AttemptRecord[]): AuthClient {
  return new AuthClient({ ...common(log), server: settings.authServer, security: authSecurity() });
}

export function iamClient(log: AttemptRecord[], serviceAccount?: ServiceAccountCredentials): IamClient {
  return new IamClient({
    ...common(log),
    server: settings.iamServer,
    security: { apiKeyAuth: settings.iamApiKey, ...(serviceAccount ? { serviceAccount } : {}) },
  });
}
