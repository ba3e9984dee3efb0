// Where the embedded mock listens (served by the dev server) and its seeded credentials (served by the
// mock's control endpoint). Both are fetched at startup; nothing is stored anywhere but in memory.
import type { SeededCredentials } from "@sdk/mock-api";
import { applySeeded, mockControlURL, type PlaygroundConfig, runtime } from "./state.js";

export async function loadConfig(): Promise<PlaygroundConfig> {
  try {
    const response = await fetch("/playground-config.json", { cache: "no-store" });
    if (response.ok) runtime.config = (await response.json()) as PlaygroundConfig;
  } catch {
    // A static build without the dev server: no embedded mock; the custom URL setting still works.
  }
  return runtime.config;
}

/** Fetches `GET /__mock/credentials` from the mock the settings point at. */
export async function loadSeeded(overwrite = false): Promise<SeededCredentials> {
  const base = mockControlURL();
  if (!base)
    throw new Error("The seeded credentials come from a mock API: pick the embedded mock or a custom URL.");
  const response = await fetch(`${base}/__mock/credentials`, { cache: "no-store" });
  if (!response.ok) throw new Error(`GET /__mock/credentials answered ${response.status}`);
  const seeded = (await response.json()) as SeededCredentials;
  applySeeded(seeded, overwrite);
  return seeded;
}
