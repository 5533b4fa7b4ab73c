/**
 * What a validation worker does with its messages (data/batch-worker.ts batchAnswerer), driven
 * here in the calling thread with a real MessageChannel for its answers: the worker threads that
 * data/executor.ts starts run the same function (test/data/executor.test.ts checks them end to end).
 */
import { MessageChannel } from "node:worker_threads";
import { batchAnswerer } from "../../data/batch-worker";
import { processBatch } from "../../data/batch";
import { CODE_NAMES } from "../../data/codes";
import type { WorkerAnswer, WorkerData } from "../../data/executor";
import { LineChecker } from "../../data/line-check";
import { llama3VocabTables } from "../../data/tokens/vocab";
import { defaultModel } from "../../config/models";
import { goodChat } from "./helpers";

const BATCH = Buffer.from(`${goodChat(1)}\n{x\n[2]\n\n${goodChat(2)}\n`);

/** A worker's answering, its answers posted over a real channel (as a worker's are) and collected on the other side. */
function answerer(data: WorkerData) {
  const { port1, port2 } = new MessageChannel();
  const posted: WorkerAnswer[] = [];
  const received: WorkerAnswer[] = [];
  port2.on("message", (a: WorkerAnswer) => received.push(a));
  const answer = batchAnswerer(data, (a, transfer) => {
    posted.push(a);
    port1.postMessage(a, transfer);
  });
  /** Every answer posted so far, once it has arrived. */
  const arrived = async () => {
    while (received.length < posted.length) await new Promise((r) => setImmediate(r));
    return received;
  };
  return { answer, posted, arrived, close: () => port1.close() };
}

test("each batch is answered with its id and the calling thread's result (the maxIssues it was started with; file start or not)", async () => {
  const settings = { model: defaultModel(), countTokens: false };
  const w = answerer({ settings, maxIssues: 1 });
  try {
    w.answer({ id: 7, bytes: new Uint8Array(BATCH), fileStart: true, spent: [] });
    w.answer({ id: 8, bytes: new Uint8Array(Buffer.from("\uFEFF" + goodChat(3) + "\n")), fileStart: false, spent: [] });
    const here = (b: Buffer | string, fileStart: boolean) => processBatch(Buffer.from(b), fileStart, new LineChecker(settings), 1);
    const answers = await w.arrived();
    expect(answers).toEqual([
      { id: 7, result: here(BATCH, true) },
      { id: 8, result: here("\uFEFF" + goodChat(3) + "\n", false) },
    ]);
    // One error kept of two (the cap it was given), one warning.
    expect(answers[0].result.issues.map((i) => [i.line, CODE_NAMES[i.code]])).toEqual([
      [2, "INVALID_JSON"],
      [4, "EMPTY_LINE"],
    ]);
    expect(answers[0].result.moreErrors).toBe(1);
    expect(answers[1].result.issues.map((i) => CODE_NAMES[i.code])).toEqual(["INVALID_JSON"]);
  } finally {
    w.close();
  }
});

test("memory: the batch's buffer and the spent reads are freed once checked, and the rows are moved back, not copied", async () => {
  const w = answerer({ settings: { model: defaultModel(), countTokens: false }, maxIssues: 100 });
  try {
    const memory = new ArrayBuffer(BATCH.length + 8);
    const bytes = new Uint8Array(memory, 3, BATCH.length); // the view's offset is kept
    bytes.set(BATCH);
    const spent = [new ArrayBuffer(64), new ArrayBuffer(32)];
    w.answer({ id: 1, bytes, fileStart: true, spent });
    expect([memory.byteLength, ...spent.map((b) => b.byteLength)]).toEqual([0, 0, 0]);
    const [answer] = await w.arrived();
    expect(answer.result.validCount).toBe(2);
    expect(Array.from(answer.result.rows.filter((_, i) => i % 8 === 0))).toEqual([1, 5]);
    // The sender's rows: moved (detached) by the post.
    expect(w.posted[0].result.rows.byteLength).toBe(0);
  } finally {
    w.close();
  }
});

test("the shared vocabulary is taken without an answer, and the batches after it are counted with it as in the calling thread", async () => {
  const settings = { model: defaultModel(), countTokens: true };
  expect(settings.model.tokenizer).toBe("llama3");
  const w = answerer({ settings, maxIssues: 100 });
  try {
    w.answer({ vocab: llama3VocabTables() });
    expect(w.posted).toEqual([]);
    w.answer({ id: 0, bytes: new Uint8Array(BATCH), fileStart: true, spent: [] });
    const [answer] = await w.arrived();
    expect(answer).toEqual({ id: 0, result: processBatch(Buffer.from(BATCH), true, new LineChecker(settings), 100) });
    expect(answer.result.rows[3]).toBeGreaterThan(0); // tokens counted
  } finally {
    w.close();
  }
});
