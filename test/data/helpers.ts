/** Small temp files for the data tests. */
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const SHARED_DATASETS = path.resolve(__dirname, "../../../shared/datasets");

const dir = mkdtempSync(path.join(tmpdir(), "validate-data-test-"));
let n = 0;

export function tempFile(content: string | Buffer, name?: string): string {
  const file = path.join(dir, name ?? `f${n++}.jsonl`);
  writeFileSync(file, content);
  return file;
}

export function cleanup(): void {
  rmSync(dir, { recursive: true, force: true });
}

export const msg = (role: string, content: string) => ({ role, content });
export const chatLine = (...messages: unknown[]) => JSON.stringify({ messages });
/** A valid chat example, distinct per `i`. */
export const goodChat = (i: number) => chatLine(msg("system", "You are a helpful support agent."), msg("user", `Question number ${i}?`), msg("assistant", `Answer number ${i}.`));
export const goodCompletion = (i: number) => JSON.stringify({ prompt: `Prompt ${i} ->`, completion: ` answer ${i}` });
/** `count` valid chat lines, newline-terminated. */
export const goodChats = (count: number, from = 0) => Array.from({ length: count }, (_, i) => goodChat(from + i) + "\n").join("");
