/**
 * The warnings JSON.parse hides (data/json-scan.ts, reported by data/line-check.ts): DUPLICATE_KEY
 * names the repeated key and the column of its second occurrence, and only keys of one and the same
 * object count. The cases are where a scan that gets JSON's grammar slightly wrong would miss a
 * duplicate or invent one: whitespace before the colon, a key after an array or a nested object,
 * an empty key, a value that repeats a key. Plus the fast escape test behind LONE_SURROGATE and
 * NUL_CHARACTER: it may flag too much (the parsed strings are checked exactly) but never too little.
 */
import { countTextKeys, findDuplicateKey, suspiciousEscapes } from "../../data/json-scan";
import { cleanup, found, messagesOf, validatePadded } from "./helpers";

afterAll(cleanup);

const duplicate = (key: string, column: number) =>
  `key ${JSON.stringify(key)} appears more than once in the same object (again at column ${column}); JSON parsers silently keep the last value: remove the extra key`;

/** A valid chat line whose user message has `"content"` twice, with `ws` between each key and its colon. */
const contentTwice = (ws: string) => `{"messages": [{"role": "user", "content"${ws}: "a", "content"${ws}: "b"}, {"role": "assistant", "content": "c"}]}`;

describe("DUPLICATE_KEY in the report", () => {
  test("whitespace between a key and its colon (space, tab, CR: all JSON whitespace) does not hide the key", async () => {
    // Column 49: 14 characters of `{"messages": [`, 17 of `{"role": "user", `, 17 of `"content" : "a", `.
    const r = await validatePadded([contentTwice(" "), contentTwice("\t"), contentTwice("\r"), contentTwice(" \t\r ")].join("\n") + "\n");
    expect(found(r)).toEqual([
      [1, "DUPLICATE_KEY"],
      [2, "DUPLICATE_KEY"],
      [3, "DUPLICATE_KEY"],
      [4, "DUPLICATE_KEY"],
    ]);
    expect(messagesOf(r, "DUPLICATE_KEY")).toEqual([49, 49, 49, 52].map((c) => duplicate("content", c)));
    // Warnings only: the parser kept the last "content" and the examples are valid.
    expect(r.valid).toBe(true);
    expect(r.stats.training.validExamples).toBe(64);
  });

  test("a top-level key repeated after an array of objects is found in the top-level object", async () => {
    const m = (u: string, a: string) => `[{"role": "user", "content": "${u}"}, {"role": "assistant", "content": "${a}"}]`;
    // The second "messages" starts at column 89 (14 + 32 + 2 + 37 + 3 characters before it).
    const r = await validatePadded(`{"messages": ${m("a", "b")}, "messages": ${m("c", "d")}}\n`);
    expect(found(r)).toEqual([[1, "DUPLICATE_KEY"]]);
    expect(messagesOf(r, "DUPLICATE_KEY")).toEqual([duplicate("messages", 89)]);
  });

  test("an empty key given twice is a duplicate (and unknown)", async () => {
    const line = '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "": 1, "": 2}';
    const r = await validatePadded(line + "\n");
    expect(found(r)).toEqual([
      [1, "UNKNOWN_KEY"],
      [1, "DUPLICATE_KEY"],
    ]);
    // 14 + 32 + 2 + 37 characters of messages, `], ` and `"": 1, ` before the second "".
    expect(messagesOf(r, "DUPLICATE_KEY")).toEqual([duplicate("", 96)]);
  });

  test("string values are not keys: a content equal to its role is not reported, the real duplicate later on the line is", async () => {
    const line = '{"messages": [{"role": "user", "content": "user"}, {"role": "assistant", "content": "ok", "content": "okay"}]}';
    const r = await validatePadded(line + "\n");
    expect(found(r)).toEqual([[1, "DUPLICATE_KEY"]]);
    // 14 + 35 + 2 + 39 characters before the second "content" of message 2.
    expect(messagesOf(r, "DUPLICATE_KEY")).toEqual([duplicate("content", 91)]);
  });
});

describe("the key scans on their own", () => {
  test("JSON whitespace is space, tab, LF and CR, before the colon of a key", () => {
    for (const ws of [" ", "\t", "\n", "\r", " \n\t\r"]) {
      const text = `{"a"${ws}: 1, "b"${ws}:${ws}{"a"${ws}: 2}, "a"${ws}: 3}`;
      expect([JSON.stringify(ws), countTextKeys(text)]).toEqual([JSON.stringify(ws), 4]);
      expect([JSON.stringify(ws), findDuplicateKey(text)]).toEqual([JSON.stringify(ws), { key: "a", column: text.lastIndexOf('"a"') + 1 }]);
    }
  });

  test("only keys count: values equal to a key or to each other, in objects and arrays, are no duplicate", () => {
    expect(findDuplicateKey('{"role": "user", "content": "role"}')).toBeNull();
    expect(findDuplicateKey('{"a": "x", "b": "x", "c": ["x", "x"], "d": {"x": "x"}}')).toBeNull();
  });

  test("a key after a nested object is compared with its own object's keys, not the nested one's", () => {
    expect(findDuplicateKey('{"meta": {"prompt": "draft"}, "prompt": "p"}')).toBeNull();
    expect(findDuplicateKey('{"a": [{"b": 1}], "b": 2, "c": [[]], "d": {}, "c": 3}')).toEqual({ key: "c", column: 47 });
  });

  test("an empty key: counted, and found when repeated", () => {
    expect(countTextKeys('{"": 1, "": 2}')).toBe(2);
    expect(findDuplicateKey('{"": 1, "": 2}')).toEqual({ key: "", column: 9 });
  });
});

describe("the fast escape test (suspiciousEscapes)", () => {
  test("text escaped the way Python's json.dumps writes non-ASCII (ensure_ascii) is not flagged", () => {
    // 你好, ０ (U+FF10), ⼀ (U+2F00), ࠀ (U+0800), é: \uXXXX escapes whose 2nd or 3rd digit is 8-f but that are no surrogates.
    expect(suspiciousEscapes('{"prompt": "\\u4f60\\u597d \\uff10 \\u2f00 \\u0800 \\u00e9", "completion": "\\u3a8f"}')).toBeNull();
  });

  test("an escape right after the text's first character is found (a line that is one JSON string)", () => {
    expect(suspiciousEscapes('"\\u0000"')).toEqual({ surrogate: false, nul: true });
    expect(suspiciousEscapes('"\\udc00 x"')).toEqual({ surrogate: true, nul: false });
  });
});
