/** What a format check hands back to the validator for one line. */
import type { IssueCodeName } from "../codes";

/** Reports an issue on the current line (the validator knows file and line). */
export type Report = (code: IssueCodeName, message: string) => void;

/** Per-example facts for the summary; one instance is reused for every line (no allocation per line). */
export interface ExampleInfo {
  messages: number;
  system: number;
  user: number;
  assistant: number;
  /** Tokens with the template, or -1 when not counted or the example has errors. */
  tokens: number;
}

export function resetInfo(info: ExampleInfo): void {
  info.messages = 0;
  info.system = 0;
  info.user = 0;
  info.assistant = 0;
  info.tokens = -1;
}

export function describeJsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

export function quoteKeys(keys: readonly string[], max = 6): string {
  const shown = keys.slice(0, max).map((k) => JSON.stringify(k));
  return keys.length > max ? `${shown.join(", ")}, …` : shown.join(", ");
}
