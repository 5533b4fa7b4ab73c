/**
 * Where a line's JSON goes wrong (data/json-error.ts, the INVALID_JSON message "invalid JSON at
 * column N: reason"): the exact column, in characters (code points) of the line, and the reason
 * with its hint, for what the basic cases in units.test.ts leave open: empty containers and the
 * number grammar before the fault (the scan must step over them exactly), NaN as Python writes
 * it, deep nesting through objects, the hints' conditions, and columns after characters that
 * take two UTF-16 units (or one unit at or above U+D800).
 */
import { locateJsonError } from "../../data/json-error";

const VALUE = "a value (object, array, string, number, true, false or null)";
const QUOTES = "; keys and string values must be in double quotes (and literals are true, false, null)";
const MORE = "more text after the JSON object; put exactly one example on each line";

describe("the scan steps over valid JSON exactly, so the fault is found where it is", () => {
  test.each([
    // [line, 1-based column, reason]: columns counted by hand.
    ['{"messages": []}}', 17, MORE],
    ['{"messages": [], "x" 1}', 22, `unexpected "1" where ':' after the key was expected`],
    ['{"a": [[], [ ], {}], "b": [] , }', 32, `unexpected "}" where a key in double quotes was expected; remove the trailing comma before it`],
    // Fractions and exponents of several digits, exponents with and without a sign.
    ['{"lr": 1.25e10, "top_p" 0.9}', 25, `unexpected "0" where ':' after the key was expected`],
    ['{"a": [0.125, -10.5E-12, 3e+100, 7E08, 0]}}', 43, MORE],
    // Spaces inside strings are characters, not controls.
    ['{"role": "user", "content": "hi there",}', 40, `unexpected "}" where a key in double quotes was expected; remove the trailing comma before it`],
    ['{"content": "a\tb"}', 15, "a control character (e.g. a raw tab or line break) inside a string; write it escaped, as \\t or \\n"],
    ['{"content": "a\u001fb"}', 15, "a control character (e.g. a raw tab or line break) inside a string; write it escaped, as \\t or \\n"],
  ])("%j: column %i", (line, column, reason) => {
    expect(locateJsonError(line)).toEqual({ column, reason });
  });
});

describe("values JSON does not have", () => {
  test("NaN and Infinity (what Python's json.dumps writes for float('nan') and float('inf')) are reported where they start", () => {
    expect(locateJsonError('{"loss": NaN, "epoch": 2}')).toEqual({ column: 10, reason: `unexpected "N" where ${VALUE} was expected${QUOTES}` });
    expect(locateJsonError('{"loss": Infinity, "epoch": 2, "ok": true}')).toEqual({ column: 10, reason: `unexpected "I" where ${VALUE} was expected${QUOTES}` });
    // "-" starts a number, so the fault is the "I" after it.
    expect(locateJsonError('{"loss": -Infinity, "step": 10}')).toEqual({ column: 10, reason: `unexpected "-" where ${VALUE} was expected` });
  });
});

describe("hints", () => {
  test("the trailing-comma hint is only for a closing bracket after a comma; an unquoted key after a comma gets the quotes hint", () => {
    expect(locateJsonError('{"role": "user", content: "hi"}')).toEqual({ column: 18, reason: `unexpected "c" where a key in double quotes was expected${QUOTES}` });
    expect(locateJsonError("[1,,2]")).toEqual({ column: 4, reason: `unexpected "," where ${VALUE} was expected` });
    expect(locateJsonError('{"a": 1, 2}')).toEqual({ column: 10, reason: `unexpected "2" where a key in double quotes was expected` });
  });

  test("a line that starts with a closing bracket is not blamed on a comma", () => {
    expect(locateJsonError("]")).toEqual({ column: 1, reason: `unexpected "]" where ${VALUE} was expected` });
    expect(locateJsonError(" \t}")).toEqual({ column: 3, reason: `unexpected "}" where ${VALUE} was expected` });
  });
});

test("nesting through objects counts like nesting through arrays: the 514th level is refused", () => {
  // Each `{"a":` is 5 characters, the value at depth 513 starts after 513 of them; with `[{"a":` (6) it is the object after 256 of them and a "[".
  expect(locateJsonError('{"a":'.repeat(600))).toEqual({ column: 2566, reason: "nesting deeper than 512 levels" });
  expect(locateJsonError('[{"a":'.repeat(300))).toEqual({ column: 1538, reason: "nesting deeper than 512 levels" });
});

describe("columns count characters (code points), not UTF-16 units", () => {
  test.each([
    // U+10000 and U+10FFFF, the first and the last character outside the BMP: their high halves are U+D800 and U+DBFF.
    ['{"\u{10000}": 1, x}', 10],
    ['{"\u{10FFFF}": 1, x}', 10],
    ['{"a": "😀😀", x}', 13],
    // Characters at or above U+E000 are one unit each: a full-width question mark (U+FF1F), a private-use character.
    ['{"content": "何？", x}', 19],
    ['{"content": "\ue000\uffff", x}', 19],
  ])("%j: column %i", (line, column) => {
    expect(locateJsonError(line)).toEqual({ column, reason: `unexpected "x" where a key in double quotes was expected${QUOTES}` });
  });
});

test("an unexpected character outside the BMP is quoted whole, not as half of its surrogate pair", () => {
  expect(locateJsonError('{"mood": 😀}')).toEqual({ column: 10, reason: `unexpected "😀" where ${VALUE} was expected` });
  expect(locateJsonError('{"a": 1 𝕜}')).toEqual({ column: 9, reason: `unexpected "𝕜" where ',' or '}' was expected` });
});
