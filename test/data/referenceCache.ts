/**
 * A disk memo of the reference tokenizers' counts, for the tests only (reference.ts uses it).
 *
 * The reference libraries are 5-20 times slower than the counters they check (llama3-tokenizer-js
 * took 3.7 s on the adversarial texts where the Llama 3 counter took 0.2 s), and a mutation run
 * (`npm run mutate`) runs the same token tests once per mutant: most of each run went into
 * recomputing the same reference counts. The memo keeps each count under a SHA-256 of its
 * namespace (library, version and the wrapper's own source, so a change to any of them starts a
 * new namespace) and the exact text, in node_modules/.cache (never committed; a fresh clone starts
 * empty and computes every count live). Entries found on disk are used only if they are
 * non-negative integers; an unreadable or malformed file counts as empty and is rewritten.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export class ReferenceCache {
  private entries: Map<string, number> | undefined;
  private readonly added = new Map<string, number>();

  constructor(private readonly file: string) {}

  /** The count stored for `text` in `namespace`, else `compute(text)` (stored for the next run). */
  count(namespace: string, text: string, compute: (text: string) => number): number {
    // The namespace's length first: "ns\0a" + "" and "ns" + "a\0" must not share a key.
    const key = createHash("sha256").update(`${namespace.length}:${namespace}`).update(text).digest("base64url");
    const entries = (this.entries ??= this.load());
    const known = entries.get(key);
    if (known !== undefined) return known;
    const n = compute(text);
    entries.set(key, n);
    this.added.set(key, n);
    return n;
  }

  /** Writes the counts computed since the last flush, merged with what other processes wrote meanwhile. */
  flush(): void {
    if (this.added.size === 0) return;
    const merged = this.load();
    for (const [k, v] of this.added) merged.set(k, v);
    mkdirSync(path.dirname(this.file), { recursive: true });
    // Written beside it and renamed: a reader in another Jest worker sees the old file or the new one.
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(merged)));
    renameSync(tmp, this.file);
    this.added.clear();
  }

  private load(): Map<string, number> {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, "utf8"));
    } catch {
      return new Map();
    }
    const out = new Map<string, number>();
    if (raw && typeof raw === "object" && !Array.isArray(raw)) {
      for (const [k, v] of Object.entries(raw)) if (Number.isSafeInteger(v) && (v as number) >= 0) out.set(k, v as number);
    }
    return out;
  }
}
