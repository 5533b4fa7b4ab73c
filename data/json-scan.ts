/**
 * What JSON.parse accepts without a word but a training pipeline should hear about:
 * - duplicate keys (`{"role": "user", "role": "assistant"}`: the parser keeps the last, as
 *   Python's does, so the example silently says something else than its text);
 * - lone UTF-16 surrogates from `\ud800`-style escapes (not characters: replaced by U+FFFD or
 *   refused, depending on the tool);
 * - NUL characters from `\u0000` escapes (the end of the text for many tools).
 * The fast tests run on the text of every line and cost a few string searches per line; the
 * precise (slower) locators only run on the rare line a fast test flags.
 */
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Keys in the JSON text (which JSON.parse accepted): strings followed by ':'. */
export function countTextKeys(text: string): number {
  let keys = 0;
  const end = text.length;
  let i = text.indexOf('"');
  while (i >= 0) {
    // Find the closing quote: one not preceded by an odd number of backslashes.
    let j = text.indexOf('"', i + 1);
    for (;;) {
      if (j < 0) return keys;
      let b = 0;
      while (text.charCodeAt(j - 1 - b) === BACKSLASH) b++;
      if ((b & 1) === 0) break;
      j = text.indexOf('"', j + 1);
    }
    let k = j + 1;
    while (k < end && isWs(text.charCodeAt(k))) k++;
    if (text.charCodeAt(k) === COLON) keys++;
    i = text.indexOf('"', j + 1);
  }
  return keys;
}

/** Own keys of every object in a parsed JSON value (iterative: a value may nest a million levels deep). */
export function countValueKeys(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let keys = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === "object") stack.push(x);
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        keys++;
        const x = o[k];
        if (x !== null && typeof x === "object") stack.push(x);
      }
    }
  }
  return keys;
}

export interface DuplicateKey {
  key: string;
  /** 1-based column (in UTF-16 units) of the second occurrence. */
  column: number;
}

/** The first duplicate key of the JSON text (valid JSON), or null. A linear scan with one key set per open object. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const objects: (Set<string> | null)[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 123) {
      objects.push(new Set());
      i++;
    } else if (c === 91) {
      objects.push(null);
      i++;
    } else if (c === 125 || c === 93) {
      objects.pop();
      i++;
    } else if (c === QUOTE) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== QUOTE) j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
      let k = j + 1;
      while (k < n && isWs(text.charCodeAt(k))) k++;
      const keys = objects[objects.length - 1];
      if (k < n && text.charCodeAt(k) === COLON && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return { key, column: i + 1 };
        keys.add(key);
      }
      i = j + 1;
    } else {
      i++;
    }
  }
  return null;
}

/**
 * Fast test on the line's text: could it hold a `\\u` escape of a surrogate (`\\ud800`-`\\udfff`)
 * or of NUL (`\\u0000`)? One search per `\\u` in the line (most lines have none); false
 * positives are fine, the parsed strings are then checked exactly.
 */
export function suspiciousEscapes(text: string): { surrogate: boolean; nul: boolean } | null {
  let found: { surrogate: boolean; nul: boolean } | null = null;
  for (let i = text.indexOf("\\u"); i >= 0; i = text.indexOf("\\u", i + 2)) {
    const d = text.charCodeAt(i + 2) | 0x20;
    const e = text.charCodeAt(i + 3) | 0x20;
    if (d === 0x64 && ((e >= 0x38 && e <= 0x39) || (e >= 0x61 && e <= 0x66))) (found ??= { surrogate: false, nul: false }).surrogate = true;
    else if (text.startsWith("0000", i + 2)) (found ??= { surrogate: false, nul: false }).nul = true;
  }
  return found;
}

/** Visits every string (keys included) of a parsed value until `visit` returns true; iterative. */
export function someString(value: unknown, visit: (s: string) => boolean): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (visit(v)) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (visit(k)) return true;
        stack.push(o[k]);
      }
    }
  }
  return false;
}

/** `String.prototype.isWellFormed` (ES2024, in Node 20; not yet in TypeScript's ES2022 lib). */
export function isWellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}
