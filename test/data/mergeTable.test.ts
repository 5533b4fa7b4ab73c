/**
 * data/tokens/merge-table.ts as a table: every merge added is found with its rank and result,
 * pairs never added are not (whatever they share with one that was), a pair listed twice keeps
 * its last priority in one slot (as the libraries' Maps do), and a table handed over as its
 * slots (to a worker thread) or built shared finds the same.
 */
import { MergeTable } from "../../data/tokens/merge-table";
import { rng } from "./texts";

/** `n` distinct random pairs over `tokens` tokens, with ranks and results. */
function randomMerges(n: number, tokens: number, seed: number): [number, number, number, number][] {
  const rand = rng(seed);
  const seen = new Set<string>();
  const out: [number, number, number, number][] = [];
  while (out.length < n) {
    const a = Math.floor(rand() * tokens);
    const b = Math.floor(rand() * tokens);
    if (seen.has(`${a} ${b}`)) continue;
    seen.add(`${a} ${b}`);
    out.push([a, b, out.length, tokens + out.length]);
  }
  return out;
}

const lookup = (t: MergeTable, a: number, b: number): [number, number] | null => {
  const i = t.find(a, b);
  return i < 0 ? null : [t.slots[i + 2], t.slots[i + 3]];
};

test("every merge is found with its rank and result, at the table's full load, and no other pair is", () => {
  // 716 merges fill the smallest table (1,024 slots) to 0.7: long probe runs, many shared slots.
  for (const [n, tokens] of [[716, 40], [5000, 100], [3000, 3000]]) {
    const merges = randomMerges(n, tokens, n);
    const t = new MergeTable(n);
    for (const [a, b, rank, result] of merges) t.add(a, b, rank, result);
    const wrong = merges.filter(([a, b, rank, result]) => JSON.stringify(lookup(t, a, b)) !== JSON.stringify([rank, result]));
    expect([n, wrong]).toEqual([n, []]);
    const added = new Set(merges.map(([a, b]) => `${a} ${b}`));
    const absent: string[] = [];
    for (let a = 0; a < 40; a++) for (let b = 0; b < 40; b++) if (!added.has(`${a} ${b}`) && t.find(a, b) !== -1) absent.push(`${a} ${b}`);
    expect([n, absent]).toEqual([n, []]);
  }
});

test("a pair listed twice keeps its last rank and result, in one slot", () => {
  const merges = randomMerges(700, 30, 3);
  const t = new MergeTable(700);
  for (const [a, b, rank, result] of merges) t.add(a, b, rank, result);
  for (const [a, b] of merges.slice(0, 50)) t.add(a, b, 99_999, 88_888);
  expect(merges.slice(0, 50).map(([a, b]) => lookup(t, a, b))).toEqual(Array(50).fill([99_999, 88_888]));
  expect(merges.slice(50).every(([a, b, rank, result]) => JSON.stringify(lookup(t, a, b)) === JSON.stringify([rank, result]))).toBe(true);
  let used = 0;
  for (let i = 0; i < t.slots.length; i += 4) if (t.slots[i] !== -1) used++;
  expect(used).toBe(700);
});

test("a table built shared, or rebuilt from another's slots, finds the same", () => {
  const merges = randomMerges(2000, 60, 9);
  const shared = new MergeTable(2000, true);
  for (const [a, b, rank, result] of merges) shared.add(a, b, rank, result);
  const kind = (t: MergeTable) => Object.prototype.toString.call(t.slots.buffer); // realm-independent, unlike instanceof under Jest
  expect([kind(shared), kind(new MergeTable(10))]).toEqual(["[object SharedArrayBuffer]", "[object ArrayBuffer]"]);
  const handed = new MergeTable(shared.slots);
  expect(merges.map(([a, b]) => lookup(handed, a, b))).toEqual(merges.map(([, , rank, result]) => [rank, result]));
  expect(handed.find(59, 61)).toBe(-1);
});
