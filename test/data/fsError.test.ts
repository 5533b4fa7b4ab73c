/** File-system errors in words (data/fs-error.ts): Node's text without the path it repeats, and advice by code. */
import { lstatSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fsErrorAdvice, fsErrorText } from "../../data/fs-error";

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
};

test("Node's message loses its syscall and path", () => {
  const long = `/tmp/${"n".repeat(300)}`;
  expect(fsErrorText(thrown(() => lstatSync(long)))).toBe("ENAMETOOLONG: name too long");
  expect(fsErrorText(thrown(() => lstatSync("/no/such/path")))).toBe("ENOENT: no such file or directory");
  expect(fsErrorText(thrown(() => writeFileSync(tmpdir(), "x")))).toBe("EISDIR: illegal operation on a directory");
});

test("other errors: the code when the message has no code in front, else the message, cut to 200 characters", () => {
  expect(fsErrorText(Object.assign(new Error("something odd"), { code: "EIO" }))).toBe("EIO");
  expect(fsErrorText(new Error("x".repeat(300)))).toBe(`${"x".repeat(200)}…`);
  expect(fsErrorText(new Error("x".repeat(200)))).toBe("x".repeat(200));
  // A code only counts at the start: a message that merely contains "EIO: ..." later is kept whole.
  expect(fsErrorText(new Error("failed: EIO: i/o error, read"))).toBe("failed: EIO: i/o error, read");
  expect(fsErrorText("plain")).toBe("plain");
  expect(fsErrorText(null)).toBe("null");
});

test.each([
  ["EACCES", "check its permissions"],
  ["EPERM", "check its permissions"],
  ["ENAMETOOLONG", "shorten the path (each name in it at most 255 bytes)"],
  ["ELOOP", "a symbolic link in the path points back on itself; fix the link"],
  ["EMFILE", "too many files are open; close some and try again"],
  ["ENFILE", "too many files are open; close some and try again"],
  ["EIO", "check the path and try again"],
])("advice for %s", (code, advice) => {
  expect(fsErrorAdvice(Object.assign(new Error(code), { code }))).toBe(advice);
});

test("advice without an error object is the general one", () => {
  expect(fsErrorAdvice(undefined)).toBe("check the path and try again");
});
