/** The streaming batcher: whole lines across chunk boundaries, over-long lines, file-type sniffing; and the hash set. */
import { Readable } from "node:stream";
import { readBatches } from "../../data/lines";
import { drainBatches } from "./drain";
import { sniffFileType } from "../../data/file-type";
import { locateJsonError } from "../../data/json-error";

/** Feeds `content` in pieces of `piece` bytes, batches with chunks of `chunk` bytes; returns the lines as the checker would see them. */
async function collect(content: string | Buffer, chunk: number, max = 1 << 20, piece = 7) {
  const bytes = Buffer.from(content);
  const pieces = Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => bytes.subarray(i * piece, (i + 1) * piece));
  const { lines: events, fileStarts, summary } = await drainBatches(pieces, max, chunk);
  return { events, fileStarts, summary };
}

test("lines split across tiny chunks come out whole, in order", async () => {
  const content = "alpha\nbeta gamma\n\nδέλτα\nlast";
  for (const chunk of [1, 2, 3, 7, 64]) {
    const { events, summary, fileStarts } = await collect(content, chunk);
    expect(events).toEqual(["alpha", "beta gamma", "", "δέλτα", "last"]);
    expect(summary).toEqual({ bytes: Buffer.byteLength(content), endsWithNewline: false, notText: null });
    expect(fileStarts[0]).toBe(true);
    expect(fileStarts.slice(1).every((f) => !f)).toBe(true);
  }
});

test("a line longer than the limit is one TOO_LONG event, not buffered, and the next lines follow", async () => {
  const content = "ok\n" + "x".repeat(100) + "\nfine\n" + "y".repeat(50);
  const { events, summary } = await collect(content, 8, 20);
  expect(events).toEqual(["ok", "TOO_LONG", "fine", "TOO_LONG"]);
  expect(summary.endsWithNewline).toBe(false);
});

test("an over-long first line: the next batch does not claim to start the file (no BOM check on line 2)", async () => {
  const { events, fileStarts } = await collect("z".repeat(40) + "\nsecond\n", 8, 20);
  expect(events).toEqual(["TOO_LONG", "second"]);
  expect(fileStarts).toEqual([false]);
});

test("a batch marked owned can have its memory moved away at once: every line still comes out whole", async () => {
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${"x".repeat(i % 37)}`);
  const content = Buffer.from(lines.join("\n") + "\n");
  // Separately allocated reads (as a file stream gives them: not from Node's pool), one source buffer cut by the batcher, and small pooled reads.
  const ownRead = (b: Buffer) => {
    const copy = Buffer.allocUnsafeSlow(b.length);
    b.copy(copy);
    return copy;
  };
  const sources: [string, Buffer[], number][] = [
    ["own reads", Array.from({ length: Math.ceil(content.length / 1000) }, (_, i) => ownRead(content.subarray(i * 1000, (i + 1) * 1000))), 1000],
    ["one source buffer", [Buffer.from(content)], 1000],
    ["small reads", Array.from({ length: Math.ceil(content.length / 64) }, (_, i) => Buffer.from(content.subarray(i * 64, (i + 1) * 64))), 64],
  ];
  for (const [name, chunks, size] of sources) {
    const got: string[] = [];
    let owned = 0;
    let spent = 0;
    for await (const e of readBatches(Readable.from(chunks), 1 << 20, undefined, size, true)) {
      if (e.kind !== "lines") continue;
      const text = e.buf.toString("utf8");
      if (e.owned) {
        owned++;
        // What the worker executor does: move the ArrayBuffer. Nothing the reader still needs may be in it.
        structuredClone(e.buf.buffer, { transfer: [e.buf.buffer as ArrayBuffer] });
        expect(e.buf.length).toBe(0);
      }
      // The spent reads go along too (and must not be the batch's own memory).
      spent += e.spent.length;
      for (const b of e.spent) structuredClone(b, { transfer: [b] });
      got.push(...text.replace(/\n$/, "").split("\n"));
    }
    expect({ name, lines: got }).toEqual({ name, lines });
    // Own reads are moved, not copied; the cuts of one shared source buffer never are.
    if (name === "own reads") expect(owned).toBeGreaterThan(0);
    if (name === "one source buffer") expect([owned, spent]).toEqual([0, 0]);
  }
});

test("a line over many reads: the reads it was copied from are spent, the lines after it come out whole", async () => {
  const long = "L".repeat(5000);
  const content = Buffer.from(`a\n${long}\nb\nc\n`);
  const reads = Array.from({ length: Math.ceil(content.length / 1000) }, (_, i) => {
    const b = Buffer.allocUnsafeSlow(Math.min(1000, content.length - i * 1000));
    content.copy(b, 0, i * 1000);
    return b;
  });
  const got: string[] = [];
  let spent = 0;
  for await (const e of readBatches(Readable.from(reads), 1 << 20, undefined, 1000, true)) {
    if (e.kind !== "lines") continue;
    const text = e.buf.toString("utf8");
    if (e.owned) structuredClone(e.buf.buffer, { transfer: [e.buf.buffer as ArrayBuffer] });
    spent += e.spent.length;
    for (const b of e.spent) structuredClone(b, { transfer: [b] });
    got.push(...text.replace(/\n$/, "").split("\n"));
  }
  expect(got).toEqual(["a", long, "b", "c"]);
  // Reads 2 to 5 hold only the long line (read 1 holds "a\n" and its start, read 6 its end and the rest).
  expect(spent).toBeGreaterThanOrEqual(4);
});

test("an empty input has no lines and needs no final newline", async () => {
  const { events, summary } = await collect("", 16);
  expect(events).toEqual([]);
  expect(summary).toEqual({ bytes: 0, endsWithNewline: true, notText: null });
});

test("a binary input stops before any line is yielded", async () => {
  const { events, summary } = await collect(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 10, 65, 10]), 4);
  expect(events).toEqual([]);
  expect(summary.notText?.code).toBe("COMPRESSED_FILE");
});

describe("file type sniffing", () => {
  const utf16le = Buffer.from('{"messages": []}\n', "utf16le");
  const utf = (name: string, tool = name.split(" ")[0]) => `the file is ${name} text, not UTF-8; re-save it as UTF-8 (without a byte-order mark), e.g. iconv -f ${tool} -t UTF-8`;
  const packed = (name: string, tool: string) => `the file is ${name}-compressed; decompress it first (${tool}) and validate the .jsonl inside`;
  test.each([
    ["UTF-16LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]), "UTF16_FILE", utf("UTF-16LE")],
    ["UTF-16LE without BOM", utf16le, "UTF16_FILE", utf("UTF-16LE (no byte-order mark)")],
    ["UTF-16BE with BOM", Buffer.from([0xfe, 0xff, 0, 0x7b]), "UTF16_FILE", utf("UTF-16BE")],
    ["UTF-16BE without BOM", Buffer.from('{"messages": []}\n', "utf16le").swap16(), "UTF16_FILE", utf("UTF-16BE (no byte-order mark)")],
    ["UTF-32LE", Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0]), "UTF16_FILE", utf("UTF-32LE")],
    ["UTF-32BE", Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x7b]), "UTF16_FILE", utf("UTF-32BE")],
    ["gzip", Buffer.from([0x1f, 0x8b, 8, 0]), "COMPRESSED_FILE", packed("gzip", "gunzip FILE")],
    ["zip", Buffer.from("PK\x03\x04rest", "latin1"), "COMPRESSED_FILE", packed("zip", "unzip FILE")],
    ["an empty zip", Buffer.from("PK\x05\x06rest", "latin1"), "COMPRESSED_FILE", packed("zip", "unzip FILE")],
    ["bzip2 (level 9)", Buffer.from("BZh91AY&SYrest", "latin1"), "COMPRESSED_FILE", packed("bzip2", "bunzip2 FILE")],
    ["bzip2 (level 1)", Buffer.from("BZh11AY&SYrest", "latin1"), "COMPRESSED_FILE", packed("bzip2", "bunzip2 FILE")],
    ["xz", Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 1]), "COMPRESSED_FILE", packed("xz", "unxz FILE")],
    ["zstd", Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1]), "COMPRESSED_FILE", packed("zstd", "unzstd FILE")],
    ["NUL byte", Buffer.from('{"a": 1}\n\0', "latin1"), "BINARY_FILE", "the file is binary (a NUL byte at offset 9), not JSON Lines text; export the dataset as UTF-8 JSON Lines"],
    ["control bytes", Buffer.from([1, 2, 3, 4, 5, 6, 65, 66]), "BINARY_FILE", "the file is binary (6 control bytes in its first 8), not JSON Lines text; export the dataset as UTF-8 JSON Lines"],
    ["one control byte in nine", Buffer.from([1, 65, 66, 67, 68, 69, 70, 71, 72]), "BINARY_FILE", "the file is binary (1 control bytes in its first 9), not JSON Lines text; export the dataset as UTF-8 JSON Lines"],
  ])("%s", (_name, head, code, message) => {
    expect(sniffFileType(head)).toEqual({ code, message });
  });

  test.each([
    ["JSON Lines", '{"messages": []}\n'],
    ["UTF-8 with BOM", "\ufeff{}"],
    ["text starting with BZh", "BZh is not bzip2\n"],
    ["BZh with a level of 0 (no bzip2 level)", "BZh01AY&SY and more text\n"],
    ["BZh9 without the block magic", "BZh91AY&SX and more text\n"],
    ["one control byte in ten", "\x01bcdefghij"],
    ["tabs, form feeds and escapes", "\t{}\f\x1b[0m\n"],
    ["empty", ""],
  ])("%s is text", (_name, text) => {
    expect(sniffFileType(Buffer.from(text, "latin1"))).toBeNull();
  });
});

test("JSON error columns count characters, not bytes", () => {
  expect(locateJsonError('{"a": "é", }').column).toBe(12);
  expect(locateJsonError('{"a": 1} {"b": 2}').reason).toMatch(/one example on each line/);
  expect(locateJsonError('{"a": "x\ty"}').reason).toMatch(/escaped/);
});
