#!/usr/bin/env node
// `sdk-mock-api [--port 4010] [--host 127.0.0.1] [--quiet]`: runs the mock until SIGINT/SIGTERM.
// The port: --port, else $PORT, else 4010. When 4010 (the default, not asked for) is taken, a free port
// is used and printed; a port asked for that is taken is an error that says how to pick another.
import { parseArgs } from "node:util";
import { startMockApi } from "./server.js";
import type { MockApi } from "./types.js";

const DEFAULT_PORT = 4010;

const USAGE = `Usage: sdk-mock-api [--port <n>] [--host <loopback>] [--quiet]

  --port   TCP port (default: $PORT, else 4010, else any free port; 0 picks a free one)
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
  const asked = values.port ?? (process.env.PORT || undefined);
  const from = values.port !== undefined ? "--port" : "PORT";
  const port = asked === undefined ? DEFAULT_PORT : Number(asked);
  if (!/^\d+$/.test(asked ?? "0") || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`${from} must be an integer 0..65535\n\n${USAGE}`);
    process.exit(2);
  }
  const host = values.host ?? "127.0.0.1";
  const options = { host, logRequests: !values.quiet };
  let server: MockApi;
  try {
    server = await startMockApi({ ...options, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    if (asked !== undefined) {
      process.stderr.write(
        `sdk-mock-api: port ${port} on ${host} is already in use (${from}=${port}; another mock or playground?).\n` +
          `Pick another: \`pnpm mock --port 4011\`, \`PORT=4011 pnpm mock\`, or \`--port 0\` for any free port.\n`,
      );
      process.exit(1);
    }
    // The default port, not asked for: any free one will do; say so, the banner prints it.
    server = await startMockApi({ ...options, port: 0 });
    process.stdout.write(
      `Port ${DEFAULT_PORT} is in use (another mock or playground?): using ${new URL(server.url).port} instead ` +
        `(\`--port <n>\` or \`PORT=<n>\` to choose).\n`,
    );
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Before the banner: whoever reads "listening on" may press Ctrl-C at once. `on`, not `once`: under
  // `pnpm mock`, Ctrl-C brings SIGINT twice (the terminal's, then pnpm's own), and a second SIGINT with
  // no listener would kill the process mid-close (pnpm then prints ELIFECYCLE).
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(`${banner(server)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`sdk-mock-api: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
