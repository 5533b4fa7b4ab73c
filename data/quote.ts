/**
 * Quoting input in messages, bounded: a hostile file can put a 15 MB string where a role name
 * belongs, and a message that copied it whole (40 such lines: 600 MB) is how a report used to
 * run out of memory. Every message that quotes input goes through here: at most QUOTE_CHARS
 * characters of it, JSON-escaped, and its length when it was cut.
 */
export const QUOTE_CHARS = 40;

/** `"text"`, or `"first 40 characters…" (15,000,000 characters)` when longer. */
export function quote(s: string, max = QUOTE_CHARS): string {
  if (s.length <= max) return JSON.stringify(s);
  let cut = max;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // do not split a surrogate pair
  return `${JSON.stringify(s.slice(0, cut))}… (${s.length.toLocaleString("en-US")} characters)`;
}

/** A JSON value's type for messages ("a string", "an array", "null", ...); never its content. */
export function describeJsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

/** Up to `max` quoted keys, then how many more. */
export function quoteKeys(keys: readonly string[], max = 6): string {
  const shown = keys.slice(0, max).map((k) => quote(k));
  return keys.length > max ? `${shown.join(", ")} and ${(keys.length - max).toLocaleString("en-US")} more` : shown.join(", ");
}
