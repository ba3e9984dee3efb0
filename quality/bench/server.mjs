// The mock API in its own process, so its CPU work does not share the benchmark's event loop.
// Started with `fork`; options arrive as JSON in argv[2]; replies { url, credentials } over IPC and
// stops when the parent disconnects.
import { startMockApi } from "@sdk/mock-api";

const options = JSON.parse(process.argv[2] ?? "{}");
const server = await startMockApi({ port: 0, ...options });

process.on("message", async (message) => {
  if (message?.type === "requests") {
    process.send({
      type: "requests",
      requests: server.requests.map((r) => ({ route: r.route, status: r.status })),
    });
  } else if (message?.type === "clear") {
    server.clearRequests();
    process.send({ type: "cleared" });
  } else if (message?.type === "revoke") {
    server.revokeTokens();
    process.send({ type: "revoked" });
  }
});
process.on("disconnect", async () => {
  await server.close();
  process.exit(0);
});
process.send({ type: "ready", url: server.url, credentials: server.credentials });
