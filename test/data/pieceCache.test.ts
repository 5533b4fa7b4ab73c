/**
 * data/tokens/piece-cache.ts as tables: a count comes back only for the very same piece (same
 * units, not merely the same hash, length or packed key), found through shared slots and
 * wrap-around, at any offset of the string it is read from; and each table starts over when half
 * full (PieceCache also when its text pool is used up), so its memory stays fixed.
 */
import { hashUnits, MAX_CACHED_UNITS, PieceCache, SmallPieceCache } from "../../data/tokens/piece-cache";

test("hashUnits is 32-bit FNV-1a (the standard test vectors, over UTF-16 units), of the range given", () => {
  expect([hashUnits("", 0, 0), hashUnits("a", 0, 1), hashUnits("foobar", 0, 6), hashUnits("xxfoobarxx", 2, 8)]).toEqual([0x811c9dc5 | 0, 0xe40c292c | 0, 0xbf9cf968 | 0, 0xbf9cf968 | 0]);
});

describe("PieceCache", () => {
  test("a hit needs the same units: same hash and length with other text is a miss", () => {
    const cache = new PieceCache();
    const h = 12345; // given, not computed: every piece below shares it, and so its slot
    cache.set("abc", 0, 3, h, 1);
    cache.set("abd", 0, 3, h, 2);
    cache.set("ab", 0, 2, h, 3);
    expect([cache.get("abc", 0, 3, h), cache.get("abd", 0, 3, h), cache.get("ab", 0, 2, h), cache.get("abe", 0, 3, h), cache.get("xab", 0, 3, h)]).toEqual([1, 2, 3, -1, -1]);
    // At any offset: the piece "abd" inside a longer string.
    expect(cache.get("zzabdzz", 2, 5, h)).toBe(2);
    expect(cache.get("abc", 0, 3, h + 1)).toBe(-1);
  });

  test("a piece is found in place whatever text follows it, even the piece cached right after it, and wherever it was cached from", () => {
    // How the counters use it: the pieces of a text are cached one after the other (so the text
    // pool holds them end to end), and the same text counted again looks each one up in place.
    const cache = new PieceCache();
    const s = "hello world again";
    const at = (a: number, b: number) => [s.slice(a, b), a, b, hashUnits(s, a, b)] as const;
    const pieces = [at(0, 5), at(5, 11), at(11, 17)];
    pieces.forEach(([, a, b, h], i) => cache.set(s, a, b, h, 10 + i));
    expect(pieces.map(([, a, b, h]) => cache.get(s, a, b, h))).toEqual([10, 11, 12]);
    // The same pieces in other strings, at other offsets, followed by other text or by nothing.
    expect(pieces.map(([p, , , h]) => cache.get(`>${p}`, 1, 1 + p.length, h))).toEqual([10, 11, 12]);
    expect(pieces.map(([p, , , h]) => cache.get(`${p}?`, 0, p.length, h))).toEqual([10, 11, 12]);
  });

  test("pieces in the last slot wrap around to the first", () => {
    const cache = new PieceCache();
    const last = (1 << 16) - 1;
    ["p", "q", "r"].forEach((s, i) => cache.set(s, 0, 1, last, 10 + i));
    expect(["p", "q", "r", "s"].map((s) => cache.get(s, 0, 1, last))).toEqual([10, 11, 12, -1]);
  });

  test("it starts over when half its slots are used: everything before is forgotten", () => {
    const cache = new PieceCache();
    const key = (i: number) => `k${i}`;
    const n = 1 << 15; // half of the slots
    for (let i = 0; i < n; i++) cache.set(key(i), 0, key(i).length, hashUnits(key(i), 0, key(i).length), i);
    const found = (i: number) => cache.get(key(i), 0, key(i).length, hashUnits(key(i), 0, key(i).length));
    expect([found(0), found(n - 1)]).toEqual([0, n - 1]);
    cache.set("new", 0, 3, hashUnits("new", 0, 3), 7);
    expect([found(0), found(n - 1), cache.get("new", 0, 3, hashUnits("new", 0, 3))]).toEqual([-1, -1, 7]);
  });

  test("it starts over when its text pool (2^20 units) would overflow", () => {
    const cache = new PieceCache();
    const key = (i: number) => `${i}`.padStart(MAX_CACHED_UNITS, "x");
    const fit = Math.floor((1 << 20) / MAX_CACHED_UNITS); // 21,845 pieces: fewer than half the slots
    for (let i = 0; i < fit; i++) cache.set(key(i), 0, MAX_CACHED_UNITS, hashUnits(key(i), 0, MAX_CACHED_UNITS), 1);
    const found = (i: number) => cache.get(key(i), 0, MAX_CACHED_UNITS, hashUnits(key(i), 0, MAX_CACHED_UNITS));
    expect([found(0), found(fit - 1)]).toEqual([1, 1]);
    // 16 more units fill the pool exactly: still no need to start over.
    const last = "y".repeat((1 << 20) - fit * MAX_CACHED_UNITS);
    cache.set(last, 0, last.length, hashUnits(last, 0, last.length), 3);
    expect([found(0), found(fit - 1), cache.get(last, 0, last.length, hashUnits(last, 0, last.length))]).toEqual([1, 1, 3]);
    cache.set(key(fit), 0, MAX_CACHED_UNITS, hashUnits(key(fit), 0, MAX_CACHED_UNITS), 2);
    expect([found(0), found(fit - 1), found(fit)]).toEqual([-1, -1, 2]);
  });
});

describe("SmallPieceCache", () => {
  test("keys differing in length or in either packed half are different pieces", () => {
    const cache = new SmallPieceCache();
    cache.set(1, 2, 3, 100);
    cache.set(1, 2, 4, 101);
    cache.set(1, 9, 3, 102);
    cache.set(9, 2, 3, 103);
    expect([cache.get(1, 2, 3), cache.get(1, 2, 4), cache.get(1, 9, 3), cache.get(9, 2, 3), cache.get(9, 9, 3), cache.get(1, 2, 5)]).toEqual([100, 101, 102, 103, -1, -1]);
  });

  test("at half load every key is found, and the next one starts it over", () => {
    const cache = new SmallPieceCache();
    const n = 1 << 13; // half of the 2^14 slots: many keys share slots
    for (let i = 0; i < n; i++) cache.set(i, i * 31, 1 + (i % 8), i);
    const wrong: number[] = [];
    for (let i = 0; i < n; i++) if (cache.get(i, i * 31, 1 + (i % 8)) !== i) wrong.push(i);
    expect(wrong).toEqual([]);
    // Keys that differ from a stored one in one field only, probing through shared slots: misses.
    const hits: string[] = [];
    for (let i = 0; i < n; i++) {
      for (const [k1, k2, len] of [[i, i * 31, 1 + ((i + 1) % 8)], [i, i * 31 + 1, 1 + (i % 8)], [i + n, i * 31, 1 + (i % 8)]]) {
        if (cache.get(k1, k2, len) !== -1) hits.push(`${k1} ${k2} ${len}`);
      }
    }
    expect(hits).toEqual([]);
    cache.set(-5, -5, 8, 42);
    expect([cache.get(0, 0, 1), cache.get(n - 1, (n - 1) * 31, 1 + ((n - 1) % 8)), cache.get(-5, -5, 8)]).toEqual([-1, -1, 42]);
  });
});
