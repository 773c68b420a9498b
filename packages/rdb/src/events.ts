// The events readRdb yields, one per opcode or key, each with its absolute byte span.

import type { RdbDialect, RedisType } from './constants.js';

/** Every event carries the absolute byte span it was read from: `offset` (first byte), `end` (exclusive). */
export interface RdbEventSpan {
  offset: number;
  end: number;
}

/** The 9-byte header: `REDIS0012`, or Valkey 9's `VALKEY080`. */
export interface RdbHeaderEvent extends RdbEventSpan {
  type: 'header';
  magic: 'REDIS' | 'VALKEY';
  version: number;
  /** Which server family's meaning of type bytes 22/23 and opcode 243 applies. */
  dialect: RdbDialect;
}

/** An AUX field (opcode 0xfa). Key and value exactly as stored; integers as decimal text. */
export interface RdbAuxEvent extends RdbEventSpan {
  type: 'aux';
  key: Uint8Array;
  value: Uint8Array;
}

/** SELECTDB (0xfe): the keys that follow belong to `db`. */
export interface RdbSelectDbEvent extends RdbEventSpan {
  type: 'selectDb';
  db: number;
}

/** RESIZEDB (0xfb): sizing hints for the current db. */
export interface RdbResizeDbEvent extends RdbEventSpan {
  type: 'resizeDb';
  dbSize: number;
  expiresSize: number;
}

/** SLOT_INFO (0xf4, Redis 7.4+ cluster): sizing hints for one slot. */
export interface RdbSlotInfoEvent extends RdbEventSpan {
  type: 'slotInfo';
  slot: number;
  slotSize: number;
  expiresSlotSize: number;
}

/** Valkey 9 SLOT_IMPORT (0xf3 in a VALKEY file): an in-progress atomic slot import. */
export interface RdbSlotImportEvent extends RdbEventSpan {
  type: 'slotImport';
  jobName: Uint8Array;
  ranges: [number, number][];
}

/** A function library: FUNCTION2 (0xf5), or FUNCTION_PRE_GA (0xf6) converted as Redis 7.0 did. */
export interface RdbFunctionEvent extends RdbEventSpan {
  type: 'function';
  /** Library source, starting with `#!<engine> name=<library>`. */
  code: Uint8Array;
  /** Engine and library name parsed from the shebang, when it has one. */
  engine: string | null;
  libraryName: string | null;
  /** True for the 7.0-rc FUNCTION_PRE_GA record. */
  preGa: boolean;
}

/** MODULE_AUX (0xf7): module data outside the keyspace, skipped through its annotations. */
export interface RdbModuleAuxEvent extends RdbEventSpan {
  type: 'moduleAux';
  moduleId: bigint;
  /** The 9-character module type name decoded from the id. */
  moduleName: string;
  /** The module's encoding version (low 10 bits of the id). */
  moduleVersion: number;
  /** 1 = saved before the keyspace, 2 = after. */
  when: number;
  /** Raw annotated items, up to and including the module EOF. */
  payload: Uint8Array;
}

/** A stream ID: unsigned 64-bit milliseconds and sequence. */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

/** One live stream entry: its ID and field/value pairs, flattened `[f1, v1, f2, v2, ...]`. */
export interface StreamEntry {
  id: StreamId;
  fields: Uint8Array[];
}

/** A consumer group's PEL entry. */
export interface StreamPendingEntry {
  id: StreamId;
  /** Unix ms of the last delivery. */
  deliveryTime: number;
  deliveryCount: number;
  /** Name of the consumer that owns it (from the consumers' PELs), or null when none does. */
  consumer: Uint8Array | null;
}

/** A consumer of a group. */
export interface StreamConsumer {
  name: Uint8Array;
  /** Unix ms the consumer was last seen. */
  seenTime: number;
  /** Unix ms of the last successful read/claim; null when the file does not store it (types 15, 19), -1 never active. */
  activeTime: number | null;
  /** IDs this consumer owns, in ID order. */
  pending: StreamId[];
}

/** A consumer group. */
export interface StreamGroup {
  name: Uint8Array;
  lastId: StreamId;
  /** Entries read counter; null when unknown (-1 in the file, or absent before type 19). */
  entriesRead: number | null;
  pending: StreamPendingEntry[];
  consumers: StreamConsumer[];
}

/** Stream metadata stored after the nodes. */
export interface StreamMeta {
  length: number;
  lastId: StreamId;
  /** First live entry; for type 15 derived from the data as Redis does (0-0 when empty). */
  firstId: StreamId;
  /** Largest ID ever deleted; 0-0 for type 15. */
  maxDeletedId: StreamId;
  /** All-time XADD count; equal to `length` for type 15. */
  entriesAdded: number;
  groups: StreamGroup[];
}

/** A member of a sorted set. */
export interface ZsetEntry {
  member: Uint8Array;
  score: number;
}

/** A hash field, with its absolute expire time in ms when it has a TTL (Redis 7.4+, Valkey 9). */
export interface HashEntry {
  field: Uint8Array;
  value: Uint8Array;
  expireAt: number | null;
}

/** A module value, skipped without the module through its annotations. */
export interface ModuleValue {
  moduleId: bigint;
  moduleName: string;
  moduleVersion: number;
  /** Raw annotated items after the module id, up to and including the module EOF. */
  payload: Uint8Array;
}

/**
 * A key's value at the data level: Redis strings as bytes, integers as their decimal text.
 * Byte arrays may be views into the reader's buffers: `slice()` what you keep for long.
 */
export type RdbValue =
  | { kind: 'string'; value: Uint8Array }
  | { kind: 'list'; elements: Uint8Array[] }
  | { kind: 'set'; members: Uint8Array[] }
  | { kind: 'zset'; entries: ZsetEntry[] }
  | { kind: 'hash'; entries: HashEntry[] }
  | { kind: 'stream'; entries: StreamEntry[]; meta: StreamMeta | null }
  | { kind: 'module'; module: ModuleValue };

/**
 * A key (or one part of a large key). Large collections come in parts so that memory stays
 * bounded: each part holds the elements read since the previous one, `part.last` marks the final
 * one, and `offset`/`end` cover only that part's bytes. Small values have no `part`.
 */
export interface RdbKeyEvent extends RdbEventSpan {
  type: 'key';
  db: number;
  key: Uint8Array;
  /** The RDB type byte (RDB_TYPE_*). */
  rdbType: number;
  /** Redis's `rdb_type_string` label: 'hash-listpack', 'quicklist-v2', 'set-intset', ... */
  encoding: string;
  /** What `TYPE key` prints. */
  redisType: RedisType;
  /** Absolute expire time in ms, or null. */
  expireAt: number | null;
  /** LRU idle seconds (IDLE opcode), or null. */
  lruIdle: number | null;
  /** LFU counter (FREQ opcode), or null. */
  lfuFreq: number | null;
  value: RdbValue;
  /** Key metadata classes (KEY_META opcode, Redis 8.6 / RDB 13), when the file has any for this key. */
  keyMeta?: KeyMetaClass[];
  part?: { index: number; last: boolean };
}

/** One KEY_META class attached to a key (Redis 8.6), skipped through its module annotations. */
export interface KeyMetaClass {
  /** 4-character class name. */
  className: string;
  /** Class encoding version, 0..31. */
  classVersion: number;
  /** The 3 flag bits of the class spec. */
  flags: number;
  /** Raw annotated items up to and including the module EOF. */
  payload: Uint8Array;
}

/** The EOF opcode and the checksum after it. */
export interface RdbEofEvent extends RdbEventSpan {
  type: 'eof';
  /** The stored CRC64, or null when the version has no trailer (< 5). */
  storedChecksum: bigint | null;
  /** The CRC64 we computed over the file up to and including the EOF opcode, or null if not computed. */
  computedChecksum: bigint | null;
  /** 'match', 'disabled' (stored 0), 'absent' (version < 5) or 'skipped' (verification off). */
  checksum: 'match' | 'disabled' | 'absent' | 'skipped';
}

/** Everything {@link readRdb} yields. */
export type RdbEvent =
  | RdbHeaderEvent
  | RdbAuxEvent
  | RdbSelectDbEvent
  | RdbResizeDbEvent
  | RdbSlotInfoEvent
  | RdbSlotImportEvent
  | RdbFunctionEvent
  | RdbModuleAuxEvent
  | RdbKeyEvent
  | RdbEofEvent;
