// A test SDK on @core/http: one API description with every kind of security scheme.

import * as v from "valibot";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type ApiDescription, type ClientOptions, defineOperation, HttpClient } from "../../src/index.js";
import { startTestServer, type TestServer } from "./server.js";

export interface TestSecurity {
  apiKey?: string | undefined;
  bearer?: string | undefined;
  basic?: { username: string; password: string } | undefined;
  queryKey?: string | undefined;
  /** A custom scheme (e.g. a token exchanged by the SDK): see `customScheme`. */
  custom?: string | undefined;
}

export const API: ApiDescription<TestSecurity> = {
  sdk: "@test/sdk",
  version: "1.2.3",
  servers: { local: "http://127.0.0.1:9", other: "http://127.0.0.1:10" },
  defaultServer: "local",
  securitySchemes: [
    { field: "apiKey", type: "apiKey", in: "header", name: "x-api-key" },
    { field: "bearer", type: "http", scheme: "bearer" },
    { field: "basic", type: "http", scheme: "basic" },
    { field: "queryKey", type: "apiKey", in: "query", name: "key" },
    {
      field: "custom",
      type: "custom",
      async apply(value) {
        return { authorization: `Token ${value}` };
      },
    },
  ],
};

export class TestClient extends HttpClient<TestSecurity> {}

export function client(url: string, options: ClientOptions<TestSecurity> = {}): TestClient {
  return new TestClient(API, { serverURL: url, ...options });
}

/** What the test server's echo route answers. */
export const EchoSchema = v.object({
  method: v.string(),
  url: v.string(),
  path: v.string(),
  query: v.array(v.tuple([v.string(), v.string()])),
  headers: v.record(v.string(), v.union([v.string(), v.array(v.string())])),
  body: v.string(),
});
export type Echo = v.InferOutput<typeof EchoSchema>;

/** GET /echo with no input and no credentials. */
export const echoOp = defineOperation({
  id: "echo",
  method: "GET",
  path: "/echo",
  output: EchoSchema,
  security: null,
});

/** A fast retry policy for tests: same shape as production, milliseconds instead of seconds. */
export const FAST_RETRY = {
  strategy: "backoff",
  backoff: { initialInterval: 5, maxInterval: 20, exponent: 2, maxElapsedTime: 5_000 },
  retryConnectionErrors: true,
} as const;

/** One test server and a client on it for a whole file, reset before each test. */
export function useTestServer(ready: (server: TestServer, sdk: TestClient) => void): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    ready(server, client(server.url));
  });
  afterAll(() => server?.close());
  beforeEach(() => server?.reset());
}
