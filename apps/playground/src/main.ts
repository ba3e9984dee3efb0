// The playground shell: header, navigation (hash routes, which never carry credentials) and pages.
import { loadConfig, loadSeeded } from "./config.js";
import { findOperation, OPERATIONS } from "./operations.js";
import { operationPage } from "./pages/operation.js";
import { settingsPage } from "./pages/settings.js";
import { walkthroughPage } from "./pages/walkthrough.js";
import { describeTarget, onSettingsChange, runtime, settings } from "./state.js";
import { h, replace } from "./ui/dom.js";
import { FAULT_PRESETS } from "./ui/faults.js";

interface Page {
  element: HTMLElement;
  dispose: () => void;
}

const GROUPS = [
  { pkg: "auth", title: "Auth", name: "@sdk/auth" },
  { pkg: "iam", title: "IAM", name: "@sdk/iam" },
] as const;

/** Failures queued in the retry tip; the attempt it succeeds on follows from it. */
const FAILURES = 2;

/** The timeout tip, from the slow-response fault's own delay (numbers from code, not text). */
export function timeoutTip(): string {
  const slow = FAULT_PRESETS.find((p) => p.id === "slow")?.spec;
  const delay = slow?.kind === "delay" ? slow.ms : 0;
  return `Set a timeout below ${delay} ms in Settings (e.g. ${delay / 4} ms) and queue “${FAULT_PRESETS.find((p) => p.id === "slow")?.label}”: RequestTimeoutError.`;
}

function homePage(): Page {
  const card = (href: string, title: string, text: string) =>
    h("li", null, h("a", { href, class: "card" }, h("strong", null, title), h("span", null, text)));
  const element = h(
    "article",
    { class: "page home-page", "data-testid": "page-home" },
    h(
      "header",
      { class: "page-head" },
      h("h1", { tabindex: -1 }, "Try the SDKs"),
      h(
        "p",
        { class: "summary" },
        "Every operation of @sdk/auth and @sdk/iam, called from this page with the SDKs themselves, against the embedded mock API. Credentials are pre-filled with the mock's seeded test values.",
      ),
    ),
    GROUPS.map((group) =>
      h(
        "section",
        null,
        h("h2", null, group.name),
        h(
          "ul",
          { class: "cards" },
          OPERATIONS.filter((op) => op.pkg === group.pkg).map((op) =>
            card(`#/${op.pkg}/${op.id}`, op.id, op.summary),
          ),
          group.pkg === "iam"
            ? card(
                "#/walkthrough",
                "Service-account walk-through",
                "Credentials → JWS → token → keys → verify → protected call.",
              )
            : null,
        ),
      ),
    ),
    h(
      "section",
      null,
      h("h2", null, "Things to try"),
      h(
        "ul",
        { class: "tips" },
        h(
          "li",
          null,
          `On getAccess, queue “503 ×${FAILURES}” under Fault injection and Send: its default policy retries 503 and succeeds on attempt ${FAILURES + 1}.`,
        ),
        h(
          "li",
          null,
          "Queue “Unknown enum value” or “Drop a required field”: see how each SDK treats contract drift.",
        ),
        h(
          "li",
          null,
          "Clear getAccessToken's workspaceId: the SDK refuses before sending (InvalidRequestError).",
        ),
        h("li", null, timeoutTip()),
      ),
    ),
  );
  return { element, dispose: () => undefined };
}

function notFound(): Page {
  return {
    element: h(
      "article",
      { class: "page" },
      h("h1", { tabindex: -1 }, "Not found"),
      h("p", null, h("a", { href: "#/" }, "Back to the start")),
    ),
    dispose: () => undefined,
  };
}

function route(hash: string): Page {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  if (parts.length === 0) return homePage();
  if (parts[0] === "settings") return settingsPage();
  if (parts[0] === "walkthrough") return walkthroughPage();
  const op = parts.length === 2 ? findOperation(parts[0]!, parts[1]!) : undefined;
  return op ? operationPage(op) : notFound();
}

function nav(): HTMLElement {
  const link = (href: string, label: string, testid: string) =>
    h("li", null, h("a", { href, "data-testid": testid }, label));
  return h(
    "nav",
    { class: "sidebar", "aria-label": "Operations" },
    h("ul", null, link("#/", "Start", "nav-home")),
    GROUPS.map((group) =>
      h(
        "div",
        { class: "nav-group" },
        h("h2", { id: `nav-${group.pkg}` }, `${group.title} `, h("span", { class: "pkg" }, group.name)),
        h(
          "ul",
          { "aria-labelledby": `nav-${group.pkg}` },
          OPERATIONS.filter((op) => op.pkg === group.pkg).map((op) =>
            link(`#/${op.pkg}/${op.id}`, op.id, `nav-${op.pkg}-${op.id}`),
          ),
          group.pkg === "iam"
            ? link("#/walkthrough", "Service-account walk-through", "nav-walkthrough")
            : null,
        ),
      ),
    ),
    h("ul", { class: "nav-bottom" }, link("#/settings", "Settings", "nav-settings")),
  );
}

function markCurrent(container: HTMLElement): void {
  const current = location.hash || "#/";
  for (const a of container.querySelectorAll<HTMLAnchorElement>("nav a")) {
    if (a.getAttribute("href") === current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

async function start(): Promise<void> {
  const root = document.getElementById("app")!;
  const status = h("span", { class: "status", "data-testid": "target-status" }, "Connecting…");
  const main = h("main", { id: "main", tabindex: -1 });
  replace(
    root,
    h(
      "a",
      {
        href: "#main",
        class: "skip-link",
        onclick: (e: Event) => {
          // Focus the content without touching the hash: the hash is the router's.
          e.preventDefault();
          main.focus();
        },
      },
      "Skip to content",
    ),
    h(
      "header",
      { class: "topbar" },
      h("a", { href: "#/", class: "brand" }, "SDK playground"),
      status,
      h("a", { href: "#/settings", class: "settings-link" }, "Settings"),
    ),
    h("div", { class: "layout" }, nav(), main),
    h("div", { id: "announcer", class: "visually-hidden", "aria-live": "polite", role: "status" }),
  );

  const showStatus = () => {
    const retries =
      settings.retriesMode === "sdk"
        ? "SDK default retries"
        : settings.retriesMode === "none"
          ? "no retries"
          : `${settings.maxRetries} retries`;
    const timeout = settings.timeoutMs > 0 ? `${settings.timeoutMs / 1000} s timeout` : "no timeout";
    const auth = describeTarget("auth");
    const iam = describeTarget("iam");
    status.textContent = `${auth === iam ? auth : `Auth: ${auth} · IAM: ${iam}`} · ${retries} · ${timeout}`;
  };
  onSettingsChange(showStatus);

  await loadConfig();
  // A static build has no embedded mock: try a mock on the custom URL (`pnpm mock`'s default).
  if (!runtime.config.mockUrl) settings.target = "custom";
  let problem: string | undefined;
  try {
    await loadSeeded();
    root.dataset.ready = "true";
  } catch (error) {
    problem = `No mock API reachable (${(error as Error).message}): set the target and credentials in Settings.`;
  }
  showStatus();
  if (problem) status.textContent = problem;

  let page: Page | undefined;
  const render = (focus: boolean) => {
    page?.dispose();
    page = route(location.hash);
    replace(main, page.element);
    markCurrent(root);
    const heading = page.element.querySelector("h1");
    document.title = `${heading?.textContent ?? "SDK playground"} · SDK playground`;
    if (focus) (heading as HTMLElement | null)?.focus();
  };
  window.addEventListener("hashchange", () => render(true));
  render(false);
  root.setAttribute("data-testid", "app-ready");
}

void start();
