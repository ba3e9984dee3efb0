import { defineConfig } from "tsdown";
import { baseConfig } from "../../tsdown.base.ts";

// ofetch and valibot are runtime dependencies: dist imports them, it never copies them (their own
// licences travel with them). tsdown keeps every `dependencies` entry external by default.
export default defineConfig({ ...baseConfig });
