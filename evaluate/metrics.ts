/**
 * Scores of a model answer against the reference answer, and the summary statistics of a run.
 * Pure functions.
 *
 * Exact match and token-level F1 follow the SQuAD evaluation script (Rajpurkar et al., 2016):
 * both texts are normalised (lower case, punctuation removed, the articles a/an/the removed,
 * whitespace collapsed) and split on whitespace; F1 is over the multiset of shared tokens.
 * ROUGE-L (Lin, 2004) is the F-measure (β = 1) of the longest common subsequence of the same
 * tokens: precision LCS/|answer|, recall LCS/|reference|. Using one tokenisation for all three
 * keeps the numbers comparable with each other.
 */

/** SQuAD's normalize_answer. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, "")
    .replace(/\b(a|an|the)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function tokens(text: string): string[] {
  const n = normalize(text);
  return n === "" ? [] : n.split(" ");
}

export function exactMatch(answer: string, reference: string): number {
  return normalize(answer) === normalize(reference) ? 1 : 0;
}

export function tokenF1(answer: string, reference: string): number {
  const a = tokens(answer);
  const r = tokens(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of a) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / a.length;
  const recall = common / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    prev = row;
  }
  return prev[b.length]!;
}

export function rougeL(answer: string, reference: string): number {
  const a = tokens(answer);
  const r = tokens(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const lcs = lcsLength(a, r);
  if (lcs === 0) return 0;
  const precision = lcs / a.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Nearest-rank percentile (p in 0..1) of the values; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((s, v) => s + v, 0) / values.length;
}
