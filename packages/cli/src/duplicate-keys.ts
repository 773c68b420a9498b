// Finding a key stored twice in one database, which makes redis-server refuse the file
// ("Duplicate key found in RDB file", rdbLoadRioWithLoadingCtx) and redis-check-rdb fail. Exact
// detection needs state per key, so this keeps 64-bit fingerprints of (db, key) in an
// open-addressing table of typed arrays (about 12 bytes a key, no object per key); a fingerprint
// seen twice is a suspect, and suspects are confirmed byte for byte by a second pass over the
// file that keeps only the keys with those fingerprints.

const EMPTY = 0;

/** 64-bit fingerprint of (db, key) as two 32-bit lanes (FNV-1a and a murmur-style mix). */
export function keyFingerprint(db: number, key: Uint8Array): [number, number] {
  let a = 0x811c9dc5 ^ db;
  let b = 0x9747b28c ^ Math.imul(db, 0x5bd1e995);
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b ^= key.length;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  // 0/0 marks an empty slot: nudge the (astronomically rare) real 0/0.
  return [a >>> 0 || 1, b >>> 0];
}

/** A set of 64-bit fingerprints in typed arrays, growing at 70% load. */
export class FingerprintSet {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  private count = 0;

  /** Number of fingerprints held. */
  get size(): number {
    return this.count;
  }

  /** Add a fingerprint; returns false when it was already present. */
  add(h: number, l: number): boolean {
    if ((this.count + 1) * 10 > this.hi.length * 7) this.grow();
    const mask = this.hi.length - 1;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    for (;;) {
      const sh = this.hi[i]!;
      if (sh === EMPTY) {
        this.hi[i] = h;
        this.lo[i] = l;
        this.count++;
        return true;
      }
      if (sh === h && this.lo[i] === l) return false;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldHi = this.hi;
    const oldLo = this.lo;
    this.hi = new Uint32Array(oldHi.length * 2);
    this.lo = new Uint32Array(oldLo.length * 2);
    this.count = 0;
    for (let i = 0; i < oldHi.length; i++) if (oldHi[i] !== EMPTY) this.add(oldHi[i]!, oldLo[i]!);
  }
}
