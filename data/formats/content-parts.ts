/**
 * Content parts, for models that read images (config/models.ts `inputModalities` has "image": the
 * Llama 3.2 Vision models): `content` may be an array of `{"type": "text", "text": "..."}` and
 * `{"type": "image_url", "image_url": {"url": "...", "detail"?: "auto"|"low"|"high"}}`, the chat
 * completions format that vision fine-tuning uses (Learn, "Vision fine-tuning",
 * https://learn.microsoft.com/azure/foundry/openai/how-to/fine-tuning-vision; source
 * MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/how-to/fine-tuning-vision.md, "Image
 * dataset requirements": 64 images per example, 10 MB per image, JPEG/PNG/WEBP, no image as
 * assistant output; images as public URLs or base64 data URIs).
 *
 * Whether images may be in training data, and the limits, come from the model's
 * `trainingImages` in the catalog. For the Llama 3.2 Vision models Learn documents image
 * training data for none of them (only Azure OpenAI gpt-4o and gpt-4.1), so an image part is an
 * error naming that source; text parts are checked like text content. For a model that accepts
 * images, the limits Learn gives for vision fine-tuning are checked: images per example, image
 * size (of base64 data URLs; an https URL's size is only known to the service), formats, and no
 * image in an assistant message ("You can't include images as output from messages with the
 * assistant role").
 */
import type { TrainingImages } from "../../config/models";
import { describeJsonType, quote } from "../quote";
import type { Report } from "./common";

const DETAILS = new Set(["auto", "low", "high"]);
const DATA_URL = /^data:image\/([a-z0-9.+-]+);base64,/i;

export interface PartsResult {
  ok: boolean;
  /** Images in these parts. */
  images: number;
  /** Some text part has non-blank text. */
  hasText: boolean;
}

/** Decoded bytes of base64 text of this length (with its padding). */
function base64Bytes(s: string, start: number): number {
  let len = s.length - start;
  let pad = 0;
  while (len > 0 && s.charCodeAt(start + len - 1) === 61 /* = */ && pad < 2) {
    len--;
    pad++;
  }
  return Math.floor(((len + pad) * 3) / 4) - pad;
}

/** Checks the content parts of message `n` (1-based) with role `role`. */
export function checkContentParts(parts: readonly unknown[], n: number, role: unknown, images: TrainingImages, report: Report): PartsResult {
  const result: PartsResult = { ok: true, images: 0, hasText: false };
  parts.forEach((part, i) => {
    const where = `message ${n}, content part ${i + 1}`;
    if (part === null || typeof part !== "object" || Array.isArray(part)) {
      report("INVALID_CONTENT_PART", () => `${where} is ${describeJsonType(part)}; a part is {"type": "text", "text": "..."} or {"type": "image_url", "image_url": {"url": "..."}}`);
      result.ok = false;
      return;
    }
    const p = part as Record<string, unknown>;
    if (p.type === "text") {
      if (typeof p.text !== "string") {
        report("INVALID_CONTENT_PART", () => `${where} is a text part whose "text" is ${describeJsonType(p.text)}; it must be a string`);
        result.ok = false;
      } else if (p.text.trim().length > 0) result.hasText = true;
      return;
    }
    if (p.type !== "image_url") {
      report("INVALID_CONTENT_PART", () => `${where} has type ${typeof p.type === "string" ? quote(p.type) : describeJsonType(p.type)}; the types are "text" and "image_url"`);
      result.ok = false;
      return;
    }
    result.images++;
    if (!images.accepted) {
      report("IMAGES_NOT_ACCEPTED", `${where} is an image, but the model's training data is text only: ${images.reason} (${images.source}); remove the image parts`);
      result.ok = false;
      return;
    }
    if (role === "assistant") {
      report("INVALID_IMAGE", `${where} is an image in an assistant message; images can only be inputs, not the answer the model learns: move it to a user message`);
      result.ok = false;
    }
    const image = p.image_url as Record<string, unknown> | null;
    const url = image !== null && typeof image === "object" ? image.url : undefined;
    if (typeof url !== "string") {
      report("INVALID_CONTENT_PART", `${where} is an image part without "image_url": {"url": "..."}`);
      result.ok = false;
      return;
    }
    if (image!.detail !== undefined && !DETAILS.has(image!.detail as string)) {
      report("INVALID_CONTENT_PART", () => `${where} has "detail" ${typeof image!.detail === "string" ? quote(image!.detail as string) : describeJsonType(image!.detail)}; it is "auto", "low" or "high"`);
      result.ok = false;
    }
    const data = DATA_URL.exec(url);
    if (data) {
      const format = data[1].toLowerCase() === "jpg" ? "jpeg" : data[1].toLowerCase();
      if (!images.formats.includes(format)) {
        report("INVALID_IMAGE", `${where} is a ${quote(data[1])} image; the accepted formats are ${images.formats.join(", ")} (${images.source})`);
        result.ok = false;
      }
      const bytes = base64Bytes(url, data[0].length);
      if (bytes > images.maxImageBytes) {
        report("INVALID_IMAGE", `${where} is an image of ${bytes.toLocaleString("en-US")} bytes; the limit is ${images.maxImageBytes.toLocaleString("en-US")} (${images.source}): make it smaller`);
        result.ok = false;
      }
    } else if (!/^https?:\/\/[^\s/]+/i.test(url)) {
      report("INVALID_IMAGE", () => `${where} has the URL ${quote(url)}; an image is a publicly accessible http(s) URL or a base64 data URL (data:image/<format>;base64,...)`);
      result.ok = false;
    }
  });
  return result;
}
