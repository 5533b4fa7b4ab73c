/**
 * Where a line's JSON goes wrong, for the INVALID_JSON message. V8's JSON.parse messages do not
 * always carry a position ("Unexpected end of JSON input", "... is not valid JSON"), so on the
 * (rare) failing line a small scanner walks the text to the first offending character and
 * says what it expected there. Only runs after JSON.parse has already failed.
 */

export interface JsonErrorLocation {
  /** 1-based column, in characters (code points) of the line. */
  column: number;
  /** What is wrong there, with a hint for the usual causes. */
  reason: string;
}

class Scan {
  i = 0;
  constructor(readonly s: string) {}
}

class Stop extends Error {
  constructor(readonly at: number, readonly reason: string) {
    super(reason);
  }
}

function ws(sc: Scan): void {
  const s = sc.s;
  while (sc.i < s.length) {
    const c = s.charCodeAt(sc.i);
    if (c === 32 || c === 9 || c === 10 || c === 13) sc.i++;
    else break;
  }
}

/**
 * The last character before the scan position that is not JSON whitespace: a closing bracket is
 * blamed on a trailing comma only when one is there (`{"a": }` lacks a value, `[1}` a bracket).
 */
function previousNonBlank(sc: Scan): string {
  let j = sc.i - 1;
  while (j >= 0 && " \t\n\r".includes(sc.s[j])) j--;
  return j >= 0 ? sc.s[j] : "";
}

function describe(sc: Scan, expected: string): Stop {
  if (sc.i >= sc.s.length) {
    return new Stop(
      sc.i,
      `the line ends where ${expected} was expected; each example must be one complete JSON object on a single line (no line breaks inside it, nothing cut off)`,
    );
  }
  // The whole character: a unit of an emoji alone would be quoted as an escape ("\ud83d").
  const ch = String.fromCodePoint(sc.s.codePointAt(sc.i) as number);
  let hint = "";
  if (ch === "'") hint = "; JSON strings and keys need double quotes, not single quotes";
  else if ((ch === "}" || ch === "]") && previousNonBlank(sc) === ",") hint = "; remove the trailing comma before it";
  else if (/[A-Za-z_$]/.test(ch)) hint = "; keys and string values must be in double quotes (and literals are true, false, null)";
  return new Stop(sc.i, `unexpected ${JSON.stringify(ch)} where ${expected} was expected${hint}`);
}

function value(sc: Scan, depth: number): void {
  if (depth > 512) throw new Stop(sc.i, "nesting deeper than 512 levels");
  ws(sc);
  const s = sc.s;
  const c = s[sc.i];
  if (c === "{") {
    sc.i++;
    ws(sc);
    if (s[sc.i] === "}") {
      sc.i++;
      return;
    }
    for (;;) {
      ws(sc);
      if (s[sc.i] !== '"') throw describe(sc, "a key in double quotes");
      string(sc);
      ws(sc);
      if (s[sc.i] !== ":") throw describe(sc, "':' after the key");
      sc.i++;
      value(sc, depth + 1);
      ws(sc);
      if (s[sc.i] === ",") {
        sc.i++;
        continue;
      }
      if (s[sc.i] === "}") {
        sc.i++;
        return;
      }
      throw describe(sc, "',' or '}'");
    }
  }
  if (c === "[") {
    sc.i++;
    ws(sc);
    if (s[sc.i] === "]") {
      sc.i++;
      return;
    }
    for (;;) {
      value(sc, depth + 1);
      ws(sc);
      if (s[sc.i] === ",") {
        sc.i++;
        continue;
      }
      if (s[sc.i] === "]") {
        sc.i++;
        return;
      }
      throw describe(sc, "',' or ']'");
    }
  }
  if (c === '"') return string(sc);
  const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(s.slice(sc.i, sc.i + 400));
  if (literal) {
    sc.i += literal[0].length;
    return;
  }
  throw describe(sc, "a value (object, array, string, number, true, false or null)");
}

function string(sc: Scan): void {
  const s = sc.s;
  sc.i++; // opening quote
  while (sc.i < s.length) {
    const c = s.charCodeAt(sc.i);
    if (c === 34) {
      sc.i++;
      return;
    }
    if (c < 0x20) {
      throw new Stop(sc.i, "a control character (e.g. a raw tab or line break) inside a string; write it escaped, as \\t or \\n");
    }
    if (c === 92) {
      const e = s[sc.i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(sc.i + 2, sc.i + 6))) throw new Stop(sc.i, "a \\u escape needs four hex digits");
        sc.i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Stop(sc.i, `invalid escape "\\${e ?? ""}" in a string; write a backslash as \\\\`);
      sc.i += 2;
      continue;
    }
    sc.i++;
  }
  throw new Stop(sc.i, "a string is not closed; the line ends before its closing double quote");
}

function codePointColumn(s: string, index: number): number {
  let col = 1;
  for (let i = 0; i < index && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) i++;
    col++;
  }
  return col;
}

/** Locates the first JSON syntax error of `text` (which JSON.parse refused). */
export function locateJsonError(text: string): JsonErrorLocation {
  const sc = new Scan(text);
  try {
    value(sc, 0);
    ws(sc);
    if (sc.i < text.length) {
      throw new Stop(sc.i, "more text after the JSON object; put exactly one example on each line");
    }
    return { column: 1, reason: "the JSON parser refused the line" };
  } catch (e) {
    if (e instanceof Stop) return { column: codePointColumn(text, e.at), reason: e.reason };
    throw e;
  }
}
