import { InvalidRequestError } from "@sdk/errors";
import type { HookContext } from "./hooks.js";

/** How one field of an SDK's security object reaches the wire. */
export type SecurityScheme<S> =
  | { field: keyof S & string; type: "apiKey"; in: "header" | "query"; name: string }
  | { field: keyof S & string; type: "http"; scheme: "bearer" | "basic" }
  | {
      field: keyof S & string;
      type: "custom";
      /** Produces the headers this credential adds (e.g. a token fetched and cached by the SDK). */
      apply(value: NonNullable<S[keyof S]>, ctx: SecurityContext<S>): Promise<Record<string, string>>;
      /**
       * Called on a 401 from a call this scheme secured: return true when fresh credentials are now
       * available and the call should be retried once.
       */
      onUnauthorized?(value: NonNullable<S[keyof S]>, ctx: SecurityContext<S>): Promise<boolean>;
    };

export interface SecurityContext<S> {
  /** The whole security object of this call (a custom scheme may need its sibling fields). */
  security: S;
  hook: HookContext;
  signal: AbortSignal | undefined;
}

/**
 * Which schemes an operation needs: a list of alternatives, each a list of fields that must all be
 * present; the first satisfied alternative wins. `null` (or `[]`) sends no credentials at all.
 * Left undefined: any single scheme of the SDK, in declaration order.
 */
export type SecurityRequirement = readonly (readonly string[])[] | null;

export interface AppliedSecurity {
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The custom schemes used, to consult on a 401. */
  refreshers: (() => Promise<boolean>)[];
}

function toBase64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

const ANY_ONE = new WeakMap<readonly SecurityScheme<any>[], string[][]>();

/** No requirement declared: any one scheme, in declaration order (built once per list of schemes). */
function anyOneScheme(schemes: readonly SecurityScheme<any>[]): string[][] {
  let alternatives = ANY_ONE.get(schemes);
  if (!alternatives) ANY_ONE.set(schemes, (alternatives = schemes.map((s) => [s.field])));
  return alternatives;
}

/** Picks the first satisfied alternative; returns undefined when none is. */
export function selectSchemes<S>(
  schemes: readonly SecurityScheme<S>[],
  requirement: SecurityRequirement | undefined,
  security: S | undefined,
): SecurityScheme<S>[] | undefined {
  // `[]` is OpenAPI's `security: []`: no credentials, like `null` (not "no alternative can be met").
  if (requirement === null || requirement?.length === 0) return [];
  const alternatives = requirement ?? anyOneScheme(schemes);
  const values = (security ?? {}) as Record<string, unknown>;
  for (const fields of alternatives) {
    if (fields.every((f) => isSet(values[f]))) {
      return fields.map((f) => {
        const scheme = schemes.find((s) => s.field === f);
        if (!scheme) throw new TypeError(`no security scheme declared for "${f}"`);
        return scheme;
      });
    }
  }
  return undefined;
}

/**
 * The error when no alternative of an operation's requirement is met: names what it needs and which
 * fields are set (names only, never values). A field name is never followed by a space: the message's
 * redaction would take the word after "bearer " for a token.
 */
export function missingCredentials(
  operationId: string,
  schemes: readonly SecurityScheme<any>[],
  requirement: SecurityRequirement | undefined,
  security: unknown,
): InvalidRequestError {
  const needed = (requirement ?? anyOneScheme(schemes)).map((fields) => `[${fields.join("+")}]`).join(" or ");
  const values = (security ?? {}) as Record<string, unknown>;
  const set = schemes.map((s) => s.field).filter((f) => isSet(values[f]));
  const have = set.length ? `[${set.join("+")}] is set` : "none is set";
  return new InvalidRequestError(operationId, [
    { path: "security", expected: needed, message: `missing credentials; needs ${needed}, and ${have}` },
  ]);
}

/**
 * An API key or a bearer token must be text: `String({})` would send "[object Object]", and an object
 * whose `toString` is not a function makes `String()` throw a bare TypeError.
 */
function textCredential(value: unknown, field: string, ctx: SecurityContext<unknown>): string {
  if (typeof value === "string" || typeof value === "number") return String(value);
  throw new InvalidRequestError(ctx.hook.operationId, [
    { path: `security.${field}`, expected: "string", received: typeof value, message: "must be a string" },
  ]);
}

/** Applies the chosen schemes: synchronously unless a custom scheme must fetch something. */
export function applySecurity<S>(
  chosen: readonly SecurityScheme<S>[],
  ctx: SecurityContext<S>,
): AppliedSecurity | Promise<AppliedSecurity> {
  const out: AppliedSecurity = { headers: {}, query: {}, refreshers: [] };
  // Most calls use an API key or a bearer token: no promise is made for them.
  if (chosen.every((scheme) => scheme.type !== "custom")) {
    for (const scheme of chosen) applyStatic(scheme, ctx, out);
    return out;
  }
  return applyAll(chosen, ctx, out);
}

function applyStatic<S>(scheme: SecurityScheme<S>, ctx: SecurityContext<S>, out: AppliedSecurity): void {
  const value = (ctx.security as Record<string, any>)[scheme.field];
  if (scheme.type === "apiKey") {
    (scheme.in === "header" ? out.headers : out.query)[scheme.name] = textCredential(
      value,
      scheme.field,
      ctx,
    );
  } else if (scheme.type === "http") {
    out.headers.authorization =
      scheme.scheme === "bearer"
        ? `Bearer ${textCredential(value, scheme.field, ctx).replace(/^bearer\s+/i, "")}`
        : `Basic ${toBase64(`${value.username ?? ""}:${value.password ?? ""}`)}`;
  }
}

async function applyAll<S>(
  chosen: readonly SecurityScheme<S>[],
  ctx: SecurityContext<S>,
  out: AppliedSecurity,
): Promise<AppliedSecurity> {
  for (const scheme of chosen) {
    if (scheme.type !== "custom") {
      applyStatic(scheme, ctx, out);
      continue;
    }
    const value = (ctx.security as Record<string, any>)[scheme.field];
    Object.assign(out.headers, await scheme.apply(value, ctx));
    const onUnauthorized = scheme.onUnauthorized;
    if (onUnauthorized) out.refreshers.push(() => onUnauthorized.call(scheme, value, ctx));
  }
  return out;
}

/** What the credentials stage needs from a client. */
export interface CredentialSource<S> {
  readonly schemes: readonly SecurityScheme<S>[];
  /** The call's security (or the client's): a value, or a getter's promise. */
  read(): S | undefined | Promise<S | undefined>;
}

const NONE: AppliedSecurity = Object.freeze({ headers: {}, query: {}, refreshers: [] }) as AppliedSecurity;

/**
 * Stage "credentials": reads the security (a getter may be slow: a vault, a file), picks the schemes
 * the operation needs and applies them, all under `signal` (the attempt's: its timeout covers getting
 * a token). A custom scheme's `apply` gets the same signal. An operation that sends no credentials
 * (`security: []`) never reads them: a getter that itself calls such an operation (exchanging a key
 * for a token) would otherwise call itself forever.
 */
export function obtainCredentials<S>(
  source: CredentialSource<S>,
  requirement: SecurityRequirement | undefined,
  where: string,
  hook: HookContext,
  signal: AbortSignal,
  race: <T>(value: T | PromiseLike<T>) => T | PromiseLike<T>,
): AppliedSecurity | PromiseLike<AppliedSecurity> {
  if (requirement === null || requirement?.length === 0) return NONE;
  const apply = (security: S | undefined) => {
    const selected = selectSchemes(source.schemes, requirement, security);
    if (!selected) throw missingCredentials(where, source.schemes, requirement, security);
    return race(applySecurity(selected, { security: security as S, hook, signal }));
  };
  // A plain value (the common case) is applied at once, without a promise.
  const read = race(source.read());
  return typeof (read as PromiseLike<S> | undefined)?.then === "function"
    ? (read as PromiseLike<S | undefined>).then(apply)
    : apply(read as S | undefined);
}
