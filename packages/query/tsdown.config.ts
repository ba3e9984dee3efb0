import { defineConfig } from "tsdown";
import { baseConfig } from "../../tsdown.base.ts";

// One entry per SDK: `@sdk/query/auth` imports only @sdk/auth, `@sdk/query/iam` only @sdk/iam (both
// optional peers), so an app installs and bundles only the SDK it uses.
export default defineConfig({ ...baseConfig, entry: ["src/index.ts", "src/auth.ts", "src/iam.ts"] });
