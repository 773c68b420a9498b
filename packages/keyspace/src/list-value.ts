// A Redis list held like a quicklist: a sequence of chunks, each one latin1 string packing up to
// CHUNK_ENTRIES elements as <varint length><bytes>, so a small element costs its bytes plus one
// length byte instead of a JS string object and an array slot (3-4x less memory). Pushes and pops at
// both ends touch only the end chunks; indexing walks the chunk counts, then one chunk.
// Mirrors the operations of redis/src/t_list.c over quicklist.c.

import { allocBytes } from '@redis-forensics/core';

const latin1Write = Buffer.prototype.latin1Write as (this: Uint8Array, s: string, offset: number, length: number) => number;

const CHUNK_ENTRIES = 64;
const CHUNK_BYTES = 4096;

/** `<varint length><bytes>` of one element. */
function encode(v: string): string {
  let n = v.length;
  let prefix = '';
  while (n >= 0x80) {
    prefix += String.fromCharCode((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  return prefix + String.fromCharCode(n) + v;
}

/** Where the bytes of the element whose length {@link lengthAt} last read begin. */
let dataAt = 0;

/** The length prefix of the element at `pos`; sets {@link dataAt} to where its bytes begin. */
function lengthAt(s: string, pos: number): number {
  let n = 0;
  let shift = 0;
  let p = pos;
  for (;;) {
    const b = s.charCodeAt(p++);
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    shift += 7;
  }
  dataAt = p;
  return n;
}

/** Decode the element at `pos`; returns [value, next position]. */
function decodeAt(s: string, pos: number): [string, number] {
  const n = lengthAt(s, pos);
  return [s.slice(dataAt, dataAt + n), dataAt + n];
}

/** Position just after the element at `pos`. */
function skipAt(s: string, pos: number): number {
  const n = lengthAt(s, pos);
  return dataAt + n;
}

interface Chunk {
  s: string;
  count: number;
}

function decodeChunk(c: Chunk): string[] {
  const out: string[] = [];
  let p = 0;
  for (let i = 0; i < c.count; i++) {
    const [v, next] = decodeAt(c.s, p);
    out.push(v);
    p = next;
  }
  return out;
}

/** Force V8 to flatten a rope built by repeated `+=` (charCodeAt flattens in place). */
function flat(s: string): string {
  if (s.length > 0) s.charCodeAt(0);
  return s;
}

/** A list value: elements head (index 0) to tail. */
export class ListValue {
  readonly type = 'list';
  private chunks: Chunk[] = [];
  /** Number of elements (LLEN). */
  length = 0;

  constructor(elements?: readonly string[]) {
    if (elements !== undefined) this.replaceAll(elements);
  }

  /** Chunk index and element index inside it for a list index (in range). */
  private locate(index: number): [number, number] {
    if (index < this.length / 2) {
      let i = index;
      for (let c = 0; c < this.chunks.length; c++) {
        const n = this.chunks[c]!.count;
        if (i < n) return [c, i];
        i -= n;
      }
    } else {
      let i = this.length - 1 - index;
      for (let c = this.chunks.length - 1; c >= 0; c--) {
        const n = this.chunks[c]!.count;
        if (i < n) return [c, n - 1 - i];
        i -= n;
      }
    }
    throw new RangeError(`list index ${index} out of range`);
  }

  /** Element at `index` (0 = head); the caller checks the range. */
  get(index: number): string {
    const [c, i] = this.locate(index);
    const s = this.chunks[c]!.s;
    let p = 0;
    for (let k = 0; k < i; k++) p = skipAt(s, p);
    return decodeAt(s, p)[0];
  }

  /** Replace the element at `index` (LSET). */
  set(index: number, value: string): void {
    const [c, i] = this.locate(index);
    const chunk = this.chunks[c]!;
    const all = decodeChunk(chunk);
    all[i] = value;
    chunk.s = all.map(encode).join('');
  }

  /** LPUSH one element. */
  pushHead(value: string): void {
    const e = encode(value);
    const first = this.chunks[0];
    if (first !== undefined && first.count < CHUNK_ENTRIES && first.s.length + e.length <= CHUNK_BYTES) {
      first.s = e + first.s;
      // Keep the rope `+` builds shallow: flatten every 8 pushes.
      if (++first.count % 8 === 0) flat(first.s);
    } else {
      if (first !== undefined) flat(first.s);
      this.chunks.unshift({ s: e, count: 1 });
    }
    this.length++;
  }

  /** RPUSH one element. */
  pushTail(value: string): void {
    const e = encode(value);
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined && last.count < CHUNK_ENTRIES && last.s.length + e.length <= CHUNK_BYTES) {
      last.s += e;
      if (++last.count % 8 === 0) flat(last.s);
    } else {
      if (last !== undefined) flat(last.s);
      this.chunks.push({ s: e, count: 1 });
    }
    this.length++;
  }

  /** LPOP one element, or undefined when empty. */
  popHead(): string | undefined {
    const first = this.chunks[0];
    if (first === undefined) return undefined;
    const [v, next] = decodeAt(first.s, 0);
    if (--first.count === 0) this.chunks.shift();
    else first.s = first.s.slice(next);
    this.length--;
    return v;
  }

  /** RPOP one element, or undefined when empty. */
  popTail(): string | undefined {
    const last = this.chunks[this.chunks.length - 1];
    if (last === undefined) return undefined;
    let p = 0;
    for (let k = 0; k < last.count - 1; k++) p = skipAt(last.s, p);
    const [v] = decodeAt(last.s, p);
    if (--last.count === 0) this.chunks.pop();
    else last.s = last.s.slice(0, p);
    this.length--;
    return v;
  }

  /** Elements from `start` to `end` inclusive (already clamped), head to tail. */
  slice(start: number, end: number): string[] {
    const out: string[] = [];
    let i = 0;
    for (const c of this.chunks) {
      if (i + c.count <= start) {
        i += c.count;
        continue;
      }
      if (i > end) break;
      for (const v of decodeChunk(c)) {
        if (i >= start && i <= end) out.push(v);
        i++;
      }
    }
    return out;
  }

  /**
   * Every element, head to tail, as bytes: each chunk is written once into a slab (core
   * allocBytes) and the elements are views into it, with no string per element. For output that
   * is consumed at once (a writer's events): a view kept keeps its slab alive.
   */
  toBytes(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const c of this.chunks) {
      const bytes = allocBytes(c.s.length);
      latin1Write.call(bytes, c.s, 0, c.s.length);
      let p = 0;
      for (let i = 0; i < c.count; i++) {
        const n = lengthAt(c.s, p);
        out.push(bytes.subarray(dataAt, dataAt + n));
        p = dataAt + n;
      }
    }
    return out;
  }

  /** Every element, head to tail. */
  toArray(): string[] {
    const out: string[] = [];
    for (const c of this.chunks) for (const v of decodeChunk(c)) out.push(v);
    return out;
  }

  /** Replace every element (LREM and LINSERT rebuild the list). */
  replaceAll(elements: readonly string[]): void {
    this.chunks = [];
    this.length = 0;
    for (const e of elements) this.pushTail(e);
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined) flat(last.s);
  }

  /** Insert `value` so that it ends up at `index` (0..length). */
  insertAt(index: number, value: string): void {
    if (index === 0) return this.pushHead(value);
    if (index === this.length) return this.pushTail(value);
    const [c, i] = this.locate(index);
    const chunk = this.chunks[c]!;
    const all = decodeChunk(chunk);
    all.splice(i, 0, value);
    if (all.length <= CHUNK_ENTRIES) {
      chunk.s = all.map(encode).join('');
      chunk.count = all.length;
    } else {
      const half = all.length >> 1;
      this.chunks.splice(c, 1, { s: all.slice(0, half).map(encode).join(''), count: half }, { s: all.slice(half).map(encode).join(''), count: all.length - half });
    }
    this.length++;
  }

  /** Keep only `start..end` inclusive (clamped by the caller); empty when start > end. */
  trim(start: number, end: number): void {
    if (start > end) {
      this.chunks = [];
      this.length = 0;
      return;
    }
    let dropHead = start;
    let dropTail = this.length - 1 - end;
    this.length -= dropHead + dropTail;
    while (dropHead > 0 && this.chunks[0]!.count <= dropHead) dropHead -= this.chunks.shift()!.count;
    if (dropHead > 0) {
      const c = this.chunks[0]!;
      let p = 0;
      for (let k = 0; k < dropHead; k++) p = skipAt(c.s, p);
      c.s = flat(c.s.slice(p));
      c.count -= dropHead;
    }
    while (dropTail > 0 && this.chunks[this.chunks.length - 1]!.count <= dropTail) dropTail -= this.chunks.pop()!.count;
    if (dropTail > 0) {
      const c = this.chunks[this.chunks.length - 1]!;
      let p = 0;
      for (let k = 0; k < c.count - dropTail; k++) p = skipAt(c.s, p);
      c.s = flat(c.s.slice(0, p));
      c.count -= dropTail;
    }
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (const c of this.chunks) yield* decodeChunk(c);
  }
}
