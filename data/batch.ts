/**
 * A batch: consecutive whole lines of one file (each ended by "\n", the file's last line
 * possibly not), checked line by line by a LineChecker. The result is plain data (numbers,
 * short strings, one Int32Array) so a worker thread can send it back cheaply; line numbers are
 * relative to the batch, the main thread knows where the batch starts (data/merge.ts).
 */
import { isAscii, isUtf8 } from "node:buffer";
import { CODE_NAMES, ISSUE_CODES, type IssueCodeName } from "./codes";
import type { ExampleInfo } from "./formats/common";
import type { LineChecker } from "./line-check";

/** Per valid example: line, hash (2 × uint32 as int32), tokens (-1: not counted), messages, system, user, assistant. */
export const ROW = 8;

export interface BatchIssue {
  /** 1-based line within the batch. */
  line: number;
  /** Index into CODE_NAMES. */
  code: number;
  message: string;
}

export interface BatchResult {
  lines: number;
  examples: number;
  emptyLines: number;
  /** The first `maxIssues` errors and the first `maxIssues` warnings of the batch, in line order. */
  issues: BatchIssue[];
  /** Issues found beyond those kept. */
  moreErrors: number;
  moreWarnings: number;
  /** ROW int32 per valid example, in line order. */
  rows: Int32Array;
  validCount: number;
}

const CODE_INDEX = new Map<IssueCodeName, number>(CODE_NAMES.map((c, i) => [c, i]));

/** Checks every line of buf[0, length); `fileStart`: the batch begins the file (for the BOM check). */
export function processBatch(buf: Buffer, fileStart: boolean, checker: LineChecker, maxIssues: number): BatchResult {
  const issues: BatchIssue[] = [];
  let errors = 0;
  let warnings = 0;
  let moreErrors = 0;
  let moreWarnings = 0;
  let rows = new Int32Array(256 * ROW);
  let validCount = 0;
  let line = 0;

  const report = (code: IssueCodeName, message: string | (() => string)): void => {
    const error = ISSUE_CODES[code].severity === "error";
    if (error ? errors < maxIssues : warnings < maxIssues) {
      if (error) errors++;
      else warnings++;
      issues.push({ line, code: CODE_INDEX.get(code) ?? 0, message: typeof message === "string" ? message : message() });
    } else if (error) moreErrors++;
    else moreWarnings++;
  };
  const valid = (hash: Uint32Array, info: ExampleInfo): void => {
    if ((validCount + 1) * ROW > rows.length) {
      const bigger = new Int32Array(rows.length * 2);
      bigger.set(rows);
      rows = bigger;
    }
    const o = validCount++ * ROW;
    rows[o] = line;
    rows[o + 1] = hash[0];
    rows[o + 2] = hash[1];
    rows[o + 3] = info.tokens;
    rows[o + 4] = info.messages;
    rows[o + 5] = info.system;
    rows[o + 6] = info.user;
    rows[o + 7] = info.assistant;
  };
  const sink = { report, valid };

  const examplesBefore = checker.examples;
  const emptyBefore = checker.emptyLines;
  // Decoding: a batch of ASCII becomes one one-byte string at memory-copy speed, and its lines
  // are slices of it (cheapest for many tiny lines). Otherwise each line is decoded on its own:
  // a single non-ASCII character makes a whole-batch string two-byte, which took three times as
  // long to decode (290 vs 90 ms per 128 MB of the bench file) and slowed every JSON.parse. One
  // UTF-8 check for the whole batch (lines split at "\n", an ASCII byte, so each line of a valid
  // batch is valid too); only a batch that fails it is checked line by line.
  const ascii = isAscii(buf);
  const decoded = ascii ? buf.toString("latin1") : null;
  const utf8 = ascii || isUtf8(buf);
  let pos = 0;
  while (pos < buf.length) {
    let nl = buf.indexOf(10, pos);
    if (nl < 0) nl = buf.length;
    line++;
    try {
      checker.check(buf, pos, nl, decoded, utf8, fileStart && line === 1, sink);
    } catch (e) {
      report("LINE_CHECK_FAILED", `checking this line failed unexpectedly (${e instanceof Error ? e.message.slice(0, 200) : "unknown error"}); please report it with the line, the rest of the file was still checked`);
    }
    pos = nl + 1;
  }
  checker.batchDone();
  return {
    lines: line,
    examples: checker.examples - examplesBefore,
    emptyLines: checker.emptyLines - emptyBefore,
    issues,
    moreErrors,
    moreWarnings,
    rows: rows.slice(0, validCount * ROW),
    validCount,
  };
}
