import { defineProtectedOperation, type IamCore } from "@sdk/iam";
import * as v from "valibot";

export const whoamiOperation = defineProtectedOperation({
  id: "whoami",
  method: "GET",
  path: "/iam/v1/whoami",
  output: v.object({ sub: v.string(), name: v.string(), organization: v.string() }),
});

/** Tree-shakable, typed: `const me = await whoami(iam); me.sub`. */
export function whoami(client: IamCore) {
  return client.request(whoamiOperation, undefined);
}
