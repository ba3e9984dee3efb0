// @core/http's bounds through the IAM client: `timeoutMs` covers getting the service-account token,
// `totalTimeoutMs` the whole call; error messages name the SDK method.
import { DeadlineExceededError, RequestTimeoutError } from "@sdk/errors";
import { describe, expect, it } from "vitest";
import { StatusError } from "../src/index.js";
import { clientFor, countRoute, TOKEN_ROUTE, useMockApi, WHOAMI_ROUTE } from "./helpers.js";

const mock = useMockApi();

describe("deadlines", () => {
  it("timeoutMs bounds the wait for a hanging token endpoint: RequestTimeoutError within ~1 s", async () => {
    mock.server.faults.add({ kind: "delay", ms: 10_000, route: TOKEN_ROUTE });
    const iam = clientFor(mock.server, { serviceAccount: true });
    const started = Date.now();
    const error = await iam
      .callProtected(
        { method: "GET", path: "/iam/v1/whoami" },
        { timeoutMs: 800, retries: { strategy: "none" } },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
    // The protected call itself was never sent: it had no token.
    expect(countRoute(mock.server, WHOAMI_ROUTE)).toBe(0);
  });

  it("totalTimeoutMs bounds the same wait with DeadlineExceededError", async () => {
    mock.server.faults.add({ kind: "delay", ms: 10_000, route: TOKEN_ROUTE });
    const iam = clientFor(mock.server, { serviceAccount: true });
    const started = Date.now();
    // Per call: a client-wide 600 ms would also bound the token exchange the client makes for it, and
    // which of the two deadlines fires first would then depend on the machine's load.
    const error = await iam
      .callProtected({ method: "GET", path: "/iam/v1/whoami" }, { totalTimeoutMs: 600 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe("messages", () => {
  it("name the SDK method (iam.generateServiceAccountToken), not the contract id", async () => {
    const error = await clientFor(mock.server)
      .generateServiceAccountToken({ jws: "not.a.jws" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).message).toMatch(/^iam\.generateServiceAccountToken: POST /);
    expect((error as StatusError).message).not.toContain("Authentication_");
  });
});
