/**
 * The training-data gate: streams the training file (and the validation file), checks every line
 * against the format of the model's task, counts tokens with the model's tokenizer, and returns
 * one report. Never throws for bad input: a missing file or a broken line is an issue in the
 * report, so the CLI and the Pulumi stack can show everything at once.
 *
 * Memory: one read chunk (1 MiB), the current line, the token histogram (1 MiB, only when
 * counting), the tokenizer's vocabulary when counting, and 24 bytes per example for duplicate
 * detection (data/hash-set.ts) — the only part that grows, with the number of examples.
 */
import { stat } from "node:fs/promises";
import { isUtf8 } from "node:buffer";
import { RECOMMENDED_MIN_EXAMPLES, AOAI_MIN_EXAMPLES, MAX_LINE_BYTES, AOAI_FT_PAGE } from "./rules";
import { readLines } from "./lines";
import { HashSet64, hashBytes } from "./hash-set";
import { IssueCollector } from "./issues";
import { FileStatsAccumulator } from "./stats";
import { locateJsonError } from "./json-error";
import { ExampleTokenCounter, textCounter } from "./tokens";
import { checkChatExample } from "./formats/chat";
import { checkCompletionExample } from "./formats/completion";
import { resetInfo, type ExampleInfo, type Report } from "./formats/common";
import type { IssueCodeName } from "./codes";
import type { DatasetStats, ValidateOptions, ValidationReport } from "./types";
import type { LlamaModel } from "../config/models";

export const DEFAULT_MAX_ISSUES = 100;

type Check = (value: unknown, report: Report, info: ExampleInfo, counter: ExampleTokenCounter | null) => boolean;

/** The file's size, or null after reporting why it cannot be read. */
async function fileSize(file: string, issues: IssueCollector): Promise<number | null> {
  try {
    const s = await stat(file);
    if (!s.isFile()) {
      issues.add(file, 0, "NOT_A_FILE", `${file} is not a regular file (a directory?); pass the path of a .jsonl file`);
      return null;
    }
    return s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      issues.add(file, 0, "FILE_NOT_FOUND", `${file} does not exist; check the path (relative paths are resolved from ${process.cwd()})`);
    } else {
      issues.add(file, 0, "FILE_UNREADABLE", `${file} cannot be read (${(e as Error).message}); check its permissions`);
    }
    return null;
  }
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) return false;
  }
  return true;
}

interface FileRun {
  file: string;
  model: LlamaModel;
  check: Check;
  counter: ExampleTokenCounter | null;
  issues: IssueCollector;
  stats: FileStatsAccumulator;
  /** Hashes of this file's examples (duplicates). */
  seen: HashSet64;
  /** The training file's hashes, when validating the validation file (overlap). */
  training: HashSet64 | null;
  onBytes: (bytesReadInThisFile: number) => void;
}

async function validateFile(run: FileRun): Promise<void> {
  const { file, model, check, counter, issues, stats, seen, training } = run;
  const info: ExampleInfo = { messages: 0, system: 0, user: 0, assistant: 0, tokens: -1 };
  const hash = new Uint32Array(2);
  let lineNo = 0;
  const report: Report = (code: IssueCodeName, message: string) => issues.add(file, lineNo, code, message);

  const onLine = (buf: Buffer, start: number, end: number, n: number): void => {
    lineNo = n;
    if (end > start && buf[end - 1] === 13) end--; // CRLF line endings are fine
    if (n === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) {
      report("BOM", "the file starts with a UTF-8 byte-order mark (BOM); many JSON Lines readers refuse it, so save the file as UTF-8 without BOM");
      start += 3;
    }
    if (isBlank(buf, start, end)) {
      stats.emptyLines++;
      report("EMPTY_LINE", "empty line (skipped); remove it so that every line is one example");
      return;
    }
    stats.examples++;
    const bytes = buf.subarray(start, end);
    if (!isUtf8(bytes)) {
      const column = bytes.toString("utf8").indexOf("\uFFFD") + 1;
      report("NOT_UTF8", `the line is not valid UTF-8 (first bad byte sequence at column ${column}); re-save the file with UTF-8 encoding`);
      return;
    }
    const text = bytes.toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const at = locateJsonError(text);
      report("INVALID_JSON", `invalid JSON at column ${at.column}: ${at.reason}`);
      return;
    }
    resetInfo(info);
    if (!check(value, report, info, counter)) return;
    if (info.tokens > model.maxSequenceLength) {
      report(
        "EXAMPLE_TOO_LONG",
        `${info.tokens} tokens (chat template included) but ${model.name} is fine-tuned with at most ${model.maxSequenceLength}; shorten the example or split the conversation into several examples`,
      );
      return;
    }
    stats.addValid(info);
    hashBytes(buf, start, end, hash);
    if (training) {
      const trainingLine = training.get(hash[0], hash[1]);
      if (trainingLine > 0) {
        report("TRAIN_VALIDATION_OVERLAP", `the same example is line ${trainingLine} of the training file; remove it from one of the two files so validation measures unseen data`);
      }
    }
    const first = seen.addOrGet(hash[0], hash[1], n);
    if (first > 0) report("DUPLICATE_EXAMPLE", `duplicate of line ${first}; remove the copy (duplicates weigh that example more in training)`);
  };

  const summary = await readLines(file, { onLine, onTooLong: (n) => issues.add(file, n, "LINE_TOO_LONG", `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, far beyond any example the model can take; the file is probably missing line breaks between examples`), onProgress: run.onBytes }, MAX_LINE_BYTES);
  stats.bytes = summary.bytes;
  stats.lines = summary.lines;
  if (!summary.endsWithNewline) {
    issues.add(file, summary.lines, "NO_FINAL_NEWLINE", "the last line does not end with a newline; add one (some tools drop or merge an unterminated last line)");
  }
}

/** Validates a training file (and optional validation file) for `options.model`. */
export async function validateDataset(options: ValidateOptions): Promise<ValidationReport> {
  const started = Date.now();
  const { model, trainingFile, validationFile } = options;
  const chat = model.task === "chat-completion";
  const check: Check = chat ? checkChatExample : checkCompletionExample;
  const countTokens = options.countTokens ?? true;
  const epochs = options.epochs ?? 1;
  const issues = new IssueCollector(options.maxIssues ?? DEFAULT_MAX_ISSUES);

  const trainingSize = await fileSize(trainingFile, issues);
  const validationSize = validationFile === undefined ? null : await fileSize(validationFile, issues);
  const totalBytes = (trainingSize ?? 0) + (validationSize ?? 0);
  const counter = countTokens && totalBytes > 0 ? new ExampleTokenCounter(textCounter(model.tokenizer)) : null;

  const trainingStats = new FileStatsAccumulator(trainingFile, chat);
  const trainingHashes = new HashSet64();
  const base = { model, check, counter, issues };
  const progress = options.onProgress;
  let readBefore = 0;

  const runFile = async (file: string, stats: FileStatsAccumulator, seen: HashSet64, training: HashSet64 | null) => {
    try {
      await validateFile({ ...base, file, stats, seen, training, onBytes: (b) => progress?.(readBefore + b, totalBytes) });
    } catch (e) {
      issues.add(file, 0, "FILE_UNREADABLE", `reading ${file} failed (${(e as Error).message}); check the file and try again`);
    }
    readBefore += stats.bytes;
  };

  if (trainingSize !== null) {
    await runFile(trainingFile, trainingStats, trainingHashes, null);
    if (trainingStats.examples === 0) {
      issues.add(trainingFile, 0, "NO_EXAMPLES", "the training file has no examples; add one JSON object per line");
    } else if (trainingStats.examples < RECOMMENDED_MIN_EXAMPLES) {
      issues.add(
        trainingFile,
        0,
        "TOO_FEW_EXAMPLES",
        `only ${trainingStats.examples} training example(s); Learn recommends starting with ${RECOMMENDED_MIN_EXAMPLES} well-crafted examples and hundreds for a noticeable effect${
          trainingStats.examples < AOAI_MIN_EXAMPLES ? ` (Azure OpenAI refuses fewer than ${AOAI_MIN_EXAMPLES}; the Llama page sets no minimum)` : ""
        }: add more varied examples (${AOAI_FT_PAGE})`,
      );
    }
  }

  let validationStats: FileStatsAccumulator | null = null;
  if (validationFile !== undefined) {
    validationStats = new FileStatsAccumulator(validationFile, chat);
    if (validationSize !== null) {
      await runFile(validationFile, validationStats, new HashSet64(), trainingHashes);
      if (validationStats.examples === 0) {
        issues.add(validationFile, 0, "NO_EXAMPLES", "the validation file has no examples; add examples or leave the validation file out");
      }
    }
  }

  const trainingTokens = counter ? trainingStats.tokenTotal * epochs : null;
  const price = options.pricePer1kTokens ?? null;
  const stats: DatasetStats = {
    model: model.name,
    format: chat ? "chat" : "prompt-completion",
    tokenizer: model.tokenizer,
    maxSequenceLength: model.maxSequenceLength,
    tokensCounted: counter !== null,
    training: trainingStats.toJSON(),
    validation: validationStats ? validationStats.toJSON() : null,
    epochs,
    trainingTokensTimesEpochs: trainingTokens,
    pricePer1kTokens: price,
    estimatedTrainingCost: trainingTokens !== null && price !== null ? Math.round((trainingTokens / 1000) * price * 10000) / 10000 : null,
    durationMs: Date.now() - started,
  };
  return {
    valid: issues.errorCount === 0,
    errors: issues.errors,
    errorCount: issues.errorCount,
    warnings: issues.warnings,
    warningCount: issues.warningCount,
    stats,
  };
}
