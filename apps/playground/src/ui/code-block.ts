// A code block with a copy button (navigator.clipboard, or a hidden textarea where it is unavailable).
import { announce, h } from "./dom.js";

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission denied or unfocused document: fall back below.
  }
  const area = h("textarea", { class: "visually-hidden", "aria-hidden": "true", readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export interface CodeBlock {
  element: HTMLElement;
  set(text: string): void;
}

export function codeBlock(title: string, testid: string): CodeBlock {
  const code = h("code", { class: "language-ts", "data-testid": testid });
  const status = h("span", { class: "copy-status", "aria-live": "polite" });
  const button = h(
    "button",
    {
      type: "button",
      class: "secondary small",
      "data-testid": `${testid}-copy`,
      onclick: async () => {
        const ok = await copyText(code.textContent ?? "");
        status.textContent = ok ? "Copied" : "Copy failed: select the text instead";
        announce(status.textContent);
        setTimeout(() => {
          status.textContent = "";
        }, 2000);
      },
    },
    "Copy",
  );
  const element = h(
    "section",
    { class: "code-block", "aria-label": title },
    h("div", { class: "code-head" }, h("h2", null, title), h("span", null, status, button)),
    h("pre", { tabindex: 0 }, code),
  );
  return {
    element,
    set(text: string) {
      code.textContent = text;
    },
  };
}
