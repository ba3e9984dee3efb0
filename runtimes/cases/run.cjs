// Node CommonJS: the SDKs by require() (their dist/index.cjs); the shared scenario by import().
const auth = require("@sdk/auth");
const iam = require("@sdk/iam");

import("./scenario.mjs").then(async ({ runAll }) => {
  const result = await runAll({ auth, iam }, JSON.parse(process.env.SDK_RUNTIME_INPUT));
  console.log(JSON.stringify({ ...result, resolved: require.resolve("@sdk/iam") }));
});
