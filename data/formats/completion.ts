/**
 * The prompt/completion format of text-generation (base) models:
 * `{"prompt": "<prompt text>", "completion": "<ideal generated text>"}` per line
 * (Learn, fine-tune-serverless, "Text generation" data format). No catalog model uses it since
 * the Llama 2 base models were retired (config/models.ts), but the format is still Learn's.
 */
import { describeJsonType, quote, quoteKeys } from "../quote";
import { isInvisibleOnly, type ExampleInfo, type Report } from "./common";

const CHAT_HINT =
  'this line is in the chat (messages) format, which is for chat models such as Meta-Llama-3.1-8B-Instruct: pass --model with a chat model, or convert it to {"prompt": "...", "completion": "..."}';

export function checkCompletionExample(value: unknown, report: Report, _info: ExampleInfo): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    report("NOT_AN_OBJECT", () => `the line is ${describeJsonType(value)}, not a JSON object; write each example as {"prompt": "...", "completion": "..."}`);
    return false;
  }
  const obj = value as Record<string, unknown>;
  const prompt = Object.hasOwn(obj, "prompt") ? obj.prompt : undefined;
  const completion = Object.hasOwn(obj, "completion") ? obj.completion : undefined;
  if (prompt === undefined && completion === undefined) {
    report("MISSING_PROMPT", () => {
      const keys = Object.keys(obj);
      return `no "prompt" and no "completion"${keys.length ? ` (found ${quoteKeys(keys)})` : ""}; ${
        Object.hasOwn(obj, "messages") ? CHAT_HINT : 'a text-generation example is {"prompt": "<prompt text>", "completion": "<ideal generated text>"}'
      }`;
    });
    return false;
  }
  let ok = true;
  for (const key in obj) {
    if (key !== "prompt" && key !== "completion") {
      report("UNKNOWN_KEY", () => `unknown key ${quote(key)}; a text-generation example has only "prompt" and "completion": remove it (or fix its spelling)`);
      ok = false;
    }
  }
  if (prompt === undefined) {
    report("MISSING_PROMPT", 'no "prompt"; add the input text the completion follows');
    ok = false;
  } else if (typeof prompt !== "string") {
    report("FIELD_NOT_STRING", () => `"prompt" is ${describeJsonType(prompt)}; it must be a string`);
    ok = false;
  } else if (prompt.trim().length === 0) {
    report("EMPTY_PROMPT", '"prompt" is empty; the model will learn to produce the completion from nothing: add the input text if there is one');
  }
  if (completion === undefined) {
    report("MISSING_COMPLETION", 'no "completion"; add the text the model should generate after the prompt');
    ok = false;
  } else if (typeof completion !== "string") {
    report("FIELD_NOT_STRING", () => `"completion" is ${describeJsonType(completion)}; it must be a string`);
    ok = false;
  } else if (completion.trim().length === 0) {
    report("EMPTY_COMPLETION", '"completion" is empty, so there is nothing to learn; write the text the model should generate');
    ok = false;
  } else if (isInvisibleOnly(completion)) {
    report("INVISIBLE_CONTENT", '"completion" is made only of invisible characters (zero-width spaces, joiners, controls); it looks empty: write the text the model should generate');
  }
  return ok;
}
