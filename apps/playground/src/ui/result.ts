// Renders an SDK call's outcome: the parsed data with status, headers, timing and attempts, or the
// typed error with its class name, status and body.
import type { AttemptRecord } from "../clients.js";
import type { RunResult } from "../operations.js";
import { mockControlURL } from "../state.js";
import { type Child, h } from "./dom.js";
import { mockControl } from "./faults.js";
import { jsonView } from "./json-view.js";
import { isSecretKey, mask } from "./mask.js";

function headerTable(headers: Headers): HTMLElement {
  const rows = [...headers.entries()];
  return h(
    "details",
    { class: "headers", "data-testid": "result-headers" },
    h("summary", null, `Response headers (${rows.length})`),
    h(
      "p",
      { class: "hint" },
      "A browser only shows the CORS-safelisted headers and those the server exposes.",
    ),
    h(
      "table",
      null,
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "name"), h("th", { scope: "col" }, "value"))),
      h(
        "tbody",
        null,
        rows.map(([name, value]) =>
          h(
            "tr",
            null,
            h("th", { scope: "row" }, name),
            h("td", null, isSecretKey(name) ? mask(value) : value),
          ),
        ),
      ),
    ),
  );
}

export function attemptList(log: readonly AttemptRecord[]): Child {
  if (log.length === 0) return null;
  return h(
    "details",
    { class: "attempts", open: log.length > 1, "data-testid": "attempt-log" },
    h("summary", null, `HTTP attempts (${log.length})`),
    h(
      "ol",
      null,
      log.map((a) =>
        h(
          "li",
          { class: a.error ? "attempt-failed" : "attempt-ok" },
          `${a.operationId} · attempt ${a.attempt} · `,
          a.status === undefined ? "no response" : String(a.status),
          a.error ? ` · ${a.error}` : "",
          ` · ${a.ms} ms`,
        ),
      ),
    ),
  );
}

function stat(label: string, value: string, testid: string, tone?: "ok" | "bad"): HTMLElement {
  return h(
    "div",
    { class: "stat" },
    h("dt", null, label),
    h("dd", { "data-testid": testid, class: tone ? `tone-${tone}` : undefined }, value),
  );
}

export function renderSuccess(result: RunResult, log: readonly AttemptRecord[]): HTMLElement {
  const status = result.response?.status;
  return h(
    "div",
    { class: "result result-ok", "data-testid": "result-ok" },
    h("p", { class: "result-summary", "data-testid": "result-summary" }, result.summary),
    h(
      "dl",
      { class: "stats" },
      stat(
        "status",
        status === undefined ? "—" : `${status} ${result.response?.statusText ?? ""}`.trim(),
        "result-status",
        "ok",
      ),
      stat("attempts", String(result.attempts), "result-attempts"),
      stat("time", `${result.elapsedMs} ms`, "result-elapsed"),
    ),
    attemptList(log),
    h("h3", null, "Response data"),
    h("div", { "data-testid": "result-data" }, jsonView(result.data)),
    result.response ? headerTable(result.response.headers) : null,
  );
}

function errorFields(err: any): { label: string; value: string; testid: string }[] {
  const fields: { label: string; value: string; testid: string }[] = [];
  if (typeof err?.status === "number")
    fields.push({ label: "status", value: String(err.status), testid: "error-status" });
  if (typeof err?.code === "number")
    fields.push({ label: "code", value: String(err.code), testid: "error-code" });
  if (typeof err?.reason === "string")
    fields.push({ label: "reason", value: err.reason, testid: "error-reason" });
  if (typeof err?.timeoutMs === "number")
    fields.push({ label: "timeoutMs", value: String(err.timeoutMs), testid: "error-timeout" });
  if (typeof err?.field === "string" && err.field)
    fields.push({ label: "field", value: err.field, testid: "error-field" });
  return fields;
}

/** The first google.rpc.ErrorInfo `reason` of an error's details, if any. */
function errorReason(err: any): string | undefined {
  const details: unknown[] = Array.isArray(err?.details) ? err.details : [];
  for (const d of details) {
    const reason = (d as { reason?: unknown } | null)?.reason;
    if (typeof reason === "string") return reason;
  }
  return undefined;
}

/**
 * What to do about a JWS whose `datetime` the server refused: the two clocks disagree. The server's own
 * message says by how much it tolerates; this says how to fix it, with a button when the clock that moved
 * is the embedded mock's.
 */
function clockSkewHint(err: any): HTMLElement | null {
  if (errorReason(err) !== "JWS_DATETIME_OUT_OF_RANGE") return null;
  const status = h("span", { role: "status", "data-testid": "skew-status" });
  const canSync = mockControlURL() !== undefined;
  return h(
    "div",
    { class: "hint action-hint", "data-testid": "skew-hint" },
    h("strong", null, "Clock skew: "),
    "this machine's clock and the server's disagree, so the server refuses the JWS's ",
    h("code", null, "datetime"),
    ". Fix: sync this machine's clock (NTP, e.g. ",
    h("code", null, "sudo timedatectl set-ntp true"),
    "), or sign with the server's time: ",
    h("code", null, "new IamClient({ now: () => serverTime() })"),
    " / ",
    h("code", null, "signServiceAccountJws(credentials, { now })"),
    ".",
    canSync
      ? [
          " Here the mock's clock was moved (Settings → Mock API → Advance clock): ",
          h(
            "button",
            {
              type: "button",
              class: "secondary small",
              "data-testid": "skew-sync",
              onclick: async () => {
                try {
                  const r = await mockControl.syncClock();
                  status.textContent = ` Mock clock set to ${r.iso}: Send again.`;
                } catch (error) {
                  status.textContent = ` ${(error as Error).message}`;
                }
              },
            },
            "Set the mock's clock to this machine's time",
          ),
          status,
        ]
      : null,
  );
}

export function renderError(err: unknown, log: readonly AttemptRecord[], elapsedMs: number): HTMLElement {
  const e = err as any;
  const name = err instanceof Error ? err.name : typeof err;
  const issues: { path: string; message: string }[] = Array.isArray(e?.issues) ? e.issues : [];
  const body: string | undefined = typeof e?.body === "string" ? e.body : undefined;
  const failedAttempts = log.length;
  return h(
    "div",
    { class: "result result-error", "data-testid": "result-error", role: "alert" },
    h("p", { class: "error-name" }, h("code", { "data-testid": "error-name" }, name)),
    h(
      "p",
      { class: "error-message", "data-testid": "error-message" },
      err instanceof Error ? err.message : String(err),
    ),
    clockSkewHint(e),
    h(
      "dl",
      { class: "stats" },
      errorFields(e).map((f) => stat(f.label, f.value, f.testid, "bad")),
      stat("attempts", failedAttempts === 0 ? "0 (nothing sent)" : String(failedAttempts), "result-attempts"),
      stat("time", `${elapsedMs} ms`, "result-elapsed"),
    ),
    issues.length
      ? h(
          "div",
          null,
          h("h3", null, "Issues"),
          h(
            "ul",
            { class: "issues", "data-testid": "error-issues" },
            issues.map((i) => h("li", null, h("code", null, i.path || "(root)"), `: ${i.message}`)),
          ),
        )
      : null,
    attemptList(log),
    e?.data !== undefined ? [h("h3", null, "Error data (parsed body)"), jsonView(e.data)] : null,
    body !== undefined && e?.data === undefined
      ? [
          h("h3", null, "Body"),
          h("pre", { class: "body-text", "data-testid": "error-body" }, body.slice(0, 4000) || "(empty)"),
        ]
      : null,
    e?.headers instanceof Headers ? headerTable(e.headers) : null,
  );
}

/**
 * Marks a result box stale (`from`: where its result was sent) or fresh again (`undefined`, e.g. the
 * settings were switched back). The result stays readable, dimmed, under a note saying what changed.
 */
export function markStale(box: HTMLElement, from: string | undefined): void {
  box.querySelector(":scope > .stale-note")?.remove();
  box.classList.toggle("stale", from !== undefined);
  if (from === undefined) return;
  box.prepend(
    h(
      "p",
      { class: "stale-note", "data-testid": "result-stale", role: "status" },
      `Stale: this result came from ${from}. The server or credentials changed since: send again.`,
    ),
  );
}
