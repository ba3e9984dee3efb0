// A collapsible JSON viewer on <details>/<summary>: keyboard and screen-reader friendly for free.
import { type Child, h } from "./dom.js";
import { isSecretKey, mask } from "./mask.js";

export interface JsonViewOptions {
  /** Objects/arrays deeper than this start collapsed. */
  openDepth?: number;
  /** Mask the values of credential-named members (default true). */
  maskSecrets?: boolean;
}

const MAX_CHILDREN_OPEN = 50;

function leaf(value: unknown, secret: boolean): HTMLElement {
  if (value instanceof Date) {
    const iso = Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
    return h("span", { class: "json-date", title: "a Date (shown as ISO 8601)" }, iso);
  }
  if (typeof value === "string") {
    if (secret) return h("span", { class: "json-secret", title: "a credential: masked" }, mask(value));
    return h("span", { class: "json-string" }, JSON.stringify(value));
  }
  if (value === null || value === undefined) return h("span", { class: "json-null" }, String(value));
  if (typeof value === "number") return h("span", { class: "json-number" }, String(value));
  if (typeof value === "boolean") return h("span", { class: "json-boolean" }, String(value));
  return h("span", { class: "json-other" }, String(value));
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

function node(
  value: unknown,
  depth: number,
  options: Required<JsonViewOptions>,
  key: { name: string; index: boolean } | undefined,
): Child {
  // The member name goes inside <summary> for objects, so a collapsed member reads "name: {3 keys}".
  const label = key
    ? [
        h("span", { class: key.index ? "json-index" : "json-key" }, key.name),
        h("span", { class: "json-colon" }, ": "),
      ]
    : [];
  const secret = key !== undefined && !key.index && isSecretKey(key.name) && options.maskSecrets;
  if (!isContainer(value)) return h("li", null, label, leaf(value, secret));
  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0)
    return h("li", null, label, h("span", { class: "json-empty" }, isArray ? "[]" : "{}"));
  const count = isArray
    ? `Array(${entries.length})`
    : `{${entries.length} ${entries.length === 1 ? "key" : "keys"}}`;
  const open = depth < options.openDepth && entries.length <= MAX_CHILDREN_OPEN;
  return h(
    "li",
    null,
    h(
      "details",
      { class: "json-node", open },
      h("summary", null, label, h("span", { class: "json-label" }, count)),
      h(
        "ul",
        { class: "json-children" },
        entries.map(([name, child]) => node(child, depth + 1, options, { name, index: isArray })),
      ),
    ),
  );
}

/** Renders any value (Dates as ISO strings, credentials masked). */
export function jsonView(value: unknown, options: JsonViewOptions = {}): HTMLElement {
  const resolved = { openDepth: options.openDepth ?? 2, maskSecrets: options.maskSecrets ?? true };
  return h(
    "div",
    { class: "json-view" },
    h("ul", { class: "json-root" }, node(value, 0, resolved, undefined)),
  );
}
