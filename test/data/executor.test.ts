/**
 * data/executor.ts: how many worker threads "auto" starts for a large input (only with an idle
 * core), and what a caller of either executor sees: results, the memory contract, failures.
 */
import { availableParallelism, type CpuInfo } from "node:os";
import { validateDataset, type ValidationReport } from "../../data";
import { autoWorkerCount, autoWorkers, freeNow, idleCores, InlineExecutor, WorkerExecutor, type BatchExecutor } from "../../data/executor";
import { processBatch } from "../../data/batch";
import { CODE_NAMES } from "../../data/codes";
import { LineChecker } from "../../data/line-check";
import { defaultModel, type LlamaModel } from "../../config/models";
import { chatLine, cleanup, found, goodChat, msg, tempFile } from "./helpers";

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

/** A batch: a BOM (a warning only on a file's first line), a valid example, broken JSON, an empty line. */
const BATCH = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${goodChat(1)}\n{x\n\n${goodChat(2)}\n`)]);
const settings = { model: defaultModel(), countTokens: false };
const MAX_ISSUES = 100;
/** The result of checking `bytes` in this thread with a fresh checker. */
const expected = (bytes: Buffer, fileStart: boolean) => processBatch(Buffer.from(bytes), fileStart, new LineChecker(settings), MAX_ISSUES);
/** `bytes` in an ArrayBuffer of their own (so the executor may move it), 3 bytes into it: the view's offset must be kept. */
const ownedCopy = (bytes: Buffer) => {
  const buf = Buffer.from(new ArrayBuffer(bytes.length + 8), 3, bytes.length);
  bytes.copy(buf);
  return buf;
};
/** Reads nobody needs any more, handed over to be freed. */
const spentReads = () => [new ArrayBuffer(64), new ArrayBuffer(128)];
/** What became of a promise by now: its outcome if settled, else "pending" (nothing is awaited past this turn). */
const outcome = (p: Promise<unknown>) => p.then(() => "answered", (e: Error) => `failed: ${e.message}`);
const stateNow = (o: Promise<string>) => Promise.race([o, new Promise<string>((r) => setImmediate(() => r("pending")))]);

describe.each([
  ["in the calling thread", () => new InlineExecutor(settings, MAX_ISSUES)],
  ["in two worker threads", () => new WorkerExecutor({ settings, maxIssues: MAX_ISSUES }, 2)],
])("checking batches %s", (_, make) => {
  let executor: BatchExecutor;
  beforeAll(() => {
    executor = make();
  });
  afterAll(() => executor.close());

  test("each batch's result is the calling thread's, at the file's start (BOM warning) and further in (broken first line)", async () => {
    // Several in flight at once (all on the workers' queues): each answer goes to its own batch.
    const batches: [Buffer, boolean][] = [
      [BATCH, true],
      [BATCH, false],
      [Buffer.from(`${goodChat(3)}\n`), false],
      [Buffer.from("[1]\n"), false],
    ];
    const results = await Promise.all(batches.map(([b, fileStart]) => executor.run(Buffer.from(b), fileStart)));
    expect(results).toEqual(batches.map(([b, fileStart]) => expected(b, fileStart)));
    expect(results[0].issues.map((i) => CODE_NAMES[i.code])).toEqual(["BOM", "INVALID_JSON", "EMPTY_LINE"]);
    expect(results[1].issues.map((i) => CODE_NAMES[i.code])).toEqual(["INVALID_JSON", "INVALID_JSON", "EMPTY_LINE"]);
  });

  test("memory: an owned batch and the spent reads sent with it are freed (detached) once run, from the view's offset", async () => {
    const buf = ownedCopy(BATCH);
    const spent = spentReads();
    const result = executor.run(buf, true, true, spent);
    expect(await result).toEqual(expected(BATCH, true));
    expect([buf.buffer.byteLength, ...spent.map((b) => b.byteLength)]).toEqual([0, 0, 0]);
  });

  test("memory: a batch that is not owned is left to its holder intact, while the spent reads are still freed", async () => {
    const buf = Buffer.alloc(BATCH.length);
    BATCH.copy(buf);
    const spent = spentReads();
    expect(await executor.run(buf, true, false, spent)).toEqual(expected(BATCH, true));
    expect(buf.equals(BATCH)).toBe(true);
    expect(spent.map((b) => b.byteLength)).toEqual([0, 0]);
  });

  test("neither ownership nor spent reads given: the batch is left to its holder intact", async () => {
    const buf = Buffer.alloc(BATCH.length);
    BATCH.copy(buf);
    expect(await executor.run(buf, false)).toEqual(expected(BATCH, false));
    expect(buf.equals(BATCH)).toBe(true);
  });
});

test("freeNow detaches the buffer it is given (its memory moved to an unreferenced one)", () => {
  const b = new ArrayBuffer(1024);
  freeNow(b);
  expect(b.byteLength).toBe(0);
  expect(() => new Uint8Array(b, 0, 1)).toThrow();
});

describe("WorkerExecutor", () => {
  test("capacity: four batches may wait per worker (one in the calling thread)", async () => {
    const three = new WorkerExecutor({ settings, maxIssues: MAX_ISSUES }, 3);
    try {
      expect(three.capacity).toBe(12);
      expect(new InlineExecutor(settings, MAX_ISSUES).capacity).toBe(1);
    } finally {
      await three.close();
    }
  });

  test("closing: batches not yet answered fail with an error saying the worker stopped, and so does any batch after close; none waits forever", async () => {
    const executor = new WorkerExecutor({ settings, maxIssues: MAX_ISSUES }, 1);
    await executor.run(Buffer.from(BATCH), true); // the worker has started
    const before = [0, 1, 2].map(() => outcome(executor.run(Buffer.from(BATCH), false)));
    await executor.close();
    // Each was answered before the worker stopped, or failed when it stopped: none is left waiting.
    for (const o of before) expect(["answered", "failed: a validation worker stopped (exit code 1)"]).toContain(await stateNow(o));
    expect(await stateNow(outcome(executor.run(Buffer.from(BATCH), false)))).toBe("failed: a validation worker stopped (exit code 1)");
  });

  test("closing before the workers have started (a worker stopped that early exits with code 0): the batch sent and any later one fail, none waits forever", async () => {
    const executor = new WorkerExecutor({ settings, maxIssues: MAX_ISSUES }, 2);
    const sent = outcome(executor.run(Buffer.from(BATCH), true));
    await executor.close();
    const stopped = /^failed: a validation worker stopped \(exit code [01]\)$/;
    expect(await stateNow(sent)).toMatch(stopped);
    expect(await stateNow(outcome(executor.run(Buffer.from(BATCH), false)))).toMatch(stopped);
  });

  test("a worker that fails (here: as it starts, on a model definition it cannot read) fails the batches sent to it and every later one with its own error", async () => {
    const broken = { ...settings, model: { ...settings.model, inputModalities: undefined as unknown as LlamaModel["inputModalities"] } };
    const executor = new WorkerExecutor({ settings: broken, maxIssues: MAX_ISSUES }, 1);
    try {
      const why = "Cannot read properties of undefined (reading 'includes')";
      expect(await outcome(executor.run(Buffer.from(BATCH), true))).toBe(`failed: ${why}`);
      expect(await stateNow(outcome(executor.run(Buffer.from(BATCH), false)))).toBe(`failed: ${why}`);
    } finally {
      await executor.close();
    }
  }, 30000);
});
