/**
 * The main thread's half of checking a file: batch results arrive in file order (whichever
 * thread checked them) and are merged here into the report, line numbers made absolute; the
 * checks that need every line run here too: duplicates within the file and examples shared with
 * the training file, from the 64-bit hashes the batches return.
 */
import { CODE_NAMES } from "./codes";
import { ROW, type BatchResult } from "./batch";
import type { ExampleInfo } from "./formats/common";
import type { HashSet64 } from "./hash-set";
import type { IssueCollector } from "./issues";
import { MAX_LINE_BYTES } from "./rules";
import type { FileStatsAccumulator } from "./stats";

export class FileMerge {
  /** Lines before the next batch. */
  lines = 0;
  private readonly info: ExampleInfo = { messages: 0, system: 0, user: 0, assistant: 0, tokens: -1 };

  constructor(
    private readonly file: string,
    private readonly issues: IssueCollector,
    private readonly stats: FileStatsAccumulator,
    /** Hashes of this file's examples (duplicates). */
    private readonly seen: HashSet64,
    /** The training file's hashes, when merging the validation file (overlap). */
    private readonly training: HashSet64 | null,
  ) {}

  batch(r: BatchResult): void {
    const { file, issues, stats, info } = this;
    const base = this.lines;
    stats.examples += r.examples;
    stats.emptyLines += r.emptyLines;
    let k = 0;
    const flushUpTo = (line: number) => {
      for (; k < r.issues.length && r.issues[k].line <= line; k++) issues.add(file, base + r.issues[k].line, CODE_NAMES[r.issues[k].code], r.issues[k].message);
    };
    const rows = r.rows;
    for (let i = 0; i < r.validCount; i++) {
      const o = i * ROW;
      const line = rows[o];
      flushUpTo(line);
      const at = base + line;
      const h1 = rows[o + 1] >>> 0;
      const h2 = rows[o + 2] >>> 0;
      info.tokens = rows[o + 3];
      info.messages = rows[o + 4];
      info.system = rows[o + 5];
      info.user = rows[o + 6];
      info.assistant = rows[o + 7];
      stats.addValid(info);
      if (this.training) {
        const trainingLine = this.training.get(h1, h2);
        if (trainingLine > 0) {
          issues.add(file, at, "TRAIN_VALIDATION_OVERLAP", `the same example is line ${trainingLine} of the training file; remove it from one of the two files so validation measures unseen data`);
        }
      }
      const first = this.seen.addOrGet(h1, h2, at);
      if (first > 0) issues.add(file, at, "DUPLICATE_EXAMPLE", `duplicate of line ${first}; remove the copy (duplicates weigh that example more in training)`);
    }
    flushUpTo(Infinity);
    issues.addUncounted(r.moreErrors, r.moreWarnings);
    this.lines += r.lines;
  }

  /** A line over MAX_LINE_BYTES, skipped unread. */
  tooLong(): void {
    this.lines++;
    this.issues.add(
      this.file,
      this.lines,
      "LINE_TOO_LONG",
      `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, far beyond any example the model can take; it was skipped unread (the file is probably missing line breaks between examples)`,
    );
  }
}
