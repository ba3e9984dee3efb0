// An injectable clock that keeps running: `now = source() + offset`. Tests move it instead of waiting.
import type { MockClock } from "./types.js";

export interface ResettableClock extends MockClock {
  /** Drop any advance/set, back to the source time. */
  reset(): void;
}

const MAX_DATE_MS = 8.64e15;

export function createClock(source: () => number = Date.now): ResettableClock {
  let offset = 0;
  // A time a Date can show (±8.64e15 ms): past it, every date the mock writes would throw.
  const check = (time: number, what: string) => {
    if (!(Math.abs(time) <= MAX_DATE_MS)) {
      throw new RangeError(`clock.${what} must keep the time within ±${MAX_DATE_MS} ms (a valid Date)`);
    }
  };
  return {
    now: () => source() + offset,
    advance(ms) {
      check(source() + offset + ms, "advance");
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
