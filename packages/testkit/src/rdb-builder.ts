// A semantic builder for crafted RDB bytes (pg-protocol's test-buffers idea): tests describe the
// records, the builder writes them with the library's own encoders and computes the CRC64 trailer.
// Layouts follow FORMAT.md sections 1-4 (redis/src/rdb.c rdbSaveRio, rdbSaveObject).

import { crc64 } from '@redis-forensics/core';
import {
  encodeIntset,
  encodeListpack,
  encodeZiplist,
  encodeZipmap,
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_MODULE_OPCODE_DOUBLE,
  RDB_MODULE_OPCODE_EOF,
  RDB_MODULE_OPCODE_FLOAT,
  RDB_MODULE_OPCODE_SINT,
  RDB_MODULE_OPCODE_STRING,
  RDB_MODULE_OPCODE_UINT,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_OPCODE_SLOT_IMPORT,
  RDB_OPCODE_SLOT_INFO,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_2,
  RDB_TYPE_HASH_LISTPACK_EX,
  RDB_TYPE_HASH_LISTPACK_EX_PRE_GA,
  RDB_TYPE_HASH_METADATA,
  RDB_TYPE_HASH_METADATA_PRE_GA,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  STREAM_ITEM_FLAG_DELETED,
  STREAM_ITEM_FLAG_NONE,
  STREAM_ITEM_FLAG_SAMEFIELDS,
  writeLength,
  writeStringObject,
} from '@redis-forensics/rdb';

import type { ListpackInput, StreamId } from '@redis-forensics/rdb';

/** Bytes, or a string whose char codes (0..255) are the bytes (latin1), so `'\xff'` is one byte. */
export type BytesLike = Uint8Array | string;

/** Bytes of a {@link BytesLike}: strings map char code -> byte. */
export function toBytes(b: BytesLike): Uint8Array {
  if (b instanceof Uint8Array) return b;
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`char code ${c} at ${i} is not a byte; pass a Uint8Array`);
    out[i] = c;
  }
  return out;
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** An RDB string (`rstr`) exactly as Redis writes it: INT8/16/32, LZF over 20 bytes, or raw. */
export function rdbString(value: BytesLike, compress: boolean = true): Uint8Array {
  return writeStringObject(toBytes(value), { compress });
}

/** A raw RDB string: length then bytes, never integer-encoded or compressed. */
export function rdbRawString(value: BytesLike): Uint8Array {
  const b = toBytes(value);
  return concatBytes(writeLength(b.length), b);
}

/** An LZF RDB string with the given compressed payload and stored uncompressed length (may lie). */
export function rdbLzfString(compressed: Uint8Array, uncompressedLength: number | bigint): Uint8Array {
  return concatBytes(
    Uint8Array.of(0xc3), // RDB_ENCVAL << 6 | RDB_ENC_LZF
    writeLength(compressed.length),
    writeLength(uncompressedLength),
    compressed,
  );
}

/** `i64le` (ms64 and friends). */
export function int64LE(v: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
}

/** `i32le`. */
export function int32LE(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

/** `f64le`. */
export function float64LE(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return b;
}

/** `f32le`. */
export function float32LE(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return b;
}

/** A type-3 string-double: 253 NaN, 254 +inf, 255 -inf, else u8 length + text. */
export function rdbStringDouble(score: number | string): Uint8Array {
  if (typeof score === 'number') {
    if (Number.isNaN(score)) return Uint8Array.of(253);
    if (score === Infinity) return Uint8Array.of(254);
    if (score === -Infinity) return Uint8Array.of(255);
  }
  const text = toBytes(typeof score === 'number' ? String(score) : score);
  return concatBytes(Uint8Array.of(text.length), text);
}

/** A raw 16-byte stream ID: u64be ms, u64be seq. */
export function streamIdBytes(id: StreamId): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, id.ms, false);
  v.setBigUint64(8, id.seq, false);
  return b;
}

/** One module-annotated item (FORMAT.md 3.8). */
export type ModuleItem =
  | { uint: number | bigint }
  | { sint: number | bigint }
  | { float: number }
  | { double: number }
  | { string: BytesLike };

/** Module items followed by the module EOF (`len 0`). */
export function moduleItems(items: readonly ModuleItem[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const item of items) {
    if ('uint' in item) parts.push(writeLength(RDB_MODULE_OPCODE_UINT), writeLength(BigInt.asUintN(64, BigInt(item.uint))));
    else if ('sint' in item) parts.push(writeLength(RDB_MODULE_OPCODE_SINT), writeLength(BigInt.asUintN(64, BigInt(item.sint))));
    else if ('float' in item) parts.push(writeLength(RDB_MODULE_OPCODE_FLOAT), float32LE(item.float));
    else if ('double' in item) parts.push(writeLength(RDB_MODULE_OPCODE_DOUBLE), float64LE(item.double));
    else parts.push(writeLength(RDB_MODULE_OPCODE_STRING), rdbString(item.string));
  }
  parts.push(writeLength(RDB_MODULE_OPCODE_EOF));
  return concatBytes(...parts);
}

/** A quicklist v2 node: one raw element (PLAIN) or a listpack of elements (PACKED). */
export type Quicklist2Node = { plain: BytesLike } | { packed: readonly (BytesLike | number | bigint)[] };

/** A hash field with an optional absolute expire time in ms. */
export interface HashFieldSpec {
  field: BytesLike;
  value: BytesLike;
  expireAt?: number | null;
}

/** One stream entry for {@link streamNodeElements}. */
export interface StreamEntrySpec {
  id: StreamId;
  /** Field/value pairs. */
  fields: readonly (readonly [BytesLike, BytesLike])[];
  /** Keep it in the listpack flagged DELETED. Defaults to false. */
  deleted?: boolean;
}

/**
 * The listpack elements of one stream node as Redis lays them out (FORMAT.md 4.6): master entry
 * (count, deleted, master fields, 0), then per entry flags, deltas, fields or values, lp-count.
 * The master ID is the first entry's ID and the master fields its field names.
 */
export function streamNodeElements(entries: readonly StreamEntrySpec[]): { master: StreamId; elements: ListpackInput[] } {
  const first = entries[0];
  if (first === undefined) throw new RangeError('a stream node needs at least one entry');
  const master = first.id;
  const masterFields = first.fields.map(([f]) => toBytes(f));
  const live = entries.filter((e) => !e.deleted).length;
  const elements: ListpackInput[] = [live, entries.length - live, masterFields.length, ...masterFields, 0];
  for (const e of entries) {
    const names = e.fields.map(([f]) => toBytes(f));
    const same = names.length === masterFields.length && names.every((n, i) => bytesEqual(n, masterFields[i]!));
    let flags = same ? STREAM_ITEM_FLAG_SAMEFIELDS : STREAM_ITEM_FLAG_NONE;
    if (e.deleted) flags |= STREAM_ITEM_FLAG_DELETED;
    elements.push(flags, BigInt.asIntN(64, e.id.ms - master.ms), BigInt.asIntN(64, e.id.seq - master.seq));
    if (same) {
      for (const [, v] of e.fields) elements.push(toBytes(v));
      elements.push(masterFields.length + 3);
    } else {
      elements.push(e.fields.length);
      for (const [f, v] of e.fields) elements.push(toBytes(f), toBytes(v));
      elements.push(2 * e.fields.length + 4);
    }
  }
  return { master, elements };
}

/** A consumer group for {@link StreamSpec}. */
export interface StreamGroupSpec {
  name: BytesLike;
  lastId: StreamId;
  /** Types 19/21 only; -1 (written as all ones) = unknown. Defaults to 0. */
  entriesRead?: number | bigint;
  pending: readonly { id: StreamId; deliveryTime: number; deliveryCount: number }[];
  consumers: readonly {
    name: BytesLike;
    seenTime: number;
    /** Type 21 only. Defaults to `seenTime`. */
    activeTime?: number;
    pending: readonly StreamId[];
  }[];
}

/** A whole stream value (types 15, 19, 21). */
export interface StreamSpec {
  /** Node listpacks, each with its master ID (see {@link streamNodeElements}). */
  nodes: readonly { master: StreamId; elements: readonly ListpackInput[] }[];
  length: number;
  lastId: StreamId;
  /** Types 19/21 only. Default 0-0. */
  firstId?: StreamId;
  /** Types 19/21 only. Default 0-0. */
  maxDeletedId?: StreamId;
  /** Types 19/21 only. Default `length`. */
  entriesAdded?: number;
  groups?: readonly StreamGroupSpec[];
}

const ZERO_ID: StreamId = { ms: 0n, seq: 0n };

/** The value bytes of a stream of RDB type 15, 19 or 21. */
export function streamValue(rdbType: number, spec: StreamSpec, compress: boolean = true): Uint8Array {
  const v2 = rdbType !== RDB_TYPE_STREAM_LISTPACKS;
  const id = (x: StreamId): Uint8Array => concatBytes(writeLength(x.ms), writeLength(x.seq));
  const parts: Uint8Array[] = [writeLength(spec.nodes.length)];
  for (const node of spec.nodes) {
    parts.push(rdbString(streamIdBytes(node.master), compress), rdbString(encodeListpack(node.elements), compress));
  }
  parts.push(writeLength(spec.length), id(spec.lastId));
  if (v2) {
    parts.push(id(spec.firstId ?? ZERO_ID), id(spec.maxDeletedId ?? ZERO_ID), writeLength(spec.entriesAdded ?? spec.length));
  }
  const groups = spec.groups ?? [];
  parts.push(writeLength(groups.length));
  for (const g of groups) {
    parts.push(rdbString(g.name, compress), id(g.lastId));
    if (v2) parts.push(writeLength(BigInt.asUintN(64, BigInt(g.entriesRead ?? 0))));
    parts.push(writeLength(g.pending.length));
    for (const p of g.pending) parts.push(streamIdBytes(p.id), int64LE(p.deliveryTime), writeLength(p.deliveryCount));
    parts.push(writeLength(g.consumers.length));
    for (const c of g.consumers) {
      parts.push(rdbString(c.name, compress), int64LE(c.seenTime));
      if (rdbType === RDB_TYPE_STREAM_LISTPACKS_3) parts.push(int64LE(c.activeTime ?? c.seenTime));
      parts.push(writeLength(c.pending.length));
      for (const p of c.pending) parts.push(streamIdBytes(p));
    }
  }
  return concatBytes(...parts);
}

/** Options of {@link rdbBytes}. */
export interface RdbBuilderOptions {
  /** `'REDIS'` (4 version digits) or `'VALKEY'` (3 digits). Defaults to `'REDIS'`. */
  magic?: 'REDIS' | 'VALKEY';
  /** Compress strings over 20 bytes with LZF, as `rdbcompression yes`. Defaults to true. */
  compress?: boolean;
}

/** Options of {@link RdbBuilder.eof}. */
export interface RdbEofOptions {
  /**
   * `true`: the CRC64 of every byte through the EOF opcode; `'zero'`: 8 zero bytes
   * (`rdbchecksum no`); `false`: no trailer (RDB < 5). Defaults to true from RDB 5 on, else false.
   */
  checksum?: boolean | 'zero';
}

/**
 * Builds an RDB file record by record. Every method appends and returns `this`; {@link eof} ends
 * the file. `length` and {@link mark} give the offsets tests need for expected spans and errors.
 */
export class RdbBuilder {
  readonly version: number;
  readonly compress: boolean;
  /** Offsets recorded with {@link mark}. */
  readonly marks: Map<string, number> = new Map();
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  constructor(version: number, options: RdbBuilderOptions = {}) {
    this.version = version;
    this.compress = options.compress ?? true;
    const magic = options.magic ?? 'REDIS';
    this.raw(toBytes(magic + String(version).padStart(magic === 'VALKEY' ? 3 : 4, '0')));
  }

  /** Bytes written so far (the offset of the next record). */
  get length(): number {
    return this.size;
  }

  /** Remember the current offset under `name`. */
  mark(name: string): this {
    this.marks.set(name, this.size);
    return this;
  }

  /** The offset remembered under `name`. */
  at(name: string): number {
    const v = this.marks.get(name);
    if (v === undefined) throw new RangeError(`no mark ${JSON.stringify(name)}`);
    return v;
  }

  /** Append bytes as they are. */
  raw(...bytes: Uint8Array[]): this {
    for (const b of bytes) {
      this.parts.push(b);
      this.size += b.length;
    }
    return this;
  }

  private op(opcode: number, ...payload: Uint8Array[]): this {
    return this.raw(Uint8Array.of(opcode), ...payload);
  }

  private str(v: BytesLike): Uint8Array {
    return rdbString(v, this.compress);
  }

  /** AUX (0xfa): key and value as RDB strings. */
  aux(key: BytesLike, value: BytesLike): this {
    return this.op(RDB_OPCODE_AUX, this.str(key), this.str(value));
  }

  /** SELECTDB (0xfe). */
  selectDb(db: number | bigint): this {
    return this.op(RDB_OPCODE_SELECTDB, writeLength(db));
  }

  /** RESIZEDB (0xfb). */
  resizeDb(dbSize: number | bigint, expiresSize: number | bigint): this {
    return this.op(RDB_OPCODE_RESIZEDB, writeLength(dbSize), writeLength(expiresSize));
  }

  /** SLOT_INFO (0xf4, Redis 7.4+ cluster). */
  slotInfo(slot: number, slotSize: number, expiresSlotSize: number): this {
    return this.op(RDB_OPCODE_SLOT_INFO, writeLength(slot), writeLength(slotSize), writeLength(expiresSlotSize));
  }

  /** Valkey 9 SLOT_IMPORT (0xf3 in a VALKEY file). */
  slotImport(jobName: BytesLike, ranges: readonly (readonly [number, number])[]): this {
    const parts = [this.str(jobName), writeLength(ranges.length)];
    for (const [a, b] of ranges) parts.push(writeLength(a), writeLength(b));
    return this.op(RDB_OPCODE_SLOT_IMPORT, ...parts);
  }

  /** FUNCTION2 (0xf5): one library's source. */
  function2(code: BytesLike): this {
    return this.op(RDB_OPCODE_FUNCTION2, this.str(code));
  }

  /** FUNCTION_PRE_GA (0xf6, Redis 7.0-rc1/rc2): name, engine, [description], code. */
  functionPreGa(name: BytesLike, engine: BytesLike, code: BytesLike, description?: BytesLike): this {
    const desc = description === undefined ? [writeLength(0)] : [writeLength(1), this.str(description)];
    return this.op(RDB_OPCODE_FUNCTION_PRE_GA, this.str(name), this.str(engine), ...desc, this.str(code));
  }

  /** MODULE_AUX (0xf7): module id, `len 2` `len when`, items, module EOF. */
  moduleAux(moduleId: bigint, when: number, items: readonly ModuleItem[]): this {
    return this.op(RDB_OPCODE_MODULE_AUX, writeLength(moduleId), writeLength(RDB_MODULE_OPCODE_UINT), writeLength(when), moduleItems(items));
  }

  /** EXPIRETIME_MS (0xfc) for the next key: absolute ms. */
  expireMs(expireAt: number | bigint): this {
    return this.op(RDB_OPCODE_EXPIRETIME_MS, int64LE(expireAt));
  }

  /** EXPIRETIME (0xfd) for the next key: absolute seconds (Redis <= 2.4). */
  expireSeconds(expireAt: number): this {
    return this.op(RDB_OPCODE_EXPIRETIME, int32LE(expireAt));
  }

  /** IDLE (0xf8) for the next key: LRU idle seconds. */
  idle(seconds: number | bigint): this {
    return this.op(RDB_OPCODE_IDLE, writeLength(seconds));
  }

  /** FREQ (0xf9) for the next key: LFU counter. */
  freq(counter: number): this {
    return this.op(RDB_OPCODE_FREQ, Uint8Array.of(counter));
  }

  /** A key record: type byte, key as an RDB string, then `value` as already-encoded bytes. */
  rawKey(rdbType: number, key: BytesLike, value: Uint8Array): this {
    return this.op(rdbType, this.str(key), value);
  }

  /** STRING (0). */
  stringKey(key: BytesLike, value: BytesLike): this {
    return this.rawKey(RDB_TYPE_STRING, key, this.str(value));
  }

  /** LIST (1): linked list of strings. */
  listKey(key: BytesLike, elements: readonly BytesLike[]): this {
    return this.rawKey(RDB_TYPE_LIST, key, concatBytes(writeLength(elements.length), ...elements.map((e) => this.str(e))));
  }

  /** SET (2): hash-table set. */
  setKey(key: BytesLike, members: readonly BytesLike[]): this {
    return this.rawKey(RDB_TYPE_SET, key, concatBytes(writeLength(members.length), ...members.map((e) => this.str(e))));
  }

  /** ZSET (3): members with string-double scores. */
  zsetKey(key: BytesLike, entries: readonly (readonly [BytesLike, number | string])[]): this {
    const parts = [writeLength(entries.length)];
    for (const [m, s] of entries) parts.push(this.str(m), rdbStringDouble(s));
    return this.rawKey(RDB_TYPE_ZSET, key, concatBytes(...parts));
  }

  /** ZSET_2 (5): members with binary double scores. */
  zset2Key(key: BytesLike, entries: readonly (readonly [BytesLike, number])[]): this {
    const parts = [writeLength(entries.length)];
    for (const [m, s] of entries) parts.push(this.str(m), float64LE(s));
    return this.rawKey(RDB_TYPE_ZSET_2, key, concatBytes(...parts));
  }

  /** HASH (4): hash-table hash. */
  hashKey(key: BytesLike, entries: readonly (readonly [BytesLike, BytesLike])[]): this {
    const parts = [writeLength(entries.length)];
    for (const [f, v] of entries) parts.push(this.str(f), this.str(v));
    return this.rawKey(RDB_TYPE_HASH, key, concatBytes(...parts));
  }

  /** A value stored as one listpack string (types 16, 17, 20, 23). */
  listpackKey(rdbType: number, key: BytesLike, elements: readonly (BytesLike | number | bigint)[]): this {
    return this.rawKey(rdbType, key, this.str(encodeListpack(elements.map(lpInput))));
  }

  /** A value stored as one ziplist string (types 10, 12, 13). */
  ziplistKey(rdbType: number, key: BytesLike, elements: readonly (BytesLike | number | bigint)[]): this {
    return this.rawKey(rdbType, key, this.str(encodeZiplist(elements.map(lpInput))));
  }

  /** SET_INTSET (11). */
  intsetKey(key: BytesLike, members: readonly (number | bigint)[], minEncoding: 2 | 4 | 8 = 2): this {
    return this.rawKey(RDB_TYPE_SET_INTSET, key, this.str(encodeIntset(members, minEncoding)));
  }

  /** HASH_ZIPMAP (9). */
  zipmapKey(key: BytesLike, pairs: readonly (readonly [BytesLike, BytesLike])[]): this {
    return this.rawKey(RDB_TYPE_HASH_ZIPMAP, key, this.str(encodeZipmap(pairs.map(([f, v]) => [toBytes(f), toBytes(v)]))));
  }

  /** LIST_QUICKLIST (14): nodes of ziplists. */
  quicklistKey(key: BytesLike, nodes: readonly (readonly (BytesLike | number | bigint)[])[]): this {
    const parts = [writeLength(nodes.length)];
    for (const n of nodes) parts.push(this.str(encodeZiplist(n.map(lpInput))));
    return this.rawKey(RDB_TYPE_LIST_QUICKLIST, key, concatBytes(...parts));
  }

  /** LIST_QUICKLIST_2 (18): PLAIN and PACKED nodes. */
  quicklist2Key(key: BytesLike, nodes: readonly Quicklist2Node[]): this {
    const parts = [writeLength(nodes.length)];
    for (const n of nodes) {
      if ('plain' in n) parts.push(writeLength(QUICKLIST_NODE_CONTAINER_PLAIN), this.str(n.plain));
      else parts.push(writeLength(QUICKLIST_NODE_CONTAINER_PACKED), this.str(encodeListpack(n.packed.map(lpInput))));
    }
    return this.rawKey(RDB_TYPE_LIST_QUICKLIST_2, key, concatBytes(...parts));
  }

  /** HASH_METADATA (24, Redis 7.4+): minExpire, then per field `ttl = expireAt - minExpire + 1` (0 = none). */
  hashMetadataKey(key: BytesLike, minExpire: number, fields: readonly HashFieldSpec[]): this {
    const parts = [int64LE(minExpire), writeLength(fields.length)];
    for (const f of fields) {
      const ttl = f.expireAt == null ? 0 : f.expireAt - minExpire + 1;
      parts.push(writeLength(ttl), this.str(f.field), this.str(f.value));
    }
    return this.rawKey(RDB_TYPE_HASH_METADATA, key, concatBytes(...parts));
  }

  /** HASH_LISTPACK_EX (25, Redis 7.4+): minExpire, then a listpack of field, value, expireAt (0 = none). */
  hashListpackExKey(key: BytesLike, minExpire: number, fields: readonly HashFieldSpec[]): this {
    return this.rawKey(RDB_TYPE_HASH_LISTPACK_EX, key, concatBytes(int64LE(minExpire), this.str(listpackExBlob(fields))));
  }

  /** HASH_METADATA_PRE_GA (22 in a REDIS file, 7.4-rc): per field `len expireAt` (0 = none), field, value. */
  hashMetadataPreGaKey(key: BytesLike, fields: readonly HashFieldSpec[]): this {
    const parts = [writeLength(fields.length)];
    for (const f of fields) parts.push(writeLength(f.expireAt ?? 0), this.str(f.field), this.str(f.value));
    return this.rawKey(RDB_TYPE_HASH_METADATA_PRE_GA, key, concatBytes(...parts));
  }

  /** HASH_LISTPACK_EX_PRE_GA (23 in a REDIS file, 7.4-rc): a listpack of field, value, expireAt. */
  hashListpackExPreGaKey(key: BytesLike, fields: readonly HashFieldSpec[]): this {
    return this.rawKey(RDB_TYPE_HASH_LISTPACK_EX_PRE_GA, key, this.str(listpackExBlob(fields)));
  }

  /** Valkey 9 HASH_2 (22 in a VALKEY file): field, value, ms64 expireAt (-1 = none). */
  hash2Key(key: BytesLike, fields: readonly HashFieldSpec[]): this {
    const parts = [writeLength(fields.length)];
    for (const f of fields) parts.push(this.str(f.field), this.str(f.value), int64LE(f.expireAt ?? -1));
    return this.rawKey(RDB_TYPE_HASH_2, key, concatBytes(...parts));
  }

  /** MODULE_2 (7): module id, annotated items, module EOF. */
  moduleKey(key: BytesLike, moduleId: bigint, items: readonly ModuleItem[]): this {
    return this.rawKey(RDB_TYPE_MODULE_2, key, concatBytes(writeLength(moduleId), moduleItems(items)));
  }

  /** A stream of type 15, 19 or 21. */
  streamKey(rdbType: number, key: BytesLike, spec: StreamSpec): this {
    return this.rawKey(rdbType, key, streamValue(rdbType, spec, this.compress));
  }

  /** EOF (0xff) and the trailer; returns the whole file. */
  eof(options: RdbEofOptions = {}): Uint8Array {
    this.op(RDB_OPCODE_EOF);
    const body = concatBytes(...this.parts);
    const checksum = options.checksum ?? this.version >= 5;
    if (checksum === false) return body;
    return concatBytes(body, checksum === 'zero' ? new Uint8Array(8) : int64LE(BigInt.asIntN(64, crc64(body))));
  }

  /** The bytes so far without an EOF (for truncated files). */
  bytes(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

/**
 * Start an RDB file: `rdbBytes(12).aux('redis-ver', '7.4.1').selectDb(0).stringKey('k', 'v').eof()`.
 * @param version RDB version written in the header. Defaults to 12 (Redis 7.4).
 */
export function rdbBytes(version: number = 12, options: RdbBuilderOptions = {}): RdbBuilder {
  return new RdbBuilder(version, options);
}

function lpInput(e: BytesLike | number | bigint): ListpackInput {
  return typeof e === 'string' ? toBytes(e) : e;
}

function listpackExBlob(fields: readonly HashFieldSpec[]): Uint8Array {
  const elements: ListpackInput[] = [];
  for (const f of fields) elements.push(toBytes(f.field), toBytes(f.value), f.expireAt ?? 0);
  return encodeListpack(elements);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
