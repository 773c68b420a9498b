// A stream as Redis lays it out: a sequence of nodes (the listpacks of the radix tree), each with
// a master entry, live and deleted entries and a byte size computed with listpack's encoding
// rules, so that node boundaries - and therefore `MAXLEN ~` / `MINID ~` trimming and XDEL's node
// removal - match the server. Consumer groups hold a PEL (NACKs) and consumers.
// Source of truth: redis/src/t_stream.c streamAppendItem, streamTrim, streamIteratorRemoveEntry,
// streamGetEdgeID; redis/src/listpack.c lpEncodeGetType, lpEncodeBacklen.

import { string2ll } from './number-text.js';
import { STREAM_ID_MAX, STREAM_ID_ZERO, streamIdParts } from './stream-id.js';

/** stream-node-max-bytes default. */
export const STREAM_NODE_MAX_BYTES = 4096;
/** stream-node-max-entries default. */
export const STREAM_NODE_MAX_ENTRIES = 100;
/** SCG_INVALID_ENTRIES_READ. */
export const SCG_INVALID_ENTRIES_READ = -1;

const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

/** Encoded size (encoding byte(s) + data) of a listpack integer. */
function lpIntSize(v: bigint): number {
  if (v >= 0n && v <= 127n) return 1;
  if (v >= -4096n && v <= 4095n) return 2;
  if (v >= -32768n && v <= 32767n) return 3;
  if (v >= -8388608n && v <= 8388607n) return 4;
  if (v >= -2147483648n && v <= 2147483647n) return 5;
  return 9;
}

/** Bytes of the backlen that follows an element of `l` bytes (lpEncodeBacklen). */
function lpBacklenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Total bytes of one listpack element holding `s` (integers are stored as integers). */
function lpElementSize(s: string): number {
  const n = s.length <= 20 ? string2ll(s) : null;
  let enc: number;
  if (n !== null) enc = lpIntSize(n);
  else if (s.length < 64) enc = 1 + s.length;
  else if (s.length < 4096) enc = 2 + s.length;
  else enc = 5 + s.length;
  return enc + lpBacklenSize(enc);
}

function lpIntElementSize(v: bigint): number {
  const enc = lpIntSize(v);
  return enc + lpBacklenSize(enc);
}

/** A uint64 difference as the int64 lpAppendInteger stores. */
function asInt64(v: bigint): bigint {
  const m = v & (2n ** 64n - 1n);
  return m >= 2n ** 63n ? m - 2n ** 64n : m;
}

/** One node (listpack) of the stream, its entries packed into strings to stay compact. */
export interface StreamNode {
  /** ID of the master entry (the first entry added to the node). */
  master: string;
  masterFields: string[];
  /** Entry IDs in order, deleted ones included: 16 chars per entry. */
  ids: string;
  /** Entry data: values only (SAMEFIELDS) or numfields then field/value pairs, varint-prefixed. */
  blob: string;
  /** Start of each entry in `blob`. */
  offsets: number[];
  /** Per entry: bit 0 deleted (STREAM_ITEM_FLAG_DELETED), bit 1 same fields (SAMEFIELDS). */
  flags: number[];
  live: number;
  deletedCount: number;
  /** lpBytes of the listpack. */
  bytes: number;
}

const FLAG_DELETED = 1;

function varint(n: number): string {
  let out = '';
  let v = n;
  while (v >= 0x80) {
    out += String.fromCharCode((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  return out + String.fromCharCode(v);
}

function readVarint(s: string, pos: number): [number, number] {
  let n = 0;
  let mul = 1;
  let p = pos;
  for (;;) {
    const b = s.charCodeAt(p++);
    n += (b & 0x7f) * mul;
    if (b < 0x80) return [n, p];
    mul *= 128;
  }
}

/** Pack one entry's data. */
function packEntry(fieldsValues: readonly string[], same: boolean): string {
  let out = same ? '' : varint(fieldsValues.length / 2);
  for (let i = 0; i < fieldsValues.length; i++) {
    if (same && i % 2 === 0) continue;
    out += varint(fieldsValues[i]!.length) + fieldsValues[i]!;
  }
  return out;
}

/** The field/value pairs of entry `i` of a node. */
export function nodeEntryFields(node: StreamNode, i: number): string[] {
  const same = (node.flags[i]! & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
  let p = node.offsets[i]!;
  let n = node.masterFields.length;
  if (!same) [n, p] = readVarint(node.blob, p);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    if (same) out.push(node.masterFields[k]!);
    else {
      const [len, q] = readVarint(node.blob, p);
      out.push(node.blob.slice(q, q + len));
      p = q + len;
    }
    const [len, q] = readVarint(node.blob, p);
    out.push(node.blob.slice(q, q + len));
    p = q + len;
  }
  return out;
}

/** ID key of entry `i` of a node. */
export function nodeEntryId(node: StreamNode, i: number): string {
  return node.ids.slice(16 * i, 16 * i + 16);
}

/** A pending entry (streamNACK). */
export interface StreamNack {
  deliveryTime: number;
  deliveryCount: number;
  /** Owner consumer name (latin1), or null for a NACK created by XCLAIM FORCE before it is assigned. */
  consumer: string | null;
}

/** A consumer (streamConsumer). */
export interface StreamConsumerState {
  seenTime: number;
  /** -1 = never active (7.2+ active-time). */
  activeTime: number;
  /** Pending IDs this consumer owns. */
  pel: Set<string>;
}

/** A consumer group (streamCG). */
export interface StreamGroupState {
  lastId: string;
  entriesRead: number;
  pel: Map<string, StreamNack>;
  consumers: Map<string, StreamConsumerState>;
}

/** A stream value. */
export class StreamValue {
  readonly type = 'stream';
  nodes: StreamNode[] = [];
  length = 0;
  lastId: string = STREAM_ID_ZERO;
  firstId: string = STREAM_ID_ZERO;
  maxDeletedId: string = STREAM_ID_ZERO;
  entriesAdded = 0;
  /** Created on demand, like s->cgroups. */
  groups: Map<string, StreamGroupState> | null = null;
  nodeMaxBytes: number = STREAM_NODE_MAX_BYTES;
  nodeMaxEntries: number = STREAM_NODE_MAX_ENTRIES;

  /**
   * Append an entry with a valid new ID (the caller checked id > lastId); updates length,
   * entriesAdded, lastId and firstId.
   * @see redis/src/t_stream.c streamAppendItem
   */
  append(id: string, fieldsValues: string[]): void {
    let totelelen = 0;
    for (const s of fieldsValues) totelelen += s.length;
    let node = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1]! : null;
    if (node !== null) {
      const maxBytes = this.nodeMaxBytes === 0 || this.nodeMaxBytes > 2 ** 30 ? 2 ** 30 : this.nodeMaxBytes;
      if (node.bytes + totelelen >= maxBytes) node = null;
      else if (this.nodeMaxEntries && node.live + node.deletedCount >= this.nodeMaxEntries) node = null;
    }
    const numfields = fieldsValues.length / 2;
    let same = false;
    if (node === null) {
      const masterFields: string[] = [];
      for (let i = 0; i < fieldsValues.length; i += 2) masterFields.push(fieldsValues[i]!);
      let bytes = 7 + lpIntElementSize(1n) + lpIntElementSize(0n) + lpIntElementSize(BigInt(numfields));
      for (const f of masterFields) bytes += lpElementSize(f);
      bytes += lpIntElementSize(0n);
      node = { master: id, masterFields, ids: '', blob: '', offsets: [], flags: [], live: 0, deletedCount: 0, bytes };
      this.nodes.push(node);
      same = true;
    } else if (node.masterFields.length === numfields) {
      same = true;
      for (let i = 0; i < numfields; i++) {
        if (node.masterFields[i] !== fieldsValues[i * 2]) {
          same = false;
          break;
        }
      }
    }
    const m = streamIdParts(node.master);
    const e = streamIdParts(id);
    let bytes = lpIntElementSize(BigInt(same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0));
    bytes += lpIntElementSize(asInt64(e.ms - m.ms)) + lpIntElementSize(asInt64(e.seq - m.seq));
    if (!same) bytes += lpIntElementSize(BigInt(numfields));
    for (let i = 0; i < fieldsValues.length; i++) {
      if (same && i % 2 === 0) continue;
      bytes += lpElementSize(fieldsValues[i]!);
    }
    const lpCount = BigInt(numfields + 3 + (same ? 0 : numfields + 1));
    bytes += lpIntElementSize(lpCount);
    node.bytes += bytes;
    node.ids += id;
    node.offsets.push(node.blob.length);
    node.blob += packEntry(fieldsValues, same);
    node.flags.push(same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0);
    // Keep the ropes `+=` builds shallow (charCodeAt flattens them).
    if (node.offsets.length % 8 === 0) {
      node.ids.charCodeAt(0);
      node.blob.charCodeAt(0);
    }
    node.live++;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Node index and position of a live entry, or null. */
  private find(id: string): [number, number] | null {
    let lo = 0;
    let hi = this.nodes.length - 1;
    let ni = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.nodes[mid]!.master <= id) {
        ni = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (ni < 0) return null;
    const node = this.nodes[ni]!;
    let a = 0;
    let b = node.offsets.length - 1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      const v = nodeEntryId(node, mid);
      if (v === id) return node.flags[mid]! & FLAG_DELETED ? null : [ni, mid];
      if (v < id) a = mid + 1;
      else b = mid - 1;
    }
    return null;
  }

  /** Whether a live entry has this ID (streamEntryExists). */
  has(id: string): boolean {
    return this.find(id) !== null;
  }

  /** Field/value pairs of a live entry, or null. */
  get(id: string): string[] | null {
    const at = this.find(id);
    return at === null ? null : nodeEntryFields(this.nodes[at[0]]!, at[1]);
  }

  /** Flag entry `i` of a node deleted. */
  private static tombstone(node: StreamNode, i: number): void {
    node.flags[i] = node.flags[i]! | FLAG_DELETED;
    node.live--;
    node.deletedCount++;
  }

  /**
   * Delete a live entry (XDEL): flag it, or drop the node when it was the node's last live entry.
   * @returns whether it existed
   * @see redis/src/t_stream.c streamDeleteItem, streamIteratorRemoveEntry
   */
  delete(id: string): boolean {
    const at = this.find(id);
    if (at === null) return false;
    const node = this.nodes[at[0]]!;
    if (node.live === 1) this.nodes.splice(at[0], 1);
    else StreamValue.tombstone(node, at[1]);
    this.length--;
    return true;
  }

  /** First (or last) live ID, or MAX (or ZERO) when there is none. @see streamGetEdgeID */
  edgeId(first: boolean): string {
    if (first) {
      for (const n of this.nodes) for (let i = 0; i < n.offsets.length; i++) if (!(n.flags[i]! & FLAG_DELETED)) return nodeEntryId(n, i);
      return STREAM_ID_MAX;
    }
    for (let j = this.nodes.length - 1; j >= 0; j--) {
      const n = this.nodes[j]!;
      for (let i = n.offsets.length - 1; i >= 0; i--) if (!(n.flags[i]! & FLAG_DELETED)) return nodeEntryId(n, i);
    }
    return STREAM_ID_ZERO;
  }

  /**
   * Trim by MAXLEN or MINID, whole nodes first; `approx` stops at the first node that cannot go
   * whole; `limit` (0 = none) caps the entries removed.
   * @returns the number of entries removed
   * @see redis/src/t_stream.c streamTrim
   */
  trim(strategy: 'maxlen' | 'minid', maxlen: number, minid: string, approx: boolean, limit: number): number {
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (strategy === 'maxlen' && this.length <= maxlen) break;
      const node = this.nodes[0]!;
      const entries = node.live;
      if (limit && deleted + entries > limit) break;
      let removeNode: boolean;
      if (strategy === 'maxlen') removeNode = this.length - entries >= maxlen;
      else removeNode = nodeEntryId(node, node.offsets.length - 1) < minid;
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      for (let i = 0; i < node.offsets.length; i++) {
        const stop = strategy === 'maxlen' ? this.length <= maxlen : nodeEntryId(node, i) >= minid;
        if (stop) break;
        if (!(node.flags[i]! & FLAG_DELETED)) {
          StreamValue.tombstone(node, i);
          this.length--;
          deleted++;
        }
      }
      break;
    }
    // An emptied stream records 0-0 as its first ID (as XDEL does), not the iterator's MAX.
    if (deleted) this.firstId = this.length === 0 ? STREAM_ID_ZERO : this.edgeId(true);
    return deleted;
  }

  /** Live entries in ID order, from `start` to `end` inclusive (keys). */
  *entries(start: string = STREAM_ID_ZERO, end: string = STREAM_ID_MAX): IterableIterator<[string, string[]]> {
    for (const n of this.nodes) {
      const count = n.offsets.length;
      if (count === 0 || nodeEntryId(n, count - 1) < start) continue;
      for (let i = 0; i < count; i++) {
        if (n.flags[i]! & FLAG_DELETED) continue;
        const id = nodeEntryId(n, i);
        if (id < start) continue;
        if (id > end) return;
        yield [id, nodeEntryFields(n, i)];
      }
    }
  }

  /** Live entries in reverse ID order, from `end` down to `start`. */
  *entriesReverse(start: string = STREAM_ID_ZERO, end: string = STREAM_ID_MAX): IterableIterator<[string, string[]]> {
    for (let j = this.nodes.length - 1; j >= 0; j--) {
      const n = this.nodes[j]!;
      for (let i = n.offsets.length - 1; i >= 0; i--) {
        if (n.flags[i]! & FLAG_DELETED) continue;
        const id = nodeEntryId(n, i);
        if (id > end) continue;
        if (id < start) return;
        yield [id, nodeEntryFields(n, i)];
      }
    }
  }

  /** The group, or undefined. */
  group(name: string): StreamGroupState | undefined {
    return this.groups?.get(name);
  }
}
