import * as v from "valibot";

// Schema helpers shared by the SDKs: wire names stay on the wire (snake_case JSON becomes camelCase
// TypeScript), date-time strings become Date, enums that may grow accept unknown values.
// `@__NO_SIDE_EFFECTS__` marks them pure, like valibot's own: a model an app never uses (`const User =
// wireObject({...})` at an SDK's top level) is dropped by Rollup, Rolldown and Vite (not esbuild: it
// only honours the annotation within one file; SDKs add `/* @__PURE__ */` at call sites for it).

export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** `{ created_at: Date }` → `{ createdAt: Date }`, optional-ness kept. */
export type Camelize<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

const camelCache = new Map<string, string>();
export function camelCase(key: string): string {
  let out = camelCache.get(key);
  if (out === undefined) {
    out = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    camelCache.set(key, out);
  }
  return out;
}

/** `value` is the object valibot just built: when no key has an `_` (e.g. JWKs), it is the result. */
function camelizeKeys(value: Record<string, unknown>): unknown {
  for (const key in value) {
    if (key.includes("_")) {
      const out: Record<string, unknown> = {};
      for (const k in value) out[camelCase(k)] = value[k];
      return out;
    }
  }
  return value;
}

type ObjectOut<E extends v.ObjectEntries> = v.InferOutput<v.ObjectSchema<E, undefined>>;
type LooseOut<E extends v.ObjectEntries> = v.InferOutput<v.LooseObjectSchema<E, undefined>>;

/**
 * An object validated by its wire (snake_case) entries and handed to the user in camelCase.
 * Unknown wire fields are tolerated and dropped.
 */
/* @__NO_SIDE_EFFECTS__ */
export function wireObject<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(
    v.object(entries),
    v.transform((wire: ObjectOut<E>) => camelizeKeys(wire) as Camelize<ObjectOut<E>>),
  );
}

/** Like `wireObject`, but unknown members are kept (e.g. JWK members a newer server adds). */
/* @__NO_SIDE_EFFECTS__ */
export function looseWireObject<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(
    v.looseObject(entries),
    v.transform((wire: LooseOut<E>) => camelizeKeys(wire) as Camelize<LooseOut<E>>),
  );
}

/**
 * "2023-02-30": the format allows it, `Date` would quietly make it March 2. Text that is no timestamp
 * at all passes here: the format check before it already reported it (one issue, not two).
 */
function isCalendarDay(timestamp: string): boolean {
  const day = +timestamp.slice(8, 10);
  // Every month has 28 days: most dates stop here (a profile showed ~1 µs per date otherwise).
  if (!(day > 28)) return true;
  // setUTCFullYear, not Date.UTC: that one reads years 0-99 as 1900-1999.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(+timestamp.slice(0, 4), +timestamp.slice(5, 7), 0);
  return day <= lastDay.getUTCDate();
}

/**
 * An RFC 3339 date-time on the wire, a `Date` in TypeScript. The offset is required: `Date.parse`
 * alone would read "2024-01-01T00:00:00" in the machine's time zone, and accept "0" or "March 7".
 */
/* @__NO_SIDE_EFFECTS__ */
export function dateTime(): v.SchemaWithPipe<
  readonly [
    v.StringSchema<undefined>,
    v.IsoTimestampAction<string, "date-time">,
    v.CheckAction<string, "date-time">,
    v.TransformAction<string, Date>,
    v.CheckAction<Date, "date-time">,
  ]
> {
  // A failed format check stops the pipe at the transform: one issue, and the string parsed once.
  return v.pipe(
    v.string(),
    v.isoTimestamp("date-time"),
    v.check(isCalendarDay, "date-time"),
    v.transform((s) => new Date(s)),
    v.check((date) => !Number.isNaN(date.getTime()), "date-time"),
  );
}

/** Known values for autocompletion, plus any string a newer server may send. */
export type OpenEnum<T extends string> = T | (string & {});

/* @__NO_SIDE_EFFECTS__ */
export function openEnum<const T extends readonly string[]>(
  _known: T,
): v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.TransformAction<string, OpenEnum<T[number]>>]> {
  // The known values only shape the type: an unknown value is data, not a validation error.
  return v.pipe(
    v.string(),
    v.transform((s) => s as OpenEnum<T[number]>),
  );
}

/** An array that drops `null` entries a server may send (e.g. sparse lists upstream). */
/* @__NO_SIDE_EFFECTS__ */
export function compactArray<TItem extends v.GenericSchema>(
  item: TItem,
): v.SchemaWithPipe<
  readonly [
    v.ArraySchema<v.NullableSchema<TItem, undefined>, undefined>,
    v.TransformAction<(v.InferOutput<TItem> | null)[], v.InferOutput<TItem>[]>,
  ]
> {
  return v.pipe(
    v.array(v.nullable(item)),
    // valibot's array is already a fresh copy: filtered again only when there is a null to drop.
    v.transform((items) =>
      items.includes(null)
        ? items.filter((x): x is v.InferOutput<TItem> => x !== null)
        : (items as v.InferOutput<TItem>[]),
    ),
  );
}
