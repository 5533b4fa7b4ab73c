/**
 * One batch checked by processBatch (data/batch.ts): what it hands back to the merge (counts,
 * issues capped per severity, one row per valid example), exactly, without the file reader or
 * the merge in between (those are covered through validateDataset elsewhere).
 */
import { processBatch, ROW, type BatchResult } from "../../data/batch";
import { CODE_NAMES } from "../../data/codes";
import { hashBytes } from "../../data/hash-set";
import { LineChecker } from "../../data/line-check";
import { defaultModel } from "../../config/models";
import { chatLine, goodChat, msg } from "./helpers";

const checker = () => new LineChecker({ model: defaultModel(), countTokens: false });
const run = (text: string | Buffer, fileStart = true, maxIssues = 100, c = checker()) => processBatch(Buffer.from(text), fileStart, c, maxIssues);
/** Issues as [line, code name]. */
const codes = (r: BatchResult) => r.issues.map((i) => [i.line, CODE_NAMES[i.code]]);

describe("issues: the first maxIssues errors and the first maxIssues warnings of the batch, in line order, the rest counted", () => {
  // Errors on lines 1, 4, 6; warnings (empty lines) on 2, 5, 7; valid examples on 3 and 8.
  const batch = ["{not json", "", goodChat(1), "[1]", "   ", "{oops", "", goodChat(2)].join("\n") + "\n";

  test("a cap of 2: two of each severity kept, one of each counted", () => {
    const r = run(batch, true, 2);
    expect(codes(r)).toEqual([
      [1, "INVALID_JSON"],
      [2, "EMPTY_LINE"],
      [4, "NOT_AN_OBJECT"],
      [5, "EMPTY_LINE"],
    ]);
    expect([r.moreErrors, r.moreWarnings]).toEqual([1, 1]);
    expect(r.issues[0].message).toBe('invalid JSON at column 2: unexpected "n" where a key in double quotes was expected; keys and string values must be in double quotes (and literals are true, false, null)');
    expect(r.issues[1].message).toBe("empty line (skipped); remove it so that every line is one example");
    expect({ lines: r.lines, examples: r.examples, emptyLines: r.emptyLines, validCount: r.validCount }).toEqual({ lines: 8, examples: 5, emptyLines: 3, validCount: 2 });
  });

  test("a cap of 0 keeps nothing and counts everything; a cap above the counts keeps all six", () => {
    const none = run(batch, true, 0);
    expect(none.issues).toEqual([]);
    expect([none.moreErrors, none.moreWarnings]).toEqual([3, 3]);
    const all = run(batch, true, 3);
    expect(codes(all)).toEqual([
      [1, "INVALID_JSON"],
      [2, "EMPTY_LINE"],
      [4, "NOT_AN_OBJECT"],
      [5, "EMPTY_LINE"],
      [6, "INVALID_JSON"],
      [7, "EMPTY_LINE"],
    ]);
    expect([all.moreErrors, all.moreWarnings]).toEqual([0, 0]);
  });

  test("the caps count separately: many warnings do not crowd out the errors after them", () => {
    const r = run(["", "", "", "", "{x", goodChat(1), "{y"].join("\n"), true, 2);
    expect(codes(r)).toEqual([
      [1, "EMPTY_LINE"],
      [2, "EMPTY_LINE"],
      [5, "INVALID_JSON"],
      [7, "INVALID_JSON"],
    ]);
    expect([r.moreErrors, r.moreWarnings]).toEqual([0, 2]);
    // The last line has no "\n" (a file's last line): it is still a line of the batch.
    expect(r.lines).toBe(7);
  });
});

describe("the file's first line", () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(goodChat(1) + "\n" + goodChat(2) + "\n")]);

  test("a batch that starts the file: a BOM there is a warning and the example after it is valid", () => {
    const r = run(withBom, true);
    expect(codes(r)).toEqual([[1, "BOM"]]);
    expect(r.validCount).toBe(2);
  });

  test("a batch further into the file: the same bytes on its first line are not a BOM but broken JSON", () => {
    const r = run(withBom, false);
    expect(codes(r)).toEqual([[1, "INVALID_JSON"]]);
    expect(r.validCount).toBe(1);
    expect(r.rows[0]).toBe(2);
  });
});

test("a batch with non-ASCII text: only the line with invalid UTF-8 is an error, its neighbours are valid", () => {
  const buf = Buffer.concat([
    Buffer.from(chatLine(msg("user", "Qu'est-ce que c'est ? Été 🌍"), msg("assistant", "Un café.")) + "\n"),
    Buffer.from('{"messages": [{"role": "user", "content": "ab'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"}]}\n' + goodChat(3) + "\n"),
  ]);
  const r = run(buf);
  // Column 46: the 0xff after `{"messages": [{"role": "user", "content": "ab` (45 characters).
  expect(codes(r)).toEqual([[2, "NOT_UTF8"]]);
  expect(r.issues[0].message).toBe("the line is not valid UTF-8 (first bad byte sequence at column 46); re-save the file with UTF-8 encoding");
  expect(Array.from(r.rows.filter((_, i) => i % ROW === 0))).toEqual([1, 3]);
});

test("the counts are the batch's own, when one checker checks batch after batch", () => {
  const c = checker();
  run(goodChat(1) + "\n\n", true, 100, c);
  const second = run("\n" + goodChat(2) + "\n{x\n", false, 100, c);
  expect({ lines: second.lines, examples: second.examples, emptyLines: second.emptyLines, validCount: second.validCount }).toEqual({ lines: 3, examples: 2, emptyLines: 1, validCount: 1 });
});

describe("rows: one row of ROW numbers per valid example, in line order, and nothing else", () => {
  const long = (i: number) => chatLine(msg("system", "Be brief."), msg("user", `Q${i}`), msg("assistant", `A${i}`), msg("user", "And?"), msg("assistant", "Done."));
  // 300 valid examples (more than the 256 rows the batch starts with), an invalid line every 50.
  const lines: string[] = [];
  for (let i = 0; lines.length < 306; i++) lines.push(lines.length % 50 === 49 ? "{broken" : i % 2 ? goodChat(i) : long(i));
  const r = run(lines.join("\n") + "\n");

  test("exactly validCount rows, each with the example's line, the hash of its bytes, no tokens (not counted) and its message counts", () => {
    expect(r.validCount).toBe(300);
    expect(r.rows.length).toBe(300 * ROW);
    const hash = new Uint32Array(2);
    const expected: number[] = [];
    lines.forEach((text, i) => {
      if (text === "{broken") return;
      const bytes = Buffer.from(text);
      hashBytes(bytes, 0, bytes.length, hash);
      const five = text.includes('"And?"');
      expected.push(i + 1, hash[0] | 0, hash[1] | 0, -1, five ? 5 : 3, 1, five ? 2 : 1, five ? 2 : 1);
    });
    expect(Array.from(r.rows)).toEqual(expected);
  });

  test("the 257th valid example (the first past the initial rows) keeps its own line", () => {
    // Lines 50, 100, ..., 250 are broken: the 257th valid example is on line 262.
    expect(r.rows[256 * ROW]).toBe(262);
    expect(r.rows[256 * ROW + 4]).toBe(lines[261].includes('"And?"') ? 5 : 3);
  });
});

describe("a line whose check fails unexpectedly (a bug in the checker)", () => {
  /** A checker with a bug on the lines that read "boom": it throws. */
  class Buggy extends LineChecker {
    constructor(private readonly thrown: unknown) {
      super({ model: defaultModel(), countTokens: false });
    }
    override check(...args: Parameters<LineChecker["check"]>): void {
      const [buf, start, end] = args;
      if (buf.toString("latin1", start, end) === "boom") throw this.thrown;
      super.check(...args);
    }
  }

  test("is reported on its line with the error's message (its first 200 characters), and the lines after it are still checked", () => {
    const r = run([goodChat(1), "boom", goodChat(2), "{x"].join("\n"), true, 100, new Buggy(new Error("a".repeat(150) + "b".repeat(100))));
    expect(codes(r)).toEqual([
      [2, "LINE_CHECK_FAILED"],
      [4, "INVALID_JSON"],
    ]);
    expect(r.issues[0].message).toBe(`checking this line failed unexpectedly (${"a".repeat(150)}${"b".repeat(50)}); please report it with the line, the rest of the file was still checked`);
    expect(r.validCount).toBe(2);
  });

  test("something thrown that is not an Error is an unknown error; the cap applies to these too", () => {
    const r = run("boom\nboom\nboom\n", true, 2, new Buggy("a string"));
    expect(r.issues.map((i) => [i.line, CODE_NAMES[i.code], i.message])).toEqual([
      [1, "LINE_CHECK_FAILED", "checking this line failed unexpectedly (unknown error); please report it with the line, the rest of the file was still checked"],
      [2, "LINE_CHECK_FAILED", "checking this line failed unexpectedly (unknown error); please report it with the line, the rest of the file was still checked"],
    ]);
    expect(r.moreErrors).toBe(1);
  });
});
