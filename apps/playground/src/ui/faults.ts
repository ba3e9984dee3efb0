// Fault injection: queues faults on the mock (`POST /__mock/faults`) so the next requests fail the way
// real networks and servers do, and the page shows the SDK's retries and typed errors.
import type { FaultSpec } from "@sdk/mock-api";
import { mockControlURL } from "../state.js";
import { announce, h } from "./dom.js";

/** Dispatched on `window` when a page finished a call. */
export const SENT_EVENT = "playground:sent";

type FaultPreset = { id: string; label: string; spec: FaultSpec };

/** The slow-response fault's delay: its label and the home page's timeout tip are derived from it. */
const SLOW_MS = 2000;

export const FAULT_PRESETS: readonly FaultPreset[] = [
  { id: "503", label: "503 Service Unavailable (retryable)", spec: { kind: "status", status: 503 } },
  { id: "500", label: "500 Internal Server Error", spec: { kind: "status", status: 500 } },
  {
    id: "429",
    label: "429 Too Many Requests, Retry-After: 1",
    spec: { kind: "status", status: 429, retryAfter: 1 },
  },
  { id: "401", label: "401 Unauthorized", spec: { kind: "status", status: 401 } },
  { id: "slow", label: `Slow response (${SLOW_MS} ms)`, spec: { kind: "delay", ms: SLOW_MS } },
  { id: "reset", label: "Reset the connection", spec: { kind: "reset" } },
  { id: "html", label: "HTML 502 page (a proxy error)", spec: { kind: "html" } },
  { id: "truncate", label: "Truncated body", spec: { kind: "truncate" } },
  { id: "content-type", label: "Wrong content type (text/plain)", spec: { kind: "content-type" } },
  { id: "missing-field", label: "Drop a required field", spec: { kind: "drift", mode: "missing-field" } },
  { id: "unknown-enum", label: "Unknown enum value", spec: { kind: "drift", mode: "unknown-enum" } },
  { id: "extra-field", label: "Extra, unknown field", spec: { kind: "drift", mode: "extra-field" } },
  { id: "expired-token", label: "Expired bearer token (protected calls)", spec: { kind: "expired-token" } },
];

async function control(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
  const base = mockControlURL();
  if (!base)
    throw new Error("Fault injection needs the embedded mock (or a custom URL of a mock) as the target.");
  const response = await fetch(`${base}/__mock/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new Error(json.message ?? `${method} /__mock/${path}: ${response.status}`);
  return json;
}

export const mockControl = {
  pending: async () => ((await control("GET", "faults")) as { pending: FaultSpec[] }).pending,
  add: async (spec: FaultSpec) =>
    ((await control("POST", "faults", spec)) as { pending: FaultSpec[] }).pending,
  clear: () => control("DELETE", "faults"),
  reset: () => control("POST", "reset"),
  revokeTokens: () => control("POST", "revoke-tokens"),
  advanceClock: (ms: number) => control("POST", "clock", { advanceMs: ms }) as Promise<{ iso: string }>,
  /** Sets the mock's clock to this machine's time (undoes "Advance clock"). */
  syncClock: () => control("POST", "clock", { setMs: Date.now() }) as Promise<{ iso: string }>,
};

function describePending(pending: readonly FaultSpec[]): string {
  if (pending.length === 0) return "No faults queued.";
  return `Queued: ${pending
    .map(
      (f) =>
        `${f.kind}${"status" in f ? ` ${f.status}` : ""} ×${f.count ?? 1}${f.route ? ` on ${f.route}` : ""}`,
    )
    .join("; ")}`;
}

/** The fault panel of an operation page (`route` scopes faults to it) or of the walk-through. */
export function faultPanel(route: string | undefined): HTMLElement {
  const kind = h(
    "select",
    { id: "fault-kind", "data-testid": "fault-kind" },
    FAULT_PRESETS.map((p) => h("option", { value: p.id }, p.label)),
  );
  const count = h("input", {
    id: "fault-count",
    type: "number",
    min: 1,
    max: 100,
    value: "2",
    inputmode: "numeric",
    "data-testid": "fault-count",
  });
  const scoped = h("input", {
    id: "fault-scoped",
    type: "checkbox",
    checked: route !== undefined,
    "data-testid": "fault-scoped",
  });
  const status = h("p", { class: "fault-status", role: "status", "data-testid": "fault-pending" }, "");
  const refresh = async () => {
    try {
      status.textContent = describePending(await mockControl.pending());
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  };
  const queue = async () => {
    const preset = FAULT_PRESETS.find((p) => p.id === kind.value)!;
    const n = Math.max(1, Math.min(100, Number(count.value) || 1));
    const spec = { ...preset.spec, count: n, ...(route && scoped.checked ? { route } : {}) } as FaultSpec;
    try {
      status.textContent = describePending(await mockControl.add(spec));
      announce(`Queued ${preset.label} ×${n}`);
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  };
  const panel = h(
    "details",
    { class: "faults", "data-testid": "fault-panel", ontoggle: () => void refresh() },
    h("summary", null, "Fault injection (embedded mock)"),
    h(
      "div",
      { class: "fault-body" },
      h(
        "p",
        { class: "hint" },
        "Queue a fault for the next requests, then Send: watch the SDK retry (see Settings → Retries) or fail with a typed error.",
      ),
      h("div", { class: "field" }, h("label", { for: "fault-kind" }, "Fault"), kind),
      h(
        "div",
        { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: "fault-count" }, "Next requests"), count),
        route
          ? h(
              "div",
              { class: "field checkbox" },
              scoped,
              h("label", { for: "fault-scoped" }, "only ", h("code", null, route)),
            )
          : null,
      ),
      h(
        "div",
        { class: "button-row" },
        h(
          "button",
          { type: "button", class: "secondary", "data-testid": "fault-queue", onclick: queue },
          "Queue fault",
        ),
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            "data-testid": "fault-clear",
            onclick: async () => {
              await mockControl.clear().catch(() => undefined);
              await refresh();
            },
          },
          "Clear faults",
        ),
      ),
      status,
    ),
  );
  // After a call, show what is left of the queue (a Send consumes queued faults).
  const onSent = () => {
    if (!panel.isConnected) window.removeEventListener(SENT_EVENT, onSent);
    else if (panel.open) void refresh();
  };
  window.addEventListener(SENT_EVENT, onSent);
  return panel;
}
