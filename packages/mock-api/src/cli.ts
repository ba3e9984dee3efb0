#!/usr/bin/env node
// `sdk-mock-api [--port 4010] [--host 127.0.0.1] [--quiet]`: runs the mock until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startMockApi } from "./server.js";
import type { MockApi } from "./types.js";

const USAGE = `Usage: sdk-mock-api [--port <n>] [--host <loopback>] [--quiet]

  --port   TCP port (default 4010; 0 picks a free one)
  --host   loopback address to bind (default 127.0.0.1; only loopback is allowed)
  --quiet  do not print one line per request
`;

function banner(server: MockApi): string {
  const { auth, iam } = server.credentials;
  const lines = [
    `@sdk/mock-api listening on ${server.url}`,
    "",
    "MOCK SERVER: the credentials below are public, seeded TEST values (not secrets).",
    "",
    "Auth API (/v1/...): any ONE of x-api-key, Authorization: Bearer, x-workspace-identifier",
    ...auth.workspaces.map(
      (w) =>
        `  ${w.slug.padEnd(18)} ${w.accountType.padEnd(10)} id=${w.id}\n` +
        `    x-api-key: ${w.apiKey}\n    bearer: ${w.bearer}\n    x-workspace-identifier: ${w.workspaceIdentifier}`,
    ),
    "",
    "IAM API (/iam/v1/...):",
    `  x-api-key: ${iam.apiKey}`,
    ...iam.serviceAccounts.map((sa) => `  service account: name=${sa.name} organization=${sa.organization}`),
    `  service-account credentials files (with their test private keys): GET ${server.url}/__mock/credentials`,
    "",
    `Control: ${server.url}/__mock/{faults,reset,clock,revoke-tokens,credentials,requests}`,
    "Press Ctrl+C to stop.",
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  let values: { port?: string; host?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = values.port === undefined ? 4010 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer 0..65535\n`);
    process.exit(2);
  }
  const server = await startMockApi({
    port,
    host: values.host ?? "127.0.0.1",
    logRequests: !values.quiet,
  });
  process.stdout.write(`${banner(server)}\n`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sdk-mock-api: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
