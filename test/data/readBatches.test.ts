/**
 * The streaming batcher (data/lines.ts) at its edges: a line of exactly the limit wherever its
 * newline falls, carried lines that start in the middle of a read or end the input, which reads
 * are handed on as spent, text chunks, and the sniffed window when reads are small.
 */
import { Readable } from "node:stream";
import { readBatches, type ReadSummary } from "../../data/lines";
import { drainBatches } from "./drain";

/** The lines `readBatches` yields for `content` ("TOO_LONG" for a skipped one), given as one buffer cut into chunks of `chunk` bytes. */
async function linesOf(content: string, chunk: number, max: number): Promise<{ lines: string[]; summary: ReadSummary }> {
  const { lines, summary } = await drainBatches([Buffer.from(content)], max, chunk);
  return { lines, summary };
}

describe("the line limit counts a line's bytes without its newline, wherever the reads cut it", () => {
  // Chunks of 8 bytes, limit 16: a 16-byte line is kept whole, a 17-byte line is one TOO_LONG.
  const at = (n: number) => "a".repeat(n);
  test.each([
    ["starts a read; its newline starts the read after its last byte", `${at(16)}\n${"b".repeat(7)}\n`, [at(16), "b".repeat(7)]],
    ["starts a read; its newline starts the read after its last byte (one byte more)", `${at(17)}\n${"b".repeat(6)}\n`, ["TOO_LONG", "b".repeat(6)]],
    ["starts in the middle of a read, after a short line", `x\n${at(16)}\ny\n`, ["x", at(16), "y"]],
    ["starts in the middle of a read, after a short line (one byte more)", `x\n${at(17)}\ny\n`, ["x", "TOO_LONG", "y"]],
    ["is the unterminated last line", `ok\n${at(16)}`, ["ok", at(16)]],
    ["is the unterminated last line (one byte more)", `ok\n${at(17)}`, ["ok", "TOO_LONG"]],
  ])("a line that %s", async (_name, content, lines) => {
    const got = await linesOf(content, 8, 16);
    expect(got.lines).toEqual(lines);
    expect(got.summary.bytes).toBe(Buffer.byteLength(content));
  });
});

describe("reads of their own (as a file stream gives them) handed on as spent", () => {
  /** Each text as a separately allocated read: its Buffer spans its whole ArrayBuffer. */
  const ownReads = (...texts: string[]) =>
    texts.map((t) => {
      const b = Buffer.allocUnsafeSlow(Buffer.byteLength(t));
      b.write(t);
      return b;
    });

  /** Each batch's lines, and its spent reads as indexes into `reads` (-1: memory that is not one of the reads). */
  async function batches(reads: Buffer[]) {
    const out: { lines: string | "TOO_LONG"; spent: number[] }[] = [];
    for await (const e of readBatches(Readable.from(reads), 10, undefined, 64, true)) {
      if (e.kind === "tooLong") {
        out.push({ lines: "TOO_LONG", spent: [] });
        continue;
      }
      out.push({ lines: e.buf.toString("utf8"), spent: e.spent.map((b) => reads.findIndex((r) => r.buffer === b)) });
      // What a worker does with them: move them away. The lines after them must not depend on them.
      for (const b of e.spent) structuredClone(b, { transfer: [b] });
    }
    return out;
  }

  test("a read that only finishes a carried line is spent with that line, as is every read the line filled", async () => {
    expect(await batches(ownReads("abc", "def\ngh", "i\n", "jk", "l\nm\n"))).toEqual([
      { lines: "abcdef\n", spent: [0, 1] },
      // The line's first part was copied out of read 1 (which holds "def\n" too): only read 2 is spent.
      { lines: "ghi\n", spent: [2] },
      // Read 4 holds a line of its own after the carried one: it is that batch's memory, not spent.
      { lines: "jkl\n", spent: [3] },
      { lines: "m\n", spent: [] },
    ]);
  });

  test("an over-long line that ends in a read holding nothing else: one TOO_LONG, and the next line comes out whole", async () => {
    expect(await batches(ownReads("xxxxxxxx", "xxxxxxxx", "xx\nok", "\n"))).toEqual([
      { lines: "TOO_LONG", spent: [] },
      { lines: "ok\n", spent: [3] },
    ]);
  });

  test("an unterminated last line over several reads: the reads it filled are spent, its first part (copied) is not", async () => {
    expect(await batches(ownReads("a\nbb", "cccc", "dd"))).toEqual([
      { lines: "a\n", spent: [] },
      { lines: "bbccccdd", spent: [1, 2] },
    ]);
  });
});

test("text chunks (a stream with an encoding set) are read as their UTF-8 bytes", async () => {
  const chunks = ["héllo\nwör", "ld\n", "", "last"];
  const events: string[] = [];
  const gen = readBatches(Readable.from(chunks), 1 << 20, undefined, 4);
  let summary: ReadSummary | undefined;
  for (let next = await gen.next(); ; next = await gen.next()) {
    if (next.done) {
      summary = next.value;
      break;
    }
    if (next.value.kind === "lines") events.push(next.value.buf.toString("utf8"));
  }
  expect(events.join("").split("\n")).toEqual(["héllo", "wörld", "last"]);
  expect(summary).toEqual({ bytes: Buffer.byteLength(chunks.join("")), endsWithNewline: false, notText: null });
});

describe("the file type is sniffed from the first 4 KiB, however small the reads", () => {
  const sniffed = async (content: Buffer, piece: number) => {
    const reads = Array.from({ length: Math.ceil(content.length / piece) }, (_, i) => content.subarray(i * piece, (i + 1) * piece));
    let yielded = 0;
    const gen = readBatches(Readable.from(reads), 1 << 20, undefined, 1 << 20);
    for (;;) {
      const next = await gen.next();
      if (next.done) return { yielded, summary: next.value };
      yielded++;
    }
  };

  test("a NUL byte in the seventh 7-byte read is found at its offset, and no line is yielded", async () => {
    const content = Buffer.from(`${'{"a": 1}\n'.repeat(5)}\0${"b\n".repeat(10)}`, "latin1");
    const { yielded, summary } = await sniffed(content, 7);
    expect(yielded).toBe(0);
    expect(summary).toEqual({
      bytes: content.length,
      endsWithNewline: true,
      notText: { code: "BINARY_FILE", message: "the file is binary (a NUL byte at offset 45), not JSON Lines text; export the dataset as UTF-8 JSON Lines" },
    });
  });

  test("gzip given one byte a read is still named", async () => {
    const { yielded, summary } = await sniffed(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 10, 10]), 1);
    expect([yielded, summary.notText?.code]).toEqual([0, "COMPRESSED_FILE"]);
  });

  test("a NUL byte after the first 4 KiB is not sniffed: the lines are read", async () => {
    const content = Buffer.from(`${"x".repeat(4095)}\n\0\n`, "latin1");
    const { yielded, summary } = await sniffed(content, 1000);
    expect(yielded).toBeGreaterThan(0);
    expect(summary).toEqual({ bytes: 4098, endsWithNewline: true, notText: null });
  });
});
