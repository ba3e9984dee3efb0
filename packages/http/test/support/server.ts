// A small programmable HTTP server on 127.0.0.1 for behaviours the mock API cannot produce (echoing the
// wire request, scripted pagination, closed enums). Every request is recorded, so tests can assert what
// (and how much) reached the server.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  /** The raw request target: path and query exactly as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: Recorded[];
  /** Handles `METHOD /path` (exact path, query ignored); later registrations win. */
  route(method: string, path: string, handler: Handler): void;
  reset(): void;
  close(): Promise<void>;
}

export function sendJSON(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "text/plain", ...headers });
  res.end(body);
}

/** The default for unrouted requests: the request as the server saw it. */
function echo(req: Recorded, res: ServerResponse): void {
  sendJSON(res, 200, {
    method: req.method,
    url: req.url,
    path: req.path,
    query: [...req.query.entries()],
    headers: req.headers,
    body: req.body,
  });
}

export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = req.url ?? "/";
    const parsed = new URL(target, "http://127.0.0.1");
    const recorded: Recorded = {
      method: req.method ?? "GET",
      url: target,
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    const handler = routes.get(`${recorded.method} ${recorded.path}`) ?? echo;
    try {
      await handler(recorded, res);
    } catch (error) {
      if (!res.headersSent) sendText(res, 599, `test server handler failed: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(method, path, handler) {
      routes.set(`${method} ${path}`, handler);
    },
    reset() {
      routes.clear();
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves after `ms` (for handlers that answer late). */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
