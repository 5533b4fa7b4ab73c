/**
 * The training-data gate: streams the training file (and the validation file), checks every line
 * against the format of the model's task, counts tokens with the model's tokenizer, and returns
 * one report. Never throws for bad input: a missing file, a binary file or a broken line is an
 * issue in the report, so the CLI and the Pulumi stack can show everything at once.
 *
 * Flow: data/lines.ts reads batches of whole lines; an executor checks them (in worker threads
 * for large files, data/executor.ts); data/merge.ts merges the results in file order and finds
 * duplicates and overlap. Memory: a few batches of 1 MiB in flight, the token histogram, the
 * vocabularies when counting, and 24 bytes per example for duplicate detection
 * (data/hash-set.ts), the only part that grows with the file.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { RECOMMENDED_MIN_EXAMPLES, AOAI_MIN_EXAMPLES, MAX_LINE_BYTES, AOAI_FT_PAGE } from "./rules";
import { CHUNK_BYTES, readBatches, type ReadSummary } from "./lines";
import { HashSet64 } from "./hash-set";
import { IssueCollector } from "./issues";
import { FileStatsAccumulator } from "./stats";
import { FileMerge } from "./merge";
import { fsErrorAdvice, fsErrorText, isMissing } from "./fs-error";
import { autoWorkers, InlineExecutor, WorkerExecutor, type BatchExecutor } from "./executor";
import type { BatchResult } from "./batch";
import type { CheckSettings } from "./line-check";
import type { DatasetStats, ValidateOptions, ValidationReport } from "./types";

export const DEFAULT_MAX_ISSUES = 100;

/** Below this many bytes in total, starting worker threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/**
 * Bytes of batches read but not yet merged, at most (a bigger batch is checked alone, before
 * more is read): with 16 MiB lines, counting batches alone let four of them (and their decoded
 * copies in the workers) pile up past the memory target.
 */
const MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;

/** The path that means standard input, when the caller passes a stream for it. */
export const STDIN_PATH = "-";

type Source = { kind: "file"; size: number } | { kind: "stdin"; stream: NodeJS.ReadableStream } | null;

/** The file's size (or stdin), or null after reporting why it cannot be read. */
async function openSource(file: string, issues: IssueCollector, stdin: NodeJS.ReadableStream | undefined): Promise<Source> {
  if (file === STDIN_PATH) {
    if (stdin) return { kind: "stdin", stream: stdin };
    issues.add(file, 0, "FILE_NOT_FOUND", `"-" (standard input) cannot be read here; pass the path of a .jsonl file (the validate-data command reads "-" from stdin)`);
    return null;
  }
  try {
    const s = await stat(file);
    if (!s.isFile()) {
      issues.add(file, 0, "NOT_A_FILE", `${file} is not a regular file (${s.isDirectory() ? "a directory" : "a device, socket or pipe"}); pass the path of a .jsonl file`);
      return null;
    }
    return { kind: "file", size: s.size };
  } catch (e) {
    if (isMissing(e)) {
      issues.add(file, 0, "FILE_NOT_FOUND", `${file} does not exist; check the path (relative paths are resolved from ${process.cwd()})`);
    } else {
      issues.add(file, 0, "FILE_UNREADABLE", `${file} cannot be read (${fsErrorText(e)}); ${fsErrorAdvice(e)}`);
    }
    return null;
  }
}

interface FileOutcome {
  /** The file could be read to the end as text. */
  read: boolean;
}

/** Reads one file through the executor and merges its batches in order. */
async function validateFile(file: string, source: Exclude<Source, null>, executor: BatchExecutor, merge: FileMerge, stats: FileStatsAccumulator, issues: IssueCollector, onBytes: (b: number) => void): Promise<FileOutcome> {
  const input = source.kind === "stdin" ? source.stream : createReadStream(file, { highWaterMark: 1 << 20 });
  const inFlight: { result: Promise<BatchResult | "tooLong">; bytes: number }[] = [];
  let inFlightBytes = 0;
  const settle = async () => {
    const next = inFlight.shift()!;
    inFlightBytes -= next.bytes;
    const r = await next.result;
    if (r === "tooLong") merge.tooLong();
    else merge.batch(r);
  };
  let summary: ReadSummary;
  try {
    // Only the file stream opened here gives reads nobody else holds: a caller's stdin stream may
    // be reading a Buffer the caller still uses, which must not be moved or freed.
    const reader = readBatches(input as AsyncIterable<Buffer>, MAX_LINE_BYTES, onBytes, CHUNK_BYTES, source.kind === "file");
    for (;;) {
      const next = await reader.next();
      if (next.done) {
        summary = next.value;
        break;
      }
      const event = next.value;
      const bytes = event.kind === "tooLong" ? 0 : event.buf.length;
      // A batch that would take the bytes in flight past the cap waits for the ones before it, and
      // one that is past the cap alone is checked before anything more is read: a 15 MB line is
      // then never in two workers at once, nor read ahead while one is checked.
      while (inFlight.length > 0 && inFlightBytes + bytes > MAX_IN_FLIGHT_BYTES) await settle();
      inFlight.push({ result: event.kind === "tooLong" ? Promise.resolve("tooLong" as const) : executor.run(event.buf, event.fileStart, event.owned, event.spent), bytes });
      inFlightBytes += bytes;
      while (inFlight.length > executor.capacity || inFlightBytes > MAX_IN_FLIGHT_BYTES) await settle();
    }
    while (inFlight.length > 0) await settle();
  } catch (e) {
    // Merge what was read before the failure (so the report covers it), and leave no rejection unhandled.
    const settled = await Promise.allSettled(inFlight.map((f) => f.result));
    for (const r of settled) {
      if (r.status === "rejected") break;
      if (r.value === "tooLong") merge.tooLong();
      else merge.batch(r.value);
    }
    stats.lines = merge.lines;
    const code = (e as NodeJS.ErrnoException).code;
    issues.add(file, 0, "FILE_UNREADABLE", `reading ${file} failed after ${merge.lines.toLocaleString("en-US")} lines (${code ? `${code}: ` : ""}${(e as Error).message.slice(0, 200)}); check the file and try again`);
    return { read: false };
  } finally {
    if ("destroy" in input && typeof input.destroy === "function") input.destroy();
  }
  stats.bytes = summary.bytes;
  stats.lines = merge.lines;
  if (summary.notText) {
    issues.add(file, 0, summary.notText.code, `${file}: ${summary.notText.message}`);
    return { read: false };
  }
  if (!summary.endsWithNewline) {
    issues.add(file, merge.lines, "NO_FINAL_NEWLINE", "the last line does not end with a newline; add one (some tools drop or merge an unterminated last line)");
  }
  return { read: true };
}

async function chooseExecutor(settings: CheckSettings, maxIssues: number, totalBytes: number, workers: ValidateOptions["workers"]): Promise<{ executor: BatchExecutor; workers: number }> {
  const auto = workers === undefined || workers === "auto";
  const wanted = auto ? (totalBytes >= PARALLEL_MIN_BYTES ? await autoWorkers() : 0) : workers;
  return wanted >= 1 ? { executor: new WorkerExecutor({ settings, maxIssues }, wanted), workers: wanted } : { executor: new InlineExecutor(settings, maxIssues), workers: 0 };
}

/** Validates a training file (and optional validation file) for `options.model`. */
export async function validateDataset(options: ValidateOptions): Promise<ValidationReport> {
  const started = Date.now();
  const { model, trainingFile, validationFile } = options;
  const chat = model.task === "chat-completion";
  const countTokens = options.countTokens ?? true;
  const epochs = options.epochs ?? 1;
  const maxIssues = options.maxIssues ?? DEFAULT_MAX_ISSUES;
  const issues = new IssueCollector(maxIssues);

  const training = await openSource(trainingFile, issues, options.stdin);
  const validation = validationFile === undefined ? null : await openSource(validationFile, issues, options.stdin);
  const size = (s: Source) => (s?.kind === "file" ? s.size : 0);
  const totalBytes = size(training) + size(validation);
  const { executor, workers } = await chooseExecutor({ model, countTokens }, maxIssues, totalBytes, options.workers);

  const trainingStats = new FileStatsAccumulator(trainingFile, chat);
  const trainingHashes = new HashSet64();
  let validationStats: FileStatsAccumulator | null = null;
  let readBefore = 0;
  const progress = (b: number) => options.onProgress?.(readBefore + b, totalBytes);
  try {
    if (training) {
      const merge = new FileMerge(trainingFile, issues, trainingStats, trainingHashes, null);
      const outcome = await validateFile(trainingFile, training, executor, merge, trainingStats, issues, progress);
      readBefore += trainingStats.bytes;
      if (outcome.read) {
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
    }
    if (validationFile !== undefined) {
      validationStats = new FileStatsAccumulator(validationFile, chat);
      if (validation) {
        const merge = new FileMerge(validationFile, issues, validationStats, new HashSet64(), trainingHashes);
        const outcome = await validateFile(validationFile, validation, executor, merge, validationStats, issues, progress);
        if (outcome.read && validationStats.examples === 0) {
          issues.add(validationFile, 0, "NO_EXAMPLES", "the validation file has no examples; add examples or leave the validation file out");
        }
      }
    }
  } finally {
    await executor.close();
  }

  const trainingTokens = countTokens ? trainingStats.tokenTotal * epochs : null;
  const price = options.pricePer1kTokens ?? null;
  const stats: DatasetStats = {
    model: model.name,
    format: chat ? "chat" : "prompt-completion",
    tokenizer: model.tokenizer,
    maxSequenceLength: model.maxSequenceLength,
    tokensCounted: countTokens,
    training: trainingStats.toJSON(),
    validation: validationStats ? validationStats.toJSON() : null,
    epochs,
    trainingTokensTimesEpochs: trainingTokens,
    pricePer1kTokens: price,
    estimatedTrainingCost: trainingTokens !== null && price !== null ? Math.round((trainingTokens / 1000) * price * 10000) / 10000 : null,
    durationMs: Date.now() - started,
    workers,
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
