/**
 * Vision models (Llama 3.2 Vision in the catalog): content parts are checked with the same
 * rigour as text. Learn documents no image training data for them, so images are refused with
 * that source; a test-only model that accepts images (with the limits Learn gives for vision
 * fine-tuning: 64 images per example, 10 MB per image, JPEG/PNG/WEBP) exercises the limits.
 */
import { validateDataset, type ValidationReport } from "../../data";
import { defaultModel, findModel, type LlamaModel } from "../../config/models";
import { textCounter, ExampleTokenCounter } from "../../data/tokens";
import { tempFile, cleanup, goodChats, found } from "./helpers";

afterAll(cleanup);

const vision = findModel("Llama-3.2-11B-Vision-Instruct")!;
const VISION_FT = "https://learn.microsoft.com/azure/foundry/openai/how-to/fine-tuning-vision";
/** Test-only: a vision model whose training data may hold images (no catalog model does). */
const acceptsImages: LlamaModel = {
  ...vision,
  name: "test-vision-with-images",
  trainingImages: { accepted: true, maxImagesPerExample: 64, maxImageBytes: 10 * 1024 * 1024, formats: ["jpeg", "png", "webp"], source: VISION_FT },
};

const text = (t: string) => ({ type: "text", text: t });
const image = (url: string, detail?: string) => ({ type: "image_url", image_url: detail === undefined ? { url } : { url, detail } });
const line = (user: unknown, assistant: unknown = "A cat.") => JSON.stringify({ messages: [{ role: "user", content: user }, { role: "assistant", content: assistant }] });
const png = (bytes: number) => `data:image/png;base64,${Buffer.alloc(bytes, 7).toString("base64")}`;

async function run(lines: string[], model: LlamaModel): Promise<ValidationReport> {
  return validateDataset({ trainingFile: tempFile(lines.join("\n") + "\n" + goodChats(60, 500)), model, countTokens: false });
}

test("the catalog's vision models read images but Learn documents text-only training data for them", () => {
  expect(vision.inputModalities).toEqual(["text", "image"]);
  expect(vision.trainingImages.accepted).toBe(false);
  expect(findModel("Llama-3.2-90B-Vision-Instruct")?.trainingImages.accepted).toBe(false);
});

test("Llama 3.2 Vision: an image part is IMAGES_NOT_ACCEPTED, naming why and where Learn says so; text parts are fine", async () => {
  const r = await run([line([text("What is this?"), image("https://example.com/cat.png")]), line([text("Only text"), text(" in parts")])], vision);
  expect(found(r)).toEqual([[1, "IMAGES_NOT_ACCEPTED"]]);
  expect(vision.trainingImages.accepted).toBe(false);
  if (!vision.trainingImages.accepted) {
    expect(r.errors[0].message).toBe(`message 1, content part 2 is an image, but the model's training data is text only: ${vision.trainingImages.reason} (${vision.trainingImages.source}); remove the image parts`);
  }
});

test("content parts are checked one by one: type, text, empty", async () => {
  const r = await run([line([{ type: "audio" }]), line([text(" ")]), line([{ type: "text", text: 5 }]), line(["plain"]), line([]), line([text("Look:"), null]), line([[text("nested")]])], vision);
  expect(found(r)).toEqual([[1, "INVALID_CONTENT_PART"], [2, "EMPTY_CONTENT"], [3, "INVALID_CONTENT_PART"], [4, "INVALID_CONTENT_PART"], [5, "EMPTY_CONTENT"], [6, "INVALID_CONTENT_PART"], [7, "INVALID_CONTENT_PART"]]);
  const shape = '; a part is {"type": "text", "text": "..."} or {"type": "image_url", "image_url": {"url": "..."}}';
  expect(r.errors.map((e) => e.message)).toEqual([
    'message 1, content part 1 has type "audio"; the types are "text" and "image_url"',
    'message 1 has no text and no image in its "content" parts; write the text, or remove the message',
    'message 1, content part 1 is a text part whose "text" is a number; it must be a string',
    `message 1, content part 1 is a string${shape}`,
    'message 1 has no text and no image in its "content" parts; write the text, or remove the message',
    `message 1, content part 2 is null${shape}`,
    `message 1, content part 1 is an array${shape}`,
  ]);
  // An example with an error is never counted valid (so never in the statistics nor compared for duplicates).
  expect(r.stats.training.validExamples).toBe(60);
});

test("a text-only model refuses content parts as CONTENT_NOT_STRING", async () => {
  const r = await run([line([text("hi")])], defaultModel());
  expect(found(r)).toEqual([[1, "CONTENT_NOT_STRING"]]);
});

describe("a model that accepts images: Learn's vision fine-tuning limits", () => {
  test("https and base64 PNG/JPEG/WEBP images in user messages are valid", async () => {
    const r = await run([line([text("What is this?"), image("https://example.com/cat.png", "low"), image(png(1000)), image("data:image/jpeg;base64,/9j/4AAQ"), image("data:image/webp;base64,UklGRg==")])], acceptsImages);
    expect(found(r)).toEqual([]);
  });

  test("65 images: TOO_MANY_IMAGES; 64 are fine", async () => {
    const many = (k: number) => line([text("Count them"), ...Array.from({ length: k }, (_, i) => image(`https://example.com/${i}.png`))]);
    const r = await run([many(65), many(64)], acceptsImages);
    expect(found(r)).toEqual([[1, "TOO_MANY_IMAGES"]]);
    expect(r.errors[0].message).toBe(`65 images in this example; the limit is 64 per example (${VISION_FT}): split the example`);
  });

  test("an image over the model's limit, a GIF, an assistant image, a bad URL and a bad detail are refused", async () => {
    // The limit comes from the model: a small one here keeps the file small (Learn's 10 MB made
    // two 14 MB lines, and this test the slowest of every mutation run over data/).
    const smallLimit: LlamaModel = { ...acceptsImages, trainingImages: { accepted: true, maxImagesPerExample: 64, maxImageBytes: 3000, formats: ["jpeg", "png", "webp"], source: VISION_FT } };
    const r = await run(
      [
        line([image(png(3001))]),
        line([image(png(3000))]),
        line([image("data:image/gif;base64,R0lGOD")]),
        line([text("hi")], [image("https://example.com/a.png")]),
        line([image("ftp://example.com/a.png")]),
        line([image("https://example.com/a.png", "max")]),
        line([{ type: "image_url", image_url: "https://example.com/a.png" }]),
      ],
      smallLimit,
    );
    expect(found(r)).toEqual([[1, "INVALID_IMAGE"], [3, "INVALID_IMAGE"], [4, "INVALID_IMAGE"], [5, "INVALID_IMAGE"], [6, "INVALID_CONTENT_PART"], [7, "INVALID_CONTENT_PART"]]);
    expect(r.errors.map((e) => e.message)).toEqual([
      `message 1, content part 1 is an image of 3,001 bytes; the limit is 3,000 (${VISION_FT}): make it smaller`,
      `message 1, content part 1 is a "gif" image; the accepted formats are jpeg, png, webp (${VISION_FT})`,
      "message 2, content part 1 is an image in an assistant message; images can only be inputs, not the answer the model learns: move it to a user message",
      'message 1, content part 1 has the URL "ftp://example.com/a.png"; an image is a publicly accessible http(s) URL or a base64 data URL (data:image/<format>;base64,...)',
      'message 1, content part 1 has "detail" "max"; it is "auto", "low" or "high"',
      'message 1, content part 1 is an image part without "image_url": {"url": "..."}',
    ]);
    // Only line 2 (exactly at the limit) is a valid example.
    expect(r.stats.training.validExamples).toBe(61);
  });

  test("tokens: text parts trimmed and counted, one <|image|> token per image", () => {
    const counter = new ExampleTokenCounter(textCounter("llama3"));
    const withParts = counter.chat([
      { role: "user", content: [{ type: "text", text: "  What is this? " }, { type: "image_url", image_url: { url: "https://example.com/a.png" } }] },
      { role: "assistant", content: "A cat." },
    ]);
    const plain = counter.chat([{ role: "user", content: "What is this?" }, { role: "assistant", content: "A cat." }]);
    expect(withParts).toBe(plain + 1);
  });
});

describe("content part details", () => {
  test("accepted spellings: http and https, jpg for jpeg, any case of data:/base64, every detail", async () => {
    const r = await run(
      [
        line([image("http://example.com/a.png", "auto"), image("https://example.com/b.png", "high"), text("Two.")]),
        line([image("data:image/jpg;base64,/9j/"), image("DATA:IMAGE/PNG;BASE64,iVBORw==")]),
        JSON.stringify({ messages: [{ role: "system", content: [text("You see images.")] }, { role: "user", content: [image("https://example.com/c.png")] }, { role: "assistant", content: "A cat." }] }),
      ],
      acceptsImages,
    );
    expect(found(r)).toEqual([]);
  });

  test("base64 sizes count the padding exactly (1, 2 and 3 bytes)", async () => {
    const model: LlamaModel = { ...acceptsImages, trainingImages: { accepted: true, maxImagesPerExample: 64, maxImageBytes: 2, formats: ["png"], source: VISION_FT } };
    const r = await run([line([image(png(1))]), line([image(png(2))]), line([image(png(3))])], model);
    expect(found(r)).toEqual([[3, "INVALID_IMAGE"]]);
    expect(r.errors[0].message).toBe(`message 1, content part 1 is an image of 3 bytes; the limit is 2 (${VISION_FT}): make it smaller`);
  });

  test("for a model that refuses images, every image is reported (and each counts)", async () => {
    const r = await run([line([image("https://example.com/a.png"), image("https://example.com/b.png")])], vision);
    expect(found(r)).toEqual([[1, "IMAGES_NOT_ACCEPTED"], [1, "IMAGES_NOT_ACCEPTED"]]);
  });
});

describe("content parts that are almost right", () => {
  test("non-string types and details, and image_url null, missing or without a string url, are named exactly", async () => {
    const r = await run(
      [
        line([{ type: 3 }]),
        line([image("https://example.com/a.png", 1 as unknown as string)]),
        line([{ type: "image_url", image_url: null }]),
        line([{ type: "image_url" }]),
        line([{ type: "image_url", image_url: { url: 5 } }]),
      ],
      acceptsImages,
    );
    expect(found(r)).toEqual([[1, "INVALID_CONTENT_PART"], [2, "INVALID_CONTENT_PART"], [3, "INVALID_CONTENT_PART"], [4, "INVALID_CONTENT_PART"], [5, "INVALID_CONTENT_PART"]]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'message 1, content part 1 has type a number; the types are "text" and "image_url"',
      'message 1, content part 1 has "detail" a number; it is "auto", "low" or "high"',
      ...Array(3).fill('message 1, content part 1 is an image part without "image_url": {"url": "..."}'),
    ]);
    expect(r.stats.training.validExamples).toBe(60);
  });

  test("an http(s) URL starts with its scheme and needs a host: scheme-only, an empty host, a space, text before the scheme are refused", async () => {
    const r = await run(
      [
        line([image("https://")]),
        line([image("http:///cat.png")]),
        line([image("https:// example.com/cat.png")]),
        line([image("HTTPS://EXAMPLE.COM/CAT.PNG")]),
        line([image(" https://example.com/cat.png")]),
        line([image("see https://example.com/cat.png")]),
      ],
      acceptsImages,
    );
    expect(found(r)).toEqual([[1, "INVALID_IMAGE"], [2, "INVALID_IMAGE"], [3, "INVALID_IMAGE"], [5, "INVALID_IMAGE"], [6, "INVALID_IMAGE"]]);
    expect(r.errors[1].message).toBe('message 1, content part 1 has the URL "http:///cat.png"; an image is a publicly accessible http(s) URL or a base64 data URL (data:image/<format>;base64,...)');
    // The URL must start with the scheme: one merely containing an http(s) URL is not one.
    expect(r.errors[4].message).toBe('message 1, content part 1 has the URL "see https://example.com/cat.png"; an image is a publicly accessible http(s) URL or a base64 data URL (data:image/<format>;base64,...)');
    expect(r.stats.training.validExamples).toBe(61);
  });

  test("images are counted over the whole example: 33 + 32 in two user messages is 65", async () => {
    const images = (k: number, from: number) => Array.from({ length: k }, (_, i) => image(`https://example.com/${from + i}.png`));
    const turns = (a: number, b: number) =>
      JSON.stringify({ messages: [{ role: "user", content: images(a, 0) }, { role: "assistant", content: "Two." }, { role: "user", content: images(b, 100) }, { role: "assistant", content: "More." }] });
    const r = await run([turns(33, 32), turns(32, 32)], acceptsImages);
    expect(found(r)).toEqual([[1, "TOO_MANY_IMAGES"]]);
    expect(r.errors[0].message).toBe(`65 images in this example; the limit is 64 per example (${VISION_FT}): split the example`);
    expect(r.stats.training.validExamples).toBe(61);
  });

  test("images are refused in an assistant message only: a system message may hold one; an image with other faults is reported once per fault", async () => {
    const r = await run(
      [
        JSON.stringify({ messages: [{ role: "system", content: [image("https://example.com/s.png")] }, { role: "user", content: "Hi" }, { role: "assistant", content: "Hello." }] }),
        line([text("hi")], [image("data:image/gif;base64,R0lGOD", "max")]),
      ],
      acceptsImages,
    );
    expect(found(r)).toEqual([[2, "INVALID_IMAGE"], [2, "INVALID_CONTENT_PART"], [2, "INVALID_IMAGE"]]);
    expect(r.errors.map((e) => e.message.split(";")[0])).toEqual([
      "message 2, content part 1 is an image in an assistant message",
      'message 2, content part 1 has "detail" "max"',
      'message 2, content part 1 is a "gif" image',
    ]);
  });

  test("for a model that refuses images, an image part is only IMAGES_NOT_ACCEPTED, whatever else is wrong with it", async () => {
    const r = await run([line([text("hi")], [image("ftp://example.com/a.gif", "max")])], vision);
    expect(found(r)).toEqual([[1, "IMAGES_NOT_ACCEPTED"]]);
    expect(r.stats.training.validExamples).toBe(60);
  });
});
