// The HTTP server: routing, CORS, request ids, the redacted request log, and the fault pipeline around the
// route handlers of both APIs.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIPv4, type Socket } from "node:net";
import { authRoutes } from "./auth-api.js";
import { createClock } from "./clock.js";
import { controlRoutes } from "./control.js";
import {
  applyDrift,
  createFaultState,
  FaultSpecError,
  parseFaultHeader,
  routeMatches,
  TOKEN_FAULTS,
} from "./faults.js";
import {
  type ApiFamily,
  apiError,
  bearerToken,
  familyOf,
  header,
  type MockResponse,
  type RequestContext,
  type RouteDef,
  reasonPhrase,
} from "./http.js";
import { iamRoutes } from "./iam-api.js";
import { seededCredentials } from "./seed.js";
import { createState, resetState, revokeAll } from "./state.js";
import type { FaultKind, FaultSpec, MockApi, MockApiOptions, RequestLogEntry } from "./types.js";

const ALLOW_HEADERS = [
  "x-api-key",
  "authorization",
  "x-workspace-identifier",
  "content-type",
  "x-mock-fault",
  "x-mock-fault-key",
  "user-agent",
].join(", ");
const EXPOSE_HEADERS = "retry-after, retry-after-ms, x-request-id, x-mock-fault-applied";
const ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
/** Request bodies past this are answered 413 (and not kept). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** A logged body is at most this long (as received); a longer one is logged as its size only. */
export const MAX_LOGGED_BODY_CHARS = 4096;
const REDACTED_HEADERS = new Set(["x-api-key", "authorization", "x-workspace-identifier"]);
const REDACTED_BODY_KEYS = new Set(["jws", "access_token", "privateKey", "private_key"]);

/** An `Origin` of a page served from this machine: http(s) on 127.x.y.z, localhost or [::1], any port. */
export function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return false;
  try {
    const url = new URL(origin);
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      url.origin === origin &&
      loopbackAddress(url.hostname) !== undefined
    );
  } catch {
    return false;
  }
}

/**
 * The `Host` header names this machine. Anything else is a DNS-rebinding attempt (a public name
 * pointed at 127.0.0.1 so that a web page can read the mock as its own origin): refused.
 */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || !/^[\w.:[\]-]{1,300}$/.test(host)) return false;
  try {
    return loopbackAddress(new URL(`http://${host}`).hostname) !== undefined;
  } catch {
    return false;
  }
}

/** Resolves an allowed host to the address to bind, or undefined when it is not loopback. */
export function loopbackAddress(host: string): string | undefined {
  if (host === "localhost") return "127.0.0.1";
  if (host === "::1" || host === "[::1]") return "::1";
  if (isIPv4(host) && host.startsWith("127.")) return host;
  return undefined;
}

function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, REDACTED_BODY_KEYS.has(k) ? "[redacted]" : redactBody(v)]),
    );
  }
  return value;
}

function logBody(raw: string): unknown {
  if (raw === "") return undefined;
  // Bounded: a log of 1 MiB bodies would hold gigabytes; the size is what a test needs to see.
  if (raw.length > MAX_LOGGED_BODY_CHARS) return `[${Buffer.byteLength(raw)} bytes, not logged]`;
  try {
    return redactBody(JSON.parse(raw));
  } catch {
    // Not JSON: it could be anything (a bare JWS...), so only its size is kept.
    return `[unparsed ${Buffer.byteLength(raw)} bytes]`;
  }
}

function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = REDACTED_HEADERS.has(name) ? "[present]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const HTML_502 = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>mock-proxy (injected by @sdk/mock-api)</center>
</body>
</html>
`;

interface Serialized {
  status: number;
  headers: Record<string, string>;
  payload: Buffer;
}

function serialize(resp: MockResponse): Serialized {
  const headers: Record<string, string> = { ...resp.headers };
  let payload = Buffer.alloc(0);
  if (resp.text !== undefined) {
    payload = Buffer.from(resp.text);
    headers["content-type"] = resp.contentType ?? "text/plain; charset=utf-8";
  } else if (resp.body !== undefined) {
    payload = Buffer.from(JSON.stringify(resp.body));
    headers["content-type"] = resp.contentType ?? "application/json";
  }
  return { status: resp.status, headers, payload };
}

function statusFaultResponse(api: ApiFamily, fault: { status: number; body?: unknown }): MockResponse {
  if (fault.body !== undefined) {
    return typeof fault.body === "string"
      ? { status: fault.status, text: fault.body }
      : { status: fault.status, body: fault.body };
  }
  return apiError(
    api,
    fault.status,
    "MOCK_FAULT_INJECTED",
    `Injected fault: HTTP ${fault.status} ${reasonPhrase(fault.status)}.`,
  );
}

function retryHeaders(fault: {
  retryAfter?: string | number;
  retryAfterMs?: number;
}): Record<string, string> {
  const out: Record<string, string> = {};
  if (fault.retryAfter !== undefined) out["retry-after"] = String(fault.retryAfter);
  if (fault.retryAfterMs !== undefined) out["retry-after-ms"] = String(fault.retryAfterMs);
  return out;
}

function checkOptions(options: MockApiOptions) {
  const int = (v: unknown, min: number, max: number, name: string) => {
    if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= min && v <= max)) {
      throw new RangeError(`${name} must be an integer between ${min} and ${max}`);
    }
  };
  int(options.port, 0, 65535, "port");
  int(options.signingKeyCount, 1, 10_000_000, "signingKeyCount");
  int(options.accessTokenTtlSeconds, 1, 10 * 365 * 86400, "accessTokenTtlSeconds");
  int(options.maxLogEntries, 0, 10_000_000, "maxLogEntries");
  if (options.quota) {
    int(options.quota.warnAt, 1, Number.MAX_SAFE_INTEGER, "quota.warnAt");
    int(options.quota.blockAt, 1, Number.MAX_SAFE_INTEGER, "quota.blockAt");
    if (options.quota.warnAt > options.quota.blockAt)
      throw new RangeError("quota.warnAt must be <= quota.blockAt");
  }
}

/** Starts a mock of both APIs on a loopback port. */
export async function startMockApi(options: MockApiOptions = {}): Promise<MockApi> {
  checkOptions(options);
  const host = options.host ?? "127.0.0.1";
  const address = loopbackAddress(host);
  if (!address) {
    throw new Error(
      `@sdk/mock-api only listens on loopback (127.0.0.1, localhost, ::1); refusing host "${host}"`,
    );
  }
  const clock = createClock(options.now);
  const state = createState({
    clock,
    ttlSeconds: options.accessTokenTtlSeconds ?? 3600,
    quota: options.quota ?? { warnAt: 3, blockAt: 5 },
    tokenAlgorithm: options.tokenAlgorithm ?? "PS256",
    signingKeyCount: options.signingKeyCount ?? 250,
  });
  const routes: RouteDef[] = []; // filled below, once `api` exists (the control routes need it)
  // Faults that can never change a request where their route filter points are refused when queued
  // (a filter that matches no route at all is accepted: the fault stays queued, never applied).
  const faults = createFaultState((spec) => {
    const targets = routes.filter((r) => r.api !== "control" && routeMatches(spec.route, r.method, r.path));
    const where = spec.route === undefined ? "any route" : `route "${spec.route}"`;
    if (TOKEN_FAULTS.has(spec.kind) && !targets.some((r) => r.bearer)) {
      return `${where} has no route that reads a bearer token (e.g. GET /iam/v1/whoami)`;
    }
    if (spec.kind === "drift") {
      const drifting = targets.filter((r) => r.drift);
      if (drifting.length === 0) return `${where} has no JSON success body to drift`;
      if (
        spec.mode === "unknown-enum" &&
        spec.field === undefined &&
        !drifting.some((r) => r.drift?.enumField)
      ) {
        return `${where} has no enum field; name one with "field"`;
      }
    }
    return undefined;
  });
  // A ring of the most recent `maxLogEntries` entries (oldest dropped first); each entry is small
  // (bodies over MAX_LOGGED_BODY_CHARS are logged as their size).
  const requests: RequestLogEntry[] = [];
  const maxLog = options.maxLogEntries ?? 5000;
  const logLine =
    options.logRequests === true
      ? (line: string) => console.log(line)
      : typeof options.logRequests === "function"
        ? options.logRequests
        : undefined;

  const sockets = new Set<Socket>();
  const sleeping = new Map<NodeJS.Timeout, (completed: boolean) => void>();
  let requestCounter = 0;
  let closing: Promise<void> | undefined;

  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        sleeping.delete(timer);
        resolve(true);
      }, ms);
      sleeping.set(timer, resolve);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the mock: answer 500 rather than hang the client.
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `mock-api internal error: ${String(err)}`, status_code: 500 }));
      } else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  // `api` is referenced by the control routes; its methods close over the state above.
  const api: MockApi = {
    url: "",
    port: 0,
    credentials: seededCredentials,
    clock: { now: clock.now, advance: clock.advance, set: clock.set },
    faults: { add: faults.add, clear: faults.clear, pending: faults.pending },
    issuer: {
      issuer: seededCredentials.iam.issuer,
      activeKid: state.keys.active.kid,
      signingKids: [...state.keys.real.keys()],
      keyCount: state.keys.count,
      tokenAlgorithm: state.tokenAlgorithm,
    },
    get requests() {
      return requests;
    },
    clearRequests() {
      requests.length = 0;
    },
    revokeTokens() {
      revokeAll(state);
    },
    reset() {
      // Requests still sleeping on a delay fault belong to the test that is over: they end now
      // (their sockets are closed), never touching the fresh state or log.
      for (const [timer, resolveSleep] of sleeping) {
        clearTimeout(timer);
        resolveSleep(false);
      }
      sleeping.clear();
      resetState(state);
      faults.clear();
      requests.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const [timer, resolveSleep] of sleeping) {
          clearTimeout(timer);
          resolveSleep(false);
        }
        sleeping.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };

  routes.push(...authRoutes(state), ...iamRoutes(state), ...controlRoutes(api));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const at = clock.now();
    const requestId = `req_${(++requestCounter).toString().padStart(6, "0")}`;
    const method = (req.method ?? "GET").toUpperCase();
    let url: URL;
    try {
      // The target as sent: "//anything/v1/user" is a path with an empty segment (a client's URL-joining
      // bug the mock must show with a 404), not a protocol-relative URL naming another host.
      const target = req.url ?? "/";
      url = new URL(target.startsWith("/") ? `http://mock.invalid${target}` : target);
    } catch {
      res.writeHead(400, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify({ message: "Invalid request target.", status_code: 400 }));
      return;
    }
    const path = url.pathname;
    const family = familyOf(path);
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    const loopbackOrigin = isLoopbackOrigin(origin);
    // The APIs answer any page (they need credentials anyway); the control endpoints only pages of
    // this machine (the playground) and clients that send no Origin (tests, scripts): never `*`,
    // never a foreign origin echoed back.
    const common: Record<string, string> = {
      "access-control-expose-headers": EXPOSE_HEADERS,
      "x-request-id": requestId,
    };
    if (family !== "control") common["access-control-allow-origin"] = "*";
    else if (loopbackOrigin) {
      common["access-control-allow-origin"] = origin!;
      common.vary = "Origin";
    }
    const refuse = (status: number, message: string) => {
      // Answered before the body is read; the connection closes so the rest is never buffered.
      const body = JSON.stringify({ message, status_code: status });
      res.writeHead(status, {
        ...common,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        connection: "close",
      });
      res.end(body);
    };
    if (!isLoopbackHost(req.headers.host)) {
      refuse(403, "The Host header must name this machine (127.0.0.1, localhost or [::1]).");
      return;
    }
    if (family === "control" && origin !== undefined && !loopbackOrigin) {
      // A cross-origin page (including a text/plain POST, which skips the preflight) changes nothing.
      refuse(403, "The control endpoints answer pages served from this machine only.");
      return;
    }
    const rawBody = await readBody(req);
    const ctx: RequestContext = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      rawBody: rawBody ?? "",
    };
    const candidates = routes.filter((r) => r.path === path);
    const route = candidates.find((r) => r.method === method);
    let appliedFault: FaultKind | undefined;

    const record = (status: number) => {
      if (family === "control") return;
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const entry: RequestLogEntry = {
        method,
        path,
        query: queryRecord(url.searchParams),
        headers: headerRecord(req),
        status,
        requestId,
        at,
        durationMs,
      };
      const body = logBody(ctx.rawBody);
      if (body !== undefined) entry.body = body;
      if (route) entry.route = `${route.method} ${route.path}`;
      if (appliedFault) entry.fault = appliedFault;
      requests.push(entry);
      while (requests.length > maxLog) requests.shift();
      logLine?.(
        `[mock-api] ${method} ${path} -> ${status || "reset"} (${durationMs} ms)${appliedFault ? ` [fault: ${appliedFault}]` : ""}`,
      );
    };

    const send = (out: Serialized) => {
      const headers: Record<string, string> = { ...common, ...out.headers };
      if (appliedFault) headers["x-mock-fault-applied"] = appliedFault;
      // A 204 or 304 has no body, and so no Content-Length (RFC 9110).
      const bodiless = out.status === 204 || out.status === 304;
      if (!bodiless) headers["content-length"] = String(out.payload.length);
      res.writeHead(out.status, headers);
      res.end(bodiless ? undefined : out.payload);
      record(out.status);
    };

    if (method === "OPTIONS") {
      // CORS preflight: answered for every path, before auth and faults (browsers send no credentials here).
      const headers: Record<string, string> = {
        "access-control-allow-methods": ALLOW_METHODS,
        "access-control-allow-headers": ALLOW_HEADERS,
        "access-control-max-age": "600",
      };
      // Chrome's Private Network Access: granted to pages of this machine only, never to a public
      // origin (which could otherwise drive the mock from any web page the developer opens).
      if (loopbackOrigin && header(ctx, "access-control-request-private-network") === "true") {
        headers["access-control-allow-private-network"] = "true";
      }
      send({ status: 204, headers, payload: Buffer.alloc(0) });
      return;
    }
    if (rawBody === undefined) {
      send(serialize(apiError(family, 413, "REQUEST_TOO_LARGE", "The request body exceeds 1 MiB.")));
      return;
    }

    // Pick the fault: the request's own header wins over the queue; control endpoints never get faults.
    let fault: FaultSpec | undefined;
    let fromHeader = false;
    if (family !== "control") {
      const faultHeader = header(ctx, "x-mock-fault");
      fromHeader = faultHeader !== undefined;
      if (faultHeader !== undefined) {
        try {
          fault = parseFaultHeader(faultHeader);
        } catch (err) {
          if (!(err instanceof FaultSpecError)) throw err;
          send(
            serialize(
              apiError(family, 400, "INVALID_MOCK_FAULT", `Invalid x-mock-fault header: ${err.message}`),
            ),
          );
          return;
        }
        if (fault.kind === "fail-then-succeed") {
          const key = header(ctx, "x-mock-fault-key");
          if (key === undefined) {
            const msg = "Invalid x-mock-fault header: fail-then-succeed needs an x-mock-fault-key header.";
            send(serialize(apiError(family, 400, "INVALID_MOCK_FAULT", msg)));
            return;
          }
          if (!faults.failByKey(key, fault.times)) fault = undefined;
        }
      } else {
        // A queued fault waits for a request it can change: token faults for a route that reads the
        // bearer this request carries, drifts for a route with a success body to drift.
        const hasBearer = bearerToken(ctx) !== undefined;
        fault = faults.take(method, path, (spec) => {
          if (TOKEN_FAULTS.has(spec.kind)) return hasBearer && route?.bearer === true;
          if (spec.kind === "drift") return route?.drift !== undefined;
          return true;
        });
      }
      if (fault) appliedFault = fault.kind;
    }

    switch (fault?.kind) {
      case "reset":
        req.socket.destroy();
        record(0);
        return;
      case "delay":
        if (!(await sleep(fault.ms))) {
          // The server closed, or was reset, meanwhile: drop the request unanswered, unlogged.
          req.socket.destroy();
          return;
        }
        break;
      case "status":
      case "fail-then-succeed":
        send(serialize({ ...statusFaultResponse(family, fault), headers: retryHeaders(fault) }));
        return;
      case "html":
        send(serialize({ status: 502, text: HTML_502, contentType: "text/html; charset=utf-8" }));
        return;
      case "expired-token":
      case "revoked-token":
        ctx.tokenFault = fault.kind;
        break;
    }

    let resp: MockResponse;
    if (route) {
      try {
        resp = await route.handler(ctx);
      } catch (err) {
        resp = apiError(family, 500, "INTERNAL", `mock-api internal error: ${String(err)}`);
      }
    } else if (candidates.length > 0) {
      const allow = candidates.map((r) => r.method).join(", ");
      resp = apiError(
        family,
        405,
        "METHOD_NOT_ALLOWED",
        `Method ${method} is not allowed on ${path}; use ${allow}.`,
      );
      resp.headers = { allow };
    } else {
      resp = apiError(family, 404, "NOT_FOUND", `No route for ${method} ${path}.`);
    }

    // A fault that changed nothing is not reported as applied; a queued one goes back to the queue.
    const unchanged = () => {
      if (fault && !fromHeader) faults.putBack(fault);
      appliedFault = undefined;
    };
    if (fault?.kind === "drift") {
      const before =
        resp.status < 300 && resp.body !== undefined && route?.drift ? JSON.stringify(resp.body) : "";
      const drifted = before ? applyDrift(resp.body, fault.mode, fault.field, route!.drift!) : undefined;
      if (before && JSON.stringify(drifted) !== before) resp = { ...resp, body: drifted };
      else unchanged();
    }
    const out = serialize(resp);
    if (fault?.kind === "truncate") {
      if (out.payload.length > 1) out.payload = out.payload.subarray(0, Math.floor(out.payload.length / 2));
      else unchanged();
    } else if (fault?.kind === "content-type") {
      if (out.payload.length > 0) out.headers["content-type"] = "text/plain";
      else unchanged();
    }
    send(out);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === "object" && bound ? bound.port : 0;
  const urlHost = address.includes(":") ? `[${address}]` : address;
  Object.assign(api, { url: `http://${urlHost}:${port}`, port });
  return api;
}
