// `instanceof` must work across packages and across two installed copies of @sdk/errors, so class
// identity is a string kind registered under a global symbol, not the constructor object.
export const KINDS: unique symbol = Symbol.for("@sdk/errors.kinds") as never;

export interface Branded {
  readonly [KINDS]?: readonly string[];
}

/** Collects the `kind` of every class from `ctor` up the prototype chain. */
export function kindsOf(ctor: Function): string[] {
  const kinds: string[] = [];
  for (let c: any = ctor; c && c !== Error && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, "kind")) kinds.push(c.kind);
  }
  return kinds;
}

export function hasKind(value: unknown, kind: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const kinds = (value as Branded)[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}
