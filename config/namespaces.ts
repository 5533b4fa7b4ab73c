/**
 * Config keys whose namespace is a misspelling of ours. Pulumi hands a program every key of
 * every namespace and the program reads only its own, so `llama-finetune-enV:contentSafety`
 * would be silently ignored and the stack deployed with the default. Keys of other namespaces
 * (`azure-native:location`, `pulumi:tags`, ...) are none of our business and are allowed.
 *
 * Pure: no I/O.
 */

/** Letters and digits only, lower-cased: `Llama_FineTune-Env` → `llamafinetuneenv`. */
function squash(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** True when `namespace` is not `ours` but looks like a misspelling of it. */
export function looksLikeNamespace(namespace: string, ours: string): boolean {
  if (namespace === ours) return false;
  const a = squash(namespace);
  const b = squash(ours);
  return a === b || editDistance(a, b) <= 3 || a.startsWith("llama");
}

/** One problem per key of a misspelt namespace, naming the key to use instead. */
export function misspeltNamespaceProblems(keys: readonly string[], ours: string): string[] {
  const problems: string[] = [];
  for (const key of [...keys].sort()) {
    const colon = key.indexOf(":");
    if (colon < 0) continue;
    const namespace = key.slice(0, colon);
    if (!looksLikeNamespace(namespace, ours)) continue;
    problems.push(`${key}: the namespace "${namespace}" is not "${ours}", so Pulumi would hand this key to nobody and it would be ignored; rename it to ${ours}:${key.slice(colon + 1)}`);
  }
  return problems;
}
