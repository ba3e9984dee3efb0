import { defineConfig } from "tsdown";
import { baseConfig } from "../../tsdown.base.ts";

// Two entry points: the root (`.`) and `./schemas` (see package.json `exports`).
export default defineConfig({ ...baseConfig, entry: ["src/index.ts", "src/schemas.ts"] });
