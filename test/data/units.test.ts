/**
 * The gate's small pure parts, at their boundaries: bounded quoting, file-type sniffing limits,
 * the JSON scans behind DUPLICATE_KEY / LONE_SURROGATE / NUL_CHARACTER, the issue cap.
 */
import { describeJsonType, quote, quoteKeys, QUOTE_CHARS } from "../../data/quote";
import { sniffFileType } from "../../data/file-type";
import { countTextKeys, countValueKeys, findDuplicateKey, suspiciousEscapes, someString } from "../../data/json-scan";
import { IssueCollector } from "../../data/issues";
import { FileStatsAccumulator } from "../../data/stats";
import { locateJsonError } from "../../data/json-error";
import { isInvisibleOnly } from "../../data/formats/common";

describe("quote", () => {
  test("a string of exactly 40 characters is quoted whole; 41 are cut with the length", () => {
    expect(QUOTE_CHARS).toBe(40);
    const forty = "x".repeat(40);
    expect(quote(forty)).toBe(JSON.stringify(forty));
    expect(quote(forty + "y")).toBe(`${JSON.stringify(forty)}… (41 characters)`);
    expect(quote("a\"b\n")).toBe('"a\\"b\\n"');
  });

  test("a cut never splits a surrogate pair", () => {
    const s = "x".repeat(39) + "😀" + "tail";
    expect(quote(s)).toBe(`${JSON.stringify("x".repeat(39))}… (45 characters)`);
    expect(quote("y".repeat(38) + "😀" + "z")).toBe(`${JSON.stringify("y".repeat(38) + "😀")}… (41 characters)`);
    // At both ends of the high-surrogate range (U+D800 and U+DBFF start pairs) the pair stays whole;
    // just outside it (U+D7FF is a character of its own, U+DC00 ends a pair) the cut is at 40.
    for (const high of ["\ud800", "\udbff"]) expect(quote("x".repeat(39) + high + "\udc00" + "t")).toBe(`${JSON.stringify("x".repeat(39))}… (42 characters)`);
    for (const other of ["\ud7ff", "\udc00"]) expect(quote("x".repeat(39) + other + "tt")).toBe(`${JSON.stringify("x".repeat(39) + other)}… (42 characters)`);
  });

  test("quoteKeys shows six keys, then how many more", () => {
    const keys = ["a", "b", "c", "d", "e", "f"];
    expect(quoteKeys(keys)).toBe('"a", "b", "c", "d", "e", "f"');
    expect(quoteKeys([...keys, "g", "h"])).toBe('"a", "b", "c", "d", "e", "f" and 2 more');
    expect(quoteKeys([])).toBe("");
  });

  test("describeJsonType names every JSON type", () => {
    expect([null, [], {}, "s", 1, true].map(describeJsonType)).toEqual(["null", "an array", "an object", "a string", "a number", "a boolean"]);
  });
});

describe("file type sniffing limits", () => {
  test("control bytes: 10% is still text, more is binary; tab, CR, LF, FF, VT and ESC do not count", () => {
    const text = (controls: number, total: number) => Buffer.concat([Buffer.alloc(controls, 1), Buffer.alloc(total - controls, 65)]);
    expect(sniffFileType(text(10, 100))).toBeNull();
    expect(sniffFileType(text(11, 100))?.code).toBe("BINARY_FILE");
    expect(sniffFileType(Buffer.from("\t\r\n\f\v\x1b".repeat(20)))).toBeNull();
  });

  test("UTF-16 without a BOM needs four bytes of the pattern; one non-matching pair breaks it", () => {
    expect(sniffFileType(Buffer.from([0x7b, 0]))?.code).toBe("BINARY_FILE"); // too short for the UTF-16 pattern: a NUL byte
    expect(sniffFileType(Buffer.from([0x7b, 0, 0x7d, 0]))?.code).toBe("UTF16_FILE");
    expect(sniffFileType(Buffer.from([0, 0x7b, 0, 0x7d]))?.message).toMatch(/UTF-16BE \(no byte-order mark\)/);
    // A NUL in text that is not every other byte is binary, not UTF-16.
    expect(sniffFileType(Buffer.from([0x7b, 0, 0x7d, 0x7d]))?.code).toBe("BINARY_FILE");
    // Only the first 64 bytes decide.
    expect(sniffFileType(Buffer.concat([Buffer.from("{\0".repeat(32), "latin1"), Buffer.from("ab")]))?.code).toBe("UTF16_FILE");
  });

  test("bzip2 needs its block magic after BZh and a digit", () => {
    expect(sniffFileType(Buffer.from("BZh91AY&SY", "latin1"))?.code).toBe("COMPRESSED_FILE");
    expect(sniffFileType(Buffer.from("BZh01AY&SY", "latin1"))).toBeNull();
    expect(sniffFileType(Buffer.from("BZh91AY&SX", "latin1"))).toBeNull();
    expect(sniffFileType(Buffer.from("PK\x05\x06", "latin1"))?.message).toMatch(/zip-compressed; decompress it first \(unzip FILE\)/);
  });
});

describe("JSON scans", () => {
  test("countTextKeys counts strings followed by a colon, skipping escaped quotes", () => {
    expect(countTextKeys('{"a": 1, "b": {"c": "x:y", "d": ["e", "f"]}}')).toBe(4);
    expect(countTextKeys('{"a\\"b": "c\\\\", "d" : 1}')).toBe(2);
    expect(countTextKeys('["a", "b"]')).toBe(0);
    expect(countTextKeys('{"unterminated')).toBe(0);
  });

  test("countValueKeys counts own keys at every depth, arrays included", () => {
    expect(countValueKeys({ a: 1, b: { c: [{ d: 1, e: null }, "x"] } })).toBe(5);
    expect(countValueKeys([])).toBe(0);
    expect(countValueKeys("text")).toBe(0);
    expect(countValueKeys(null)).toBe(0);
  });

  test("findDuplicateKey finds the first repeated key of the same object, at any depth, and nothing else", () => {
    expect(findDuplicateKey('{"a": 1, "b": {"a": 2}}')).toBeNull();
    expect(findDuplicateKey('{"a": [{"x": 1}, {"x": 2}], "b": {"c": 1, "c": 2}}')).toEqual({ key: "c", column: 43 });
    expect(findDuplicateKey('{"k\\"": 1, "k\\"": 2}')).toEqual({ key: 'k"', column: 12 });
    expect(findDuplicateKey('{"a": "{\\"a\\": 1}", "b": 1}')).toBeNull();
  });

  test("suspiciousEscapes flags surrogate and NUL escapes, any case, and nothing else", () => {
    expect(suspiciousEscapes('{"a": "\\ud800"}')).toEqual({ surrogate: true, nul: false });
    expect(suspiciousEscapes('{"a": "\\uDBFF \\u0000"}')).toEqual({ surrogate: true, nul: true });
    expect(suspiciousEscapes('{"a": "\\u0000"}')).toEqual({ surrogate: false, nul: true });
    expect(suspiciousEscapes('{"a": "\\u00e9 \\ud7ff \\ue000 \\u0001"}')).toBeNull();
    expect(suspiciousEscapes('{"a": "plain"}')).toBeNull();
  });

  test("suspiciousEscapes flags exactly the surrogate range D800-DFFF, in either case", () => {
    const flagged = "0123456789abcdefABCDEF".split("").map((h) => [h, suspiciousEscapes(`{"a": "\\ud${h}00"}`)?.surrogate ?? false]);
    expect(flagged.filter(([, f]) => f).map(([h]) => h)).toEqual(["8", "9", "a", "b", "c", "d", "e", "f", "A", "B", "C", "D", "E", "F"]);
    expect(suspiciousEscapes('{"a": "\\udfff", "b": "\\uD9FF"}')).toEqual({ surrogate: true, nul: false });
  });

  test("someString visits keys and values, deep, and stops at the first match", () => {
    const seen: string[] = [];
    expect(someString({ k: ["a", { deep: "b" }] }, (s) => (seen.push(s), s === "deep"))).toBe(true);
    expect(seen).toEqual(["k", "deep"]);
    expect(someString([1, null, { x: 2 }], () => false)).toBe(false);
  });
});

test("the issue collector keeps the first max errors and warnings separately and counts the rest", () => {
  const c = new IssueCollector(2);
  for (let i = 1; i <= 3; i++) c.add("f", i, "INVALID_JSON", `e${i}`);
  c.add("f", 4, "EMPTY_LINE", () => "w4");
  let called = false;
  c.add("f", 5, "EMPTY_LINE", () => "w5");
  c.add("f", 6, "EMPTY_LINE", () => ((called = true), "w6"));
  c.addUncounted(5, 7);
  expect(c.errors.map((e) => [e.line, e.message, e.severity])).toEqual([
    [1, "e1", "error"],
    [2, "e2", "error"],
  ]);
  expect(c.warnings.map((w) => [w.line, w.message, w.severity])).toEqual([
    [4, "w4", "warning"],
    [5, "w5", "warning"],
  ]);
  expect(called).toBe(false); // a dropped issue's message is never built
  expect([c.errorCount, c.warningCount]).toEqual([8, 10]);
});

describe("file statistics", () => {
  const example = (tokens: number, messages = 2, system = 0, user = 1, assistant = 1) => ({ messages, system, user, assistant, tokens });
  const accumulate = (chat: boolean, examples: ReturnType<typeof example>[]) => {
    const s = new FileStatsAccumulator("f.jsonl", chat);
    for (const e of examples) s.addValid(e);
    return s;
  };

  test("median and p95 are the nearest-rank percentiles: the ceil(p·n)-th smallest count", () => {
    // 3 examples: ranks ceil(1.5) = 2 and ceil(2.85) = 3.
    expect(accumulate(true, [9, 1, 5].map((t) => example(t))).tokens()).toEqual({ min: 1, median: 5, p95: 9, max: 9, total: 15 });
    // 21 examples of 1..21 tokens: ranks ceil(10.5) = 11 and ceil(19.95) = 20.
    expect(accumulate(true, Array.from({ length: 21 }, (_, i) => example(21 - i))).tokens()).toEqual({ min: 1, median: 11, p95: 20, max: 21, total: 231 });
    expect(accumulate(true, [example(7)]).tokens()).toEqual({ min: 7, median: 7, p95: 7, max: 7, total: 7 });
  });

  test("counts past the histogram (262,144) share its last bucket, which reports the exact maximum", () => {
    expect(accumulate(true, [10, 300_000, 400_000].map((t) => example(t))).tokens()).toEqual({ min: 10, median: 400_000, p95: 400_000, max: 400_000, total: 700_010 });
  });

  test("-1 means not counted (no token figures); 0 is a count", () => {
    expect(accumulate(true, [example(-1), example(-1)]).tokens()).toBeNull();
    expect(accumulate(true, [example(-1), example(0), example(4)]).tokens()).toEqual({ min: 0, median: 0, p95: 4, max: 4, total: 4 });
  });

  test("chat files: messages per example (mean to two decimals) and role totals; none for prompt/completion", () => {
    const chat = accumulate(true, [example(-1, 2, 0, 1, 1), example(-1, 3, 1, 1, 1), example(-1, 3, 1, 1, 1)]).toJSON();
    expect(chat).toEqual({ file: "f.jsonl", bytes: 0, lines: 0, emptyLines: 0, examples: 0, validExamples: 3, messagesPerExample: { min: 2, mean: 2.67, max: 3 }, roles: { system: 2, user: 3, assistant: 3 }, tokensPerExample: null });
    const text = accumulate(false, [example(5, 2, 0, 1, 1)]).toJSON();
    expect([text.messagesPerExample, text.roles, text.tokensPerExample]).toEqual([null, null, { min: 5, median: 5, p95: 5, max: 5, total: 5 }]);
  });

  test("a chat file without valid examples has no messages-per-example figures and zero roles", () => {
    const none = accumulate(true, []).toJSON();
    expect([none.validExamples, none.messagesPerExample, none.roles, none.tokensPerExample]).toEqual([0, null, { system: 0, user: 0, assistant: 0 }, null]);
  });
});

describe("invisible-only text (INVISIBLE_CONTENT)", () => {
  test("zero-width and control characters, alone or among any whitespace, show nothing", () => {
    // Leading ASCII space, tab, LF or CR; a no-break space (U+00A0) or ideographic space (U+3000) first; DEL (U+007F), the one invisible character among the printable ASCII codes.
    expect([" \u200b", "\t\u200b", "\n\u2060", "\r\u200d", "\u00a0\u200b", "\u3000\u2060", "\u200b \u200b", "\u00ad", "\ufe0f\u0007", "\u007f", " \u007f\u200b"].map(isInvisibleOnly)).toEqual(Array(11).fill(true));
  });

  test("any visible character, first or later, ASCII or not, makes the text visible", () => {
    expect(["a\u200b", " a", "\u200bb", "\u200b \u00e9", "\u00e9", "\u00a0x", "😀", ""].map(isInvisibleOnly)).toEqual(Array(8).fill(false));
  });
});

describe("where a line's JSON goes wrong (INVALID_JSON)", () => {
  const VALUE = "a value (object, array, string, number, true, false or null)";
  const QUOTES = "; keys and string values must be in double quotes (and literals are true, false, null)";
  const CUT = "; each example must be one complete JSON object on a single line (no line breaks inside it, nothing cut off)";
  test.each([
    // [line, 1-based column, reason]: columns counted by hand.
    ['{"a" 1}', 6, `unexpected "1" where ':' after the key was expected`],
    ['{"a": 1 "b": 2}', 9, `unexpected "\\"" where ',' or '}' was expected`],
    ["[1 2]", 4, `unexpected "2" where ',' or ']' was expected`],
    ["[1,]", 4, `unexpected "]" where ${VALUE} was expected; remove the trailing comma before it`],
    ['{"a": 1,}', 9, `unexpected "}" where a key in double quotes was expected; remove the trailing comma before it`],
    ['{"a": tru}', 7, `unexpected "t" where ${VALUE} was expected${QUOTES}`],
    ["{a: 1}", 2, `unexpected "a" where a key in double quotes was expected${QUOTES}`],
    ["{$a: 1}", 2, `unexpected "$" where a key in double quotes was expected${QUOTES}`],
    ["-", 1, `unexpected "-" where ${VALUE} was expected`],
    ['{"a": "b\\x"}', 9, 'invalid escape "\\x" in a string; write a backslash as \\\\'],
    ['{"a": "b\\', 9, 'invalid escape "\\" in a string; write a backslash as \\\\'],
    ['{"a": "\\u12G4"}', 8, "a \\u escape needs four hex digits"],
    ['{"a": "b', 9, "a string is not closed; the line ends before its closing double quote"],
    ['{"a": 1', 8, `the line ends where ',' or '}' was expected${CUT}`],
    ["[", 2, `the line ends where ${VALUE} was expected${CUT}`],
    ['{"a": 1}}', 9, "more text after the JSON object; put exactly one example on each line"],
    ['{"a": [1, 2}', 12, `unexpected "}" where ',' or ']' was expected`],
    ['\t\r\n {"a" 1}', 10, `unexpected "1" where ':' after the key was expected`],
    ['{ "a" :\t[ 1 ,\r2 ] , "b":{ } , "c" : -1.5e+3 ,"d":"\\"\\/\\b\\f\\n\\r\\t\\u00e9", "e": [true, false, null] } x', 101, "more text after the JSON object; put exactly one example on each line"],
    ['{"😀": x}', 7, `unexpected "x" where ${VALUE} was expected${QUOTES}`],
    ["[".repeat(600), 514, "nesting deeper than 512 levels"],
  ])("%j: column %i", (line, column, reason) => {
    expect(locateJsonError(line)).toEqual({ column, reason });
  });

  test("a missing value or a bracket that does not match is not blamed on a trailing comma", () => {
    expect(locateJsonError('{"a": }')).toEqual({ column: 7, reason: `unexpected "}" where ${VALUE} was expected` });
    expect(locateJsonError('{"a"}')).toEqual({ column: 5, reason: `unexpected "}" where ':' after the key was expected` });
    expect(locateJsonError('{"a": 1]')).toEqual({ column: 8, reason: `unexpected "]" where ',' or '}' was expected` });
    expect(locateJsonError("[1}")).toEqual({ column: 3, reason: `unexpected "}" where ',' or ']' was expected` });
    expect(locateJsonError("[1, ]")).toEqual({ column: 5, reason: `unexpected "]" where ${VALUE} was expected; remove the trailing comma before it` });
  });

  test("a line the scanner finds no fault in is reported at column 1", () => {
    expect(locateJsonError('{"a": [1]}')).toEqual({ column: 1, reason: "the JSON parser refused the line" });
  });
});
