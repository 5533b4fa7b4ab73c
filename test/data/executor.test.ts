/** How many worker threads "auto" starts for a large input (data/executor.ts): only with an idle core. */
import { availableParallelism, type CpuInfo } from "node:os";
import { validateDataset, type ValidationReport } from "../../data";
import { autoWorkerCount, autoWorkers, idleCores } from "../../data/executor";
import { defaultModel } from "../../config/models";
import { chatLine, cleanup, found, msg, tempFile } from "./helpers";

test.each([
  // cores, idle cores measured, workers
  [2, 2, 2],
  [2, 1, 2],
  [2, 0.99, 0],
  [2, 0, 0],
  [8, 6, 4],
  [8, 1, 4],
  [8, 0.5, 0],
  [1, 1, 1],
  [1, 0.5, 0],
])("%s cores with %s idle: %s workers", (cores, idle, workers) => {
  expect(autoWorkerCount(cores, idle)).toBe(workers);
});

/** CPU counters as os.cpus() gives them, one entry per CPU: [user, nice, sys, idle, irq]. */
const counters = (...perCpu: [number, number, number, number, number][]): Pick<CpuInfo, "times">[] =>
  perCpu.map(([user, nice, sys, idle, irq]) => ({ times: { user, nice, sys, idle, irq } }));

describe("idleCores", () => {
  test("the idle share of all CPU time that passed, scaled to the cores given", async () => {
    const reads = [
      counters([100, 0, 50, 1000, 0], [200, 0, 0, 500, 0]),
      // CPU 0: 10 busy + 90 idle; CPU 1: 95 busy (user, nice, sys, irq) + 5 idle: 95 idle of 200
      counters([105, 0, 55, 1090, 0], [250, 10, 30, 505, 5]),
    ];
    expect(await idleCores(1, 2, () => reads.shift()!)).toBeCloseTo(0.95, 10);
    // A container given 1 of the 2 CPUs gets the same share of one core.
    const again = [counters([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]), counters([0, 0, 0, 100, 0], [100, 0, 0, 0, 0])];
    expect(await idleCores(1, 1, () => again.shift()!)).toBeCloseTo(0.5, 10);
  });

  test("counters that did not move (or are missing) count every core as idle", async () => {
    const same = counters([1, 2, 3, 4, 5]);
    expect(await idleCores(1, 3, () => same)).toBe(3);
    const reads = [counters(), counters([0, 0, 0, 10, 0])];
    expect(await idleCores(1, 2, () => reads.shift()!)).toBe(2);
  });

  test("on this machine: a figure from 0 to its cores, and auto workers a whole number from 0 to 4", async () => {
    const idle = await idleCores(20);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(idle).toBeLessThanOrEqual(availableParallelism());
    const n = await autoWorkers();
    expect(Number.isInteger(n) && n >= 0 && n <= 4).toBe(true);
  });
});

describe("validateDataset with worker threads, on a small file of several reads", () => {
  // About 2.6 MB: three 1 MiB reads, so batches go to both workers and come back to be merged in order.
  const lines: string[] = [];
  for (let i = 0; i < 9000; i++) {
    if (i === 4) lines.push("{not json");
    else if (i === 8100) lines.push(lines[7]); // a duplicate of line 8, two reads later
    else if (i === 6000) lines.push(chatLine(msg("user", "Only a question?")));
    else lines.push(chatLine(msg("system", "You are a careful assistant. ".repeat(3)), msg("user", `Question ${i}: ${"what is this about? ".repeat(5)}`), msg("assistant", `Answer ${i}. ${"It is about this. ".repeat(6)}`)));
  }
  const file = tempFile(lines.join("\n") + "\n");
  afterAll(cleanup);
  const check = (workers: number | "auto" | undefined) => validateDataset({ trainingFile: file, model: defaultModel(), workers });
  const withoutTiming = (r: ValidationReport) => ({ ...r, stats: { ...r.stats, durationMs: 0, workers: 0 } });

  test("two workers give the calling thread's report, line for line, and the report says how it was checked", async () => {
    const [inline, two] = [await check(0), await check(2)];
    expect(inline.stats.workers).toBe(0);
    expect(two.stats.workers).toBe(2);
    expect(found(inline)).toEqual([
      [5, "INVALID_JSON"],
      [6001, "NO_ASSISTANT_MESSAGE"],
      [8101, "DUPLICATE_EXAMPLE"],
    ]);
    expect(inline.stats.training.bytes).toBeGreaterThan(2 * 1024 * 1024);
    expect(inline.stats.training.tokensPerExample?.total).toBeGreaterThan(0);
    expect(withoutTiming(two)).toEqual(withoutTiming(inline));
  });

  test("one explicit worker is used as asked; auto (and no choice) checks a file under 16 MiB in the calling thread", async () => {
    expect((await check(1)).stats.workers).toBe(1);
    expect((await check("auto")).stats.workers).toBe(0);
    expect((await check(undefined)).stats.workers).toBe(0);
  });
});
