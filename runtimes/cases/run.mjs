// Node ESM, Bun and Deno: the SDKs by ESM import; the input in SDK_RUNTIME_INPUT; one JSON line out.
import * as auth from "@sdk/auth";
import * as iam from "@sdk/iam";
import { runAll } from "./scenario.mjs";

const env = globalThis.Deno
  ? globalThis.Deno.env.get("SDK_RUNTIME_INPUT")
  : globalThis.process.env.SDK_RUNTIME_INPUT;
console.log(JSON.stringify(await runAll({ auth, iam }, JSON.parse(env))));
