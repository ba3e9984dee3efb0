// Small statistics and reporting helpers shared by the benchmark sections.
import { performance } from "node:perf_hooks";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A seeded Fisher-Yates shuffle (mulberry32), so runs are reproducible. */
function shuffle(items, seed) {
  let a = (seed + 0x9e3779b9) >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs `task` `count` times with `concurrency` workers; resolves when all are done. */
export async function runPool(task, count, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Interleaved rounds: every round runs each contender once (`count` calls at `concurrency`), in a
 * shuffled order (a fixed rotation makes each contender always follow the same one, which biased an
 * A/A test by ~9%). Round 0 is a discarded warm-up. The heap is not cleaned between contenders: a
 * scavenge costs what is alive, not what is dead, so one contender's garbage costs the next one little.
 * Per contender: median latency per call (wall / calls × concurrency), median throughput, median client
 * CPU per call (this process only: the server runs in another one).
 */
export async function compare(contenders, { rounds, count, concurrency }) {
  const settle = Math.max(concurrency, Math.ceil(count / 10));
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [] }]));
  for (let r = 0; r <= rounds; r++) {
    const order = shuffle(names, r);
    for (const name of order) {
      // No forced GC here: a gc() before each batch slowed the whole batch after it (raw fetch by
      // ~25%) and the allocating contenders most, a state no app runs in. Instead each batch starts
      // after a few untimed calls of its own, so it does not start on the previous contender's state.
      await runPool(contenders[name], settle, concurrency);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await runPool(contenders[name], count, concurrency);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (r === 0) continue;
      samples[name].wall.push(wall);
      samples[name].cpu.push((cpu.user + cpu.system) / 1000);
    }
  }
  const out = {};
  for (const name of names) {
    const wall = median(samples[name].wall);
    out[name] = {
      latencyUs: round((wall / count) * Math.min(concurrency, count) * 1000, 1),
      requestsPerSecond: Math.round(count / (wall / 1000)),
      cpuUsPerRequest: round((median(samples[name].cpu) / count) * 1000, 1),
      roundsMs: samples[name].wall.map((w) => round(w, 1)),
    };
  }
  return out;
}

/**
 * Adds `field` (default `ratio`) to each entry: the median over rounds of (this contender's round
 * time / the baseline's time in the same round). Per-round ratios cancel load that drifts between
 * rounds (other processes). Throughput ratios are the inverse (higher is better), so the ratio
 * always reads "× the baseline's cost".
 */
export function withRatios(results, baseline, field = "ratio") {
  const base = results[baseline].roundsMs;
  for (const entry of Object.values(results)) {
    entry[field] = round(median(entry.roundsMs.map((ms, i) => ms / base[i])), 3);
  }
  return results;
}

export function table(title, rows, columns) {
  const header = columns.map((c) => c.label);
  const body = rows.map((row) => columns.map((c) => String(c.value(row))));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const lines = [
    `\n${title}`,
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...body.map(line),
  ];
  console.log(lines.join("\n"));
  return lines.slice(1).join("\n");
}
