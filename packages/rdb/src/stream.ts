// Streams: nodes (16-byte master ID + listpack of entries), then metadata, consumer groups, PELs
// and consumers. Source of truth: redis/src/rdb.c rdbLoadObject (RDB_TYPE_STREAM_LISTPACKS*),
// redis/src/t_stream.c streamValidateListpackIntegrity.

import { FormatError } from '@redis-forensics/core';

import {
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_3,
  STREAM_ITEM_FLAG_DELETED,
  STREAM_ITEM_FLAG_SAMEFIELDS,
} from './constants.js';
import { decodeListpack } from './encodings/listpack.js';
import { readLength, readLengthBig } from './length-encoding.js';
import { entryBytes } from './read-object.js';
import { readStringObject } from './string-encoding.js';

import type { ByteWindow } from '@redis-forensics/core';
import type { ListpackEntry } from './encodings/listpack.js';
import type { StreamConsumer, StreamEntry, StreamGroup, StreamId, StreamMeta, StreamPendingEntry } from './events.js';
import type { StringLimits } from './string-encoding.js';

const U64 = 64;
/** entries_read stored as -1 (all ones): unknown. @see redis/src/stream.h SCG_INVALID_ENTRIES_READ */
const SCG_INVALID_ENTRIES_READ = 0xffffffffffffffffn;

/** Format a stream ID as Redis prints it: `<ms>-<seq>`. */
export function formatStreamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** Compare two stream IDs (-1, 0, 1). */
export function compareStreamIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/** Read a 16-byte raw stream ID (u64be ms, u64be seq) from a buffer. */
export function streamIdFromBytes(bytes: Uint8Array, at: number): StreamId {
  if (bytes.length !== 16) throw new FormatError('STREAM_BAD_NODE_KEY', at, `stream ID of ${bytes.length} bytes, expected 16`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return { ms: view.getBigUint64(0, false), seq: view.getBigUint64(8, false) };
}

function int(e: ListpackEntry | undefined, at: number, what: string): number {
  if (typeof e === 'number') return e;
  if (typeof e === 'bigint') return Number(e);
  throw new FormatError('STREAM_BAD_LISTPACK', at, e === undefined ? `listpack ends before ${what}` : `${what} is not an integer`);
}

/**
 * Decode one stream node: validate its listpack as streamValidateListpackIntegrity does and return
 * its live entries (deleted ones are skipped).
 * @param master the node key (master entry ID)
 * @param blob the node's listpack
 * @param at absolute offset of the listpack, for errors
 * @throws {@link FormatError} STREAM_BAD_LISTPACK, and any LISTPACK_* error
 * @see redis/src/t_stream.c streamValidateListpackIntegrity
 */
export function decodeStreamNode(master: StreamId, blob: Uint8Array, at: number): StreamEntry[] {
  const lp = decodeListpack(blob, at);
  if (lp.length === 0) throw new FormatError('STREAM_BAD_LISTPACK', at, 'empty listpack inside stream');
  let i = 0;
  const count = int(lp[i++], at, 'master entry count');
  const deleted = int(lp[i++], at, 'master deleted count');
  const masterFieldCount = int(lp[i++], at, 'master field count');
  if (count < 0 || deleted < 0 || masterFieldCount < 0 || i + masterFieldCount >= lp.length + 1) {
    throw new FormatError('STREAM_BAD_LISTPACK', at, 'master entry counts are out of range');
  }
  const masterFields: Uint8Array[] = [];
  for (let j = 0; j < masterFieldCount; j++) {
    const f = lp[i++];
    if (f === undefined) throw new FormatError('STREAM_BAD_LISTPACK', at, 'listpack ends inside the master fields');
    masterFields.push(entryBytes(f));
  }
  if (int(lp[i++], at, 'master terminator') !== 0) throw new FormatError('STREAM_BAD_LISTPACK', at, 'master entry terminator is not 0');
  const out: StreamEntry[] = [];
  let live = 0;
  let dead = 0;
  while (i < lp.length) {
    const flags = int(lp[i++], at, 'entry flags');
    const msDelta = BigInt(int(lp[i++], at, 'entry ms delta'));
    const seqDelta = BigInt(int(lp[i++], at, 'entry seq delta'));
    let fields: Uint8Array[];
    let expectedCount: number;
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
      fields = new Array(masterFieldCount * 2);
      for (let j = 0; j < masterFieldCount; j++) {
        const v = lp[i++];
        if (v === undefined) throw new FormatError('STREAM_BAD_LISTPACK', at, 'listpack ends inside an entry');
        fields[2 * j] = masterFields[j]!;
        fields[2 * j + 1] = entryBytes(v);
      }
      expectedCount = masterFieldCount + 3;
    } else {
      const n = int(lp[i++], at, 'entry field count');
      if (n < 0 || i + 2 * n > lp.length) throw new FormatError('STREAM_BAD_LISTPACK', at, `entry field count ${n} runs past the listpack`);
      fields = new Array(n * 2);
      for (let j = 0; j < 2 * n; j++) fields[j] = entryBytes(lp[i++]!);
      expectedCount = 2 * n + 4;
    }
    const lpCount = int(lp[i++], at, 'entry lp-count');
    if (lpCount !== expectedCount) {
      throw new FormatError('STREAM_BAD_LISTPACK', at, `entry lp-count is ${lpCount}, expected ${expectedCount}`);
    }
    if (flags & STREAM_ITEM_FLAG_DELETED) {
      dead++;
      continue;
    }
    live++;
    out.push({
      id: { ms: BigInt.asUintN(U64, master.ms + msDelta), seq: BigInt.asUintN(U64, master.seq + seqDelta) },
      fields,
    });
  }
  if (live !== count || dead !== deleted) {
    throw new FormatError('STREAM_BAD_LISTPACK', at, `master entry says ${count} live and ${deleted} deleted entries, found ${live} and ${dead}`);
  }
  return out;
}

function readId(w: ByteWindow): StreamId {
  const ms = readLengthBig(w);
  const seq = readLengthBig(w);
  return { ms, seq };
}

function rawId(w: ByteWindow): StreamId {
  const ms = w.readBigUint64BE();
  const seq = w.readBigUint64BE();
  return { ms, seq };
}

function idKey(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Read the metadata that follows a stream's nodes: length, last ID, (v2+) first ID, max deleted
 * ID and entries added, then every consumer group with its PEL and consumers.
 * @param rdbType 15, 19 or 21: decides which fields are present
 * @param firstLiveId the first live entry seen in the nodes, to derive first_id for type 15
 * @throws NEED_MORE, {@link FormatError} STREAM_DUPLICATE, STREAM_BAD_PEL, RDB_LIMIT_EXCEEDED
 * @see redis/src/rdb.c rdbLoadObject (stream metadata and consumer groups)
 */
export function readStreamMeta(
  w: ByteWindow,
  rdbType: number,
  limits: StringLimits,
  maxElementCount: number,
  firstLiveId: StreamId | null,
  deep: boolean,
): StreamMeta {
  const v = limits.version;
  const length = readLength(w, v);
  const lastId = readId(w);
  let firstId: StreamId;
  let maxDeletedId: StreamId;
  let entriesAdded: number;
  if (rdbType === RDB_TYPE_STREAM_LISTPACKS) {
    firstId = firstLiveId ?? { ms: 0n, seq: 0n };
    maxDeletedId = { ms: 0n, seq: 0n };
    entriesAdded = length;
  } else {
    firstId = readId(w);
    maxDeletedId = readId(w);
    entriesAdded = readLength(w, v);
  }
  const groupCountAt = w.position;
  const groupCount = readLength(w, v);
  checkCount(groupCount, groupCountAt, maxElementCount, 'consumer groups');
  const groups: StreamGroup[] = [];
  const groupNames = new Set<string>();
  for (let g = 0; g < groupCount; g++) {
    const nameAt = w.position;
    const name = readStringObject(w, limits);
    if (groupNames.has(latin1(name))) throw new FormatError('STREAM_DUPLICATE', nameAt, `duplicate consumer group ${JSON.stringify(latin1(name))}`);
    groupNames.add(latin1(name));
    const groupLastId = readId(w);
    let entriesRead: number | null = null;
    if (rdbType !== RDB_TYPE_STREAM_LISTPACKS) {
      const er = readLengthBig(w);
      entriesRead = er === SCG_INVALID_ENTRIES_READ ? null : Number(er);
    }
    const pelSizeAt = w.position;
    const pelSize = readLength(w, v);
    checkCount(pelSize, pelSizeAt, maxElementCount, 'PEL entries');
    const pending: StreamPendingEntry[] = [];
    const pel = new Map<string, StreamPendingEntry>();
    for (let p = 0; p < pelSize; p++) {
      const entryAt = w.position;
      const id = rawId(w);
      const deliveryTime = Number(w.readBigInt64LE());
      const deliveryCount = readLength(w, v);
      const k = idKey(id);
      if (pel.has(k)) throw new FormatError('STREAM_BAD_PEL', entryAt, `duplicate PEL entry ${k}`);
      const entry: StreamPendingEntry = { id, deliveryTime, deliveryCount, consumer: null };
      pel.set(k, entry);
      pending.push(entry);
    }
    const consumerCountAt = w.position;
    const consumerCount = readLength(w, v);
    checkCount(consumerCount, consumerCountAt, maxElementCount, 'consumers');
    const consumers: StreamConsumer[] = [];
    const consumerNames = new Set<string>();
    for (let c = 0; c < consumerCount; c++) {
      const cnameAt = w.position;
      const cname = readStringObject(w, limits);
      if (consumerNames.has(latin1(cname))) throw new FormatError('STREAM_DUPLICATE', cnameAt, `duplicate consumer ${JSON.stringify(latin1(cname))}`);
      consumerNames.add(latin1(cname));
      const seenTime = Number(w.readBigInt64LE());
      const activeTime = rdbType === RDB_TYPE_STREAM_LISTPACKS_3 ? Number(w.readBigInt64LE()) : null;
      const cpelAt = w.position;
      const cpelSize = readLength(w, v);
      checkCount(cpelSize, cpelAt, maxElementCount, 'consumer PEL entries');
      const cpending: StreamId[] = [];
      for (let p = 0; p < cpelSize; p++) {
        const idAt = w.position;
        const id = rawId(w);
        const owner = pel.get(idKey(id));
        if (owner === undefined) throw new FormatError('STREAM_BAD_PEL', idAt, `consumer PEL entry ${idKey(id)} is not in the group PEL`);
        if (owner.consumer !== null) throw new FormatError('STREAM_BAD_PEL', idAt, `PEL entry ${idKey(id)} is owned by two consumers`);
        owner.consumer = cname;
        cpending.push(id);
      }
      consumers.push({ name: cname, seenTime, activeTime, pending: cpending });
    }
    if (deep) {
      for (const entry of pending) {
        if (entry.consumer === null) {
          throw new FormatError('STREAM_BAD_PEL', groupCountAt, `group PEL entry ${idKey(entry.id)} has no consumer`);
        }
      }
    }
    groups.push({ name, lastId: groupLastId, entriesRead, pending, consumers });
  }
  return { length, lastId, firstId, maxDeletedId, entriesAdded, groups };
}

function checkCount(n: number, at: number, max: number, what: string): void {
  if (n > max) throw new FormatError('RDB_LIMIT_EXCEEDED', at, `${n} ${what} exceed the limit of ${max}`);
}
