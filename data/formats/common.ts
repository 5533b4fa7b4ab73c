/** What a format check hands back to the validator for one line. */
import type { IssueCodeName } from "../codes";

/**
 * Reports an issue on the current line (the validator knows file and line). The message may be
 * a function: it is only called if the issue is kept (the report keeps the first `maxIssues`),
 * so a line with a million bad keys costs a million counts, not a million messages.
 */
export type Report = (code: IssueCodeName, message: string | (() => string)) => void;

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

/**
 * Characters that show nothing: zero-width spaces and joiners, direction marks, invisible
 * operators, variation selectors, fillers, soft hyphen, and C0/C1 controls (NUL included).
 * `String.prototype.trim` removes none of them except U+FEFF.
 */
const INVISIBLE_ONLY = /^[\s\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\uffa0]+$/u;
/** The first character of such a text: invisible, or whitespace other than the ASCII spaces skipped before it (U+00A0, U+3000, ...). */
const INVISIBLE_FIRST = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\uffa0]/u;

/** True for text that is not blank but shows nothing (only invisible characters and whitespace). */
export function isInvisibleOnly(text: string): boolean {
  // A cheap test on the first non-blank character; the full test only runs on the rare text that starts invisibly.
  let i = 0;
  let c = text.charCodeAt(0);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
  if (c >= 0x20 && c < 0x7f) return false;
  return i < text.length && INVISIBLE_FIRST.test(text[i]) && INVISIBLE_ONLY.test(text);
}
