/**
 * A validation worker thread (data/executor.ts): checks the batches it is sent, answers in order.
 * The answering is a function of its own, batchAnswerer, so that tests drive it in the calling
 * thread too: code that runs only inside a worker is out of reach of coverage and of the mutation
 * run (Stryker's active mutant is not visible there). Below it, the thin shell a worker runs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { processBatch } from "./batch";
import { LineChecker } from "./line-check";
import { useLlama3VocabTables } from "./tokens/vocab";
import { freeNow, type WorkerAnswer, type WorkerData, type WorkerMessage } from "./executor";

/** Handles a worker's messages in order: takes the shared vocabulary, checks each batch and posts its answer. */
export function batchAnswerer(data: WorkerData, post: (answer: WorkerAnswer, transfer: ArrayBuffer[]) => void): (m: WorkerMessage) => void {
  const checker = new LineChecker(data.settings);
  return (m) => {
    if ("vocab" in m) {
      useLlama3VocabTables(m.vocab);
      return;
    }
    const buf = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
    const result = processBatch(buf, m.fileStart, checker, data.maxIssues);
    // The batch's memory (and the spent reads that came with it) are freed now, not at a full collection.
    freeNow(m.bytes.buffer as ArrayBuffer);
    for (const b of m.spent) freeNow(b);
    // The rows are moved back, not copied.
    post({ id: m.id, result }, [result.rows.buffer as ArrayBuffer]);
  };
}

// In a worker thread (data/executor.ts starts this file as one); imported elsewhere, it only exports.
const port = parentPort;
if (port) port.on("message", batchAnswerer(workerData as WorkerData, (answer, transfer) => port.postMessage(answer, transfer)));
