// Fault injection: parsing/validating fault specs (header and queue forms), the queue itself, and the body
// transformations of the `drift` fault. Everything here is deterministic: no randomness, no timing guesses.
import type { DriftMode, FaultKind, FaultQueue, FaultSpec } from "./types.js";

export class FaultSpecError extends Error {
  override name = "FaultSpecError";
}

const KINDS: readonly FaultKind[] = [
  "reset",
  "delay",
  "status",
  "fail-then-succeed",
  "truncate",
  "html",
  "content-type",
  "drift",
  "expired-token",
  "revoked-token",
];
const DRIFT_MODES: readonly DriftMode[] = ["extra-field", "missing-field", "unknown-enum"];

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/** Validates an untrusted fault spec (from JSON or a header) and returns a clean copy. */
export function normalizeFault(input: unknown): FaultSpec {
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw new FaultSpecError("a fault spec must be an object with a `kind`");
  }
  const raw = input as Record<string, unknown>;
  const kind = raw.kind as FaultKind;
  if (!KINDS.includes(kind)) {
    throw new FaultSpecError(
      `unknown fault kind ${JSON.stringify(raw.kind)}; expected one of ${KINDS.join(", ")}`,
    );
  }
  const base: { route?: string; count?: number } = {};
  if (raw.route !== undefined) {
    if (typeof raw.route !== "string" || raw.route === "")
      throw new FaultSpecError("`route` must be a string");
    base.route = raw.route;
  }
  if (raw.count !== undefined) {
    if (!isInt(raw.count, 1, Number.MAX_SAFE_INTEGER))
      throw new FaultSpecError("`count` must be an integer >= 1");
    base.count = raw.count;
  }
  const retry = (): { retryAfter?: string | number; retryAfterMs?: number } => {
    const out: { retryAfter?: string | number; retryAfterMs?: number } = {};
    if (raw.retryAfter !== undefined) {
      const value = raw.retryAfter;
      const seconds =
        typeof value === "number"
          ? Number.isInteger(value) && value >= 0
          : typeof value === "string" && /^\d+$/.test(value);
      // An HTTP-date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"; Date.parse would take
      // "-5" as a year), in printable ASCII only: anything else is not a header value Node will send.
      const date =
        typeof value === "string" &&
        /^[\x20-\x7e]*[A-Za-z][\x20-\x7e]*$/.test(value) &&
        !Number.isNaN(Date.parse(value));
      if (!seconds && !date) {
        throw new FaultSpecError("`retryAfter` must be whole seconds (>= 0) or an HTTP-date");
      }
      out.retryAfter = value as string | number;
    }
    if (raw.retryAfterMs !== undefined) {
      if (!isInt(raw.retryAfterMs, 0, Number.MAX_SAFE_INTEGER)) {
        throw new FaultSpecError("`retryAfterMs` must be an integer >= 0");
      }
      out.retryAfterMs = raw.retryAfterMs;
    }
    return out;
  };
  switch (kind) {
    case "delay":
      if (!isInt(raw.ms, 0, 600_000)) throw new FaultSpecError("delay needs `ms`, an integer 0..600000");
      return { kind, ms: raw.ms, ...base };
    case "status":
      if (!isInt(raw.status, 200, 599))
        throw new FaultSpecError("status needs `status`, an integer 200..599");
      return {
        kind,
        status: raw.status,
        ...retry(),
        ...(raw.body !== undefined ? { body: raw.body } : {}),
        ...base,
      };
    case "fail-then-succeed":
      if (!isInt(raw.times, 1, 1_000_000)) throw new FaultSpecError("fail-then-succeed needs `times` >= 1");
      if (!isInt(raw.status, 200, 599))
        throw new FaultSpecError("fail-then-succeed needs `status`, 200..599");
      return { kind, times: raw.times, status: raw.status, ...retry(), ...base };
    case "drift": {
      const mode = raw.mode as DriftMode;
      if (!DRIFT_MODES.includes(mode)) {
        throw new FaultSpecError(`drift needs \`mode\`: one of ${DRIFT_MODES.join(", ")}`);
      }
      if (raw.field !== undefined && (typeof raw.field !== "string" || raw.field === "")) {
        throw new FaultSpecError("`field` must be a non-empty string");
      }
      if (typeof raw.field === "string" && splitPath(raw.field).some((seg) => UNSAFE_SEGMENT.has(seg))) {
        throw new FaultSpecError("`field` must not name __proto__, prototype or constructor");
      }
      return { kind, mode, ...(raw.field !== undefined ? { field: raw.field as string } : {}), ...base };
    }
    default:
      return { kind, ...base } as FaultSpec;
  }
}

const NUMERIC_PARAMS = new Set(["ms", "status", "times", "retryAfterMs"]);
/** What the header form takes; `route` and `count` belong to queued faults (the header is one request's). */
const HEADER_PARAMS = new Set([...NUMERIC_PARAMS, "retryAfter", "body", "mode", "field"]);

/**
 * Parses `x-mock-fault: <kind>[;param=value]...`, e.g. `status;status=503;retryAfter=2` or
 * `drift;mode=missing-field;field=email`. `body=` takes JSON (or is sent as text).
 */
export function parseFaultHeader(value: string): FaultSpec {
  const [kind, ...params] = value.split(";").map((s) => s.trim());
  const raw: Record<string, unknown> = { kind };
  for (const param of params) {
    if (!param) continue;
    const eq = param.indexOf("=");
    if (eq <= 0)
      throw new FaultSpecError(`malformed fault parameter ${JSON.stringify(param)} (expected name=value)`);
    const name = param.slice(0, eq).trim();
    const text = param.slice(eq + 1).trim();
    if (!HEADER_PARAMS.has(name)) {
      throw new FaultSpecError(
        `unknown fault parameter ${JSON.stringify(name)} (expected one of ${[...HEADER_PARAMS].join(", ")})`,
      );
    }
    if (NUMERIC_PARAMS.has(name)) {
      const n = Number(text);
      if (text === "" || !Number.isFinite(n))
        throw new FaultSpecError(`fault parameter ${name} must be a number`);
      raw[name] = n;
    } else if (name === "body") {
      try {
        raw.body = JSON.parse(text);
      } catch {
        raw.body = text;
      }
    } else {
      raw[name] = text;
    }
  }
  return normalizeFault(raw);
}

/** `"GET /v1/auth/validate"` → method + path prefix; `"/iam/v1"` → path prefix, any method. */
export function routeMatches(filter: string | undefined, method: string, path: string): boolean {
  if (filter === undefined) return true;
  const space = filter.indexOf(" ");
  const wantMethod = space > 0 ? filter.slice(0, space).toUpperCase() : undefined;
  const prefix = space > 0 ? filter.slice(space + 1).trim() : filter;
  if (wantMethod && wantMethod !== method) return false;
  return path.startsWith(prefix);
}

export const TOKEN_FAULTS: ReadonlySet<FaultKind> = new Set(["expired-token", "revoked-token"]);

export interface FaultState extends FaultQueue {
  /**
   * Takes the next queued fault that applies to this request (consuming one of its counts): its
   * route filter matches, and `fits` says it can change this request (else it stays queued).
   */
  take(method: string, path: string, fits: (spec: FaultSpec) => boolean): FaultSpec | undefined;
  /** Puts back one count of a fault that turned out to change nothing (e.g. a drift met an error). */
  putBack(spec: FaultSpec): void;
  /** fail-then-succeed by key: should this request (the next one with `key`) fail? */
  failByKey(key: string, times: number): boolean;
}

/**
 * `refuse(spec)` says why a fault can never apply where its route filter points (e.g. a token fault
 * on routes that read no bearer); such a fault is refused when queued (FaultSpecError → 400).
 */
export function createFaultState(
  refuse: (spec: FaultSpec) => string | undefined = () => undefined,
): FaultState {
  let queue: { spec: FaultSpec; remaining: number }[] = [];
  const keyCounters = new Map<string, number>();
  return {
    add(fault) {
      const list = Array.isArray(fault) ? fault : [fault as FaultSpec];
      // Validate all first, so a bad entry does not leave half an array queued.
      const specs = list.map(normalizeFault);
      for (const spec of specs) {
        const why = refuse(spec);
        if (why) throw new FaultSpecError(`${spec.kind} fault refused: ${why}`);
      }
      for (const spec of specs) {
        // The queue form of fail-then-succeed is simply `times` failing requests.
        if (spec.kind === "fail-then-succeed") {
          const { times, status, retryAfter, retryAfterMs, route } = spec;
          const asStatus: FaultSpec = { kind: "status", status };
          if (retryAfter !== undefined) asStatus.retryAfter = retryAfter;
          if (retryAfterMs !== undefined) asStatus.retryAfterMs = retryAfterMs;
          if (route !== undefined) asStatus.route = route;
          queue.push({ spec: asStatus, remaining: times });
        } else {
          queue.push({ spec, remaining: spec.count ?? 1 });
        }
      }
    },
    clear() {
      queue = [];
      keyCounters.clear();
    },
    pending() {
      return queue.map(({ spec, remaining }) => ({ ...spec, count: remaining }));
    },
    take(method, path, fits) {
      const i = queue.findIndex(({ spec }) => routeMatches(spec.route, method, path) && fits(spec));
      if (i < 0) return undefined;
      const entry = queue[i]!;
      entry.remaining -= 1;
      if (entry.remaining <= 0) queue.splice(i, 1);
      return entry.spec;
    },
    putBack(spec) {
      const entry = queue.find((e) => e.spec === spec);
      if (entry) entry.remaining += 1;
      else queue.unshift({ spec, remaining: 1 });
    },
    failByKey(key, times) {
      const seen = keyCounters.get(key) ?? 0;
      keyCounters.set(key, seen + 1);
      return seen < times;
    },
  };
}

/** Per-route defaults of the drift fault. */
export interface DriftTargets {
  /** Removed by `missing-field` (a required member of the success schema). */
  missing: string;
  /** Replaced by `unknown-enum` (a dotted path), and the unknown value put there. */
  enumField?: { path: string; value: string };
}

/** Segments that would reach a prototype: a drift must change the body, never the process. */
const UNSAFE_SEGMENT = new Set(["__proto__", "prototype", "constructor"]);

function splitPath(path: string): string[] {
  return path.split(".").filter(Boolean);
}

function parentOf(root: unknown, segments: string[]): Record<string, unknown> | undefined {
  if (segments.some((seg) => UNSAFE_SEGMENT.has(seg))) return undefined;
  let node: unknown = root;
  for (const seg of segments.slice(0, -1)) {
    if (!node || typeof node !== "object" || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node && typeof node === "object" ? (node as Record<string, unknown>) : undefined;
}

/** Returns a drifted deep copy of a success body. */
export function applyDrift(
  body: unknown,
  mode: DriftMode,
  field: string | undefined,
  targets: DriftTargets,
): unknown {
  const copy: unknown = structuredClone(body);
  if (!copy || typeof copy !== "object") return copy;
  if (mode === "extra-field") {
    const segs = splitPath(field ?? "unexpected_field");
    const parent = parentOf(copy, segs);
    if (parent)
      parent[segs[segs.length - 1]!] = { added_by: "mock-api drift fault", note: "clients must ignore me" };
    return copy;
  }
  if (mode === "missing-field") {
    const segs = splitPath(field ?? targets.missing);
    const parent = parentOf(copy, segs);
    if (parent) delete parent[segs[segs.length - 1]!];
    return copy;
  }
  const path = field ?? targets.enumField?.path;
  if (!path) return copy; // this route's schema has no enum: nothing to drift
  const segs = splitPath(path);
  const parent = parentOf(copy, segs);
  if (parent) parent[segs[segs.length - 1]!] = targets.enumField?.value ?? "unknown-value";
  return copy;
}
