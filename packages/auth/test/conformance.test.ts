// Conformance to spec/auth.openapi.yaml: the checks and the name mapping are in spec/conformance.ts.
// Requests go over loopback to @sdk/mock-api, whose log shows what was sent.
import * as v from "valibot";
import { conformanceTests } from "../../../spec/conformance.ts";
import * as sdk from "../src/index.js";
import * as schemas from "../src/schemas.js";
import { clientFor, useMockApi } from "./helpers.js";

const mock = useMockApi();

conformanceTests({
  spec: "auth.openapi.yaml",
  // The contract's own SDK named this operation `getAccess`.
  renames: { getWorkspaceAccess: "getAccess" },
  sdk,
  schemas,
  client: () => clientFor(mock.server),
  mock: () => mock.server,
  valibot: v,
  mutation: {
    operation: "validateApiKey",
    schema: "ApiKeyDetailsSchema",
    field: "org_slug",
    problems: [
      "ApiKeyDetails.org_slug: not in the SDK's output (expected as orgSlug)",
      "ApiKeyDetails.org_slug: 12345 is accepted",
      "ApiKeyDetails.org_slug: required, but a response without it is accepted",
    ],
  },
});
