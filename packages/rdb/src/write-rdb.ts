// writeRdb: an async generator of RDB file bytes for a chosen target version (6..12), from the
// same events readRdb yields. Source of truth: redis/src/rdb.c rdbSaveRio (header, AUX, functions,
// SELECTDB/RESIZEDB, key records, EOF, CRC64), rdbSaveKeyValuePair, rdbSaveObject.
//
// Design: the events are consumed one at a time; each is encoded synchronously into one reusable
// buffer (RdbSink), which is handed out as a copy once it holds 64 KiB or more. A key that
// arrives in parts is held until its last part and then written whole (KeyParts): hash tables and
// quicklists start with their element/node count, so no byte of such a key can be written earlier.
// Encodings are chosen per target as the Redis release that writes that version would choose
// them under its default (or the given) thresholds.

import assert from 'node:assert';

import { FormatError, writeFileAtomic } from '@redis-forensics/core';

import {
  RDB_MODULE_OPCODE_UINT,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
} from './constants.js';
import { DEFAULT_REDIS_VER, defaultAuxFields } from './writer/default-aux.js';
import { DEFAULT_ENCODING_LIMITS } from './writer/encoding-limits.js';
import { KeyParts } from './key-parts.js';
import { RDB_WRITE_CHUNK_BYTES, RdbSink } from './writer/rdb-sink.js';
import { LossPolicy, needsVersion, RDB_MIN_VERSION_FOR } from './writer/write-loss.js';
import { writeObject } from './writer/write-object.js';
import { streamMetadataLost } from './writer/write-stream.js';
import { RDB_WRITE_MAX_VERSION, RDB_WRITE_MIN_VERSION } from './writer/write-target.js';

import type { RdbValue } from './events.js';
import type { EncodingLimits } from './writer/encoding-limits.js';
import type { RdbWriteEvent, RdbWriteKeyEvent } from './writer/write-events.js';
import type { RdbWriteLoss } from './writer/write-loss.js';
import type { WriteTarget } from './writer/write-target.js';

/** Options of {@link writeRdb}; the encoding thresholds are Redis's configs (see {@link EncodingLimits}). */
export interface WriteRdbOptions extends Partial<EncodingLimits> {
  /**
   * RDB version to write, 6 (Redis 2.6-3.0) .. 12 (Redis 7.4-8.4). Defaults to 10, the newest
   * version Redis 7.0 loads; 9 is what Redis 5.0-6.2 load.
   */
  version?: number;
  /** LZF-compress strings over 20 bytes when that saves at least 4 bytes (`rdbcompression`). Defaults to true. */
  compress?: boolean;
  /** Write the CRC64 trailer; false writes 8 zero bytes (`rdbchecksum no`). Defaults to true. */
  checksum?: boolean;
  /**
   * Leave out (and report through `onLoss`) what the target cannot represent (streams before
   * RDB 9, module values before 8, MODULE_AUX before 9, functions before 10, hash field TTLs
   * before 12, key metadata always) instead of throwing. Defaults to false.
   */
  lossy?: boolean;
  /** Called for everything left out, see {@link RdbWriteLoss}. Defaults to none. */
  onLoss?: (loss: RdbWriteLoss) => void;
  /** `redis-ver` of the default AUX fields. Defaults to the release that writes the target (10: `7.0.15`). */
  redisVersion?: string;
  /** `ctime` of the default AUX fields, Unix seconds. Defaults to now. */
  ctime?: number;
  /**
   * RESIZEDB hints per db, used when the events carry none (a resizeDb event after the db's
   * selectDb event wins). Dbs without a hint get no RESIZEDB: it only presizes tables. Defaults to none.
   */
  dbSizes?: ReadonlyMap<number, { dbSize: number; expiresSize: number }>;
}

const LIMIT_NAMES = Object.keys(DEFAULT_ENCODING_LIMITS) as (keyof EncodingLimits)[];
const utf8 = new TextEncoder();
const bytesOf = (s: Uint8Array | string): Uint8Array => (typeof s === 'string' ? utf8.encode(s) : s);

/** The library name in a FUNCTION2 body's `#!<engine> name=<lib>` line, for messages. */
function libraryName(code: Uint8Array): string {
  const end = code.indexOf(0x0a);
  const line = new TextDecoder().decode(code.subarray(0, end < 0 ? Math.min(code.length, 200) : end));
  return /\bname=(\S+)/.exec(line)?.[1] ?? '?';
}

function isEmptyCollection(v: RdbValue): boolean {
  switch (v.kind) {
    case 'list': return v.elements.length === 0;
    case 'set': return v.members.length === 0;
    case 'zset': return v.entries.length === 0;
    case 'hash': return v.entries.length === 0;
    default: return false;
  }
}

/** The writer's state between events: which db is selected, whether the AUX prologue is done. */
class RdbWriter {
  readonly sink: RdbSink;
  private readonly target: WriteTarget;
  private readonly options: WriteRdbOptions;
  private readonly loss: LossPolicy;
  private readonly parts = new KeyParts();
  /** True until the first event that is not an AUX field. */
  private prologue = true;
  private auxSupplied = false;
  /** The db of the latest selectDb event. */
  private db = 0;
  /** The db of the last SELECTDB written (-1: none yet). */
  private writtenDb = -1;
  private resize: { db: number; dbSize: number; expiresSize: number } | undefined;
  private readonly resized = new Set<number>();

  constructor(target: WriteTarget, options: WriteRdbOptions) {
    this.target = target;
    this.options = options;
    this.sink = new RdbSink(options.compress ?? true);
    this.loss = new LossPolicy(options.lossy ?? false, options.onLoss);
    this.sink.writeBytes(utf8.encode(`REDIS${String(target.version).padStart(4, '0')}`));
  }

  event(ev: RdbWriteEvent): void {
    if (ev.type !== 'key') assert(!this.parts.pending, `a ${ev.type} event arrived before the last part of a key`);
    switch (ev.type) {
      case 'aux':
        if (this.prologue) this.auxSupplied = true;
        this.writeAux(bytesOf(ev.key), bytesOf(ev.value));
        return;
      case 'header':
      case 'eof':
      case 'slotInfo':
      case 'slotImport':
        return;
      default:
    }
    this.endPrologue();
    switch (ev.type) {
      case 'function':
        this.writeFunction(bytesOf(ev.code));
        return;
      case 'selectDb':
        this.db = ev.db;
        this.resize = undefined;
        return;
      case 'resizeDb':
        this.resize = { db: this.db, dbSize: ev.dbSize, expiresSize: ev.expiresSize };
        return;
      case 'moduleAux':
        if (this.target.version < RDB_MIN_VERSION_FOR.moduleAux[0]) {
          this.loss.drop({ kind: 'module-aux', db: null, key: null, reason: needsVersion(`module AUX data (module id 0x${ev.moduleId.toString(16)})`, RDB_MIN_VERSION_FOR.moduleAux, this.target.version) }, this.sink.position);
          return;
        }
        this.sink.writeByte(RDB_OPCODE_MODULE_AUX);
        this.sink.writeLength(ev.moduleId);
        this.sink.writeLength(RDB_MODULE_OPCODE_UINT);
        this.sink.writeLength(ev.when);
        this.sink.writeBytes(ev.payload);
        return;
      case 'key': {
        if (ev.part === undefined) {
          this.writeKey(ev);
          return;
        }
        const whole = this.parts.add(ev as RdbWriteKeyEvent & { part: { index: number; last: boolean } });
        if (whole !== undefined) this.writeKey(whole);
        return;
      }
    }
  }

  /** EOF opcode and CRC64 trailer. */
  finish(): void {
    assert(!this.parts.pending, 'the events ended before the last part of a key');
    this.endPrologue();
    this.sink.writeByte(RDB_OPCODE_EOF);
    this.sink.writeBigUint64LE((this.options.checksum ?? true) ? this.sink.checksum() : 0n);
  }

  /** The first non-AUX event: write the default AUX fields if the caller gave none. */
  private endPrologue(): void {
    if (!this.prologue) return;
    this.prologue = false;
    if (this.auxSupplied) return;
    const version = this.target.version;
    const fields = defaultAuxFields(version, this.options.redisVersion ?? DEFAULT_REDIS_VER[version] ?? '', this.options.ctime ?? Math.floor(Date.now() / 1000));
    for (const [k, v] of fields) this.writeAux(utf8.encode(k), utf8.encode(v));
  }

  /** AUX needs RDB 7 (Redis 3.2); for RDB 6 AUX fields, being informational, are left out silently. */
  private writeAux(key: Uint8Array, value: Uint8Array): void {
    if (this.target.version < 7) return;
    this.sink.writeByte(RDB_OPCODE_AUX);
    this.sink.writeString(key);
    this.sink.writeString(value);
  }

  private writeFunction(code: Uint8Array): void {
    if (this.target.version < RDB_MIN_VERSION_FOR.function[0]) {
      this.loss.drop({ kind: 'function', db: null, key: null, reason: needsVersion(`function library "${libraryName(code)}": functions`, RDB_MIN_VERSION_FOR.function, this.target.version) }, this.sink.position);
      return;
    }
    this.sink.writeByte(RDB_OPCODE_FUNCTION2);
    this.sink.writeString(code);
  }

  /** SELECTDB when the db changes, with RESIZEDB (RDB 7+) when a hint is known. */
  private selectDb(db: number): void {
    if (db === this.writtenDb) return;
    this.sink.writeByte(RDB_OPCODE_SELECTDB);
    this.sink.writeLength(db);
    this.writtenDb = db;
    if (this.target.version < 7 || this.resized.has(db)) return;
    const hint = this.resize?.db === db ? this.resize : this.options.dbSizes?.get(db);
    if (hint === undefined) return;
    this.sink.writeByte(RDB_OPCODE_RESIZEDB);
    this.sink.writeLength(hint.dbSize);
    this.sink.writeLength(hint.expiresSize);
    this.resized.add(db);
  }

  /** One whole key: representability checks, SELECTDB, per-key opcodes, then the record. */
  private writeKey(ev: RdbWriteKeyEvent): void {
    const { version } = this.target;
    const db = ev.db ?? this.db;
    const at = this.sink.position;
    let value = ev.value;
    if (value.kind === 'stream' && version < RDB_MIN_VERSION_FOR.stream[0]) {
      this.loss.drop({ kind: 'key', db, key: ev.key, reason: needsVersion('streams', RDB_MIN_VERSION_FOR.stream, version) }, at);
      return;
    }
    if (value.kind === 'module' && version < RDB_MIN_VERSION_FOR.module[0]) {
      this.loss.drop({ kind: 'key', db, key: ev.key, reason: needsVersion(`module values (type "${value.module.moduleName}")`, RDB_MIN_VERSION_FOR.module, version) }, at);
      return;
    }
    if (value.kind === 'hash' && version < RDB_MIN_VERSION_FOR.hashFieldTtl[0]) {
      const withTtl = value.entries.filter((e) => e.expireAt !== null).length;
      if (withTtl > 0) {
        this.loss.drop({ kind: 'hash-field-ttls', db, key: ev.key, reason: needsVersion(`hash field TTLs (${withTtl} of ${value.entries.length} fields have one)`, RDB_MIN_VERSION_FOR.hashFieldTtl, version) }, at);
        value = { kind: 'hash', entries: value.entries.map((e) => (e.expireAt === null ? e : { ...e, expireAt: null })) };
      }
    }
    if (value.kind === 'stream') {
      const lost = streamMetadataLost(value.entries, value.meta, version);
      if (lost.length > 0) {
        this.loss.report({ kind: 'stream-metadata', db, key: ev.key, reason: `stream metadata an RDB ${version} stream has no room for: ${lost.join('; ')}` });
      }
    }
    if (ev.keyMeta !== undefined && ev.keyMeta.length > 0) {
      this.loss.drop({ kind: 'key-meta', db, key: ev.key, reason: needsVersion(`key metadata (${ev.keyMeta.map((c) => c.className).join(', ')})`, RDB_MIN_VERSION_FOR.keyMeta, version) }, at);
    }
    if (isEmptyCollection(value)) {
      this.loss.report({ kind: 'empty-key', db, key: ev.key, reason: `an empty ${value.kind}: no Redis loads one (rdbLoadObject skips empty keys)` });
      return;
    }
    const expireAt = ev.expireAt ?? null;
    if (expireAt !== null && !Number.isSafeInteger(expireAt)) {
      throw new FormatError('RDB_BAD_EXPIRE', at, `key expire time ${expireAt} is not an integer number of ms`, { key: ev.key });
    }
    this.selectDb(db);
    const sink = this.sink;
    if (expireAt !== null) {
      sink.writeByte(RDB_OPCODE_EXPIRETIME_MS);
      sink.writeInt64LE(expireAt);
    }
    // IDLE and FREQ came with RDB 9; for older targets these eviction hints are left out silently.
    if (version >= 9 && ev.lruIdle !== undefined && ev.lruIdle !== null) {
      sink.writeByte(RDB_OPCODE_IDLE);
      sink.writeLength(ev.lruIdle);
    }
    if (version >= 9 && ev.lfuFreq !== undefined && ev.lfuFreq !== null) {
      assert(Number.isInteger(ev.lfuFreq) && ev.lfuFreq >= 0 && ev.lfuFreq <= 255, `LFU counter ${ev.lfuFreq} is not a u8`);
      sink.writeByte(RDB_OPCODE_FREQ);
      sink.writeByte(ev.lfuFreq);
    }
    try {
      writeObject(sink, ev.key, value, this.target);
    } catch (e) {
      if (e instanceof FormatError) throw e.withContext({ key: ev.key });
      throw e;
    }
  }
}

/**
 * Write an RDB file for a chosen target version from events: the header, AUX fields (the caller's
 * leading aux events, else `redis-ver`, `redis-bits`, `ctime`, `used-mem`, `aof-base` /
 * `aof-preamble` as that release writes them), functions, SELECTDB (+ RESIZEDB when known) at
 * every db change, key records, EOF and the CRC64 trailer. Each value gets the encoding the
 * target's Redis would give it: listpack/ziplist/intset below the thresholds, quicklist nodes of
 * 8 KiB for lists, hash tables / skiplists above, LZF for strings over 20 bytes.
 * `readRdb`'s events can be piped in directly (spans, header, eof and slot hints are ignored; keys
 * in parts are reassembled, holding one key at a time). Loaded by a Redis that reads the target
 * version, the file gives the same data.
 * @param events the file's content, in write order; any (async) iterable, e.g. `readRdb(...)`
 * @param options target and encoding choices, see {@link WriteRdbOptions}
 * @returns chunks of at least 64 KiB (the last one may be shorter), each a fresh array that is
 *   never written again
 * @throws {@link FormatError} RDB_UNSUPPORTED_VERSION for a version outside 6..12; RDB_UNREPRESENTABLE (unless
 *   `lossy`) for data the target cannot hold, naming the key; RDB_BAD_DOUBLE for a NaN score;
 *   RDB_BAD_EXPIRE for an expire time out of range. AssertionError when key parts interleave.
 * @see redis/src/rdb.c rdbSaveRio, rdbSaveInfoAuxFields, rdbSaveKeyValuePair, rdbSaveObject
 */
export async function* writeRdb(
  events: AsyncIterable<RdbWriteEvent> | Iterable<RdbWriteEvent>,
  options: WriteRdbOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const version = options.version ?? 10;
  if (!Number.isInteger(version) || version < RDB_WRITE_MIN_VERSION || version > RDB_WRITE_MAX_VERSION) {
    throw new FormatError('RDB_UNSUPPORTED_VERSION', 0, `cannot write RDB version ${version}: the writer knows ${RDB_WRITE_MIN_VERSION}..${RDB_WRITE_MAX_VERSION}`);
  }
  const limits: EncodingLimits = { ...DEFAULT_ENCODING_LIMITS };
  for (const name of LIMIT_NAMES) {
    const v = options[name];
    if (v !== undefined) limits[name] = v;
  }
  const target: WriteTarget = { version, limits, doubleStyle: version >= 11 ? 'fpconv' : 'g17' };
  const writer = new RdbWriter(target, options);
  for await (const ev of events) {
    writer.event(ev);
    if (writer.sink.buffered >= RDB_WRITE_CHUNK_BYTES) yield writer.sink.take();
  }
  writer.finish();
  yield writer.sink.take();
}

/** Options of {@link writeRdbFile}. */
export interface WriteRdbFileOptions extends WriteRdbOptions {
  /** Replace `path` when it exists. Defaults to false (OutputExistsError). */
  overwrite?: boolean;
}

/**
 * {@link writeRdb} into a file, atomically: a temp file in the same directory, fsync, rename.
 * @param path output file
 * @returns the bytes written and everything left out (also passed to `options.onLoss`)
 * @throws like {@link writeRdb}; OutputExistsError when `path` exists and `overwrite` is not set;
 *   I/O errors as they are. On any error `path` is untouched.
 */
export async function writeRdbFile(
  path: string,
  events: AsyncIterable<RdbWriteEvent> | Iterable<RdbWriteEvent>,
  options: WriteRdbFileOptions = {},
): Promise<{ bytes: number; losses: RdbWriteLoss[] }> {
  const losses: RdbWriteLoss[] = [];
  const onLoss = (loss: RdbWriteLoss): void => {
    losses.push(loss);
    options.onLoss?.(loss);
  };
  const bytes = await writeFileAtomic(path, writeRdb(events, { ...options, onLoss }), { overwrite: options.overwrite ?? false });
  return { bytes, losses };
}
