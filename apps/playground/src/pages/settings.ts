// Settings: target server, credentials (in memory only), retries and timeout, and mock controls.
import { AUTH_SERVERS, GET_ACCESS_RETRY } from "@sdk/auth/schemas";
import type { RetryConfig } from "@sdk/iam";
import { DEFAULT_RETRY, IAM_SERVERS } from "@sdk/iam/schemas";
import { loadSeeded } from "../config.js";
import {
  type AuthScheme,
  CUSTOM_RETRY_BASE,
  runtime,
  type Settings,
  settings,
  type Target,
  updateSettings,
} from "../state.js";
import { announce, h } from "../ui/dom.js";
import { mockControl } from "../ui/faults.js";
import { mask } from "../ui/mask.js";

type StringKey = { [K in keyof Settings]: Settings[K] extends string ? K : never }[keyof Settings];
type NumberKey = { [K in keyof Settings]: Settings[K] extends number ? K : never }[keyof Settings];
type BoolKey = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings];

function textField(
  key: StringKey,
  label: string,
  opts: { secret?: boolean; help?: string } = {},
): HTMLElement {
  const id = `setting-${key}`;
  const input = h("input", {
    id,
    type: opts.secret ? "password" : "text",
    // Never offered to a password manager, never autocompleted from history.
    autocomplete: opts.secret ? "new-password" : "off",
    spellcheck: "false",
    value: settings[key],
    "data-testid": id,
    "aria-describedby": opts.help ? `${id}-help` : undefined,
    oninput: (e: Event) =>
      updateSettings({ [key]: (e.target as HTMLInputElement).value } as Partial<Settings>),
  });
  const reveal = opts.secret
    ? h(
        "button",
        {
          type: "button",
          class: "secondary small",
          "aria-pressed": "false",
          "aria-controls": id,
          onclick: (e: Event) => {
            const button = e.currentTarget as HTMLButtonElement;
            const show = input.type === "password";
            input.type = show ? "text" : "password";
            button.setAttribute("aria-pressed", String(show));
            button.textContent = show ? "Hide" : "Show";
          },
        },
        "Show",
      )
    : null;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("span", { class: "input-row" }, input, reveal),
    opts.help ? h("p", { class: "help", id: `${id}-help` }, opts.help) : null,
  );
}

function numberField(key: NumberKey, label: string, help: string, min: number, max: number): HTMLElement {
  const id = `setting-${key}`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("input", {
      id,
      type: "number",
      min,
      max,
      value: String(settings[key]),
      "data-testid": id,
      "aria-describedby": `${id}-help`,
      oninput: (e: Event) => {
        const n = Number((e.target as HTMLInputElement).value);
        if (Number.isFinite(n) && n >= min && n <= max) updateSettings({ [key]: n } as Partial<Settings>);
      },
    }),
    h("p", { class: "help", id: `${id}-help` }, help),
  );
}

function checkbox(key: BoolKey, label: string): HTMLElement {
  const id = `setting-${key}`;
  return h(
    "div",
    { class: "field checkbox" },
    h("input", {
      id,
      type: "checkbox",
      checked: settings[key],
      "data-testid": id,
      onchange: (e: Event) =>
        updateSettings({ [key]: (e.target as HTMLInputElement).checked } as Partial<Settings>),
    }),
    h("label", { for: id }, label),
  );
}

function select<K extends "authServer" | "iamServer" | "authScheme" | "retriesMode">(
  key: K,
  label: string,
  options: readonly { value: string; label: string }[],
): HTMLElement {
  const id = `setting-${key}`;
  const el = h(
    "select",
    {
      id,
      "data-testid": id,
      onchange: (e: Event) =>
        updateSettings({ [key]: (e.target as HTMLSelectElement).value } as Partial<Settings>),
    },
    options.map((o) => h("option", { value: o.value }, o.label)),
  );
  el.value = settings[key];
  return h("div", { class: "field" }, h("label", { for: id }, label), el);
}

function targetFieldset(): HTMLElement {
  const radio = (value: Target, label: string, extra?: HTMLElement) =>
    h(
      "div",
      { class: "field checkbox" },
      h("input", {
        type: "radio",
        name: "target",
        id: `target-${value}`,
        value,
        checked: settings.target === value,
        "data-testid": `target-${value}`,
        onchange: () => updateSettings({ target: value }),
      }),
      h("label", { for: `target-${value}` }, label),
      extra,
    );
  return h(
    "fieldset",
    null,
    h("legend", null, "Target server"),
    radio("mock", `Embedded mock API ${runtime.config.mockUrl ?? "(not running)"}`),
    radio("named", "A named server of each API"),
    h(
      "div",
      { class: "field-row indent" },
      select(
        "authServer",
        "Auth API server",
        Object.entries(AUTH_SERVERS).map(([name, url]) => ({ value: name, label: `${name} — ${url}` })),
      ),
      select(
        "iamServer",
        "IAM API server",
        Object.entries(IAM_SERVERS).map(([name, url]) => ({ value: name, label: `${name} — ${url}` })),
      ),
    ),
    radio("custom", "A custom URL (both APIs)"),
    h("div", { class: "indent" }, textField("customURL", "Custom base URL")),
    h(
      "p",
      { class: "hint" },
      "Real servers need real credentials, and may refuse browser requests (CORS). Fault injection needs the mock.",
    ),
  );
}

function credentialsFieldset(): HTMLElement {
  const schemes: { value: AuthScheme; label: string }[] = [
    { value: "apiKey", label: "API key (x-api-key)" },
    { value: "bearer", label: "Bearer token (Authorization)" },
    { value: "workspaceIdentifier", label: "Workspace identifier (x-workspace-identifier)" },
  ];
  const workspaces = runtime.seeded?.auth.workspaces ?? [];
  const workspaceId = "setting-workspace";
  const workspace = workspaces.length
    ? h(
        "div",
        { class: "field" },
        h("label", { for: workspaceId }, "Seeded workspace"),
        h(
          "select",
          {
            id: workspaceId,
            "data-testid": workspaceId,
            onchange: (e: Event) => {
              const w = workspaces.find((x) => x.id === (e.target as HTMLSelectElement).value);
              if (!w) return;
              updateSettings({
                authApiKey: w.apiKey,
                authBearer: w.bearer,
                authWorkspaceIdentifier: w.workspaceIdentifier,
              });
              for (const key of ["authApiKey", "authBearer", "authWorkspaceIdentifier"] as const) {
                const input = document.getElementById(`setting-${key}`) as HTMLInputElement | null;
                if (input) input.value = settings[key];
              }
              announce(`Credentials of ${w.slug} filled in`);
            },
          },
          workspaces.map((w) => h("option", { value: w.id }, `${w.slug} (${w.accountType}, ${w.userEmail})`)),
        ),
        h("p", { class: "help" }, "Fills the three Auth credentials with the ones of this workspace."),
      )
    : null;
  return h(
    "fieldset",
    null,
    h("legend", null, "Credentials"),
    h(
      "p",
      { class: "hint" },
      "Pre-filled with the mock's seeded test credentials. Kept in this page's memory only: never in the URL or browser storage; a reload starts over.",
    ),
    h("h3", null, "Auth API"),
    workspace,
    select("authScheme", "Send", schemes),
    textField("authApiKey", "API key", { secret: true }),
    textField("authBearer", "Bearer token", { secret: true }),
    textField("authWorkspaceIdentifier", "Workspace identifier", { secret: true }),
    h("h3", null, "IAM API"),
    textField("iamApiKey", "API key (x-api-key)", { secret: true }),
    h(
      "p",
      { class: "hint" },
      "The service-account credentials file is chosen in the walk-through; its private key is never shown.",
    ),
    h(
      "div",
      { class: "button-row" },
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          "data-testid": "reload-credentials",
          onclick: async () => {
            try {
              await loadSeeded(true);
              announce("Seeded credentials reloaded");
              location.hash = "#/settings";
              window.dispatchEvent(new HashChangeEvent("hashchange"));
            } catch (error) {
              announce((error as Error).message);
            }
          },
        },
        "Reload the seeded credentials",
      ),
    ),
  );
}

/** How far "Advance clock" moves the mock's clock: far enough to expire tokens and refuse a JWS. */
const ADVANCE_MS = 3_600_000;

/** One line describing an SDK retry policy, from the policy object itself. */
export function describeRetry(policy: RetryConfig): string {
  if (policy.strategy !== "backoff") return "no retries";
  const b = policy.backoff;
  const codes = policy.statusCodes?.join(", ") ?? "the defaults";
  return `statuses ${codes}; first delay ${b?.initialInterval} ms, ×${b?.exponent} per retry up to ${b?.maxInterval} ms, for ${(b?.maxElapsedTime ?? 0) / 1000} s at most`;
}

function retriesFieldset(): HTMLElement {
  return h(
    "fieldset",
    null,
    h("legend", null, "Retries and timeout"),
    select("retriesMode", "Retries", [
      { value: "sdk", label: "The SDK's defaults (no retries option)" },
      { value: "none", label: "None" },
      { value: "custom", label: "Custom (below)" },
    ]),
    h(
      "ul",
      { class: "hint", "data-testid": "sdk-retry-defaults" },
      h("li", null, h("code", null, "@sdk/iam"), `: ${describeRetry(DEFAULT_RETRY)}`),
      h("li", null, h("code", null, "getAccess"), `: ${describeRetry(GET_ACCESS_RETRY)}`),
      h("li", null, "the other ", h("code", null, "@sdk/auth"), " operations: no retries"),
    ),
    h(
      "div",
      { class: "field-row" },
      numberField("maxRetries", "Max retries", "After the first attempt.", 0, 10),
      numberField(
        "initialIntervalMs",
        "First delay (ms)",
        `Grows ×${CUSTOM_RETRY_BASE.exponent} per retry up to ${CUSTOM_RETRY_BASE.maxInterval} ms, with jitter.`,
        0,
        10_000,
      ),
    ),
    checkbox("retryConnectionErrors", "Also retry connection errors and timeouts"),
    h(
      "p",
      { class: "hint" },
      `Custom retries: statuses ${CUSTOM_RETRY_BASE.statusCodes.join(", ")}. These settings apply to every operation page.`,
    ),
    numberField(
      "timeoutMs",
      "Timeout per attempt (ms)",
      "0 = none, the SDKs' default: set one to bound each attempt.",
      0,
      120_000,
    ),
  );
}

function mockFieldset(): HTMLElement {
  const status = h("p", { role: "status", class: "fault-status", "data-testid": "mock-status" });
  const act = (label: string, testid: string, run: () => Promise<unknown>, done: (r: any) => string) =>
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        "data-testid": testid,
        onclick: async () => {
          try {
            status.textContent = done(await run());
          } catch (error) {
            status.textContent = (error as Error).message;
          }
        },
      },
      label,
    );
  return h(
    "fieldset",
    null,
    h("legend", null, "Mock API"),
    h(
      "div",
      { class: "button-row wrap" },
      act("Show queued faults", "mock-faults", mockControl.pending, (p: unknown[]) =>
        p.length ? `${p.length} fault(s) queued: ${JSON.stringify(p)}` : "No faults queued.",
      ),
      act("Clear faults", "mock-clear", mockControl.clear, () => "Faults cleared."),
      act(
        "Reset state (quota, tokens, clock)",
        "mock-reset",
        mockControl.reset,
        () => "Mock reset to its seed.",
      ),
      act(
        "Revoke issued tokens",
        "mock-revoke",
        mockControl.revokeTokens,
        () => "Every issued token is revoked.",
      ),
      act(
        `Advance clock ${ADVANCE_MS / 3_600_000} h`,
        "mock-clock",
        () => mockControl.advanceClock(ADVANCE_MS),
        (r: { iso: string }) => `Mock clock: ${r.iso}`,
      ),
    ),
    status,
  );
}

export function settingsPage(): { element: HTMLElement; dispose: () => void } {
  const seededNote = runtime.seeded
    ? `Seeded credentials loaded (Auth API key ${mask(runtime.seeded.auth.apiKey)}).`
    : "Seeded credentials not loaded: the embedded mock is not reachable.";
  const element = h(
    "article",
    { class: "page settings-page", "data-testid": "page-settings" },
    h(
      "header",
      { class: "page-head" },
      h("h1", { tabindex: -1 }, "Settings"),
      h("p", { class: "summary" }, seededNote),
    ),
    h("form", { class: "settings-grid", onsubmit: (e: Event) => e.preventDefault() }, [
      h("div", null, targetFieldset(), retriesFieldset(), mockFieldset()),
      h("div", null, credentialsFieldset()),
    ]),
  );
  return { element, dispose: () => undefined };
}
