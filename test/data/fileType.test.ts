/** File-type sniffing (data/file-type.ts) at the edges of its rules: NUL runs, the last UTF-16 unit it looks at, bzip2's level digit. */
import { sniffFileType } from "../../data/file-type";

const binaryAt = (offset: number) => ({ code: "BINARY_FILE", message: `the file is binary (a NUL byte at offset ${offset}), not JSON Lines text; export the dataset as UTF-8 JSON Lines` });
const utf16 = (name: string) => ({ code: "UTF16_FILE", message: `the file is ${name} (no byte-order mark) text, not UTF-8; re-save it as UTF-8 (without a byte-order mark), e.g. iconv -f ${name} -t UTF-8` });

describe("UTF-16 without a byte-order mark is ASCII with a NUL beside every character; NUL beside NUL is binary", () => {
  test.each([
    ["a zero-filled file (space reserved for a download that never came)", Buffer.alloc(64), binaryAt(0)],
    ["a zero-filled file of 5 bytes", Buffer.alloc(5), binaryAt(0)],
    ["UTF-16LE text", Buffer.from("{}", "utf16le"), utf16("UTF-16LE")],
    ["UTF-16LE text ending in a NUL character (a C string's terminator)", Buffer.from("{}\0", "utf16le"), binaryAt(1)],
    ["UTF-16BE text", Buffer.from("{}", "utf16le").swap16(), utf16("UTF-16BE")],
    ["UTF-16BE text ending in a NUL character (a C string's terminator)", Buffer.from("{}\0", "utf16le").swap16(), binaryAt(0)],
    // Only the first 64 bytes (32 characters) are looked at, the last of them too.
    ["UTF-16BE text whose 32nd character is NUL", Buffer.from(`${"a".repeat(31)}\0bc`, "utf16le").swap16(), binaryAt(0)],
    ["UTF-16BE text whose 33rd character is NUL", Buffer.from(`${"a".repeat(32)}\0bc`, "utf16le").swap16(), utf16("UTF-16BE")],
  ])("%s", (_name, head, verdict) => {
    expect(sniffFileType(head)).toEqual(verdict);
  });
});

test.each([
  ["0", null],
  ["1", "COMPRESSED_FILE"],
  ["9", "COMPRESSED_FILE"],
  [":", null], // the byte after "9"
])('bzip2\'s level after "BZh" is a digit from 1 to 9: %s', (level, code) => {
  expect(sniffFileType(Buffer.from(`BZh${level}1AY&SY and more\n`, "latin1"))?.code ?? null).toBe(code);
});
