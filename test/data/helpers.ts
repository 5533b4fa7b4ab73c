/** Small temp files for the data tests, and builders for example lines. */
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { validateDataset, type DataIssue, type ValidationReport } from "../../data";
import { defaultModel, type LlamaModel } from "../../config/models";

export { SHARED_DATASETS } from "./shared";

const dir = mkdtempSync(path.join(tmpdir(), "validate-data-test-"));
let n = 0;

export function tempFile(content: string | Buffer, name?: string): string {
  const file = path.join(dir, name ?? `f${n++}.jsonl`);
  writeFileSync(file, content);
  return file;
}

export function tempDir(): string {
  return dir;
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

/** Issues as [line, code] pairs, errors then warnings: compact exact assertions. */
export const found = (r: ValidationReport): [number, string][] => [...r.errors, ...r.warnings].map((i) => [i.line, i.code]);
/** The issues of one code. */
export const only = (r: ValidationReport, code: string): DataIssue[] => [...r.errors, ...r.warnings].filter((i) => i.code === code);

/** Validates `content` (plus 60 good examples so that TOO_FEW_EXAMPLES stays out of the way); no token counting unless asked. */
export async function validatePadded(content: string | Buffer, opts: { model?: LlamaModel; pad?: boolean; countTokens?: boolean } = {}): Promise<ValidationReport> {
  const pad = opts.pad ?? true;
  const model = opts.model ?? defaultModel();
  const padding = pad ? (model.task === "chat-completion" ? goodChats(60, 1000) : Array.from({ length: 60 }, (_, i) => goodCompletion(1000 + i) + "\n").join("")) : "";
  const file = tempFile(Buffer.concat([Buffer.from(content), Buffer.from(padding)]));
  return validateDataset({ trainingFile: file, model, countTokens: opts.countTokens ?? false });
}

/** The messages of the issues with `code`. */
export const messagesOf = (r: ValidationReport, code: string) => only(r, code).map((i) => i.message);
