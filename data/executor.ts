/**
 * Where batches are checked: in the calling thread (small inputs, stdin, tests), or in worker
 * threads, which pays on large files: checking a line (JSON.parse, the format, the exact token
 * count) costs about ten times reading it, and the lines are independent, so two cores check
 * about twice as fast (numbers in data/README.md). Results come back in submission order either
 * way; the caller merges them (data/merge.ts).
 *
 * Workers load the same TypeScript modules: through tsx's require hook when running from
 * sources (tsx, jest), directly when compiled to JavaScript.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism, cpus, type CpuInfo } from "node:os";
import path from "node:path";
import { processBatch, type BatchResult } from "./batch";
import { LineChecker, type CheckSettings } from "./line-check";
import { CHUNK_BYTES } from "./lines";
import { llama3VocabTables, type Llama3VocabTables } from "./tokens/vocab";

export interface BatchExecutor {
  /** How many batches may be in flight before the reader waits for the oldest. */
  readonly capacity: number;
  /**
   * `owned`: nothing else holds buf's ArrayBuffer, so it may be moved; `spent`: dead reads a
   * worker may take along and free (data/lines.ts).
   */
  run(buf: Buffer, fileStart: boolean, owned?: boolean, spent?: ArrayBuffer[]): Promise<BatchResult>;
  close(): Promise<void>;
}

/**
 * Worker threads for a large input ("auto"): one per core, up to 4, when at least one core is
 * idle; none otherwise. On a machine whose cores are all busy with other work, threads get no
 * more CPU than the calling thread alone, and they cost more of it (handing batches over, one
 * cache each): on the 2-core development machine at load average 13, 256 MB took 1.2-1.5 s
 * checked in the calling thread against 1.3-2.0 s with two workers (--no-tokens; 2.6 against
 * 3.2 CPU-seconds with exact counts). With both cores idle, two workers took the exact counts of
 * the 512 MB bench file from 108 to 182 MB/s (data/README.md).
 *
 * `idle` is measured (idleCores), not read from the load average: that machine's load average
 * stays at 1.0-1.4 with both cores idle (it counts tasks waiting on I/O, which use no CPU), so
 * "load at most cores - 1" kept an idle machine on one thread.
 */
export function autoWorkerCount(cores: number, idle: number): number {
  return idle >= 1 ? Math.min(cores, 4) : 0;
}

/** Workers for "auto" on this machine now (measures idle CPU for 100 ms). */
export async function autoWorkers(): Promise<number> {
  return autoWorkerCount(availableParallelism(), await idleCores());
}

type CpuTimes = Pick<CpuInfo, "times">[];

/**
 * Cores' worth of CPU time left idle over the next `ms` milliseconds, from the kernel's per-CPU
 * counters (os.cpus(): user, nice, sys, idle, irq), scaled to `cores` (a container may be
 * given fewer cores than the machine has). Where no counter moved (a platform without them),
 * every core counts as idle.
 */
export async function idleCores(ms = 100, cores = availableParallelism(), readCpus: () => CpuTimes = cpus): Promise<number> {
  const before = readCpus();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = readCpus();
  let idle = 0;
  let total = 0;
  after.forEach((cpu, i) => {
    const was = before[i]?.times;
    if (!was) return;
    const t = cpu.times;
    idle += t.idle - was.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq - (was.user + was.nice + was.sys + was.idle + was.irq);
  });
  return total > 0 ? (idle / total) * cores : cores;
}

/**
 * Frees an ArrayBuffer nothing needs any more at the next minor collection, by moving its memory
 * into a new, unreferenced one. Left in its own (old by then: a batch outlives a few minor
 * collections), it waited for a full collection, which a small heap rarely needs, so dead
 * batches piled up (about 140 MB more peak RSS on 512 MB with --no-tokens).
 */
export function freeNow(b: ArrayBuffer): void {
  structuredClone(b, { transfer: [b] });
}

export interface WorkerData {
  settings: CheckSettings;
  maxIssues: number;
}

/** Messages to a worker: the shared vocabulary (first, when counting), then batches. */
export type WorkerMessage = { vocab: Llama3VocabTables } | { id: number; bytes: Uint8Array; fileStart: boolean; spent: ArrayBuffer[] };

/** A worker's answer (data/batch-worker.ts): the result of the batch sent with that id. */
export interface WorkerAnswer {
  id: number;
  result: BatchResult;
}

export class InlineExecutor implements BatchExecutor {
  readonly capacity = 1;
  private readonly checker: LineChecker;

  constructor(
    settings: CheckSettings,
    private readonly maxIssues: number,
  ) {
    this.checker = new LineChecker(settings);
  }

  async run(buf: Buffer, fileStart: boolean, owned = false, spent: ArrayBuffer[] = []): Promise<BatchResult> {
    const result = processBatch(buf, fileStart, this.checker, this.maxIssues);
    if (owned) freeNow(buf.buffer as ArrayBuffer);
    for (const b of spent) freeNow(b);
    return result;
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve: (r: BatchResult) => void;
  reject: (e: Error) => void;
  /** The worker it went to, and its bytes. */
  worker: number;
  bytes: number;
}

/**
 * A worker's heap is capped: it holds a batch (up to one 16 MiB line, decoded and parsed) and
 * the vocabulary, and a low cap makes V8 collect before the process passes its memory target.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/**
 * Batches bigger than one read (only a line that spanned reads can be: the reader checks such a
 * batch alone, data/validate.ts) all go to the first worker: each worker keeps a big line's
 * garbage (the bytes, their decoded text, the parsed strings: three times the line) until its
 * next full collection, and spread over two workers that was twice the memory for no gain in
 * speed (peak RSS with 15 MB lines 249 -> 223 MB; with 160 lines of 3.2 MB, which the old
 * 4 MiB threshold still spread, 279 -> 196 MB).
 */
const BIG_BATCH_BYTES = CHUNK_BYTES;

function startWorker(data: WorkerData): Worker {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `batch-worker${ext}`);
  if (ext === ".ts") {
    return new Worker(`require("tsx/cjs"); require(${JSON.stringify(entry)});`, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS });
  }
  return new Worker(entry, { workerData: data, resourceLimits: WORKER_LIMITS });
}

export class WorkerExecutor implements BatchExecutor {
  readonly capacity: number;
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  /** Bytes sent to each worker and not answered yet. */
  private readonly queued: number[];
  private nextId = 0;
  private failed: Error | null = null;

  constructor(data: WorkerData, count: number) {
    // Four batches per worker may wait: on a loaded machine the main thread (which reads and
    // merges) is often off the CPU for tens of milliseconds, and with two per worker the workers
    // ran dry meanwhile (exact counts of 256 MB at load average 12: 5.8-6.9 s, now 5.4-5.8 s).
    // The bytes in flight stay capped (data/validate.ts), and each batch is freed once checked.
    this.capacity = count * 4;
    this.queued = new Array<number>(count).fill(0);
    this.workers = Array.from({ length: count }, () => {
      const w = startWorker(data);
      w.on("message", (m: WorkerAnswer) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (p) this.queued[p.worker] -= p.bytes;
        p?.resolve(m.result);
      });
      w.on("error", (e: Error) => this.fail(e));
      // Whatever its exit code, a worker that stopped answers nothing more: the batches sent to it
      // fail, and so does any later one. Code 0 too: a worker terminated (close) before it has
      // started exits with 0, and its batches waited forever.
      w.on("exit", (code) => this.fail(new Error(`a validation worker stopped (exit code ${code})`)));
      return w;
    });
    // Counting every example: decode the vocabulary once, here, while the workers start, and
    // send each a copy (data/tokens/vocab.ts) instead of each worker decoding its own.
    if (data.settings.countTokens && data.settings.model.tokenizer === "llama3" && count > 1) {
      const message: WorkerMessage = { vocab: llama3VocabTables() };
      for (const w of this.workers) w.postMessage(message);
    }
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  run(buf: Buffer, fileStart: boolean, owned = false, spent: ArrayBuffer[] = []): Promise<BatchResult> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    // The worker with the fewest bytes waiting (batches alternate between one carried line and
    // the rest of a read, so taking turns gave one worker all the big ones).
    let w = 0;
    if (buf.length <= BIG_BATCH_BYTES) for (let i = 1; i < this.queued.length; i++) if (this.queued[i] < this.queued[w]) w = i;
    const worker = this.workers[w];
    this.queued[w] += buf.length;
    return new Promise<BatchResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: w, bytes: buf.length });
      // Memory nobody else holds is moved, not copied (the view keeps its offset and length);
      // anything else (a small buffer may share Node's pool) is copied.
      const bytes = owned ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
      const message: WorkerMessage = { id, bytes, fileStart, spent };
      worker.postMessage(message, owned ? [bytes.buffer as ArrayBuffer, ...spent] : spent);
    });
  }

  /** Stops the workers: a batch not answered by then, and any batch after, fails (their exit, above). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
