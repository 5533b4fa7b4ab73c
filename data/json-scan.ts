/**
 * What JSON.parse accepts without a word but a training pipeline should hear about:
 * - duplicate keys (`{"role": "user", "role": "assistant"}`: the parser keeps the last, as
 *   Python's does, so the example silently says something else than its text);
 * - lone UTF-16 surrogates from `\ud800`-style escapes (not characters: replaced by U+FFFD or
 *   refused, depending on the tool);
 * - NUL characters from `\u0000` escapes (the end of the text for many tools).
 * The fast tests run on the raw bytes of every line and cost a few searches per line; the
 * precise (slower) locators only run on the rare line the fast test flags.
 */
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Keys in the JSON text buf[start, end) (which JSON.parse accepted): strings followed by ':'. */
export function countTextKeys(buf: Buffer, start: number, end: number): number {
  let keys = 0;
  let i = buf.indexOf(QUOTE, start);
  while (i >= 0 && i < end) {
    // Find the closing quote: one not preceded by an odd number of backslashes.
    let j = buf.indexOf(QUOTE, i + 1);
    for (;;) {
      if (j < 0 || j >= end) return keys;
      let b = 0;
      while (buf[j - 1 - b] === BACKSLASH) b++;
      if ((b & 1) === 0) break;
      j = buf.indexOf(QUOTE, j + 1);
    }
    let k = j + 1;
    while (k < end && isWs(buf[k])) k++;
    if (buf[k] === COLON) keys++;
    i = buf.indexOf(QUOTE, j + 1);
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
 * Fast tests on the raw line (a view of exactly the line: Buffer.indexOf has no end bound), could
 * it hold a surrogate escape or a NUL escape? False positives are fine.
 */
export function mayHaveSurrogateEscape(line: Buffer): boolean {
  return line.indexOf("\\ud") >= 0 || line.indexOf("\\uD") >= 0;
}

export function mayHaveNulEscape(line: Buffer): boolean {
  return line.indexOf("\\u0000") >= 0;
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
