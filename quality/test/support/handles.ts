import { createHook } from "node:async_hooks";

// Handles that keep a process alive when left open: timers, sockets, servers, child processes.
const TRACKED = new Set([
  "Timeout",
  "Immediate",
  "TCPWRAP",
  "TCPCONNECTWRAP",
  "TCPSERVERWRAP",
  "PIPEWRAP",
  "PROCESSWRAP",
]);

/**
 * Records the handles created from now on and forgets the ones destroyed: `open()` lists those still
 * alive and ref'd (an unref'd timer, like undici's shared clock, does not hold the process). A diff of
 * `process.getActiveResourcesInfo()` snapshots was tried first: a transient timer of the test runner in
 * the "before" snapshot hid a leaked interval.
 */
export function trackHandles(): { open(): string[]; stop(): void } {
  const live = new Map<number, { type: string; resource: WeakRef<object> }>();
  const hook = createHook({
    init(id, type, _trigger, resource) {
      if (TRACKED.has(type)) live.set(id, { type, resource: new WeakRef(resource as object) });
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return {
    open() {
      return [...live.values()]
        .filter(({ resource }) => {
          const handle = resource.deref() as { hasRef?: () => boolean; _destroyed?: boolean } | undefined;
          // A timer that fired or was cleared reports `destroy` a little later: `_destroyed` says it now.
          if (handle === undefined || handle._destroyed) return false;
          return typeof handle.hasRef === "function" ? handle.hasRef() : true;
        })
        .map(({ type }) => type);
    },
    stop() {
      hook.disable();
    },
  };
}
