// The playground in real headless Chromium, against the real dev server and the embedded mock API:
// what a newcomer does on day one, checked end to end.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GET_ACCESS_RETRY } from "@sdk/auth/schemas";
import { DEFAULT_RETRY } from "@sdk/iam/schemas";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlayground } from "../scripts/start.mjs";
import { FAULT_PRESETS } from "../src/ui/faults.js";

const RESULTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const SCREENSHOT = `${RESULTS}playground.png`;

let playground: Awaited<ReturnType<typeof startPlayground>>;
let browser: Browser;
let page: Page;
const consoleLines: string[] = [];
const pageErrors: string[] = [];

const byTestId = (id: string) => `[data-testid="${id}"]`;
const OPS = [
  "auth/validateApiKey",
  "auth/getUser",
  "auth/getAccessToken",
  "auth/getAccess",
  "iam/generateServiceAccountToken",
  "iam/listSigningKeys",
  "iam/callProtected",
];
const text = async (id: string) => ((await page.locator(byTestId(id)).first().textContent()) ?? "").trim();

async function open(hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.locator("main h1").first().waitFor();
}

/** Presses Send and waits for the outcome (the previous one is cleared on submit). */
async function send(): Promise<"ok" | "error"> {
  await page.click(byTestId("send"));
  const outcome = page.locator(`${byTestId("result-ok")}, ${byTestId("result-error")}`);
  await outcome.first().waitFor({ timeout: 15_000 });
  return (await page.locator(byTestId("result-ok")).count()) > 0 ? "ok" : "error";
}

async function queueFault(preset: string, count: number): Promise<string> {
  const panel = page.locator(byTestId("fault-panel"));
  if (!(await panel.evaluate((el) => (el as HTMLDetailsElement).open)))
    await panel.locator("summary").click();
  await page.selectOption(byTestId("fault-kind"), preset);
  await page.fill(byTestId("fault-count"), String(count));
  await page.click(byTestId("fault-queue"));
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent?.startsWith("Queued"),
    byTestId("fault-pending"),
  );
  return text("fault-pending");
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  playground = await startPlayground({ port: 0, mockPort: 0, quiet: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (message) => consoleLines.push(message.text()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(playground.url);
  // Ready once the page has fetched the mock's URL and seeded credentials.
  await page.locator("#app[data-ready=true]").waitFor({ timeout: 20_000 });
}, 90_000); // Vite's first dependency pre-bundling plus a browser launch: slow on a loaded machine

afterAll(async () => {
  await browser?.close();
  await playground?.close();
});

describe("the web playground", () => {
  it("starts on the embedded mock with its seeded credentials", async () => {
    expect(await text("target-status")).toContain(playground.mockUrl);
    for (const id of ["validateApiKey", "getUser", "getAccessToken", "getAccess"]) {
      expect(await page.locator(byTestId(`nav-auth-${id}`)).count()).toBe(1);
    }
    for (const id of ["generateServiceAccountToken", "listSigningKeys", "callProtected"]) {
      expect(await page.locator(byTestId(`nav-iam-${id}`)).count()).toBe(1);
    }
    await open("#/settings");
    // Pre-filled from GET /__mock/credentials, in password fields.
    const apiKey = page.locator(byTestId("setting-authApiKey"));
    expect(await apiKey.inputValue()).toBe(playground.mock.credentials.auth.apiKey);
    expect(await apiKey.getAttribute("type")).toBe("password");
  });

  it("runs an @sdk/auth operation and shows the parsed response", async () => {
    await open("#/auth/validateApiKey");
    expect(await send()).toBe("ok");
    expect(await text("result-status")).toBe("200 OK");
    expect(await text("result-attempts")).toBe("1");
    const data = await text("result-data");
    expect(data).toContain('"acme-sandbox"');
    // A Date from the SDK, shown as ISO 8601.
    expect(data).toContain("2023-02-14T09:20:00.000Z");
    const snippet = await text("snippet");
    expect(snippet).toContain("await auth.validateApiKey().withResponse()");
    expect(snippet).toContain(playground.mockUrl);
    expect(snippet).toContain("process.env.REGISTRY_API_KEY");
    expect(snippet).not.toContain(playground.mock.credentials.auth.apiKey);
    // The same read through @sdk/query.
    const query = await text("query-snippet");
    expect(query).toContain("useQuery(validateApiKeyQueryOptions(auth))");
    expect(query).not.toContain(playground.mock.credentials.auth.apiKey);
  });

  it("flags invalid input with the SDK's schema, and the SDK refuses to send it", async () => {
    await open("#/auth/getAccessToken");
    await page.fill(byTestId("field-workspaceId"), "");
    expect(await text("field-workspaceId-error")).not.toBe("");
    expect(await send()).toBe("error");
    expect(await text("error-name")).toBe("InvalidRequestError");
    expect(await text("error-issues")).toContain("workspaceId");
    expect(await text("result-attempts")).toBe("0 (nothing sent)");
    // The snippet follows the form as it changes.
    await page.fill(byTestId("field-workspaceId"), "ws-from-the-form");
    expect(await text("snippet")).toContain('auth.getAccessToken({ workspaceId: "ws-from-the-form" })');
  });

  it("runs an @sdk/iam operation with its input", async () => {
    await open("#/iam/listSigningKeys");
    await page.fill(byTestId("field-pageSize"), "50");
    expect(await text("snippet")).toContain("iam.listSigningKeys({ pageSize: 50 })");
    expect(await text("query-snippet")).toContain(
      "useInfiniteQuery(listSigningKeysInfiniteQueryOptions(iam, { pageSize: 50 }))",
    );
    expect(await send()).toBe("ok");
    expect(await text("result-status")).toBe("200 OK");
    expect(await text("result-summary")).toBe("50 key(s), more pages");
    // Every page, through the SDK's async iteration.
    await page.selectOption(byTestId("field-fetch"), "all");
    expect(await text("snippet")).toContain("for await (const key of iam.listSigningKeys({ pageSize: 50 }))");
    expect(await send()).toBe("ok");
    expect(await text("result-summary")).toBe("250 keys in 5 page(s)");
  });

  it("makes a protected call with a service-account token from its own page", async () => {
    await open("#/iam/callProtected");
    expect(await text("snippet")).toContain('iam.callProtected({ path: "/iam/v1/whoami" })');
    expect(await send()).toBe("ok");
    expect(await text("result-status")).toBe("200 OK");
    expect(await text("result-summary")).toBe("with a service-account token (1 token request this run)");
    expect(await text("result-data")).toContain(playground.mock.credentials.iam.serviceAccountIds[0]!);
  });

  it("shows the retries the SDK took through a queued 503 ×2 (getAccess's default policy)", async () => {
    expect(GET_ACCESS_RETRY.strategy === "backoff" && GET_ACCESS_RETRY.statusCodes).toContain(503);
    await open("#/auth/getAccess");
    expect(await queueFault("503", 2)).toContain("status 503 ×2 on GET /v1/workspace/access");
    expect(await send()).toBe("ok");
    expect(await text("result-status")).toBe("200 OK");
    expect(await text("result-attempts")).toBe("3");
    const attempts = await page.locator(`${byTestId("attempt-log")} li`).allTextContents();
    expect(attempts).toHaveLength(3);
    expect(attempts[0]).toContain("503");
    expect(attempts[2]).toContain("200");
    await page.screenshot({ path: SCREENSHOT });
  });

  it("shows the typed error of a persistent fault", async () => {
    await open("#/iam/listSigningKeys");
    await queueFault("500", 20);
    expect(await send()).toBe("error");
    expect(await text("error-name")).toBe("StatusError");
    expect(await text("error-status")).toBe("500");
    expect(await text("error-code")).toBe("13");
    // The SDK's default IAM policy does not retry a 500: one attempt.
    expect(DEFAULT_RETRY.strategy === "backoff" && DEFAULT_RETRY.statusCodes).not.toContain(500);
    expect(await text("result-attempts")).toBe("1");
    await page.click(byTestId("fault-clear"));
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === "No faults queued.",
      byTestId("fault-pending"),
    );
  });

  it("walks through the service-account flow to a verified token and a protected call", async () => {
    await open("#/walkthrough");
    await page.click(byTestId("walkthrough-run-all"));
    await page.waitForFunction(
      (sel) => ["done", "failed"].includes(document.querySelector(sel)?.textContent ?? ""),
      byTestId("step-6-status"),
      { timeout: 20_000 },
    );
    for (let n = 1; n <= 6; n++) expect(await text(`step-${n}-status`)).toBe("done");
    const [sub] = playground.mock.credentials.iam.serviceAccountIds;
    expect(await text("step-4-summary")).toMatch(/^250 keys in 3 pages; the token's key is #\d+$/);
    expect(await text("step-5-summary")).toContain(`verified: ${sub}`);
    expect(await text("step-6-summary")).toBe(`whoami: ${sub} (FinFirm)`);
    // The private key is shown masked, never in full.
    expect(await text("sa-private-key")).toMatch(/^-----BEGIN PRIVATE KEY----- •+ \(\d+ chars, hidden\)$/);
    const body = (await page.locator("body").textContent()) ?? "";
    const keyBody = playground.mock.credentials.iam.serviceAccount.privateKey.split("\n")[1]!;
    expect(body).not.toContain(keyBody);
    await page.screenshot({ path: `${RESULTS}walkthrough.png`, fullPage: true });
  });

  it("marks a result stale when the server or credentials change, and clears the walk-through on another account", async () => {
    await open("#/auth/validateApiKey");
    expect(await send()).toBe("ok");
    expect(await page.locator(byTestId("result-stale")).count()).toBe(0);
    // Another account, then another server, without leaving the page.
    await page.selectOption(byTestId("quick-account"), "1");
    expect(await text("result-stale")).toContain(
      `Stale: this result came from embedded mock ${playground.mockUrl}`,
    );
    await page.screenshot({ path: `${RESULTS}stale.png` });
    await page.selectOption(byTestId("quick-account"), "0");
    expect(await page.locator(byTestId("result-stale")).count()).toBe(0);
    await page.selectOption(byTestId("quick-target"), "named");
    expect(await page.locator(byTestId("result-stale")).count()).toBe(1);
    await page.selectOption(byTestId("quick-target"), "mock");
    expect(await send()).toBe("ok");
    expect(await page.locator(byTestId("result-stale")).count()).toBe(0);

    await open("#/walkthrough");
    await page.click(byTestId("walkthrough-run-all"));
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === "done",
      byTestId("step-6-status"),
      {
        timeout: 20_000,
      },
    );
    await page.selectOption(byTestId("sa-choice"), "seeded-1");
    await page.click(byTestId("sa-use"));
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === "done",
      byTestId("step-1-status"),
    );
    for (let n = 2; n <= 6; n++) {
      expect(await text(`step-${n}-status`)).toBe("not run");
      expect(await page.locator(byTestId(`step-${n}-result`)).evaluate((el) => el.childElementCount)).toBe(0);
    }
    expect(await text("sa-summary")).toContain(playground.mock.credentials.iam.serviceAccounts[1]!.name);
  });

  it("shows numbers from the code: the timeout tip follows the slow fault's delay", async () => {
    await open("#/");
    const slow = FAULT_PRESETS.find((p) => p.id === "slow")!.spec as { ms: number };
    const tips = await page.locator(".tips").textContent();
    expect(tips).toContain(`below ${slow.ms} ms`);
    expect(tips).not.toContain("Set a 500 ms timeout");
    expect(tips).toContain(`Slow response (${slow.ms} ms)`);
    await open("#/settings");
    expect(await page.locator(byTestId("setting-retriesMode")).inputValue()).toBe("sdk");
    expect(await page.locator(byTestId("setting-timeoutMs")).inputValue()).toBe("0");
    const defaults = await text("sdk-retry-defaults");
    const backoff = DEFAULT_RETRY.strategy === "backoff" ? DEFAULT_RETRY.backoff! : undefined;
    expect(defaults).toContain(`first delay ${backoff!.initialInterval} ms`);
    expect(defaults).toContain(
      `statuses ${(DEFAULT_RETRY as { statusCodes?: readonly unknown[] }).statusCodes?.join(", ")}`,
    );
  });

  it("says what to do about clock skew, and the button fixes it", async () => {
    await open("#/iam/generateServiceAccountToken");
    await page.click(byTestId("field-jws-action"));
    await page.waitForFunction(
      (sel) => ((document.querySelector(sel) as HTMLTextAreaElement | null)?.value ?? "").length > 100,
      byTestId("field-jws"),
    );
    const jws = await page.locator(byTestId("field-jws")).inputValue();
    await open("#/settings");
    await page.click(byTestId("mock-clock"));
    await page.waitForFunction(
      (sel) => (document.querySelector(sel)?.textContent ?? "").startsWith("Mock clock"),
      byTestId("mock-status"),
    );
    await open("#/iam/generateServiceAccountToken");
    await page.fill(byTestId("field-jws"), jws);
    expect(await send()).toBe("error");
    expect(await text("error-name")).toBe("StatusError");
    const hint = await text("skew-hint");
    expect(hint).toContain("sync this machine's clock");
    expect(hint).toContain("signServiceAccountJws(credentials, { now })");
    await page.locator(byTestId("skew-hint")).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${RESULTS}clock-skew.png` });
    await page.click(byTestId("skew-sync"));
    await page.waitForFunction(
      (sel) => (document.querySelector(sel)?.textContent ?? "").includes("Send again"),
      byTestId("skew-status"),
    );
    // The same JWS, now within the server's window, is accepted.
    expect(await send()).toBe("ok");
  });

  it("fits a 360 px wide screen: no panel needs horizontal scrolling", async () => {
    const narrow = await browser.newPage({ viewport: { width: 360, height: 780 } });
    try {
      await narrow.goto(playground.url);
      await narrow.locator("#app[data-ready=true]").waitFor({ timeout: 20_000 });
      const overflowing = async () =>
        narrow.evaluate(() => {
          const bad: string[] = [];
          if (document.documentElement.scrollWidth > document.documentElement.clientWidth) {
            // The deepest element whose removal ends the overflow names the culprit.
            const wide: string[] = [];
            for (const el of document.querySelectorAll<HTMLElement>("body *")) {
              const before = el.style.display;
              el.style.display = "none";
              if (document.documentElement.scrollWidth <= document.documentElement.clientWidth)
                wide.push(`${el.tagName.toLowerCase()}.${el.className}[${el.dataset.testid ?? ""}]`);
              el.style.display = before;
            }
            bad.push(`document ${document.documentElement.scrollWidth}px: ${wide.slice(-3).join(" ")}`);
          }
          for (const el of document.querySelectorAll<HTMLElement>("main *, header *, nav *")) {
            if (el.closest(".visually-hidden")) continue; // screen-reader text, clipped on purpose
            const style = getComputedStyle(el);
            const scrolls = ["auto", "scroll"].includes(style.overflowX);
            const clips = style.overflowX === "hidden" && style.textOverflow !== "ellipsis";
            if ((scrolls || clips) && el.scrollWidth > el.clientWidth + 1)
              bad.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
            const r = el.getBoundingClientRect();
            if (
              r.width > 0 &&
              r.right > window.innerWidth + 1 &&
              style.position !== "fixed" &&
              !el.closest(".visually-hidden")
            )
              bad.push(`${el.tagName.toLowerCase()}.${el.className} right ${Math.round(r.right)}`);
          }
          return bad.slice(0, 10);
        });
      const pages = ["#/", "#/settings", "#/walkthrough", ...OPS.map((o) => `#/${o}`)];
      for (const hash of pages) {
        await narrow.evaluate((h) => {
          location.hash = h;
        }, hash);
        await narrow.locator("main h1").first().waitFor();
        if (hash.startsWith("#/auth/") || hash.startsWith("#/iam/")) {
          await narrow.click(byTestId("send"));
          await narrow
            .locator(`${byTestId("result-ok")}, ${byTestId("result-error")}`)
            .first()
            .waitFor({ timeout: 15_000 });
          if (hash === "#/auth/validateApiKey") {
            // The stale state at 360 px: another account picked after the result came.
            await narrow.selectOption(byTestId("quick-account"), "1");
            await narrow.locator(byTestId("result-stale")).waitFor();
            expect(await overflowing(), `${hash} stale`).toEqual([]);
            await narrow.locator(".op-output").screenshot({ path: `${RESULTS}narrow-stale.png` });
            await narrow.selectOption(byTestId("quick-account"), "0");
          }
          await narrow.evaluate(() => {
            for (const d of document.querySelectorAll("details")) d.open = true;
          });
        }
        if (hash === "#/walkthrough") {
          await narrow.click(byTestId("walkthrough-run-all"));
          await narrow.waitForFunction(
            (sel) => ["done", "failed"].includes(document.querySelector(sel)?.textContent ?? ""),
            byTestId("step-6-status"),
            { timeout: 20_000 },
          );
        }
        expect(await overflowing(), hash).toEqual([]);
        if (hash === "#/walkthrough")
          await narrow.screenshot({
            path: `${RESULTS}narrow-${hash.replace(/\W+/g, "-").replace(/^-|-$/g, "")}.png`,
          });
      }
    } finally {
      await narrow.close();
    }
  });

  it("keeps credentials out of the URL, browser storage and the console", async () => {
    const { auth, iam } = playground.mock.credentials;
    const secrets = [auth.apiKey, auth.bearer, auth.workspaceIdentifier, iam.apiKey];
    const storage = await page.evaluate(() => ({
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
      cookie: document.cookie,
      url: location.href,
    }));
    expect(storage.local).toEqual([]);
    expect(storage.session).toEqual([]);
    expect(storage.cookie).toBe("");
    for (const secret of secrets) {
      expect(storage.url).not.toContain(secret);
      expect(page.url()).not.toContain(secret);
      expect(consoleLines.join("\n")).not.toContain(secret);
    }
    expect(consoleLines.join("\n")).not.toContain("PRIVATE KEY");
    expect(pageErrors).toEqual([]);
  });
});
