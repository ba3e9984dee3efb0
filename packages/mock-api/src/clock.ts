// An injectable clock that keeps running: `now = source() + offset`. Tests move it instead of waiting.
import type { MockClock } from "./types.js";

export interface ResettableClock extends MockClock {
  /** Drop any advance/set, back to the source time. */
  reset(): void;
}

export function createClock(source: () => number = Date.now): ResettableClock {
  let offset = 0;
  const check = (ms: number, what: string) => {
    if (!Number.isFinite(ms)) throw new TypeError(`clock.${what} needs a finite number of milliseconds`);
  };
  return {
    now: () => source() + offset,
    advance(ms) {
      check(ms, "advance");
      offset += ms;
    },
    set(ms) {
      check(ms, "set");
      offset = ms - source();
    },
    reset() {
      offset = 0;
    },
  };
}
