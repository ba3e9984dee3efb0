import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseServiceAccountCredentials, StatusError, signServiceAccountJws } from "../src/index.js";
import { clientFor, useMockApi } from "./helpers.js";

// Every ```ts block is compiled, alone, against the built package by the one README checker of the
// repository (repo-tests/test/readme-examples.test.ts). Here: the README covers what it must.

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("README", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  it("documents both operations, the errors and the service-account guide", () => {
    for (const heading of [
      "### generateServiceAccountToken",
      "### listSigningKeys",
      "## Errors",
      "## Configuration",
      "## Service accounts",
      "### Verifying access tokens",
      "### Browsers and edge runtimes",
    ]) {
      expect(readme).toContain(heading);
    }
  });
});

describe("README's StatusError.message", () => {
  const mock = useMockApi();

  // The README quotes the message of one real failure; compare it with what the code produces for that
  // failure, so the description cannot drift from the transport's message format.
  it("is the message the code produces for a JWS from an unregistered service account", async () => {
    const quoted = readme.match(
      /`StatusError`'s `message` for a JWS from an unregistered service account reads\s+`([^`]+)`/,
    )?.[1];
    expect(quoted, "the README quotes a StatusError message").toBeDefined();
    const iam = clientFor(mock.server);
    const credentials = parseServiceAccountCredentials(mock.server.credentials.iam.unknownServiceAccount);
    const error = await iam
      .generateServiceAccountToken({
        jws: await signServiceAccountJws(credentials, { now: mock.server.clock.now() }),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatusError);
    const status = error as StatusError;
    // The request id is the mock's counter for this request: the quoted one stands for it.
    expect(status.requestId).toMatch(/^req_/);
    expect(status.message).toBe(
      quoted?.replace(/\[request id [^\]]+\]$/, `[request id ${status.requestId}]`),
    );
    // The table's claims: the server's message is part of it and alone on `data.message`.
    expect(status.message).toContain(status.data.message);
    expect(readme).toContain("`data.message` (the server's message alone)");
  });
});
