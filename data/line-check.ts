/**
 * Everything the gate checks on one line that needs no other line: encoding, JSON, the model's
 * format, the warnings JSON.parse hides, the token count. Runs in the validator's worker threads
 * and, for small files, in the calling thread (data/batch.ts). Duplicates and overlap need every
 * line, so the main thread finds them from the hashes this returns (data/merge.ts).
 */
import { isUtf8 } from "node:buffer";
import type { LlamaModel, TrainingImages } from "../config/models";
import { hashView } from "./hash-set";
import { locateJsonError } from "./json-error";
import { countTextKeys, countValueKeys, findDuplicateKey, isWellFormed, someString, suspiciousEscapes } from "./json-scan";
import { checkChatExample } from "./formats/chat";
import { checkCompletionExample } from "./formats/completion";
import { resetInfo, type ExampleInfo, type Report } from "./formats/common";
import { quote } from "./quote";
import { ExampleTokenCounter, textCounter, maxTokensBound, type ChatMessage } from "./tokens";

export interface CheckSettings {
  model: LlamaModel;
  /** Count every valid example (the token statistics and the cost); otherwise only those that might be too long. */
  countTokens: boolean;
}

/** Where a checked line goes. */
export interface LineSink {
  report: Report;
  /** A line that passed every error-level check: its hash (for duplicates), and what the summary needs. */
  valid(hash: Uint32Array, info: ExampleInfo): void;
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) return false;
  }
  return true;
}

export class LineChecker {
  private readonly chat: boolean;
  private counter: ExampleTokenCounter | null = null;
  private readonly info: ExampleInfo = { messages: 0, system: 0, user: 0, assistant: 0, tokens: -1 };
  private readonly hash = new Uint32Array(2);
  /** A DataView of the current batch, for hashing (one per batch, not per line). */
  private view: DataView | null = null;
  /** Blank and non-blank lines seen, for the file's statistics. */
  emptyLines = 0;
  examples = 0;

  /** Content parts rules for models that read images (config/models.ts), null for text models. */
  private readonly parts: TrainingImages | null;

  constructor(private readonly settings: CheckSettings) {
    this.chat = settings.model.task === "chat-completion";
    this.parts = settings.model.inputModalities.includes("image") ? settings.model.trainingImages : null;
  }

  /** The token counter, created (and the vocabulary loaded) on first need. */
  private tokens(): ExampleTokenCounter {
    return (this.counter ??= new ExampleTokenCounter(textCounter(this.settings.model.tokenizer)));
  }

  /**
   * Checks buf[start, end) (without its "\n"); `fileStart` says whether it is the file's first
   * line. `ascii`: the batch as one string when it is all ASCII (then the line is
   * ascii[start, end), byte offsets being character offsets), else null. `utf8`: the whole batch
   * is valid UTF-8, so this line is too.
   */
  check(buf: Buffer, start: number, end: number, ascii: string | null, utf8: boolean, fileStart: boolean, sink: LineSink): void {
    const report = sink.report;
    if (end > start && buf[end - 1] === 13) end--; // CRLF line endings are fine
    if (fileStart && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) {
      report("BOM", "the file starts with a UTF-8 byte-order mark (BOM); many JSON Lines readers refuse it, so save the file as UTF-8 without BOM");
      start += 3;
    }
    if (isBlank(buf, start, end)) {
      this.emptyLines++;
      report("EMPTY_LINE", "empty line (skipped); remove it so that every line is one example");
      return;
    }
    this.examples++;
    let text: string;
    if (ascii !== null) {
      text = start === 0 && end === ascii.length ? ascii : ascii.slice(start, end);
    } else {
      if (!utf8 && !isUtf8(buf.subarray(start, end))) {
        report("NOT_UTF8", () => {
          const column = buf.toString("utf8", start, end).indexOf("\uFFFD") + 1;
          return `the line is not valid UTF-8 (first bad byte sequence at column ${column}); re-save the file with UTF-8 encoding`;
        });
        return;
      }
      text = buf.toString("utf8", start, end);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const at = locateJsonError(text);
      report("INVALID_JSON", `invalid JSON at column ${at.column}: ${at.reason}`);
      return;
    }
    this.jsonWarnings(text, value, report);

    const info = this.info;
    resetInfo(info);
    const ok = this.chat ? checkChatExample(value, report, info, this.parts) : checkCompletionExample(value, report, info);
    if (!ok) return;

    const model = this.settings.model;
    if (this.settings.countTokens || maxTokensBound(end - start, info.messages) > model.maxSequenceLength) {
      const counter = this.tokens();
      const v = value as { messages: ChatMessage[]; prompt: string; completion: string };
      const tokens = this.chat ? counter.chat(v.messages) : counter.completion(v.prompt, v.completion);
      if (tokens > model.maxSequenceLength) {
        report(
          "EXAMPLE_TOO_LONG",
          `${tokens.toLocaleString("en-US")} tokens (chat template included) but ${model.name} is fine-tuned with at most ${model.maxSequenceLength.toLocaleString("en-US")}; shorten the example or split the conversation into several examples`,
        );
        return;
      }
      if (this.settings.countTokens) info.tokens = tokens;
    }
    let view = this.view;
    if (view === null || view.buffer !== buf.buffer || view.byteOffset !== buf.byteOffset || view.byteLength !== buf.byteLength) {
      view = this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    hashView(view, start, end, this.hash);
    sink.valid(this.hash, info);
  }

  /** Forgets the batch (so its memory is not pinned until the next one). */
  batchDone(): void {
    this.view = null;
  }

  /** Duplicate keys, lone surrogates and NULs (warnings: JSON.parse accepts them silently). */
  private jsonWarnings(text: string, value: unknown, report: Report): void {
    if (value !== null && typeof value === "object" && countTextKeys(text) !== countValueKeys(value)) {
      const dup = findDuplicateKey(text);
      if (dup) {
        report("DUPLICATE_KEY", () => `key ${quote(dup.key)} appears more than once in the same object (again at column ${dup.column}); JSON parsers silently keep the last value: remove the extra key`);
      }
    }
    const escapes = suspiciousEscapes(text);
    if (escapes?.surrogate && someString(value, (s) => !isWellFormed(s))) {
      report("LONE_SURROGATE", "a string has an unpaired surrogate escape (such as \\ud800 without its partner); it is not a character and other tools replace or refuse it: fix the escape or remove it");
    }
    if (escapes?.nul && someString(value, (s) => s.includes("\0"))) {
      report("NUL_CHARACTER", "a string contains a NUL character (\\u0000), which many tools treat as the end of the text: remove it");
    }
  }
}
