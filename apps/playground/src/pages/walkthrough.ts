// The service-account flow, step by step: credentials → JWS (signed here, with WebCrypto) → access
// token → signing keys → verified token → a protected call with the automatic bearer token.
import {
  type AccessTokenClaims,
  parseServiceAccountCredentials,
  type ServiceAccountCredentials,
  type SigningKey,
  signServiceAccountJws,
  verifyAccessToken,
} from "@sdk/iam";
import type { AttemptRecord } from "../clients.js";
import { iamClient } from "../clients.js";
import { walkthroughSnippet as flowSnippet } from "../snippet.js";
import { describeTarget, onSettingsChange, resultContext, runtime } from "../state.js";
import { codeBlock } from "../ui/code-block.js";
import { announce, type Child, h, replace } from "../ui/dom.js";
import { faultPanel, SENT_EVENT } from "../ui/faults.js";
import { jsonView } from "../ui/json-view.js";
import { mask } from "../ui/mask.js";
import { attemptList, markStale, renderError } from "../ui/result.js";

interface FlowState {
  credentials?: ServiceAccountCredentials;
  jws?: string;
  token?: string;
  keys?: SigningKey[];
  claims?: AccessTokenClaims;
}

interface Step {
  title: string;
  description: Child;
  /** Runs the step; returns what to show. Throws when it fails. */
  run(
    state: FlowState,
    log: AttemptRecord[],
  ): Promise<{ summary: string; detail: unknown; attempts?: number }>;
}

/** The decoded JSON of one part of a compact JWS/JWT (not verified: for display). */
function decodePart(token: string, index: 0 | 1): unknown {
  try {
    const part = token.split(".")[index] ?? "";
    const base64 = part
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(part.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return "(not decodable)";
  }
}

const iso = (seconds: number | undefined) =>
  typeof seconds === "number" ? new Date(seconds * 1000) : undefined;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Run the previous step first (${what} is missing).`);
  return value;
}

const STEPS: readonly Step[] = [
  {
    title: "Credentials",
    description: [
      "Parse a service-account credentials file with ",
      h("code", null, "parseServiceAccountCredentials"),
      ". The private key stays inside the SDK's object: it is never shown again.",
    ],
    async run(state) {
      const credentials = need(state.credentials, "credentials");
      return {
        summary: `parsed ${credentials.name}: the key is held inside the SDK`,
        detail: { "JSON.stringify(credentials)": credentials.toJSON() },
      };
    },
  },
  {
    title: "Sign a JWS",
    description: [
      h("code", null, "signServiceAccountJws(credentials)"),
      " signs { name, organization, datetime, iat } with RS256, in this browser (WebCrypto).",
    ],
    async run(state) {
      const jws = await signServiceAccountJws(need(state.credentials, "credentials"));
      state.jws = jws;
      return {
        summary: `JWS ${mask(jws)}`,
        detail: { header: decodePart(jws, 0), claims: decodePart(jws, 1), jws },
      };
    },
  },
  {
    title: "Get an access token",
    description: [
      h("code", null, "iam.generateServiceAccountToken({ jws })"),
      " exchanges the JWS for an access token.",
    ],
    async run(state, log) {
      const meta = await iamClient(log)
        .generateServiceAccountToken({ jws: need(state.jws, "the JWS") })
        .withResponse();
      state.token = meta.data.accessToken;
      const header = decodePart(meta.data.accessToken, 0) as { kid?: string; alg?: string };
      return {
        summary: `${meta.data.tokenType ?? "?"} token, expires in ${meta.data.expiresIn ?? "?"} s (signed ${header.alg ?? "?"} by key ${String(header.kid ?? "?").slice(0, 12)}…)`,
        detail: { ...meta.data, header },
        attempts: meta.attempts,
      };
    },
  },
  {
    title: "List the signing keys",
    description: [
      "Every page of ",
      h("code", null, "iam.listSigningKeys({ pageSize: 100 })"),
      " with ",
      h("code", null, ".pages()"),
      ": the public keys that sign access tokens.",
    ],
    async run(state, log) {
      const keys: SigningKey[] = [];
      let pages = 0;
      for await (const page of iamClient(log).listSigningKeys({ pageSize: 100 }).pages()) {
        pages++;
        keys.push(...page.keys);
      }
      state.keys = keys;
      const kid = state.token ? (decodePart(state.token, 0) as { kid?: string }).kid : undefined;
      const position = kid ? keys.findIndex((k) => k.kid === kid) : -1;
      return {
        summary: `${keys.length} keys in ${pages} pages${position >= 0 ? `; the token's key is #${position + 1}` : ""}`,
        detail: {
          pageCount: pages,
          keyCount: keys.length,
          tokenKeyPosition: position >= 0 ? position + 1 : null,
          keys,
        },
        attempts: log.length,
      };
    },
  },
  {
    title: "Verify the token",
    description: [
      h("code", null, 'verifyAccessToken(token, { keys, audience: "apexapis.com", issuer: "apexapis.com" })'),
      " checks the claim types, the signature with the listed key of its kid, then exp, nbf, aud and iss.",
      " The token is shaped like the real API's: PS256, iss/aud apexapis.com, sub (a UUID), identity_class, sa_kid, jti, iat, nbf, exp.",
    ],
    async run(state) {
      const claims = await verifyAccessToken(need(state.token, "the access token"), {
        keys: need(state.keys, "the signing keys"),
        ...(runtime.seeded
          ? { issuer: runtime.seeded.iam.issuer, audience: runtime.seeded.iam.audience }
          : {}),
      });
      state.claims = claims;
      return {
        summary: `verified: ${claims.sub ?? "?"} (${claims.identity_class ?? "?"}), expires ${iso(claims.exp)?.toISOString() ?? "?"}`,
        detail: { ...claims, exp: iso(claims.exp), iat: iso(claims.iat), nbf: iso(claims.nbf) },
      };
    },
  },
  {
    title: "Call a protected route",
    description: [
      h("code", null, 'iam.callProtected({ path: "/iam/v1/whoami" })'),
      " with ",
      h("code", null, "security: { apiKeyAuth, serviceAccount }"),
      ": the client gets, caches and renews the bearer token itself.",
    ],
    async run(state, log) {
      const client = iamClient(log, need(state.credentials, "credentials"));
      const meta = await client.callProtected({ path: "/iam/v1/whoami" }).withResponse();
      const data = meta.data as { sub?: string; name?: string; exp?: number };
      return {
        summary: `whoami: ${data.sub ?? "?"} (${data.name ?? "?"})`,
        detail: { ...data, exp: iso(data.exp), tokenCache: client.serviceAccountTokens.stats() },
        attempts: meta.attempts,
      };
    },
  },
];

function credentialsPicker(
  state: FlowState,
  onUsed: () => void,
): { element: HTMLElement; use: () => boolean } {
  const accounts = runtime.seeded?.iam.serviceAccounts ?? [];
  const choices = [
    ...accounts.map((a, i) => ({ value: `seeded-${i}`, label: `${a.name} (seeded)`, file: a })),
    ...(runtime.seeded
      ? [
          {
            value: "unknown",
            label: "Unregistered account (expect a 401)",
            file: runtime.seeded.iam.unknownServiceAccount,
          },
        ]
      : []),
    { value: "paste", label: "Paste a credentials file…", file: undefined },
  ];
  const choice = h(
    "select",
    { id: "sa-choice", "data-testid": "sa-choice" },
    choices.map((c) => h("option", { value: c.value }, c.label)),
  );
  const paste = h("textarea", {
    id: "sa-paste",
    rows: 5,
    spellcheck: "false",
    autocomplete: "off",
    placeholder:
      '{ "privateKey": "-----BEGIN PRIVATE KEY-----\\n…", "name": "…", "organization": "…", "type": "serviceAccount" }',
    "data-testid": "sa-paste",
    "aria-describedby": "sa-paste-help",
  });
  const pasteBox = h(
    "div",
    { class: "field", hidden: choices[0]?.value !== "paste" },
    h("label", { for: "sa-paste" }, "Credentials file (JSON)"),
    paste,
    h(
      "p",
      { class: "help", id: "sa-paste-help" },
      "Parsed in this page only; the text area is emptied once parsed.",
    ),
  );
  const summary = h("div", { class: "sa-summary", "data-testid": "sa-summary" });
  const error = h("p", { class: "field-error", "data-testid": "sa-error", role: "alert" });
  choice.addEventListener("change", () => {
    pasteBox.hidden = choice.value !== "paste";
  });
  const use = (): boolean => {
    error.textContent = "";
    try {
      const picked = choices.find((c) => c.value === choice.value);
      const file = picked?.file ?? paste.value;
      const credentials = parseServiceAccountCredentials(file);
      const privateKey =
        typeof file === "string"
          ? ((JSON.parse(file) as { privateKey?: string }).privateKey ?? "")
          : file.privateKey;
      paste.value = "";
      Object.assign(state, {
        credentials,
        jws: undefined,
        token: undefined,
        keys: undefined,
        claims: undefined,
      });
      replace(
        summary,
        h(
          "dl",
          { class: "kv" },
          h("dt", null, "name"),
          h("dd", null, credentials.name),
          h("dt", null, "organization"),
          h("dd", null, credentials.organization),
          h("dt", null, "privateKey"),
          h("dd", { "data-testid": "sa-private-key" }, mask(privateKey)),
        ),
      );
      return true;
    } catch (err) {
      error.textContent = `${(err as Error).name}: ${(err as Error).message}`;
      return false;
    }
  };
  const element = h(
    "div",
    { class: "sa-picker" },
    h("div", { class: "field" }, h("label", { for: "sa-choice" }, "Service account"), choice),
    pasteBox,
    h(
      "div",
      { class: "button-row" },
      h(
        "button",
        { type: "button", class: "secondary", "data-testid": "sa-use", onclick: () => use() && onUsed() },
        "Use these credentials",
      ),
    ),
    error,
    summary,
  );
  return { element, use };
}

export function walkthroughPage(): { element: HTMLElement; dispose: () => void } {
  const state: FlowState = {};
  // "Use these credentials" runs step 1, which shows what was parsed.
  // Another account: the later steps' results belonged to the previous one, so they are cleared.
  const picker = credentialsPicker(state, () => {
    for (const row of rows.slice(1)) row.clear();
    void rows[0]?.run();
  });
  /** Where the results on screen were sent, to mark them stale when the server or API key changes. */
  let sent: { context: string; target: string } | undefined;
  const rows = STEPS.map((step, index) => {
    const n = index + 1;
    const status = h("span", { class: "badge", "data-testid": `step-${n}-status` }, "not run");
    const output = h("div", {
      class: "step-output",
      "data-testid": `step-${n}-result`,
      "aria-live": "polite",
    });
    const button = h(
      "button",
      { type: "button", class: "secondary small", "data-testid": `step-${n}-run` },
      "Run step",
    );
    const row = h(
      "li",
      { class: "step" },
      h("div", { class: "step-head" }, h("h2", null, `${n}. ${step.title}`), status, button),
      h("p", { class: "help" }, step.description),
      index === 0 ? picker.element : null,
      output,
    );
    const runStep = async (i: number): Promise<boolean> => {
      const log: AttemptRecord[] = [];
      const started = performance.now();
      const context = resultContext("iam");
      if (sent?.context !== context) {
        // The first step run against other settings: the older results are not comparable.
        for (const row of rows) if (row !== rows[i]) row.clear();
        sent = { context, target: describeTarget("iam") };
      }
      status.textContent = "running…";
      status.className = "badge running";
      button.disabled = true;
      try {
        const result = await STEPS[i]!.run(state, log);
        status.textContent = "done";
        status.className = "badge ok";
        replace(
          output,
          h("p", { class: "result-summary", "data-testid": `step-${n}-summary` }, result.summary),
          h(
            "p",
            { class: "meta" },
            `${Math.round(performance.now() - started)} ms`,
            result.attempts !== undefined ? ` · ${result.attempts} attempt(s) of the call` : "",
          ),
          attemptList(log),
          jsonView(result.detail, { openDepth: 2 }),
        );
        return true;
      } catch (err) {
        status.textContent = "failed";
        status.className = "badge bad";
        replace(output, renderError(err, log, Math.round(performance.now() - started)));
        return false;
      } finally {
        button.disabled = false;
        window.dispatchEvent(new Event(SENT_EVENT));
      }
    };
    button.addEventListener("click", () => void runStep(index));
    const clear = () => {
      status.textContent = "not run";
      status.className = "badge";
      output.replaceChildren();
      output.classList.remove("stale");
    };
    return { row, output, run: () => runStep(index), clear };
  });

  const runAll = h(
    "button",
    {
      type: "button",
      class: "primary",
      "data-testid": "walkthrough-run-all",
      onclick: async (e: Event) => {
        const button = e.currentTarget as HTMLButtonElement;
        button.disabled = true;
        let done = 0;
        if (!state.credentials && !picker.use()) return void (button.disabled = false);
        for (const step of rows) {
          if (!(await step.run())) break;
          done++;
        }
        button.disabled = false;
        announce(done === rows.length ? "Walk-through complete" : `Stopped at step ${done + 1}`);
      },
    },
    "Run every step",
  );

  const snippet = codeBlock("The same flow in TypeScript", "walkthrough-snippet");
  snippet.set(flowSnippet());
  const target = h("span", null, describeTarget("iam"));
  const off = onSettingsChange(() => {
    target.textContent = describeTarget("iam");
    snippet.set(flowSnippet());
    const from = sent && sent.context !== resultContext("iam") ? sent.target : undefined;
    for (const row of rows) if (row.output.childElementCount) markStale(row.output, from);
  });
  const element = h(
    "article",
    { class: "page walkthrough-page", "data-testid": "page-walkthrough" },
    h(
      "header",
      { class: "page-head" },
      h("p", { class: "eyebrow" }, "@sdk/iam"),
      h("h1", { tabindex: -1 }, "Service-account walk-through"),
      h(
        "p",
        { class: "summary" },
        "From a credentials file to a verified access token and a protected call. Pick an account, press Use, then run the steps one by one or all at once.",
      ),
      h("p", { class: "meta" }, "Server: ", target),
      h("div", { class: "button-row" }, runAll),
    ),
    h(
      "div",
      { class: "op-grid" },
      h(
        "div",
        null,
        h(
          "ol",
          { class: "steps" },
          rows.map((r) => r.row),
        ),
      ),
      h("div", null, snippet.element, faultPanel(undefined)),
    ),
  );
  return { element, dispose: off };
}
