/**
 * Streams a file (or stdin) as batches of whole lines: fixed-size chunks, split at the last
 * newline of each chunk, the incomplete rest carried to the next. Nothing holds the whole file;
 * a line longer than `maxLineBytes` is skipped (a "tooLong" event, so it is still counted and
 * reported) instead of being buffered, which keeps memory flat for any input. The first bytes
 * are sniffed (data/file-type.ts): a UTF-16, compressed or binary file stops here with one
 * file-level answer.
 */
import { sniffFileType, SNIFF_BYTES, type NotText } from "./file-type";

/**
 * `owned`: nothing else holds the memory under `buf` (its whole ArrayBuffer), so it may be moved
 * to a worker thread instead of copied. `spent`: reads whose bytes were copied into this batch and
 * that nothing holds any more; a worker thread can take them along and free them with its next
 * minor collection (the main thread, which allocates little, collects them late: megabytes of
 * dead reads piled up behind a 15 MB line).
 */
export type ReadEvent = { kind: "lines"; buf: Buffer; fileStart: boolean; owned: boolean; spent: ArrayBuffer[] } | { kind: "tooLong" };

export interface ReadSummary {
  bytes: number;
  /** False when the input does not end with "\n" (and has at least one byte). */
  endsWithNewline: boolean;
  /** Set when the input is not text; nothing was yielded then. */
  notText: NotText | null;
}

export const CHUNK_BYTES = 1 << 20;

/** True when `b` spans its whole ArrayBuffer (a read of its own, not a view into a shared or pooled one). */
function spansItsBuffer(b: Buffer): boolean {
  return b.byteOffset === 0 && b.length === b.buffer.byteLength;
}

/** Splits arbitrary stream chunks into pieces of at most CHUNK_BYTES (so no line fits in one piece above that). */
async function* pieces(source: AsyncIterable<Buffer | string>, size: number): AsyncGenerator<Buffer> {
  for await (const data of source) {
    const chunk = typeof data === "string" ? Buffer.from(data) : data;
    for (let i = 0; i < chunk.length; i += size) yield chunk.subarray(i, Math.min(chunk.length, i + size));
  }
}

/**
 * The input's pieces, held back until the first SNIFF_BYTES (or the whole input, if shorter)
 * have been sniffed: `state.notText` is set, and nothing yielded, when it is not text.
 */
async function* sniffed(source: AsyncIterable<Buffer>, state: { notText: NotText | null; bytes: number }): AsyncGenerator<Buffer> {
  const held: Buffer[] = [];
  let heldBytes = 0;
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (!next.done) {
      held.push(next.value);
      heldBytes += next.value.length;
    }
    if (next.done || heldBytes >= SNIFF_BYTES) {
      state.notText = sniffFileType(Buffer.concat(held).subarray(0, SNIFF_BYTES));
      if (state.notText) {
        state.bytes = heldBytes;
        await iterator.return?.();
        return;
      }
      yield* held;
      if (next.done) return;
      break;
    }
  }
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * `ownReads`: the source's buffers belong to nobody else (a file stream opened for this read), so
 * a read may be handed on as `owned` or `spent` and its memory moved or freed. Any other source
 * (a stream a library caller built, perhaps over a Buffer it keeps using) has its bytes copied
 * where a batch keeps them, and none of its buffers is ever owned or spent.
 */
export async function* readBatches(
  source: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
  onProgress?: (bytes: number) => void,
  chunkBytes = CHUNK_BYTES,
  ownReads = false,
): AsyncGenerator<ReadEvent, ReadSummary> {
  let bytes = 0;
  let lastByte = -1;
  let parts: Buffer[] = [];
  let carried = 0;
  let skipping = false;
  let lineOnePending = true;
  const sniff = { notText: null as NotText | null, bytes: 0 };

  const batch = (buf: Buffer, owned: boolean, spent: ArrayBuffer[] = []): ReadEvent => {
    const event: ReadEvent = { kind: "lines", buf, fileStart: lineOnePending, owned, spent };
    lineOnePending = false;
    return event;
  };

  for await (const chunk of sniffed(pieces(source, chunkBytes), sniff)) {
    if (chunk.length === 0) continue;
    bytes += chunk.length;
    lastByte = chunk[chunk.length - 1];

    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      if (!skipping) {
        if (carried + chunk.length > maxLineBytes) {
          skipping = true;
          parts = [];
          carried = 0;
        } else {
          // A piece that is a read of its own is kept as it is (only Buffer.concat reads it later).
          parts.push(ownReads && spansItsBuffer(chunk) ? chunk : Buffer.from(chunk));
          carried += chunk.length;
        }
      }
      onProgress?.(bytes);
      continue;
    }
    const first = chunk.indexOf(10);
    let start = 0;
    if (skipping || (carried > 0 && carried + first > maxLineBytes)) {
      // The line that began in an earlier chunk ends here, and is too long.
      lineOnePending = false;
      yield { kind: "tooLong" };
      skipping = false;
      parts = [];
      carried = 0;
      start = first + 1;
    }
    // The line carried from earlier chunks, which ends at `first`, becomes a batch of its own (a
    // copy of that line only); the chunk's other whole lines are a view of the chunk, so when the
    // chunk is a read of its own nothing else is copied and the worker gets the chunk's memory
    // moved (a copy of every megabyte read was measurable on the main thread).
    const own = ownReads && spansItsBuffer(chunk);
    const events: ReadEvent[] = [];
    if (parts.length > 0) {
      const joined = Buffer.concat([...parts, chunk.subarray(0, first + 1)]);
      events.push(batch(joined, spansItsBuffer(joined), parts.filter(spansItsBuffer).map((p) => p.buffer as ArrayBuffer)));
      start = first + 1;
    }
    const body = chunk.subarray(start, last + 1);
    if (body.length > 0) {
      const buf = own ? body : Buffer.from(body);
      events.push(batch(buf, own || spansItsBuffer(buf)));
    } else if (own && events.length > 0 && events[0].kind === "lines") {
      // Nothing of the chunk is in a batch: once its rest is copied below, it is spent too.
      events[0].spent.push(chunk.buffer as ArrayBuffer);
    }
    parts = [];
    carried = 0;
    if (last + 1 < chunk.length) {
      // Copied, and before the batches are handed on: a view would pin the whole chunk until the
      // line ends, and the chunk's memory may be moved to a worker with a batch.
      parts.push(Buffer.from(chunk.subarray(last + 1)));
      carried = chunk.length - last - 1;
    }
    for (const event of events) yield event;
    onProgress?.(bytes);
  }
  if (sniff.notText) return { bytes: sniff.bytes, endsWithNewline: true, notText: sniff.notText };
  if (skipping) yield { kind: "tooLong" };
  else if (carried > 0) {
    const buf = Buffer.concat(parts);
    yield batch(buf, spansItsBuffer(buf), parts.filter(spansItsBuffer).map((p) => p.buffer as ArrayBuffer));
  }
  return { bytes, endsWithNewline: bytes === 0 || lastByte === 10, notText: null };
}
