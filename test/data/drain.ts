/** Drains data/lines.ts's `readBatches` into the lines a checker would see (shared by lines.test.ts and readBatches.test.ts). */
import { Readable } from "node:stream";
import { readBatches, type ReadEvent, type ReadSummary } from "../../data/lines";

export interface Drained {
  /** Each line without its "\n", in order; "TOO_LONG" for a line skipped as over the limit. */
  lines: string[];
  /** Per batch of lines (not per TOO_LONG), whether it was flagged as the file's start. */
  fileStarts: boolean[];
  summary: ReadSummary;
}

/**
 * Reads `reads` (one stream chunk each) through `readBatches` with line limit `max` and batches
 * of `chunk` bytes. Also asserts that only the file's last line may lack its "\n".
 */
export async function drainBatches(reads: Buffer[], max: number, chunk: number): Promise<Drained> {
  const gen = readBatches(Readable.from(reads), max, undefined, chunk);
  const lines: string[] = [];
  const fileStarts: boolean[] = [];
  let unterminated = 0;
  for (;;) {
    const next = await gen.next();
    if (next.done) {
      const summary = next.value;
      expect(unterminated).toBe(summary.endsWithNewline || lines[lines.length - 1] === "TOO_LONG" ? 0 : 1);
      return { lines, fileStarts, summary };
    }
    const e: ReadEvent = next.value;
    if (e.kind === "tooLong") lines.push("TOO_LONG");
    else {
      fileStarts.push(e.fileStart);
      const text = e.buf.toString("utf8");
      if (!text.endsWith("\n")) unterminated++;
      lines.push(...text.replace(/\n$/, "").split("\n"));
    }
  }
}
