/**
 * What a file is, from its first bytes, before it is read as JSON Lines: UTF-16/UTF-32 text,
 * a compressed archive, or other binary data get one clear file-level error naming the type,
 * instead of thousands of NOT_UTF8 / INVALID_JSON lines. Signatures: the byte-order marks of
 * the Unicode standard (ch. 23.8) and each format's magic number (gzip RFC 1952 §2.3.1, zip
 * APPNOTE 4.3.7, bzip2 "BZh", xz 1.0.4 §2.1.1.1, zstd RFC 8878 §3.1.1).
 */
import type { IssueCodeName } from "./codes";

export interface NotText {
  code: Extract<IssueCodeName, "UTF16_FILE" | "COMPRESSED_FILE" | "BINARY_FILE">;
  message: string;
}

const starts = (b: Uint8Array, ...sig: number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);

/** Null when the start of the file looks like text (UTF-8 or ASCII); else what it is and how to fix it. */
export function sniffFileType(head: Uint8Array): NotText | null {
  const utf = (name: string): NotText => ({ code: "UTF16_FILE", message: `the file is ${name} text, not UTF-8; re-save it as UTF-8 (without a byte-order mark), e.g. iconv -f ${name.split(" ")[0]} -t UTF-8` });
  if (starts(head, 0xff, 0xfe, 0, 0)) return utf("UTF-32LE");
  if (starts(head, 0, 0, 0xfe, 0xff)) return utf("UTF-32BE");
  if (starts(head, 0xff, 0xfe)) return utf("UTF-16LE");
  if (starts(head, 0xfe, 0xff)) return utf("UTF-16BE");
  // UTF-16 without a byte-order mark: ASCII characters with a NUL byte beside each.
  if (head.length >= 4) {
    const n = Math.min(head.length & ~1, 64);
    let le = true;
    let be = true;
    for (let i = 0; i < n; i += 2) {
      if (!(head[i] !== 0 && head[i + 1] === 0)) le = false;
      if (!(head[i] === 0 && head[i + 1] !== 0)) be = false;
    }
    if (le) return utf("UTF-16LE (no byte-order mark)");
    if (be) return utf("UTF-16BE (no byte-order mark)");
  }
  const packed = (name: string, tool: string): NotText => ({ code: "COMPRESSED_FILE", message: `the file is ${name}-compressed; decompress it first (${tool}) and validate the .jsonl inside` });
  if (starts(head, 0x1f, 0x8b)) return packed("gzip", "gunzip FILE");
  if (starts(head, 0x50, 0x4b, 0x03, 0x04) || starts(head, 0x50, 0x4b, 0x05, 0x06)) return packed("zip", "unzip FILE");
  if (starts(head, 0x42, 0x5a, 0x68) && head[3] >= 0x31 && head[3] <= 0x39 && starts(head.subarray(4), 0x31, 0x41, 0x59, 0x26, 0x53, 0x59)) return packed("bzip2", "bunzip2 FILE");
  if (starts(head, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return packed("xz", "unxz FILE");
  if (starts(head, 0x28, 0xb5, 0x2f, 0xfd)) return packed("zstd", "unzstd FILE");
  // Text never has NUL bytes, and has few control characters besides tab, line breaks, form feed and escape.
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === 0) return { code: "BINARY_FILE", message: `the file is binary (a NUL byte at offset ${i}), not JSON Lines text; export the dataset as UTF-8 JSON Lines` };
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11 && c !== 27) controls++;
  }
  if (head.length > 0 && controls * 10 > head.length) {
    return { code: "BINARY_FILE", message: `the file is binary (${controls} control bytes in its first ${head.length}), not JSON Lines text; export the dataset as UTF-8 JSON Lines` };
  }
  return null;
}

/** Bytes sniffed at the start of a file. */
export const SNIFF_BYTES = 4096;
