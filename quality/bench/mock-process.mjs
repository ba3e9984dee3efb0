import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("./server.mjs", import.meta.url));

/** Starts the mock API in a child process; resolves once it listens. */
export function startMockProcess(options = {}) {
  const child = fork(SERVER, [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = (type, reply) =>
    new Promise((resolve) => {
      const onMessage = (m) => {
        if (m?.type === reply) {
          child.off("message", onMessage);
          resolve(m);
        }
      };
      child.on("message", onMessage);
      child.send({ type });
    });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`mock API exited early (${code})`)));
    child.once("message", (m) => {
      if (m?.type !== "ready") return reject(new Error("unexpected message from the mock API"));
      child.removeAllListeners("exit");
      resolve({
        url: m.url,
        credentials: m.credentials,
        requests: async () => (await ask("requests", "requests")).requests,
        clearRequests: () => ask("clear", "cleared"),
        revokeTokens: () => ask("revoke", "revoked"),
        close: () =>
          new Promise((done) => {
            child.once("exit", () => done());
            child.disconnect();
          }),
      });
    });
  });
}
