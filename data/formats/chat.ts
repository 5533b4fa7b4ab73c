/**
 * The Chat completions format of chat models (every catalog model):
 * `{"messages": [{"role": "system"|"user"|"assistant", "content": "..."}]}` per line
 * (Learn, fine-tune-serverless, "Chat completion" data format; config/models.ts FT).
 *
 * Hand-written rather than a zod schema: this runs once per line on files of any size, and it
 * must report several precise problems per line (which message, which rule), in order. Every
 * quoted value is bounded (data/quote.ts); nothing here recurses into the input.
 */
import type { TrainingImages } from "../../config/models";
import { describeJsonType, quote, quoteKeys } from "../quote";
import { isInvisibleOnly, type ExampleInfo, type Report } from "./common";
import { checkContentParts } from "./content-parts";

/** Names other tools use for roles, mapped to the one this format wants (a Map: "constructor" is not a role). */
const ROLE_HINTS = new Map<string, string>([
  ["human", "user"],
  ["gpt", "assistant"],
  ["bot", "assistant"],
  ["model", "assistant"],
  ["ai", "assistant"],
  ["User", "user"],
  ["Assistant", "assistant"],
  ["System", "system"],
]);

const PROMPT_COMPLETION_HINT =
  'this line is in the prompt/completion format, which is for text-generation (base) models: convert it to {"messages": [...]} or pass --model with a text-generation model';

/**
 * Checks one parsed line; returns true if it has no error, and fills `info` (token counting is
 * the caller's). `parts`: for a model that reads images, what its training data may hold
 * (content may then be an array of parts, data/formats/content-parts.ts); null for text models.
 */
export function checkChatExample(value: unknown, report: Report, info: ExampleInfo, parts: TrainingImages | null = null): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    report("NOT_AN_OBJECT", () => `the line is ${describeJsonType(value)}, not a JSON object; write each example as {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]}`);
    return false;
  }
  const obj = value as Record<string, unknown>;
  const messages = obj.messages;
  if (!Object.hasOwn(obj, "messages")) {
    const looksLikeCompletion = Object.hasOwn(obj, "prompt") || Object.hasOwn(obj, "completion");
    report("MISSING_MESSAGES", () => {
      const keys = Object.keys(obj);
      return `no "messages" key${keys.length ? ` (found ${quoteKeys(keys)})` : ""}; ${
        looksLikeCompletion ? PROMPT_COMPLETION_HINT : 'a chat example is {"messages": [{"role": "system", ...}, {"role": "user", ...}, {"role": "assistant", ...}]}'
      }`;
    });
    return false;
  }
  let ok = true;
  for (const key in obj) {
    if (key !== "messages") {
      report("UNKNOWN_KEY", () => `unknown key ${quote(key)}; a chat example has only "messages": remove the key (or fix its spelling)`);
      ok = false;
    }
  }
  if (!Array.isArray(messages)) {
    report("MISSING_MESSAGES", () => `"messages" is ${describeJsonType(messages)}; it must be an array of {"role", "content"} objects`);
    return false;
  }
  if (messages.length === 0) {
    report("EMPTY_MESSAGES", '"messages" is empty; add at least a user message and the assistant\'s answer');
    return false;
  }

  // Roles of the well-formed messages, for the order checks.
  let prevRole = "";
  let firstConversational = "";
  let lastRole = "";
  let hasAssistant = false;
  let rolesOk = true;
  let images = 0;
  for (let i = 0; i < messages.length; i++) {
    const n = i + 1;
    const m: unknown = messages[i];
    if (m === null || typeof m !== "object" || Array.isArray(m)) {
      report("MESSAGE_NOT_OBJECT", () => `message ${n} is ${describeJsonType(m)}; each message must be an object {"role": "...", "content": "..."}`);
      ok = false;
      rolesOk = false;
      continue;
    }
    const msg = m as Record<string, unknown>;
    for (const key in msg) {
      if (key !== "role" && key !== "content") {
        report("UNKNOWN_KEY", () => `message ${n} has unknown key ${quote(key)}; messages take only "role" and "content": remove it (or fix its spelling)`);
        ok = false;
      }
    }
    const role = Object.hasOwn(msg, "role") ? msg.role : undefined;
    if (role === undefined) {
      report("MISSING_ROLE", `message ${n} has no "role"; set it to "system", "user" or "assistant"`);
      ok = false;
      rolesOk = false;
    } else if (role !== "system" && role !== "user" && role !== "assistant") {
      report("UNKNOWN_ROLE", () => {
        const hint = typeof role === "string" ? ROLE_HINTS.get(role) : undefined;
        const shown = typeof role === "string" ? quote(role) : describeJsonType(role);
        return `message ${n} has role ${shown}; the only roles are "system", "user" and "assistant"${hint ? ` (use "${hint}" for ${shown})` : ""}`;
      });
      ok = false;
      rolesOk = false;
    } else {
      if (role === "system") {
        info.system++;
        if (i !== 0) {
          report("SYSTEM_NOT_FIRST", `message ${n} is a system message but is not the first message; move it to the start (one system message per example)`);
          ok = false;
        }
      } else {
        if (role === "user") info.user++;
        else {
          info.assistant++;
          hasAssistant = true;
        }
        if (firstConversational === "") firstConversational = role;
        if (role === prevRole) {
          report("CONSECUTIVE_SAME_ROLE", `messages ${n - 1} and ${n} are both from the ${role}; user and assistant must alternate: merge them into one message or add the missing turn`);
          ok = false;
        }
      }
      prevRole = role;
      lastRole = role;
    }
    const content = Object.hasOwn(msg, "content") ? msg.content : undefined;
    if (content === undefined) {
      report("MISSING_CONTENT", `message ${n} has no "content"; add the message text as a string`);
      ok = false;
    } else if (parts !== null && Array.isArray(content)) {
      const r = checkContentParts(content, n, role, parts, report);
      images += r.images;
      if (!r.ok) ok = false;
      else if (!r.hasText && r.images === 0) {
        report("EMPTY_CONTENT", `message ${n} has no text and no image in its "content" parts; write the text, or remove the message`);
        ok = false;
      }
    } else if (typeof content !== "string") {
      report("CONTENT_NOT_STRING", () => `message ${n} has "content" of type ${describeJsonType(content)}; it must be a plain string (join multi-part content into one string)`);
      ok = false;
    } else if (content.trim().length === 0) {
      report("EMPTY_CONTENT", `message ${n} has empty "content"; write the text, or remove the message`);
      ok = false;
    } else if (isInvisibleOnly(content)) {
      report("INVISIBLE_CONTENT", `message ${n} has "content" made only of invisible characters (zero-width spaces, joiners, controls); it looks empty: write the text, or remove the message`);
    }
  }
  info.messages = messages.length;
  if (parts?.accepted && images > parts.maxImagesPerExample) {
    report("TOO_MANY_IMAGES", `${images} images in this example; the limit is ${parts.maxImagesPerExample} per example (${parts.source}): split the example`);
    ok = false;
  }

  if (rolesOk) {
    if (firstConversational !== "" && firstConversational !== "user") {
      report("FIRST_NOT_USER", 'the conversation starts with the assistant; after the optional system message, the first message must be from the "user"');
      ok = false;
    }
    if (!hasAssistant) {
      report("NO_ASSISTANT_MESSAGE", 'no "assistant" message, so there is nothing to learn; end the example with the answer the model should give');
      ok = false;
    } else if (lastRole !== "assistant") {
      report("LAST_NOT_ASSISTANT", `the last message is from the ${lastRole}; end the example with the assistant's answer (the model learns to produce the final assistant message)`);
      ok = false;
    }
  }
  return ok;
}
