/**
 * data/hash-set.ts: the 64-bit line hash depends on the bytes of the range only (not on what is
 * around it, whatever its length), and the open-addressing table finds every hash it holds,
 * through collisions, wrap-around and growth, with the memory its header promises (12 bytes per
 * slot, load factor at most 1/2).
 */
import { HashSet64, hashBytes } from "../../data/hash-set";

const hashOf = (b: Uint8Array, start = 0, end = b.length): [number, number] => {
  const h = new Uint32Array(2);
  hashBytes(b, start, end, h);
  return [h[0], h[1]];
};

test("hash set finds identical byte ranges and keeps the first line", () => {
  const set = new HashSet64(2);
  const lines = Array.from({ length: 5000 }, (_, i) => Buffer.from(`{"n": ${i}}`));
  lines.forEach((b, i) => expect(set.addOrGet(...hashOf(b), i + 1)).toBe(0));
  const again = Buffer.from('xx{"n": 1234}yy');
  expect(set.get(...hashOf(again, 2, again.length - 2))).toBe(1235);
  expect(set.addOrGet(...hashOf(again, 2, again.length - 2), 9999)).toBe(1235);
  expect(set.size).toBe(5000);
});

test("a range's hash is that of its bytes alone, at every length up to 40 and any neighbours", () => {
  const body = Buffer.from("abcdefghijklmnopqrstuvwxyz0123456789ABCD");
  const seen = new Set<string>();
  for (let len = 0; len <= body.length; len++) {
    const alone = hashOf(body.subarray(0, len));
    for (const [before, after] of [["", "\xff\xff\xff\xff\xff\xff\xff\xff"], ["x", "yyyyyyyyy"], ["0123456", "\n"]]) {
      const framed = Buffer.concat([Buffer.from(before, "latin1"), body.subarray(0, len), Buffer.from(after, "latin1")]);
      expect([len, before, hashOf(framed, before.length, before.length + len)]).toEqual([len, before, alone]);
    }
    seen.add(alone.join(" "));
  }
  expect(seen.size).toBe(body.length + 1); // every prefix its own hash
});

describe("HashSet64 as a table (hashes given directly)", () => {
  test("a hash matches only when both halves do", () => {
    const set = new HashSet64(4);
    expect(set.addOrGet(5, 1, 10)).toBe(0);
    expect(set.addOrGet(5, 2, 11)).toBe(0);
    expect(set.addOrGet(6, 1, 12)).toBe(0);
    expect([set.get(5, 1), set.get(5, 2), set.get(6, 1), set.get(6, 2), set.get(7, 7)]).toEqual([10, 11, 12, 0, 0]);
    expect(set.size).toBe(3);
    // Same first half, in the same slot (the second half's multiple of 8 adds nothing to the
    // slot of an 8-slot table): found as different hashes.
    const same = new HashSet64(4);
    expect([same.addOrGet(5, 0, 20), same.addOrGet(5, 8, 21), same.get(5, 8), same.get(5, 0), same.get(5, 16)]).toEqual([0, 0, 21, 20, 0]);
  });

  test("hashes that share a slot are all found, past the end of the table (wrap-around) and after it grows", () => {
    // With h2 = 0 the slot is h1 & mask: every h1 below is slot 7 of an 8-slot table (capacity 4).
    const set = new HashSet64(4);
    const h1s = [7, 15, 23];
    h1s.forEach((h1, i) => expect(set.addOrGet(h1, 0, 100 + i)).toBe(0));
    expect(h1s.map((h1) => set.get(h1, 0))).toEqual([100, 101, 102]);
    expect(set.get(31, 0)).toBe(0);
    // Growing (past 4 entries) re-places them in a 16-slot table, where 7 and 23 still collide.
    [31, 39, 47].forEach((h1, i) => expect(set.addOrGet(h1, 0, 103 + i)).toBe(0));
    expect([...h1s, 31, 39, 47].map((h1) => set.get(h1, 0))).toEqual([100, 101, 102, 103, 104, 105]);
    expect([...h1s, 31, 39, 47].map((h1) => set.addOrGet(h1, 0, 1))).toEqual([100, 101, 102, 103, 104, 105]);
    expect(set.size).toBe(6);
  });

  test("memory: 12 bytes per slot, twice as many slots as entries at most (rounded up to a power of two)", () => {
    expect(new HashSet64(1024).bytes).toBe(2048 * 12);
    expect(new HashSet64(1000).bytes).toBe(2048 * 12);
    expect(new HashSet64(1).bytes).toBe(2 * 12);
    const set = new HashSet64(2);
    const sizes: [number, number][] = [];
    for (let n = 1; n <= 1025; n++) {
      set.addOrGet(n, n * 7, n);
      if ([1, 2, 3, 512, 513, 1024, 1025].includes(n)) sizes.push([n, set.bytes / 12]);
    }
    expect(sizes).toEqual([
      [1, 4],
      [2, 4],
      [3, 8],
      [512, 1024],
      [513, 2048],
      [1024, 2048],
      [1025, 4096],
    ]);
  });
});
