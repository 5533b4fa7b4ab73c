/**
 * Streams a file as lines of bytes: fixed-size chunks, split on "\n" (0x0A) with Buffer.indexOf,
 * so the file is never held in memory. A line that spans chunks is carried as a list of parts
 * and joined once; a line longer than `maxLineBytes` is dropped (reported through `onTooLong`)
 * instead of being buffered, which is what keeps memory flat for any input.
 *
 * The callback gets the chunk and the line's [start, end) range, not a copy: decoding and
 * hashing read the bytes in place.
 */
import { createReadStream } from "node:fs";

export interface LineCallbacks {
  /** A complete line without its "\n" (a trailing "\r" is left for the caller). */
  onLine(buf: Buffer, start: number, end: number, lineNo: number): void;
  /** A line longer than the limit, skipped up to its newline. */
  onTooLong(lineNo: number): void;
  onProgress?(bytesRead: number): void;
}

export interface ReadSummary {
  bytes: number;
  lines: number;
  /** False when the file does not end with "\n" (and has at least one byte). */
  endsWithNewline: boolean;
}

export const DEFAULT_CHUNK_BYTES = 1 << 20;

export async function readLines(
  path: string,
  callbacks: LineCallbacks,
  maxLineBytes: number,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): Promise<ReadSummary> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  let bytes = 0;
  let lineNo = 0;
  let parts: Buffer[] = [];
  let carried = 0;
  let skipping = false;
  let lastByte = -1;

  for await (const data of stream) {
    const chunk = data as Buffer;
    if (chunk.length === 0) continue;
    bytes += chunk.length;
    lastByte = chunk[chunk.length - 1];
    let pos = 0;

    if (skipping || carried > 0) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        if (!skipping) {
          if (carried + chunk.length > maxLineBytes) {
            skipping = true;
            parts = [];
            carried = 0;
            callbacks.onTooLong(lineNo + 1);
          } else {
            parts.push(chunk);
            carried += chunk.length;
          }
        }
        callbacks.onProgress?.(bytes);
        continue;
      }
      lineNo++;
      if (skipping) {
        skipping = false;
      } else if (carried + nl > maxLineBytes) {
        callbacks.onTooLong(lineNo);
      } else {
        parts.push(chunk.subarray(0, nl));
        const line = Buffer.concat(parts, carried + nl);
        callbacks.onLine(line, 0, line.length, lineNo);
      }
      parts = [];
      carried = 0;
      pos = nl + 1;
    }

    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) break;
      lineNo++;
      if (nl - pos > maxLineBytes) callbacks.onTooLong(lineNo);
      else callbacks.onLine(chunk, pos, nl, lineNo);
      pos = nl + 1;
    }

    if (pos < chunk.length) {
      const rest = chunk.length - pos;
      if (rest > maxLineBytes) {
        skipping = true;
        callbacks.onTooLong(lineNo + 1);
      } else {
        // Copy: keeping a subarray would pin the whole chunk until the line ends.
        parts.push(Buffer.from(chunk.subarray(pos)));
        carried = rest;
      }
    }
    callbacks.onProgress?.(bytes);
  }

  if (skipping) {
    lineNo++;
  } else if (carried > 0) {
    lineNo++;
    const line = Buffer.concat(parts, carried);
    callbacks.onLine(line, 0, line.length, lineNo);
  }
  return { bytes, lines: lineNo, endsWithNewline: bytes === 0 || lastByte === 10 };
}
