/** The tests' disk memo of reference counts (referenceCache.ts): what it reuses, and what it must not. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ReferenceCache } from "./referenceCache";

const dir = mkdtempSync(path.join(os.tmpdir(), "refcache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `c${n++}`, "counts.json");

/** A compute function that records the texts it was asked for. */
function computer(result: (text: string) => number = (t) => t.length) {
  const asked: string[] = [];
  return { asked, fn: (t: string) => (asked.push(t), result(t)) };
}

test("a count is computed once, and read back from disk by the next run", () => {
  const f = file();
  const first = computer();
  const a = new ReferenceCache(f);
  expect([a.count("ns", "hello", first.fn), a.count("ns", "hello", first.fn)]).toEqual([5, 5]);
  expect(first.asked).toEqual(["hello"]);
  a.flush();
  const second = computer(() => 99);
  expect(new ReferenceCache(f).count("ns", "hello", second.fn)).toBe(5);
  expect(second.asked).toEqual([]);
});

test("another namespace or another text (even one differing in a NUL) is computed, not reused", () => {
  const f = file();
  const a = new ReferenceCache(f);
  a.count("ns", "a", () => 1);
  a.flush();
  const c = computer(() => 7);
  const b = new ReferenceCache(f);
  expect([b.count("ns2", "a", c.fn), b.count("ns", "a\0", c.fn), b.count("ns\0a", "", c.fn)]).toEqual([7, 7, 7]);
  expect(c.asked).toEqual(["a", "a\0", ""]);
});

test("flushes of two runs are merged, and a run with nothing new writes nothing", () => {
  const f = file();
  const a = new ReferenceCache(f);
  const b = new ReferenceCache(f);
  a.count("ns", "x", () => 1);
  b.count("ns", "y", () => 2);
  b.flush();
  a.flush();
  const c = computer(() => 0);
  const read = new ReferenceCache(f);
  expect([read.count("ns", "x", c.fn), read.count("ns", "y", c.fn)]).toEqual([1, 2]);
  expect(c.asked).toEqual([]);
  const before = readFileSync(f, "utf8");
  read.flush();
  expect(readFileSync(f, "utf8")).toBe(before);
});

test("a malformed file counts as empty and entries that are not non-negative integers are ignored", () => {
  const f = file();
  const seed = new ReferenceCache(f);
  seed.count("ns", "good", () => 3);
  seed.count("ns", "neg", () => 4);
  seed.count("ns", "frac", () => 5);
  seed.count("ns", "str", () => 6);
  seed.flush();
  const keys = Object.keys(JSON.parse(readFileSync(f, "utf8")) as object);
  expect(keys).toHaveLength(4);
  // Same keys (same namespace and texts), values made invalid: -1, 1.5, "3".
  const stored = JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>;
  const [good, neg, frac, str] = keys;
  writeFileSync(f, JSON.stringify({ [good]: stored[good], [neg]: -1, [frac]: 1.5, [str]: "3" }));
  const c = computer(() => 8);
  const b = new ReferenceCache(f);
  expect(["good", "neg", "frac", "str"].map((t) => b.count("ns", t, c.fn))).toEqual([3, 8, 8, 8]);
  expect(c.asked).toEqual(["neg", "frac", "str"]);

  for (const bad of ["not json", "[1,2]", "null"]) {
    writeFileSync(f, bad);
    const d = computer(() => 9);
    const cache = new ReferenceCache(f);
    expect(cache.count("ns", "good", d.fn)).toBe(9);
    cache.flush();
    expect(Object.values(JSON.parse(readFileSync(f, "utf8")) as object)).toEqual([9]);
  }
});
