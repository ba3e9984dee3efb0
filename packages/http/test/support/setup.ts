// Vitest fails the run on an unhandled rejection anyway (keep it that way: no
// `dangerouslyIgnoreUnhandledErrors`); this also fails the test that caused it, so the culprit is named.
import { afterEach, expect } from "vitest";

const rejections: unknown[] = [];
process.on("unhandledRejection", (reason) => {
  rejections.push(reason);
});

afterEach(async () => {
  // Let rejections of this test's last microtasks surface before judging.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const found = rejections.splice(0);
  expect(found, "unhandled rejections during this test").toEqual([]);
});
