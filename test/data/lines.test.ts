/** The streaming line splitter: lines across chunk boundaries, over-long lines, final newline. */
import { readLines } from "../../data/lines";
import { HashSet64, hashBytes } from "../../data/hash-set";
import { locateJsonError } from "../../data/json-error";
import { tempFile, cleanup } from "./helpers";

afterAll(cleanup);

async function collect(content: string, chunk: number, max = 1 << 20) {
  const lines: [number, string][] = [];
  const tooLong: number[] = [];
  const summary = await readLines(tempFile(content), { onLine: (b, s, e, n) => lines.push([n, b.toString("utf8", s, e)]), onTooLong: (n) => tooLong.push(n) }, max, chunk);
  return { lines, tooLong, summary };
}

test("lines split across tiny chunks come out whole and numbered", async () => {
  const content = "alpha\nbeta gamma\n\nδέλτα\nlast";
  for (const chunk of [1, 2, 3, 7, 64]) {
    const { lines, summary } = await collect(content, chunk);
    expect(lines).toEqual([[1, "alpha"], [2, "beta gamma"], [3, ""], [4, "δέλτα"], [5, "last"]]);
    expect(summary).toEqual({ bytes: Buffer.byteLength(content), lines: 5, endsWithNewline: false });
  }
});

test("a line longer than the limit is reported and skipped, not buffered", async () => {
  const content = "ok\n" + "x".repeat(100) + "\nfine\n" + "y".repeat(50);
  const { lines, tooLong, summary } = await collect(content, 8, 20);
  expect(lines).toEqual([[1, "ok"], [3, "fine"]]);
  expect(tooLong).toEqual([2, 4]);
  expect(summary.lines).toBe(4);
});

test("an empty file has no lines and needs no final newline", async () => {
  const { lines, summary } = await collect("", 16);
  expect(lines).toEqual([]);
  expect(summary).toEqual({ bytes: 0, lines: 0, endsWithNewline: true });
});

test("hash set finds identical byte ranges and keeps the first line", () => {
  const set = new HashSet64(2);
  const h = new Uint32Array(2);
  const lines = Array.from({ length: 5000 }, (_, i) => Buffer.from(`{"n": ${i}}`));
  lines.forEach((b, i) => {
    hashBytes(b, 0, b.length, h);
    expect(set.addOrGet(h[0], h[1], i + 1)).toBe(0);
  });
  const again = Buffer.from('xx{"n": 1234}yy');
  hashBytes(again, 2, again.length - 2, h);
  expect(set.get(h[0], h[1])).toBe(1235);
  expect(set.size).toBe(5000);
});

test("JSON error columns count characters, not bytes", () => {
  expect(locateJsonError('{"a": "é", }').column).toBe(12);
  expect(locateJsonError('{"a": 1} {"b": 2}').reason).toMatch(/one example on each line/);
  expect(locateJsonError('{"a": "x\ty"}').reason).toMatch(/escaped/);
});
