/**
 * data/line-check.ts: what one line is before any format check (blank, BOM, its line ending),
 * seen through the report: the verdict, code and line; and LineChecker's contract with the
 * batch code that reuses it (each buffer's own bytes hashed, the batch let go of afterwards).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { validateDataset } from "../../data";
import { processBatch } from "../../data/batch";
import { hashBytes } from "../../data/hash-set";
import { LineChecker, type LineSink } from "../../data/line-check";
import { defaultModel } from "../../config/models";
import { cleanup, goodChat, goodChats, found, tempFile, validatePadded as run, messagesOf as message } from "./helpers";

afterAll(cleanup);

const chatModel = defaultModel();
const EMPTY = "empty line (skipped); remove it so that every line is one example";

describe("blank lines", () => {
  test("a line of spaces, tabs, vertical tabs, form feeds or carriage returns is an EMPTY_LINE warning, counted as an empty line and not as an example", async () => {
    const blanks = [" ", "\t", "\v", "\f", "\r", " \r ", "\t\v\f\r \r"];
    const r = await run(blanks.join("\n") + "\n");
    expect(found(r)).toEqual(blanks.map((_, i) => [i + 1, "EMPTY_LINE"]));
    expect(message(r, "EMPTY_LINE")).toEqual(Array(blanks.length).fill(EMPTY));
    expect(r.valid).toBe(true);
    expect(r.stats.training).toMatchObject({ lines: 67, emptyLines: 7, examples: 60, validExamples: 60 });
  });

  test("a first line that is only a byte-order mark is a BOM warning and an empty line, with LF or CRLF", async () => {
    for (const ending of ["\n", "\r\n"]) {
      const r = await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ending + goodChat(1) + "\n")]));
      expect([ending, found(r)]).toEqual([ending, [[1, "BOM"], [1, "EMPTY_LINE"]]]);
      expect(r.stats.training).toMatchObject({ lines: 62, emptyLines: 1, examples: 61, validExamples: 61 });
    }
  });
});

describe("line endings", () => {
  test("an example is the same whatever its line ending: a CRLF copy of an LF line is a DUPLICATE_EXAMPLE, and the other way round", async () => {
    const r = await run(goodChat(1) + "\r\n" + goodChat(1) + "\n" + goodChat(2) + "\n" + goodChat(2) + "\r\n");
    expect(found(r)).toEqual([[2, "DUPLICATE_EXAMPLE"], [4, "DUPLICATE_EXAMPLE"]]);
    expect(message(r, "DUPLICATE_EXAMPLE")).toEqual([1, 3].map((l) => `duplicate of line ${l}; remove the copy (duplicates weigh that example more in training)`));
    expect(r.stats.training).toMatchObject({ lines: 64, emptyLines: 0, examples: 64, validExamples: 64 });
  });

  test("a training file saved with CRLF (Windows) and a validation file with LF share their examples: TRAIN_VALIDATION_OVERLAP", async () => {
    const training = tempFile(goodChats(60).replace(/\n/g, "\r\n"));
    const validation = tempFile(goodChat(500) + "\n" + goodChat(7) + "\n");
    const r = await validateDataset({ trainingFile: training, validationFile: validation, model: chatModel, countTokens: false });
    expect(r.warnings.map((w) => [w.file, w.line, w.code, w.message])).toEqual([
      [validation, 2, "TRAIN_VALIDATION_OVERLAP", "the same example is line 8 of the training file; remove it from one of the two files so validation measures unseen data"],
    ]);
    expect(r.errors).toEqual([]);
  });
});

/** A sink that keeps the codes reported and the hashes of the valid lines. */
function recorder(): LineSink & { codes: string[]; hashes: [number, number][] } {
  const codes: string[] = [];
  const hashes: [number, number][] = [];
  return { codes, hashes, report: (code) => void codes.push(code), valid: (hash) => void hashes.push([hash[0], hash[1]]) };
}

const hashOf = (text: string): [number, number] => {
  const out = new Uint32Array(2);
  hashBytes(Buffer.from(text), 0, Buffer.byteLength(text), out);
  return [out[0], out[1]];
};

describe("LineChecker, reused from batch to batch", () => {
  // goodChat(1) and goodChat(2) have the same length: a buffer of one has the shape of the other's.
  const [a, b] = [goodChat(1), goodChat(2)];

  test("each line is hashed from the buffer it comes in: another ArrayBuffer, another offset or another length of the same one", () => {
    const n = a.length;
    expect(b.length).toBe(n);
    const fill = (buf: Buffer, at: number, text: string) => (buf.write(text, at, "latin1"), buf);
    const cases: [string, Buffer, Buffer, number][] = [];
    // Two ArrayBuffers, same offset and length.
    cases.push(["other ArrayBuffer", fill(Buffer.alloc(n), 0, a), fill(Buffer.alloc(n), 0, b), 0]);
    // One ArrayBuffer, two views of the same length at different offsets.
    const shared = fill(fill(Buffer.alloc(2 * n), 0, a), n, b);
    cases.push(["other offset", shared.subarray(0, n), shared.subarray(n), 0]);
    // One ArrayBuffer and offset, the second view longer (the line beyond the first view's end).
    const grown = fill(fill(Buffer.alloc(2 * n), 0, a), n, b);
    cases.push(["other length", grown.subarray(0, n), grown, n]);
    for (const [name, first, second, at] of cases) {
      const checker = new LineChecker({ model: chatModel, countTokens: false });
      const sink = recorder();
      checker.check(first, 0, n, null, true, false, sink);
      checker.check(second, at, at + n, null, true, false, sink);
      expect([name, sink.codes, sink.hashes]).toEqual([name, [], [hashOf(a), hashOf(b)]]);
    }
  });

  test("a batch whose last line has no newline checks that line on its own, after the others", () => {
    const checker = new LineChecker({ model: chatModel, countTokens: false });
    const r = processBatch(Buffer.from(goodChat(1) + "\n" + goodChat(2) + "\r\n" + goodChat(3)), true, checker, 10);
    expect([r.lines, r.examples, r.validCount, r.issues]).toEqual([3, 3, 3, []]);
  });

  test("once a batch is checked, the checker no longer holds its memory (batchDone)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const checker = new LineChecker({ model: chatModel, countTokens: false });
    const batch = () => {
      // Not from Buffer's shared pool: an ArrayBuffer of its own, held by nothing but the batch.
      const buf = Buffer.alloc(4096, 32);
      buf.write(goodChat(1) + "\n");
      const result = processBatch(buf, true, checker, 10);
      return { ref: new WeakRef(buf.buffer), valid: result.validCount };
    };
    const { ref, valid } = batch();
    expect(valid).toBe(1);
    // A WeakRef's target stays alive until the current job ends; then a full collection frees it.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(ref.deref()).toBeUndefined();
  });
});
