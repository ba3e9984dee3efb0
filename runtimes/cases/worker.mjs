// workerd (module worker) and edge-runtime (fetch event): one client per isolate, as the README advises,
// so the token cached by the first request is the one the second request finds expired.
// POST /first and then POST /after-expiry, each with the scenario's input as its JSON body.
import * as auth from "@sdk/auth";
import * as iam from "@sdk/iam";
import { afterExpiry, createClients, first } from "./scenario.mjs";

let clients;
async function handle(request) {
  const input = await request.json();
  try {
    clients ??= createClients({ auth, iam }, input);
    const path = new URL(request.url).pathname;
    const result = path === "/first" ? await first(clients, input) : await afterExpiry(clients, input);
    return Response.json(result);
  } catch (error) {
    return Response.json({ error: `${error?.name}: ${error?.message}` });
  }
}

export default { fetch: handle };
if (typeof globalThis.EdgeRuntime === "string")
  globalThis.addEventListener("fetch", (event) => event.respondWith(handle(event.request)));
