// `vite build` (and the `vite` CLI): the same configuration the start script uses, without the mock
// (a static build learns no mock URL: its Settings start on a custom URL, http://127.0.0.1:4010).
import { defineConfig } from "vite";
import { playgroundViteConfig } from "./scripts/vite-config.mjs";

const { configFile: _ignored, ...config } = playgroundViteConfig();
export default defineConfig({ ...config, logLevel: "info" });
