/**
 * How validateDataset reads its input (data/validate.ts with data/lines.ts): reads of 1 MiB,
 * a first line bigger than the bytes allowed in flight, stdin as text, a failure right after
 * the sniffed 4 KiB.
 */
import { PassThrough, Readable } from "node:stream";
import { validateDataset, type ValidationReport } from "../../data";
import { defaultModel } from "../../config/models";
import { tempFile, cleanup, chatLine, msg, goodChats, found } from "./helpers";

afterAll(cleanup);

const model = defaultModel();
const fromStdin = (stdin: NodeJS.ReadableStream) => validateDataset({ trainingFile: "-", model, countTokens: false, stdin });

test("a file is read in reads of 1 MiB (data/README.md): a 90 KB file is one read, so progress comes once, with its size", async () => {
  const content = goodChats(600);
  const size = Buffer.byteLength(content);
  expect(size).toBeGreaterThan(64 * 1024); // a file stream's default read
  const calls: [number, number][] = [];
  const r = await validateDataset({ trainingFile: tempFile(content), model, countTokens: false, onProgress: (read, total) => calls.push([read, total]) });
  expect(calls).toEqual([[size, size]]);
  expect(r.stats.training).toMatchObject({ bytes: size, lines: 600, validExamples: 600 });
});

test("a first line of 9 MiB (more than the 8 MiB of batches kept in flight, less than the 16 MiB line limit) is checked like any other", async () => {
  const piece = Buffer.alloc(1 << 20, 0x61);
  function* input() {
    yield Buffer.from("x");
    for (let i = 0; i < 9; i++) yield piece;
    yield Buffer.from(`\n${goodChats(60)}`);
  }
  const r = await fromStdin(Readable.from(input()));
  expect(found(r)).toEqual([[1, "INVALID_JSON"]]);
  expect(r.errors[0].message).toMatch(/^invalid JSON at column 1: unexpected "x"/);
  expect(r.stats.training).toMatchObject({ bytes: 9 * (1 << 20) + 2 + Buffer.byteLength(goodChats(60)), lines: 61, examples: 61, validExamples: 60 });
});

test("stdin with an encoding set (process.stdin.setEncoding) gives the report of its bytes: same lines, same byte count", async () => {
  const content = Buffer.from(`${goodChats(30)}${chatLine(msg("user", "Größe? ¿Qué? 🙂"), msg("assistant", "Ja."))}\n{"bad": }\n\n${goodChats(30, 30)}`);
  const asBytes = await fromStdin(Readable.from([content]));
  const text = new PassThrough();
  text.setEncoding("utf8");
  // Cuts inside multi-byte characters: the decoder carries their halves.
  const cuts = [0, 1000, content.indexOf("ö") + 1, content.indexOf("🙂") + 2, content.length - 1000, content.length];
  expect(cuts).toEqual([...cuts].sort((a, b) => a - b));
  for (let i = 1; i < cuts.length; i++) text.write(Buffer.from(content.subarray(cuts[i - 1], cuts[i])));
  text.end();
  const asText = await fromStdin(text);
  const figures = (r: ValidationReport) => ({ issues: found(r), training: r.stats.training });
  expect(figures(asText)).toEqual(figures(asBytes));
  expect(found(asText)).toEqual([[32, "INVALID_JSON"], [33, "EMPTY_LINE"]]);
  expect(asText.stats.training).toMatchObject({ bytes: content.length, lines: 63, validExamples: 61 });
});

test("a caller's Buffers read through the stdin option are left as they were (only a file stream opened by validateDataset has its reads moved or freed)", async () => {
  // Two reads of their own (Node's pool serves only allocations under 4 KiB), a line spanning
  // them: the first holds whole lines and the start of a line, the second its end and more lines.
  const content = goodChats(120);
  const cut = content.indexOf("\n", content.length >> 1) + 10;
  const reads = [Buffer.from(content.slice(0, cut)), Buffer.from(content.slice(cut))];
  const r = await fromStdin(Readable.from(reads));
  expect(r.stats.training).toMatchObject({ lines: 120, validExamples: 120 });
  expect(reads.map((b) => b.toString())).toEqual([content.slice(0, cut), content.slice(cut)]);
});

test("a read failing right after the first 4 KiB (all of them sniffed) reports the 32 lines in them", async () => {
  /** Line i, padded to 127 characters and its newline: 32 of them are 4 KiB. */
  const line = (i: number) => {
    const short = chatLine(msg("user", `Question ${i}?`), msg("assistant", "ok"));
    return chatLine(msg("user", `Question ${i}?${" ".repeat(127 - short.length)}`), msg("assistant", "ok")) + "\n";
  };
  const first = Array.from({ length: 32 }, (_, i) => line(i)).join("");
  expect(Buffer.byteLength(first)).toBe(4096);
  async function* failing() {
    yield Buffer.from(first);
    throw Object.assign(new Error("device went away"), { code: "EIO" });
  }
  const r = await fromStdin(Readable.from(failing()));
  expect(r.errors.map((e) => [e.line, e.code, e.message])).toEqual([[0, "FILE_UNREADABLE", "reading - failed after 32 lines (EIO: device went away); check the file and try again"]]);
  expect(r.stats.training).toMatchObject({ lines: 32, examples: 32, validExamples: 32 });
});
