/** A validation worker thread (data/executor.ts): checks the batches it is sent, answers in order. */
import { parentPort, workerData } from "node:worker_threads";
import { processBatch } from "./batch";
import { LineChecker } from "./line-check";
import { useLlama3VocabTables } from "./tokens/vocab";
import { freeNow, type WorkerData, type WorkerMessage } from "./executor";

const { settings, maxIssues } = workerData as WorkerData;
const checker = new LineChecker(settings);

parentPort?.on("message", (m: WorkerMessage) => {
  if ("vocab" in m) {
    useLlama3VocabTables(m.vocab);
    return;
  }
  const buf = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  const result = processBatch(buf, m.fileStart, checker, maxIssues);
  // The batch's memory (and the spent reads that came with it) are freed now, not at a full collection.
  freeNow(m.bytes.buffer as ArrayBuffer);
  for (const b of m.spent) freeNow(b);
  parentPort?.postMessage({ id: m.id, result }, [result.rows.buffer as ArrayBuffer]);
});
