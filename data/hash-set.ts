/**
 * Duplicate detection without keeping the text: each example is reduced to a 64-bit hash of its
 * bytes, stored in an open-addressing table of typed arrays (two Uint32 halves plus the line
 * number where it was first seen: 12 bytes per slot, load factor at most 1/2, so about 24 bytes
 * per example). This is the one structure that grows with the number of examples (not with their
 * size): 1 million examples cost about 24 MB. With 64 bits the chance of a false duplicate among
 * 10 million examples is about 3 in a million.
 */

/** 64-bit hash of bytes as two 32-bit lanes, written to `out` to avoid an allocation per line. */
export function hashBytes(buf: Uint8Array, start: number, end: number, out: Uint32Array): void {
  hashView(new DataView(buf.buffer, buf.byteOffset, buf.byteLength), start, end, out);
}

/**
 * hashBytes over a DataView of the bytes (the same hash). Eight bytes per step, each lane
 * mixing both words with murmur3/murmur2 multipliers and a final avalanche: a little-endian
 * 32-bit read from a DataView compiles to one unaligned load, where four byte reads and shifts
 * per word cost twice the time. Measured with callgrind on 32 MB of bench lines: 10.4
 * instructions per byte with four bytes per step, 6.6 with eight. Each lane alone collides
 * about as often as a random 32-bit hash (2 million similar lines: 225 and 263 collisions
 * against 466 expected), and the 64-bit pair did not collide.
 */
export function hashView(view: DataView, start: number, end: number, out: Uint32Array): void {
  const len = end - start;
  let h1 = 0x9747b28c ^ len;
  let h2 = 0x85ebca6b ^ len;
  let i = start;
  const stop8 = end - 7;
  for (; i < stop8; i += 8) {
    const a = view.getInt32(i, true);
    const b = view.getInt32(i + 4, true);
    h1 = Math.imul(h1 ^ a, 0xcc9e2d51);
    h1 = Math.imul((h1 << 15) | (h1 >>> 17), 0x1b873593) ^ b;
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 = Math.imul((h2 << 13) | (h2 >>> 19), 0x85ebca6b) ^ a;
  }
  for (; i < end; i++) {
    const c = view.getUint8(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 0x85ebca6b);
  h2 ^= h2 >>> 13;
  out[0] = h1;
  out[1] = h2;
}

export class HashSet64 {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Line number + 1 of the first occurrence; 0 marks an empty slot. */
  private lines: Uint32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 1;
    while (cap < initialCapacity * 2) cap <<= 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.lines = new Uint32Array(cap);
  }

  get size(): number {
    return this.count;
  }

  /** Approximate memory held, in bytes. */
  get bytes(): number {
    return this.hi.byteLength * 3;
  }

  /** The line of an earlier identical example, or 0 if none. */
  get(h1: number, h2: number): number {
    const mask = this.lines.length - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.lines[slot] !== 0) {
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return this.lines[slot] - 1;
      slot = (slot + 1) & mask;
    }
    return 0;
  }

  /** Adds the hash; returns the line where it was first seen, or 0 if it is new. */
  addOrGet(h1: number, h2: number, line: number): number {
    const mask = this.lines.length - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.lines[slot] !== 0) {
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return this.lines[slot] - 1;
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.lines[slot] = line + 1;
    this.count++;
    if (this.count * 2 > this.lines.length) this.grow();
    return 0;
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const cap = lines.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.lines = new Uint32Array(cap);
    const mask = cap - 1;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue;
      let slot = (hi[i] ^ Math.imul(lo[i], 0x9e3779b1)) & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.lines[slot] = lines[i];
    }
  }
}
