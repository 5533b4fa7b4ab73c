/**
 * Every issue the validator reports: a stable code, its severity, and why it has that severity.
 *
 * Severity rule: what the service would reject, or what would train the model on something the
 * user did not mean, is an error; quality advice is a warning. data/README.md renders this table.
 */
import type { Severity } from "./types";

export interface IssueCode {
  severity: Severity;
  /** One line for the README table: what the check is. */
  summary: string;
}

export const ISSUE_CODES = {
  FILE_NOT_FOUND: { severity: "error", summary: "the file does not exist or cannot be read" },
  FILE_UNREADABLE: { severity: "error", summary: "the file exists but reading it failed (permissions, I/O error)" },
  NOT_A_FILE: { severity: "error", summary: "the path is a directory or another non-file" },
  UTF16_FILE: { severity: "error", summary: "the file is UTF-16 text (byte-order mark or NUL-byte pattern), not UTF-8" },
  COMPRESSED_FILE: { severity: "error", summary: "the file is compressed (gzip, zip, bzip2, xz, zstd): decompress it first" },
  BINARY_FILE: { severity: "error", summary: "the file is binary (NUL or control bytes at its start), not JSON Lines" },
  NO_EXAMPLES: { severity: "error", summary: "the file has no examples at all" },
  NOT_UTF8: { severity: "error", summary: "the line is not valid UTF-8" },
  BOM: { severity: "warning", summary: "the file starts with a UTF-8 byte-order mark: many JSON Lines readers refuse it (Azure OpenAI's docs ask for one; the Llama page is silent)" },
  LINE_TOO_LONG: { severity: "error", summary: "a line longer than 16 MiB (usually missing newlines); skipped without being read into memory" },
  INVALID_JSON: { severity: "error", summary: "the line is not valid JSON (column given)" },
  NOT_AN_OBJECT: { severity: "error", summary: "the line is JSON but not an object" },
  UNKNOWN_KEY: { severity: "error", summary: "a key the format does not have (often a typo)" },
  DUPLICATE_KEY: { severity: "warning", summary: "an object has the same key twice: JSON parsers keep the last value, silently" },
  LONE_SURROGATE: { severity: "warning", summary: "a string has an unpaired UTF-16 surrogate escape (e.g. `\\ud800`): not a character, replaced or refused by other tools" },
  NUL_CHARACTER: { severity: "warning", summary: "a string contains NUL (`\\u0000`), which many tools treat as the end of the text" },
  INVISIBLE_CONTENT: { severity: "warning", summary: "a message's content is only zero-width or invisible characters (it looks empty)" },
  MISSING_MESSAGES: { severity: "error", summary: "chat format: no `messages` array" },
  EMPTY_MESSAGES: { severity: "error", summary: "chat format: `messages` is an empty array" },
  MESSAGE_NOT_OBJECT: { severity: "error", summary: "chat format: a message is not an object" },
  MISSING_ROLE: { severity: "error", summary: "chat format: a message has no `role`" },
  UNKNOWN_ROLE: { severity: "error", summary: "chat format: role other than system, user, assistant" },
  MISSING_CONTENT: { severity: "error", summary: "chat format: a message has no `content`" },
  CONTENT_NOT_STRING: { severity: "error", summary: "chat format: `content` is not a string (or, for vision models, an array of content parts)" },
  EMPTY_CONTENT: { severity: "error", summary: "chat format: `content` is empty or only whitespace" },
  INVALID_CONTENT_PART: { severity: "error", summary: "vision models: a content part that is not `{type: \"text\", text}` or `{type: \"image_url\", image_url: {url, detail?}}`" },
  IMAGES_NOT_ACCEPTED: { severity: "error", summary: "vision models: an image part, but Learn documents no image training data for the model (Llama 3.2 Vision: text only)" },
  INVALID_IMAGE: { severity: "error", summary: "vision models that accept images: an image in an assistant message, not an http(s) or base64 data URL, of a format or size the model does not take" },
  TOO_MANY_IMAGES: { severity: "error", summary: "vision models that accept images: more images in one example than the model's limit" },
  SYSTEM_NOT_FIRST: { severity: "error", summary: "chat format: a system message that is not the first message" },
  FIRST_NOT_USER: { severity: "error", summary: "chat format: the conversation (after the system message) does not start with the user" },
  CONSECUTIVE_SAME_ROLE: { severity: "error", summary: "chat format: two messages in a row from the same role" },
  NO_ASSISTANT_MESSAGE: { severity: "error", summary: "chat format: no assistant message, so nothing to learn" },
  LAST_NOT_ASSISTANT: { severity: "error", summary: "chat format: the last message is not from the assistant" },
  MISSING_PROMPT: { severity: "error", summary: "prompt/completion format: no `prompt`" },
  MISSING_COMPLETION: { severity: "error", summary: "prompt/completion format: no `completion`" },
  FIELD_NOT_STRING: { severity: "error", summary: "prompt/completion format: `prompt` or `completion` is not a string" },
  EMPTY_COMPLETION: { severity: "error", summary: "prompt/completion format: empty `completion`, so nothing to learn" },
  EMPTY_PROMPT: { severity: "warning", summary: "prompt/completion format: empty `prompt`" },
  EXAMPLE_TOO_LONG: { severity: "error", summary: "more tokens (chat template included) than the model's maximum sequence length" },
  LINE_CHECK_FAILED: { severity: "error", summary: "checking the line failed unexpectedly (a bug in the validator); the rest of the file is still checked" },
  EMPTY_LINE: { severity: "warning", summary: "an empty line (skipped)" },
  NO_FINAL_NEWLINE: { severity: "warning", summary: "the last line does not end with a newline" },
  DUPLICATE_EXAMPLE: { severity: "warning", summary: "the same example (byte for byte) appears earlier in the file" },
  TRAIN_VALIDATION_OVERLAP: { severity: "warning", summary: "a validation example that is also in the training file" },
  TOO_FEW_EXAMPLES: { severity: "warning", summary: "fewer training examples than Learn recommends (50; Azure OpenAI refuses fewer than 10, the Llama page sets no minimum)" },
} as const satisfies Record<string, IssueCode>;

export type IssueCodeName = keyof typeof ISSUE_CODES;

/** Codes by index, so workers can send an issue's code as a small number. */
export const CODE_NAMES = Object.keys(ISSUE_CODES) as IssueCodeName[];
