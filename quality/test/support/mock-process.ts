import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SeededCredentials } from "@sdk/mock-api";

// The same child-process server the benchmarks use (bench/server.mjs): the mock's CPU work then runs
// on the other core, and this process's heap and handles are the client's alone.
const SERVER = fileURLToPath(new URL("../../bench/server.mjs", import.meta.url));

export interface MockProcess {
  url: string;
  credentials: SeededCredentials;
  requests(): Promise<{ route?: string; status: number }[]>;
  close(): Promise<void>;
}

export function startMockProcess(options: Record<string, unknown> = {}): Promise<MockProcess> {
  const child: ChildProcess = fork(SERVER, [JSON.stringify(options)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: [],
  });
  const ask = <T>(type: string, reply: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (m: any) => {
        if (m?.type !== reply) return;
        child.off("message", onMessage);
        resolve(m as T);
      };
      child.on("message", onMessage);
      child.send({ type });
    });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`mock API exited early (${code})`)));
    child.once("message", (m: any) => {
      if (m?.type !== "ready") return reject(new Error("unexpected message from the mock API"));
      child.removeAllListeners("exit");
      resolve({
        url: m.url,
        credentials: m.credentials,
        requests: async () =>
          (await ask<{ requests: { route?: string; status: number }[] }>("requests", "requests")).requests,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.disconnect();
          }),
      });
    });
  });
}
