// Streams: STREAM_LISTPACKS (RDB 9), STREAM_LISTPACKS_2 (RDB 10: first ID, max deleted ID,
// entries added, group entries_read) and STREAM_LISTPACKS_3 (RDB 11+: consumer active time);
// nodes, metadata, then consumer groups with their PEL and consumers.
// Source of truth: redis/src/rdb.c rdbSaveObject (OBJ_STREAM), rdbSaveStreamPEL,
// rdbSaveStreamConsumers.

import {
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
} from '../constants.js';
import { compareStreamIds } from '../stream.js';
import { buildStreamNodes } from './stream-nodes.js';

import type { StreamEntry, StreamGroup, StreamId, StreamMeta } from '../events.js';
import type { RdbSink } from './rdb-sink.js';
import type { WriteTarget } from './write-target.js';

/** stream.h SCG_INVALID_ENTRIES_READ: entries_read unknown, written as a 64-bit -1. */
const SCG_INVALID_ENTRIES_READ = 0xffffffffffffffffn;
const ZERO_ID: StreamId = { ms: 0n, seq: 0n };

/** The 16-byte node key / PEL ID form: ms then seq, both u64 big-endian. */
export function encodeStreamId(id: StreamId): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, id.ms, false);
  view.setBigUint64(8, id.seq, false);
  return out;
}

function writeId(sink: RdbSink, id: StreamId): void {
  sink.writeLength(id.ms);
  sink.writeLength(id.seq);
}

function writeRawId(sink: RdbSink, id: StreamId): void {
  sink.writeBigUint64BE(id.ms);
  sink.writeBigUint64BE(id.seq);
}

/** Metadata for a stream given without any (a caller-made value): what a fresh XADD-only stream has. */
function metaOf(entries: readonly StreamEntry[], meta: StreamMeta | null): StreamMeta {
  if (meta !== null) return meta;
  const first = entries[0]?.id ?? ZERO_ID;
  const last = entries[entries.length - 1]?.id ?? ZERO_ID;
  return { length: entries.length, lastId: last, firstId: first, maxDeletedId: ZERO_ID, entriesAdded: entries.length, groups: [] };
}

const idText = (id: StreamId): string => `${id.ms}-${id.seq}`;
const nameText = (name: Uint8Array): string => Buffer.from(name.buffer, name.byteOffset, name.byteLength).toString('latin1');

/**
 * A group's entries_read as a loader estimates it for a stream type without it (RDB 9), from the
 * metadata it derives: entries_added = length, no max deleted ID, first ID from the data.
 * @returns the estimate, or null for unknown (SCG_INVALID_ENTRIES_READ)
 * @see redis/src/t_stream.c streamEstimateDistanceFromFirstEverEntry; redis/src/rdb.c rdbLoadObject
 */
function estimatedEntriesRead(groupLastId: StreamId, length: number, lastId: StreamId, firstId: StreamId): number | null {
  if (length === 0) return 0;
  const cmpLast = compareStreamIds(groupLastId, lastId);
  if (cmpLast === 0) return length;
  if (cmpLast > 0) return null;
  const cmpFirst = compareStreamIds(groupLastId, firstId);
  if (cmpFirst < 0) return 0;
  if (cmpFirst === 0) return 1;
  return null;
}

/**
 * What a stream loses in the target's stream type: metadata that type has no room for and that a
 * loader derives to other values (FORMAT.md 3.7): with RDB 9, first ID, max deleted ID, entries
 * added and the groups' entries_read; before RDB 11, consumers' active time (loaders copy the seen
 * time). Empty when nothing is lost.
 * @param entries live entries in ID order
 * @param meta the stream's metadata (null: none beyond the entries)
 * @param version target RDB version (9 or later)
 * @returns one description per thing lost
 * @see redis/src/rdb.c rdbLoadObject (OBJ_STREAM)
 */
export function streamMetadataLost(entries: readonly StreamEntry[], meta: StreamMeta | null, version: number): string[] {
  if (meta === null || version >= 11) return [];
  const lost: string[] = [];
  if (version < 10) {
    const firstId = entries[0]?.id ?? ZERO_ID;
    if (compareStreamIds(meta.firstId, firstId) !== 0) lost.push(`first-id ${idText(meta.firstId)} (a loader derives ${idText(firstId)})`);
    if (compareStreamIds(meta.maxDeletedId, ZERO_ID) !== 0) lost.push(`max-deleted-id ${idText(meta.maxDeletedId)} (becomes 0-0)`);
    if (meta.entriesAdded !== entries.length) lost.push(`entries-added ${meta.entriesAdded} (becomes the length, ${entries.length})`);
    const lastId = meta.lastId;
    for (const g of meta.groups) {
      const estimate = estimatedEntriesRead(g.lastId, entries.length, lastId, firstId);
      // An unknown entries_read (null) has nothing to lose, whatever the estimate.
      if (g.entriesRead !== null && estimate !== g.entriesRead) {
        lost.push(`entries-read ${g.entriesRead} of group "${nameText(g.name)}" (a loader estimates ${estimate ?? 'unknown'})`);
      }
    }
  }
  let activeLost = 0;
  for (const g of meta.groups) for (const c of g.consumers) if (c.activeTime !== null && c.activeTime !== c.seenTime) activeLost++;
  if (activeLost > 0) lost.push(`active-time of ${activeLost} consumer${activeLost === 1 ? '' : 's'} (becomes the seen-time)`);
  return lost;
}

const byName = (a: { name: Uint8Array }, b: { name: Uint8Array }): number => Buffer.compare(a.name, b.name);
const byId = (a: { id: StreamId }, b: { id: StreamId }): number => compareStreamIds(a.id, b.id);

/**
 * Write a stream key record (type byte, key, value): nodes rebuilt from the live entries, then
 * length, last ID, (RDB 10+) first ID, max deleted ID and entries added, then the groups in name
 * order, each with its PEL in ID order and its consumers in name order (radix-tree order, as Redis
 * writes them). Fields the target has no room for are left out, as Redis's own downgrade would:
 * RDB 9 has no first ID / max deleted ID / entries added / entries_read, RDB 9-10 no consumer
 * active time (a missing active time is written as the seen time, which is what loaders assume).
 * The length written is the number of live entries.
 * @param entries live entries in ID order
 * @param meta the metadata, or null for a stream without groups whose IDs come from `entries`
 * @see redis/src/rdb.c rdbSaveObject (OBJ_STREAM), rdbSaveStreamPEL, rdbSaveStreamConsumers
 */
export function writeStream(
  sink: RdbSink,
  key: Uint8Array,
  entries: readonly StreamEntry[],
  meta: StreamMeta | null,
  target: WriteTarget,
): void {
  const { version, limits } = target;
  const rdbType = version >= 11 ? RDB_TYPE_STREAM_LISTPACKS_3 : version === 10 ? RDB_TYPE_STREAM_LISTPACKS_2 : RDB_TYPE_STREAM_LISTPACKS;
  const m = metaOf(entries, meta);
  const nodes = buildStreamNodes(entries, limits.streamNodeMaxBytes, limits.streamNodeMaxEntries);
  sink.writeByte(rdbType);
  sink.writeString(key);
  sink.writeLength(nodes.length);
  for (const node of nodes) {
    sink.writeString(encodeStreamId(node.masterId));
    sink.writeString(node.listpack);
  }
  sink.writeLength(entries.length);
  writeId(sink, m.lastId);
  if (rdbType !== RDB_TYPE_STREAM_LISTPACKS) {
    writeId(sink, m.firstId);
    writeId(sink, m.maxDeletedId);
    sink.writeLength(m.entriesAdded);
  }
  const groups = [...m.groups].sort(byName);
  sink.writeLength(groups.length);
  for (const g of groups) writeGroup(sink, g, rdbType);
}

function writeGroup(sink: RdbSink, g: StreamGroup, rdbType: number): void {
  sink.writeString(g.name);
  writeId(sink, g.lastId);
  if (rdbType !== RDB_TYPE_STREAM_LISTPACKS) sink.writeLength(g.entriesRead === null ? SCG_INVALID_ENTRIES_READ : g.entriesRead);
  const pel = [...g.pending].sort(byId);
  sink.writeLength(pel.length);
  for (const p of pel) {
    writeRawId(sink, p.id);
    sink.writeInt64LE(p.deliveryTime);
    sink.writeLength(p.deliveryCount);
  }
  const consumers = [...g.consumers].sort(byName);
  sink.writeLength(consumers.length);
  for (const c of consumers) {
    sink.writeString(c.name);
    sink.writeInt64LE(c.seenTime);
    if (rdbType === RDB_TYPE_STREAM_LISTPACKS_3) sink.writeInt64LE(c.activeTime ?? c.seenTime);
    const ids = [...c.pending].sort(compareStreamIds);
    sink.writeLength(ids.length);
    for (const id of ids) writeRawId(sink, id);
  }
}
