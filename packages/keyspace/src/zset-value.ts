// A sorted set: member -> score (Map) plus an order index sorted by (score, member bytes), the
// order of Redis's skiplist (redis/src/t_zset.c zslInsert: score, then sdscmp). The index is a
// list of sorted chunks of at most 2 * CHUNK entries (a one-level B-tree, like Python's
// SortedList): insert/remove/rank are O(n / CHUNK + CHUNK) with small constants, which keeps
// million-member zsets practical where one sorted array would memmove n/2 entries per ZADD.

const CHUNK = 256;

/** (score, member) order: score by `<` (so -0 == 0), then member bytes. */
export function compareScoreMember(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  return m1 < m2 ? -1 : m1 > m2 ? 1 : 0;
}

interface Chunk {
  m: string[];
  s: number[];
}

/** The order index: entries sorted by (score, member). */
export class ZsetIndex {
  private chunks: Chunk[] = [];
  length = 0;

  /** Index of the first chunk whose last entry is >= (score, member); chunks.length if none. */
  private chunkFor(score: number, member: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.chunks[mid]!;
      const last = c.m.length - 1;
      if (compareScoreMember(c.s[last]!, c.m[last]!, score, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position in a chunk of the first entry >= (score, member). */
  private static posIn(c: Chunk, score: number, member: string): number {
    let lo = 0;
    let hi = c.m.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareScoreMember(c.s[mid]!, c.m[mid]!, score, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Add an entry (the caller guarantees the member is not in the index). */
  insert(score: number, member: string): void {
    this.length++;
    if (this.chunks.length === 0) {
      this.chunks.push({ m: [member], s: [score] });
      return;
    }
    let ci = this.chunkFor(score, member);
    if (ci === this.chunks.length) ci--;
    const c = this.chunks[ci]!;
    const pos = ZsetIndex.posIn(c, score, member);
    c.m.splice(pos, 0, member);
    c.s.splice(pos, 0, score);
    if (c.m.length > 2 * CHUNK) {
      this.chunks.splice(ci + 1, 0, { m: c.m.splice(CHUNK), s: c.s.splice(CHUNK) });
    }
  }

  /** Remove an entry; returns false when it is not there. */
  remove(score: number, member: string): boolean {
    const ci = this.chunkFor(score, member);
    if (ci === this.chunks.length) return false;
    const c = this.chunks[ci]!;
    const pos = ZsetIndex.posIn(c, score, member);
    if (pos >= c.m.length || c.m[pos] !== member) return false;
    c.m.splice(pos, 1);
    c.s.splice(pos, 1);
    this.length--;
    if (c.m.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /** 0-based rank of (score, member), i.e. the number of entries before it. */
  rankOf(score: number, member: string): number {
    const ci = this.chunkFor(score, member);
    let rank = 0;
    for (let i = 0; i < ci; i++) rank += this.chunks[i]!.m.length;
    if (ci === this.chunks.length) return rank;
    return rank + ZsetIndex.posIn(this.chunks[ci]!, score, member);
  }

  /** Chunk and offset of a rank. */
  private locate(rank: number): [number, number] {
    let r = rank;
    for (let i = 0; i < this.chunks.length; i++) {
      const n = this.chunks[i]!.m.length;
      if (r < n) return [i, r];
      r -= n;
    }
    return [this.chunks.length, 0];
  }

  /** The entry at `rank` (0-based, in range). */
  at(rank: number): [member: string, score: number] {
    const [ci, off] = this.locate(rank);
    const c = this.chunks[ci]!;
    return [c.m[off]!, c.s[off]!];
  }

  /** Entries from rank `start` to `end` inclusive, ascending. */
  *range(start: number, end: number): IterableIterator<[string, number]> {
    if (start > end || this.length === 0) return;
    let [ci, off] = this.locate(start);
    let left = end - start + 1;
    while (left > 0 && ci < this.chunks.length) {
      const c = this.chunks[ci]!;
      for (; off < c.m.length && left > 0; off++, left--) yield [c.m[off]!, c.s[off]!];
      ci++;
      off = 0;
    }
  }

  /** Entries from rank `start` down to rank `end` (start >= end), descending. */
  *rangeReverse(start: number, end: number): IterableIterator<[string, number]> {
    if (start < end || this.length === 0) return;
    let [ci, off] = this.locate(start);
    let left = start - end + 1;
    while (left > 0 && ci >= 0) {
      const c = this.chunks[ci]!;
      for (; off >= 0 && left > 0; off--, left--) yield [c.m[off]!, c.s[off]!];
      ci--;
      if (ci >= 0) off = this.chunks[ci]!.m.length - 1;
    }
  }

  /** Number of entries whose score is < `score` (exclusive=false) or <= `score` (exclusive=true). */
  countBelow(score: number, inclusive: boolean): number {
    // First chunk whose last score is >= score (or > score when inclusive).
    let lo = 0;
    let hi = this.chunks.length;
    const before = (s: number): boolean => (inclusive ? s <= score : s < score);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.chunks[mid]!;
      if (before(c.s[c.s.length - 1]!)) lo = mid + 1;
      else hi = mid;
    }
    let rank = 0;
    for (let i = 0; i < lo; i++) rank += this.chunks[i]!.m.length;
    if (lo === this.chunks.length) return rank;
    const c = this.chunks[lo]!;
    let a = 0;
    let b = c.s.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (before(c.s[mid]!)) a = mid + 1;
      else b = mid;
    }
    return rank + a;
  }

  /** Remove ranks `start..end` inclusive; returns the removed members. */
  removeRange(start: number, end: number): string[] {
    const removed: string[] = [];
    for (const [m] of this.range(start, end)) removed.push(m);
    let [ci, off] = this.locate(start);
    let left = end - start + 1;
    while (left > 0 && ci < this.chunks.length) {
      const c = this.chunks[ci]!;
      const n = Math.min(left, c.m.length - off);
      c.m.splice(off, n);
      c.s.splice(off, n);
      left -= n;
      this.length -= n;
      if (c.m.length === 0) this.chunks.splice(ci, 1);
      else ci++;
      off = 0;
    }
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<[string, number]> {
    for (const c of this.chunks) for (let i = 0; i < c.m.length; i++) yield [c.m[i]!, c.s[i]!];
  }
}

/** A sorted set value. */
export class ZsetValue {
  readonly type = 'zset';
  readonly dict: Map<string, number> = new Map();
  readonly index: ZsetIndex = new ZsetIndex();
  /**
   * Whether Redis would hold this zset as a listpack (small) rather than a skiplist; decides
   * whether -0 is stored as 0 (7.0+ listpacks store integral scores as integers).
   */
  listpack = true;

  /** ZCARD. */
  get size(): number {
    return this.dict.size;
  }

  /** Add or re-score a member (an equal score, -0 == 0 included, changes nothing, like zsetAdd). */
  set(member: string, score: number): void {
    const old = this.dict.get(member);
    if (old !== undefined) {
      if (old === score) return;
      this.index.remove(old, member);
    }
    this.dict.set(member, score);
    this.index.insert(score, member);
  }

  /** Remove a member; returns whether it was there. */
  delete(member: string): boolean {
    const old = this.dict.get(member);
    if (old === undefined) return false;
    this.dict.delete(member);
    this.index.remove(old, member);
    return true;
  }

  /** 0-based rank of a member in ascending order, or -1. */
  rank(member: string): number {
    const s = this.dict.get(member);
    return s === undefined ? -1 : this.index.rankOf(s, member);
  }
}
