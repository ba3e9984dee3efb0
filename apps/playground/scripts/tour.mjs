#!/usr/bin/env node
// `pnpm tour`: every operation of @sdk/auth and @sdk/iam once, plus a few deliberate typed errors and the
// service-account flow, against an in-process mock API. Exits 1 when anything is not as expected: it
// doubles as a smoke test of the published surface (it imports the SDKs by name, as users do).
import { pathToFileURL } from "node:url";
import {
  AuthClient,
  AuthError,
  InvalidRequestError,
  RequestTimeoutError,
  ResponseValidationError,
} from "@sdk/auth";
import {
  IamClient,
  parseServiceAccountCredentials,
  StatusError,
  signServiceAccountJws,
  verifyAccessToken,
} from "@sdk/iam";
import { startMockApi } from "@sdk/mock-api";

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
/** @param {string} code @param {string} text */
const paint = (code, text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = (/** @type {string} */ t) => paint("32", t);
const red = (/** @type {string} */ t) => paint("31", t);
const dim = (/** @type {string} */ t) => paint("2", t);
const bold = (/** @type {string} */ t) => paint("1", t);

/** Credentials are never printed: a recognisable stub only. @param {string} secret */
const mask = (secret) => `${secret.slice(0, 6)}…(${secret.length} chars)`;

/** @param {number | undefined} seconds */
const iso = (seconds) => (typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : "?");

/**
 * @typedef {{ label: string, outcome: string }} StepResult
 * @typedef {{ ok: boolean, steps: number, failures: string[] }} TourResult
 */

/**
 * Runs the tour. Every step either returns a line to print or throws; an expected error is checked by
 * `expectError`, so an unexpected success fails the step too.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<TourResult>}
 */
export async function runTour(options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const server = await startMockApi({ port: 0 });
  const seeded = server.credentials;
  /** @type {string[]} */
  const failures = [];
  let steps = 0;

  /** @param {string} label @param {() => Promise<string>} fn */
  const step = async (label, fn) => {
    steps++;
    const started = Date.now();
    try {
      const outcome = await fn();
      log(`  ${green("✓")} ${label.padEnd(52)} ${outcome} ${dim(`${Date.now() - started} ms`)}`);
    } catch (error) {
      const e = /** @type {Error} */ (error);
      failures.push(`${label}: ${e?.name}: ${e?.message}`);
      log(
        `  ${red("✗")} ${label.padEnd(52)} ${red(`${e?.name ?? "Error"}: ${e?.message ?? String(error)}`)}`,
      );
    } finally {
      server.faults.clear();
    }
  };

  /**
   * @template {abstract new (...args: any) => Error} C
   * @param {Promise<unknown>} promise @param {C} type @param {(err: InstanceType<C>) => string} describe
   */
  const expectError = async (promise, type, describe) => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof type)
        return `${bold(/** @type {Error} */ (error).name)} ${describe(/** @type {any} */ (error))}`;
      throw error;
    }
    throw new Error(`expected ${type.name}, but the call succeeded`);
  };

  /** Counts attempts through the hooks, for calls that fail (a failure has no `.withResponse()`). */
  const attemptCounter = () => {
    const counter = { attempts: 0 };
    return { counter, hooks: { beforeRequest: () => void counter.attempts++ } };
  };

  const fastRetries = /** @type {const} */ ({
    strategy: "backoff",
    backoff: { initialInterval: 50, maxInterval: 500, exponent: 1.5, maxElapsedTime: 10_000 },
    retryConnectionErrors: true,
    statusCodes: [408, 429, "5XX"],
    maxRetries: 3,
  });

  try {
    log(`${bold("@sdk/playground tour")} ${dim(`against the embedded mock API at ${server.url}`)}`);
    const auth = new AuthClient({ serverURL: server.url, security: { apiKey: seeded.auth.apiKey } });

    log(`\n${bold("@sdk/auth")}`);
    await step("validateApiKey()", async () => {
      const { data, response, attempts } = await auth.validateApiKey().withResponse();
      return `${response.status} · ${data.workspaceSlug} (${data.accountTypeV2}) created ${data.workspaceCreatedAt.toISOString()} · ${attempts} attempt`;
    });
    await step("getUser()", async () => {
      const user = await auth.getUser();
      return `${user.displayName} <${user.email}>, last login ${user.lastLoginAt?.toISOString() ?? "never"}`;
    });
    await step("getAccessToken({ workspaceId })", async () => {
      const token = await auth.getAccessToken({ workspaceId: seeded.auth.workspaceId });
      return `token ${mask(token.accessToken)} for ${token.user.email ?? "?"}, ${token.workspaces?.length ?? 0} workspace(s)`;
    });
    await step('getAccess({ targetType: "typescript", passive })', async () => {
      const access = await auth.getAccess({ genLockId: "tour", targetType: "typescript", passive: true });
      return `level ${access.level ?? "?"}, generationAllowed ${access.generationAllowed}`;
    });

    log(`\n${bold("@sdk/auth: typed errors on purpose")}`);
    await step('getAccessToken({ workspaceId: "" })', () =>
      expectError(
        auth.getAccessToken({ workspaceId: "" }),
        InvalidRequestError,
        (e) => `${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")} (nothing sent)`,
      ),
    );
    await step("validateApiKey() with an unknown key", () =>
      expectError(
        new AuthClient({
          serverURL: server.url,
          security: { apiKey: seeded.auth.unknown.apiKey },
        }).validateApiKey(),
        AuthError,
        (e) => `${e.status}: ${e.data.message}`,
      ),
    );
    await step("validateApiKey() after two 503s, retried", async () => {
      server.faults.add({ kind: "status", status: 503, count: 2, route: "GET /v1/auth/validate" });
      const retrying = new AuthClient({
        serverURL: server.url,
        security: { apiKey: seeded.auth.apiKey },
        retries: fastRetries,
      });
      const { response, attempts } = await retrying.validateApiKey().withResponse();
      if (attempts !== 3) throw new Error(`expected 3 attempts, got ${attempts}`);
      return `${response.status} after ${attempts} attempts (503, 503, 200)`;
    });
    await step("getUser() on a slow server, timeoutMs 300", () => {
      server.faults.add({ kind: "delay", ms: 2_000, route: "GET /v1/user" });
      const impatient = new AuthClient({
        serverURL: server.url,
        security: { apiKey: seeded.auth.apiKey },
        timeoutMs: 300,
      });
      return expectError(impatient.getUser(), RequestTimeoutError, (e) => `after ${e.timeoutMs} ms`);
    });
    await step("getAccess() with an unknown enum value", () => {
      server.faults.add({ kind: "drift", mode: "unknown-enum", route: "GET /v1/workspace/access" });
      return expectError(
        auth.getAccess({ passive: true }),
        ResponseValidationError,
        (e) => `${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      );
    });

    log(`\n${bold("@sdk/iam: the service-account flow")}`);
    const credentials = parseServiceAccountCredentials(JSON.stringify(seeded.iam.serviceAccount));
    const iam = new IamClient({
      serverURL: server.url,
      security: { apiKeyAuth: seeded.iam.apiKey, serviceAccount: credentials },
      retries: fastRetries,
    });
    /** @type {string} */
    let jws = "";
    /** @type {string} */
    let accessToken = "";
    /** @type {import("@sdk/iam").SigningKey[]} */
    const keys = [];
    await step("parseServiceAccountCredentials(file)", async () => {
      if (JSON.stringify(credentials).includes("PRIVATE KEY"))
        throw new Error("the private key leaked into JSON");
      return `${credentials.name} (${credentials.organization}); the key stays out of JSON and logs`;
    });
    await step("signServiceAccountJws(credentials)", async () => {
      jws = await signServiceAccountJws(credentials);
      return `RS256 JWS ${mask(jws)}`;
    });
    await step("generateServiceAccountToken({ jws })", async () => {
      const { data, attempts } = await iam.generateServiceAccountToken({ jws }).withResponse();
      accessToken = data.accessToken;
      return `${data.tokenType} ${mask(data.accessToken)}, expires in ${data.expiresIn} s · ${attempts} attempt`;
    });
    await step("listSigningKeys({ pageSize: 100 })", async () => {
      const page = await iam.listSigningKeys({ pageSize: 100 });
      return `first page: ${page.keys.length} keys, ${page.nextPageToken ? "more pages" : "last page"}`;
    });
    await step("for await (… of listSigningKeys().pages())", async () => {
      let pages = 0;
      for await (const page of iam.listSigningKeys({ pageSize: 100 }).pages()) {
        pages++;
        keys.push(...page.keys);
      }
      return `${keys.length} keys in ${pages} pages`;
    });
    await step("verifyAccessToken(token, { keys, audience, issuer })", async () => {
      const claims = await verifyAccessToken(accessToken, {
        keys,
        audience: seeded.iam.audience,
        issuer: seeded.iam.issuer,
      });
      return `verified ${claims.sub} (${claims.identity_class}, key ${claims.sa_kid}), aud ${claims.aud}, expires ${iso(claims.exp)}`;
    });
    await step('callProtected({ path: "/iam/v1/whoami" })', async () => {
      const { data, attempts } = await iam.callProtected({ path: "/iam/v1/whoami" }).withResponse();
      const me = /** @type {{ sub: string, name: string }} */ (data);
      return `${me.sub} (${me.name}) with an automatic bearer token · ${attempts} attempt`;
    });
    await step("whoami after the mock revoked every token", async () => {
      server.revokeTokens();
      const { data, attempts } = await iam.callProtected({ path: "/iam/v1/whoami" }).withResponse();
      const stats = iam.serviceAccountTokens.stats();
      return `${/** @type {{ name: string }} */ (data).name} again after ${attempts} attempts (401 → token renewed once, ${stats.unauthorizedRefreshes} refresh)`;
    });

    log(`\n${bold("@sdk/iam: typed errors on purpose")}`);
    await step("generateServiceAccountToken(unregistered account)", async () => {
      const stranger = parseServiceAccountCredentials(seeded.iam.unknownServiceAccount);
      const badJws = await signServiceAccountJws(stranger);
      return expectError(
        iam.generateServiceAccountToken({ jws: badJws }),
        StatusError,
        (e) => `${e.status} code ${e.code}: ${e.data.message} (${String(e.details[0]?.reason ?? "")})`,
      );
    });
    await step("listSigningKeys() during a persistent 500", () => {
      server.faults.add({ kind: "status", status: 500, count: 10, route: "GET /iam/v1/keys" });
      const { counter, hooks } = attemptCounter();
      const client = new IamClient({
        serverURL: server.url,
        security: { apiKeyAuth: seeded.iam.apiKey },
        retries: fastRetries,
        hooks,
      });
      return expectError(
        client.listSigningKeys(),
        StatusError,
        (e) => `${e.status} after ${counter.attempts} attempts`,
      );
    });
    await step("listSigningKeys({ pageSize: 5000 })", () =>
      expectError(
        iam.listSigningKeys({ pageSize: 5000 }),
        InvalidRequestError,
        (e) => `${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")} (nothing sent)`,
      ),
    );
  } finally {
    await server.close();
  }

  const ok = failures.length === 0;
  log(
    `\n${ok ? green(`${steps} steps, all as expected.`) : red(`${failures.length} of ${steps} steps went wrong:`)}`,
  );
  for (const failure of failures) log(red(`  - ${failure}`));
  return { ok, steps, failures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runTour().then(
    ({ ok }) => process.exit(ok ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
