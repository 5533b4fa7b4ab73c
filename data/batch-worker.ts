/** A validation worker thread (data/executor.ts): checks the batches it is sent, answers in order. */
import { parentPort, workerData } from "node:worker_threads";
import { processBatch } from "./batch";
import { LineChecker } from "./line-check";
import type { WorkerData } from "./executor";

const { settings, maxIssues } = workerData as WorkerData;
const checker = new LineChecker(settings);

parentPort?.on("message", (m: { id: number; bytes: Uint8Array; fileStart: boolean }) => {
  const buf = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  const result = processBatch(buf, m.fileStart, checker, maxIssues);
  parentPort?.postMessage({ id: m.id, result }, [result.rows.buffer as ArrayBuffer]);
});
