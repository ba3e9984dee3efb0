// One page per operation: the form, the live TypeScript snippet, fault injection and the result.
import * as v from "valibot";
import type { AttemptRecord } from "../clients.js";
import { defaultValues, type FieldSpec, type FieldValue, type OperationSpec } from "../operations.js";
import { mcpSnippet } from "../snippet.js";
import {
  describeTarget,
  onSettingsChange,
  resultContext,
  runtime,
  settings,
  type Target,
  updateSettings,
} from "../state.js";
import { codeBlock } from "../ui/code-block.js";
import { announce, h, replace } from "../ui/dom.js";
import { faultPanel, SENT_EVENT } from "../ui/faults.js";
import { markStale, renderError, renderSuccess } from "../ui/result.js";

const PACKAGE = { auth: "@sdk/auth", iam: "@sdk/iam" } as const;

function fieldControl(
  field: FieldSpec,
  values: Record<string, FieldValue>,
  onChange: () => void,
): { element: HTMLElement; error: HTMLElement } {
  const id = `field-${field.name}`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [field.help ? helpId : "", errorId].filter(Boolean).join(" ");
  const error = h("p", { class: "field-error", id: errorId, "data-testid": `${id}-error` });
  const common = {
    id,
    name: field.name,
    "aria-describedby": describedBy,
    "data-testid": id,
    required: field.required,
  };
  const set = (value: FieldValue) => {
    values[field.name] = value;
    onChange();
  };
  let control: HTMLElement;
  if (field.kind === "checkbox") {
    control = h("input", {
      ...common,
      type: "checkbox",
      checked: values[field.name] === true,
      onchange: (e: Event) => set((e.target as HTMLInputElement).checked),
    });
  } else if (field.kind === "select") {
    control = h(
      "select",
      { ...common, onchange: (e: Event) => set((e.target as HTMLSelectElement).value) },
      (field.options ?? []).map((o) => h("option", { value: o.value }, o.label)),
    );
    (control as HTMLSelectElement).value = String(values[field.name] ?? "");
  } else if (field.kind === "textarea") {
    control = h("textarea", {
      ...common,
      rows: 4,
      spellcheck: "false",
      autocomplete: "off",
      placeholder: field.placeholder,
      value: String(values[field.name] ?? ""),
      oninput: (e: Event) => set((e.target as HTMLTextAreaElement).value),
    });
  } else {
    const suggestions = field.suggestions?.() ?? [];
    control = h("input", {
      ...common,
      type: field.kind === "number" ? "text" : "text",
      inputmode: field.kind === "number" ? "numeric" : undefined,
      autocomplete: "off",
      spellcheck: "false",
      placeholder: field.placeholder,
      list: suggestions.length ? `${id}-list` : undefined,
      value: String(values[field.name] ?? ""),
      oninput: (e: Event) => set((e.target as HTMLInputElement).value),
    });
    if (suggestions.length) {
      control = h(
        "span",
        { class: "with-list" },
        control,
        h(
          "datalist",
          { id: `${id}-list` },
          suggestions.map((s) => h("option", { value: s.value }, s.label)),
        ),
      );
    }
  }
  const label = h(
    "label",
    { for: id },
    h("code", null, field.label),
    field.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null,
    field.required ? h("span", { class: "visually-hidden" }, " (required)") : null,
    field.control ? h("span", { class: "tag" }, "not an input") : null,
  );
  const action = field.action
    ? h(
        "button",
        {
          type: "button",
          class: "secondary small",
          "data-testid": `${id}-action`,
          onclick: async (e: Event) => {
            const button = e.currentTarget as HTMLButtonElement;
            button.disabled = true;
            try {
              const value = await field.action!.run();
              const target = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
              if (target) target.value = value;
              set(value);
              announce(`${field.label} filled in`);
            } catch (err) {
              error.textContent = (err as Error).message;
            } finally {
              button.disabled = false;
            }
          },
        },
        field.action.label,
      )
    : null;
  const element = h(
    "div",
    { class: field.kind === "checkbox" ? "field checkbox" : "field" },
    field.kind === "checkbox" ? [control, label] : [label, control],
    field.help ? h("p", { class: "help", id: helpId }, field.help) : null,
    action,
    error,
  );
  return { element, error };
}

/**
 * Switch server or account without leaving the page (the full choice is in Settings). A result already on
 * screen then belongs to the previous one: the page marks it stale.
 */
function quickSwitch(pkg: "auth" | "iam"): HTMLElement {
  const targets: { value: Target; label: string }[] = [
    { value: "mock", label: "embedded mock" },
    { value: "named", label: `named server (${pkg === "auth" ? settings.authServer : settings.iamServer})` },
    { value: "custom", label: "custom URL" },
  ];
  const target = h(
    "select",
    {
      id: "quick-target",
      "data-testid": "quick-target",
      onchange: (e: Event) => updateSettings({ target: (e.target as HTMLSelectElement).value as Target }),
    },
    targets.map((t) => h("option", { value: t.value }, t.label)),
  );
  target.value = settings.target;
  const seeded = runtime.seeded;
  const accounts =
    pkg === "auth"
      ? (seeded?.auth.workspaces ?? []).map((w) => ({
          label: `${w.slug} (${w.accountType})`,
          current: settings.authApiKey === w.apiKey,
          apply: () =>
            updateSettings({
              authApiKey: w.apiKey,
              authBearer: w.bearer,
              authWorkspaceIdentifier: w.workspaceIdentifier,
            }),
        }))
      : (seeded?.iam.apiKeys ?? []).map((key, i) => ({
          label: `seeded API key #${i + 1}`,
          current: settings.iamApiKey === key,
          apply: () => updateSettings({ iamApiKey: key }),
        }));
  const account = accounts.length
    ? h(
        "select",
        {
          id: "quick-account",
          "data-testid": "quick-account",
          onchange: (e: Event) => accounts[Number((e.target as HTMLSelectElement).value)]?.apply(),
        },
        accounts.map((a, i) => h("option", { value: String(i) }, a.label)),
        accounts.some((a) => a.current) ? null : h("option", { value: "" }, "(set in Settings)"),
      )
    : null;
  if (account) {
    const i = accounts.findIndex((a) => a.current);
    (account as HTMLSelectElement).value = i >= 0 ? String(i) : "";
  }
  return h(
    "span",
    { class: "quick-switch" },
    h("label", { for: "quick-target" }, "Switch server"),
    target,
    account ? [h("label", { for: "quick-account" }, "account"), account] : null,
  );
}

/** Scrolls the result into view only when its top is off screen (e.g. after a long form). */
function reveal(el: HTMLElement): void {
  const { top } = el.getBoundingClientRect();
  if (top < 0 || top > window.innerHeight - 80) el.scrollIntoView({ block: "start", behavior: "smooth" });
}

export function operationPage(op: OperationSpec): { element: HTMLElement; dispose: () => void } {
  const values = defaultValues(op);
  const errors = new Map<string, HTMLElement>();
  const snippet = codeBlock("TypeScript", "snippet");
  const querySnippet = op.querySnippet
    ? codeBlock("With TanStack Query (@sdk/query)", "query-snippet")
    : undefined;
  const mcpSnippetBlock = op.mcp
    ? codeBlock("As an MCP tool, for AI assistants (@sdk/mcp)", "mcp-snippet")
    : undefined;
  const resultBox = h(
    "div",
    { class: "result-box", "data-testid": "result", "aria-live": "polite" },
    h("p", { class: "placeholder" }, "Press Send to call the operation."),
  );
  const target = h("span", { "data-testid": "op-target" }, describeTarget(op.pkg));
  const formIssues = h("p", { class: "form-issues", "data-testid": "form-issues" });
  /** Where the result on screen was sent (server and credentials), to tell when it went stale. */
  let sent: { context: string; target: string } | undefined;

  const refresh = () => {
    const input = op.toInput(values);
    snippet.set(op.snippet(input, values));
    querySnippet?.set(op.querySnippet!(input));
    if (op.mcp) mcpSnippetBlock?.set(mcpSnippet(op.mcp, op.mcp.mcpArgs?.(input) ?? input ?? {}));
    const invalid = new Set<string>();
    formIssues.textContent = "";
    for (const el of errors.values()) el.textContent = "";
    // The same valibot schema the SDK validates with: what it would reject is flagged before sending.
    const result = op.schema ? v.safeParse(op.schema, input) : undefined;
    for (const issue of result?.success === false ? result.issues : []) {
      const name = String(issue.path?.[0]?.key ?? "");
      const slot = errors.get(name);
      if (slot) {
        slot.textContent = issue.message;
        invalid.add(name);
      } else formIssues.textContent = issue.message;
    }
    for (const field of op.fields) {
      const control = element.querySelector(`#field-${field.name}`);
      if (invalid.has(field.name)) control?.setAttribute("aria-invalid", "true");
      else control?.removeAttribute("aria-invalid");
    }
  };

  const fields = op.fields.map((field) => {
    const { element, error } = fieldControl(field, values, refresh);
    errors.set(field.name, error);
    return element;
  });

  const send = h("button", { type: "submit", class: "primary", "data-testid": "send" }, "Send");
  const form = h(
    "form",
    {
      class: "op-form",
      "aria-label": `${op.id} input`,
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        send.disabled = true;
        send.textContent = "Sending…";
        replace(resultBox, h("p", { class: "placeholder" }, "Waiting for the response…"));
        const log: AttemptRecord[] = [];
        const started = performance.now();
        sent = { context: resultContext(op.pkg), target: describeTarget(op.pkg) };
        try {
          const result = await op.run(op.toInput(values), values, log);
          replace(resultBox, renderSuccess(result, log));
          reveal(resultBox);
          announce(`${op.id}: ${result.response?.status ?? "done"} after ${result.attempts} attempt(s)`);
        } catch (err) {
          replace(resultBox, renderError(err, log, Math.round(performance.now() - started)));
          reveal(resultBox);
          announce(`${op.id} failed: ${(err as Error).name}`);
        } finally {
          send.disabled = false;
          send.textContent = "Send";
          window.dispatchEvent(new Event(SENT_EVENT));
        }
      },
    },
    fields.length
      ? fields
      : h("p", { class: "hint" }, "No parameters: it uses the credentials from Settings."),
    formIssues,
    h("div", { class: "button-row" }, send),
  );

  const element = h(
    "article",
    { class: "page op-page", "data-testid": `page-${op.pkg}-${op.id}` },
    h(
      "header",
      { class: "page-head" },
      h("p", { class: "eyebrow" }, PACKAGE[op.pkg]),
      h("h1", { tabindex: -1 }, op.id),
      h(
        "p",
        { class: "endpoint" },
        h("span", { class: `method method-${op.method}` }, op.method),
        " ",
        h("code", null, op.path),
      ),
      h("p", { class: "summary" }, op.summary),
      h("p", { class: "meta" }, "Credentials: ", op.security, h("br"), "Server: ", target),
      h("p", { class: "meta" }, quickSwitch(op.pkg)),
    ),
    h(
      "div",
      { class: "op-grid" },
      h(
        "div",
        { class: "op-input" },
        h("section", { "aria-label": "Input" }, h("h2", null, "Input"), form),
        faultPanel(op.route),
        snippet.element,
        ...(querySnippet ? [querySnippet.element] : []),
        ...(mcpSnippetBlock ? [mcpSnippetBlock.element] : []),
      ),
      h("section", { class: "op-output", "aria-label": "Result" }, h("h2", null, "Result"), resultBox),
    ),
  );
  refresh();
  const off = onSettingsChange(() => {
    target.textContent = describeTarget(op.pkg);
    refresh();
    // A result from another server or credentials is not this one's: say so until the next Send.
    if (sent) markStale(resultBox, sent.context !== resultContext(op.pkg) ? sent.target : undefined);
  });
  return { element, dispose: off };
}
