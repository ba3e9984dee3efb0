// `/__mock/*`: control endpoints for the playground and out-of-process tests. Not part of either contract.
import { FaultSpecError } from "./faults.js";
import { authError, json, type MockResponse, type RequestContext, type RouteDef } from "./http.js";
import type { FaultSpec, MockApi } from "./types.js";

function parseBody(ctx: RequestContext): { value: unknown } | { error: MockResponse } {
  if (ctx.rawBody.trim() === "") return { value: undefined };
  try {
    return { value: JSON.parse(ctx.rawBody) };
  } catch {
    return { error: authError(400, "The request body must be JSON.") };
  }
}

export function controlRoutes(api: MockApi): RouteDef[] {
  const route = (method: string, path: string, handler: RouteDef["handler"]): RouteDef => ({
    method,
    path: `/__mock/${path}`,
    api: "control",
    handler,
  });
  return [
    route("GET", "faults", () => json(200, { pending: api.faults.pending() })),
    route("POST", "faults", (ctx) => {
      const body = parseBody(ctx);
      if ("error" in body) return body.error;
      try {
        api.faults.add(body.value as FaultSpec | FaultSpec[]);
      } catch (err) {
        if (err instanceof FaultSpecError) return authError(400, err.message);
        throw err;
      }
      return json(201, { pending: api.faults.pending() });
    }),
    route("DELETE", "faults", () => {
      api.faults.clear();
      return json(200, { pending: [] });
    }),
    route("POST", "reset", () => {
      api.reset();
      return json(200, { reset: true, now: api.clock.now() });
    }),
    route("GET", "clock", () =>
      json(200, { now: api.clock.now(), iso: new Date(api.clock.now()).toISOString() }),
    ),
    route("POST", "clock", (ctx) => {
      const body = parseBody(ctx);
      if ("error" in body) return body.error;
      const { advanceMs, setMs } = (body.value ?? {}) as { advanceMs?: unknown; setMs?: unknown };
      const bad = (v: unknown) => v !== undefined && (typeof v !== "number" || !Number.isFinite(v));
      if (bad(advanceMs) || bad(setMs) || (advanceMs === undefined && setMs === undefined)) {
        return authError(400, "Send { advanceMs?: number, setMs?: number } (at least one).");
      }
      // One move to the target, so that a refused one (the clock's own range check) changes nothing.
      const target =
        (typeof setMs === "number" ? setMs : api.clock.now()) +
        (typeof advanceMs === "number" ? advanceMs : 0);
      try {
        api.clock.set(target);
      } catch (error) {
        return authError(400, (error as Error).message);
      }
      return json(200, { now: api.clock.now(), iso: new Date(api.clock.now()).toISOString() });
    }),
    route("POST", "revoke-tokens", () => {
      api.revokeTokens();
      return json(200, { revoked: true });
    }),
    route("GET", "credentials", () => json(200, api.credentials)),
    route("GET", "requests", () => json(200, { requests: api.requests })),
    route("DELETE", "requests", () => {
      api.clearRequests();
      return json(200, { requests: [] });
    }),
  ];
}
