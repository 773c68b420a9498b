// The RDB state machine behind readRdb: the header, every opcode, and each key record's header.
// Values are read in read-key.ts. Source of truth: redis/src/rdb.c rdbLoadRioWithLoadingCtx,
// redis/src/redis-check-rdb.c (phases).

import { FormatError, NEED_MORE } from '@redis-forensics/core';

import {
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
  RDB_TYPE_HASH_2,
  RDB_TYPE_NAME_HASH_2,
  RDB_TYPE_NAMES,
} from './constants.js';
import { readLength, readLengthBig } from './length-encoding.js';
import { decodeModuleId } from './module-id.js';
import { readCollectionUnit, readKeyHeader } from './read-key.js';
import { DuplicateTracker } from './read-object.js';
import { lastStringSource, readStringObject } from './string-encoding.js';

import type { ByteWindow, Phase } from '@redis-forensics/core';
import type { RdbDialect, RedisType } from './constants.js';
import type {
  KeyMetaClass,
  RdbEvent,
  RdbFunctionEvent,
  RdbKeyEvent,
  RdbValue,
  StreamId,
} from './events.js';
import type { ReadRdbOptions } from './read-rdb.js';
import type { StringLimits } from './string-encoding.js';

const MAX_STRING_DEFAULT = 512 * 1024 * 1024;
const PART_BYTES_DEFAULT = 8 * 1024 * 1024;
const PART_ELEMENTS_DEFAULT = 8192;
/** Highest versions whose layout we know: Redis 13 (8.6, partially), Valkey 80/81. */
const MAX_REDIS_VERSION = 13;
const MIN_VALKEY_VERSION = 80;
const MAX_VALKEY_VERSION = 81;

/** The logical kind of a collection being read element by element. */
export type CollectionKind = 'list' | 'set' | 'zset' | 'hash' | 'stream';

/** A collection being read element by element (and emitted in parts when large). */
export interface Collection {
  kind: CollectionKind;
  rdbType: number;
  remaining: number;
  /** Stream: nodes done, metadata unit next. */
  streamMetaNext: boolean;
  minExpire: number;
  items: unknown[];
  partIndex: number;
  partStart: number;
  dup: DuplicateTracker | undefined;
  lastNodeId: StreamId | null;
  firstLiveId: StreamId | null;
}

/** What a key record's header said: it goes into every part of the key. */
export interface KeyContext {
  start: number;
  db: number;
  key: Uint8Array;
  rdbType: number;
  encoding: string;
  redisType: RedisType;
  expireAt: number | null;
  lruIdle: number | null;
  lfuFreq: number | null;
  keyMeta: KeyMetaClass[] | null;
}

const KEY_META_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** The 4-character class name packed in the top 24 bits of a KEY_META class spec. */
function decodeKeyMetaClassName(bits: number): string {
  let name = '';
  for (let i = 3; i >= 0; i--) name += KEY_META_CHARSET[(bits >>> (6 * i)) & 63]!;
  return name;
}

/**
 * The RDB state machine: one `step()` parses one unit from the window and returns its event (or
 * undefined). Units never change state before they complete, so a step interrupted by NEED_MORE
 * is simply repeated after a refill.
 */
export class RdbParser {
  readonly w: ByteWindow;
  readonly limits: StringLimits;
  readonly maxElementCount: number;
  readonly partBytes: number;
  readonly partElements: number;
  readonly deep: boolean;
  readonly verifyChecksum: boolean;
  version = 0;
  dialect: RdbDialect = 'redis';
  headerDone = false;
  done = false;
  /** Absolute offset of the magic (0 unless the RDB is embedded in another stream). */
  start = 0;
  db = 0;
  expireAt: number | null = null;
  lruIdle: number | null = null;
  lfuFreq: number | null = null;
  keyMeta: KeyMetaClass[] | null = null;
  recordStart = -1;
  phase: Phase = 'start';
  currentKey: Uint8Array | undefined;
  ctx: KeyContext | undefined;
  coll: Collection | undefined;
  /** Set by the driver when the EOF opcode is reached: the CRC of everything before the trailer. */
  computeCrc: (() => bigint) | undefined;

  constructor(w: ByteWindow, options: ReadRdbOptions) {
    this.w = w;
    this.limits = {
      maxStringBytes: options.maxStringBytes ?? MAX_STRING_DEFAULT,
      fileSize: options.fileSize,
      version: 99,
    };
    this.maxElementCount = options.maxElementCount ?? 0xffffffff;
    this.partBytes = options.partBytes ?? PART_BYTES_DEFAULT;
    this.partElements = options.partElements ?? PART_ELEMENTS_DEFAULT;
    this.deep = options.deep ?? true;
    this.verifyChecksum = options.verifyChecksum ?? true;
  }

  /** Parse one unit. Returns an event, or undefined for units that only change state. */
  step(): RdbEvent | undefined {
    if (!this.headerDone) return this.readHeader();
    if (this.coll !== undefined) return readCollectionUnit(this, this.coll);
    return this.readTopLevel();
  }

  readHeader(): RdbEvent {
    const w = this.w;
    this.phase = 'read-header';
    const head = w.take(9);
    const text = String.fromCharCode(...head);
    let magic: 'REDIS' | 'VALKEY';
    let version: number;
    if (text.startsWith('REDIS') && /^\d{4}$/.test(text.slice(5))) {
      magic = 'REDIS';
      version = Number(text.slice(5));
      if (version < 1 || version > MAX_REDIS_VERSION) {
        throw new FormatError('RDB_UNSUPPORTED_VERSION', this.start + 5, `RDB version ${version} (magic ${JSON.stringify(text)}); this reader knows 1..${MAX_REDIS_VERSION} and Valkey ${MIN_VALKEY_VERSION}..${MAX_VALKEY_VERSION}`);
      }
    } else if (text.startsWith('VALKEY') && /^\d{3}$/.test(text.slice(6))) {
      magic = 'VALKEY';
      version = Number(text.slice(6));
      if (version < MIN_VALKEY_VERSION || version > MAX_VALKEY_VERSION) {
        throw new FormatError('RDB_UNSUPPORTED_VERSION', this.start + 6, `Valkey RDB version ${version}; this reader knows ${MIN_VALKEY_VERSION}..${MAX_VALKEY_VERSION}`);
      }
    } else {
      throw new FormatError('RDB_BAD_MAGIC', this.start, `header is ${JSON.stringify(text)}, expected "REDIS" and 4 digits (or "VALKEY" and 3)`);
    }
    this.version = version;
    this.limits.version = version;
    this.dialect = magic === 'VALKEY' ? 'valkey' : 'redis';
    this.headerDone = true;
    this.phase = 'read-type';
    return { type: 'header', offset: this.start, end: this.start + 9, magic, version, dialect: this.dialect };
  }

  str(): Uint8Array {
    return readStringObject(this.w, this.limits);
  }

  len(): number {
    return readLength(this.w, this.version);
  }

  /**
   * Read a string holding a container (ziplist, listpack, intset, zipmap) and decode it. Errors
   * inside a raw blob point at the exact byte in the file; inside an LZF-compressed blob they
   * point at the compressed data and say where in the decompressed blob the problem is.
   */
  blob<T>(decode: (blob: Uint8Array, baseOffset: number) => T): T {
    const bytes = this.str();
    return this.decodeStringJustRead(bytes, decode);
  }

  /** {@link blob} for a string already read by the last `str()` call. */
  decodeStringJustRead<T>(bytes: Uint8Array, decode: (blob: Uint8Array, baseOffset: number) => T): T {
    const at = lastStringSource.dataOffset;
    if (!lastStringSource.compressed) return decode(bytes, at);
    try {
      return decode(bytes, 0);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      throw new FormatError(e.code, at, `${e.detail} (at byte ${e.offset} of the ${bytes.length}-byte blob after LZF decompression of the data at ${at})`);
    }
  }

  count(what: string): number {
    const at = this.w.position;
    const n = readLength(this.w, this.version);
    if (n > this.maxElementCount) {
      throw new FormatError('RDB_LIMIT_EXCEEDED', at, `${n} ${what} exceed the limit of ${this.maxElementCount}`);
    }
    if (this.limits.fileSize !== undefined && n > this.limits.fileSize - this.w.position) {
      throw new FormatError('RDB_UNEXPECTED_EOF', this.limits.fileSize, `${n} ${what} cannot fit in the ${this.limits.fileSize - this.w.position} bytes left`);
    }
    return n;
  }

  readTopLevel(): RdbEvent | undefined {
    const w = this.w;
    const start = w.position;
    this.currentKey = undefined;
    this.phase = 'read-type';
    const t = w.readUint8();
    switch (t) {
      case RDB_OPCODE_EOF: {
        this.phase = 'check-sum';
        const computed = this.computeCrc?.() ?? null;
        if (this.version < 5) {
          this.done = true;
          return { type: 'eof', offset: start, end: start + 1, storedChecksum: null, computedChecksum: computed, checksum: 'absent' };
        }
        const stored = w.readBigUint64LE();
        this.done = true;
        let status: 'match' | 'disabled' | 'skipped';
        if (stored === 0n) status = 'disabled';
        else if (!this.verifyChecksum || computed === null) status = 'skipped';
        else if (stored === computed) status = 'match';
        else {
          throw new FormatError('RDB_CHECKSUM_MISMATCH', start + 1, `stored CRC64 0x${stored.toString(16).padStart(16, '0')}, computed 0x${computed.toString(16).padStart(16, '0')}`);
        }
        return { type: 'eof', offset: start, end: start + 9, storedChecksum: stored, computedChecksum: computed, checksum: status };
      }
      case RDB_OPCODE_SELECTDB: {
        this.phase = 'read-type';
        const db = this.len();
        if (db > 0xffffffff) throw new FormatError('RDB_BAD_SELECTDB', start + 1, `database number ${db} cannot exist`);
        this.db = db;
        return { type: 'selectDb', offset: start, end: w.position, db };
      }
      case RDB_OPCODE_RESIZEDB: {
        this.phase = 'read-type';
        const dbSize = this.len();
        const expiresSize = this.len();
        return { type: 'resizeDb', offset: start, end: w.position, dbSize, expiresSize };
      }
      case RDB_OPCODE_AUX: {
        this.phase = 'read-aux';
        const key = this.str();
        const value = this.str();
        return { type: 'aux', offset: start, end: w.position, key, value };
      }
      case RDB_OPCODE_SLOT_INFO: {
        this.phase = 'read-type';
        const slot = this.len();
        const slotSize = this.len();
        const expiresSlotSize = this.len();
        if (slot > 16383) throw new FormatError('RDB_BAD_SLOT_INFO', start + 1, `slot ${slot} is above 16383`);
        return { type: 'slotInfo', offset: start, end: w.position, slot, slotSize, expiresSlotSize };
      }
      case RDB_OPCODE_FUNCTION2:
      case RDB_OPCODE_FUNCTION_PRE_GA:
        this.phase = 'read-function';
        return this.readFunction(t, start);
      case RDB_OPCODE_MODULE_AUX: {
        this.phase = 'read-module-aux';
        const moduleId = readLengthBig(w);
        const whenOpAt = w.position;
        const whenOpcode = this.len();
        if (whenOpcode !== RDB_MODULE_OPCODE_UINT) {
          throw new FormatError('MODULE_BAD_AUX', whenOpAt, `module AUX "when" must be a UINT item (2), found opcode ${whenOpcode}`);
        }
        const when = this.len();
        const payloadStart = w.pos;
        this.skipModuleItems();
        const payload = w.buf.subarray(payloadStart, w.pos);
        const { name, version } = decodeModuleId(moduleId);
        return { type: 'moduleAux', offset: start, end: w.position, moduleId, moduleName: name, moduleVersion: version, when, payload };
      }
      case RDB_OPCODE_EXPIRETIME_MS: {
        this.phase = 'read-expire';
        const ms = w.readBigInt64LE();
        this.expireAt = Number(ms);
        if (this.recordStart < 0) this.recordStart = start;
        return undefined;
      }
      case RDB_OPCODE_EXPIRETIME: {
        this.phase = 'read-expire';
        const seconds = w.readInt32LE();
        this.expireAt = seconds * 1000;
        if (this.recordStart < 0) this.recordStart = start;
        return undefined;
      }
      case RDB_OPCODE_IDLE: {
        this.phase = 'read-lru';
        const idle = this.len();
        this.lruIdle = idle;
        if (this.recordStart < 0) this.recordStart = start;
        return undefined;
      }
      case RDB_OPCODE_FREQ: {
        this.phase = 'read-lfu';
        const freq = w.readUint8();
        this.lfuFreq = freq;
        if (this.recordStart < 0) this.recordStart = start;
        return undefined;
      }
      case RDB_OPCODE_SLOT_IMPORT:
        if (this.dialect === 'valkey') {
          this.phase = 'read-type';
          const jobName = this.str();
          const n = this.count('slot ranges');
          const ranges: [number, number][] = [];
          for (let i = 0; i < n; i++) ranges.push([this.len(), this.len()]);
          return { type: 'slotImport', offset: start, end: w.position, jobName, ranges };
        }
        return this.readKeyMeta(start);
      default:
        return readKeyHeader(this, t, start);
    }
  }

  /**
   * KEY_META (Redis 8.6, RDB 13): metadata classes attached to the next key. Each class is a 4-byte
   * spec (name, version, flags) and a module-annotated value ending in the module EOF, so it is
   * skipped and reported without knowing the class. @see FORMAT.md 7.1
   */
  readKeyMeta(start: number): undefined {
    const w = this.w;
    this.phase = 'read-type';
    const count = this.count('key metadata classes');
    const classes: KeyMetaClass[] = [];
    for (let i = 0; i < count; i++) {
      const spec = w.readUint32LE();
      const payloadStart = w.pos;
      this.skipModuleItems();
      classes.push({ className: decodeKeyMetaClassName(spec >>> 8), classVersion: (spec >>> 3) & 31, flags: spec & 7, payload: w.buf.subarray(payloadStart, w.pos) });
    }
    this.keyMeta = classes;
    if (this.recordStart < 0) this.recordStart = start;
    return undefined;
  }

  readFunction(t: number, start: number): RdbFunctionEvent {
    if (t === RDB_OPCODE_FUNCTION2) {
      const code = this.str();
      const { engine, libraryName } = parseShebang(code);
      return { type: 'function', offset: start, end: this.w.position, code, engine, libraryName, preGa: false };
    }
    const name = this.str();
    const engine = this.str();
    const hasDesc = this.len();
    if (hasDesc > 1) throw new FormatError('RDB_BAD_FUNCTION', start, `has-description flag is ${hasDesc}`);
    if (hasDesc) this.str();
    const body = this.str();
    // "#!<engine> name=<name>\n" + code, byte for byte (functionsCreateWithLibraryCtx in 7.0).
    const code = Buffer.concat([Buffer.from('#!', 'latin1'), engine, Buffer.from(' name=', 'latin1'), name, Buffer.from('\n', 'latin1'), body]);
    const decoder = new TextDecoder();
    return { type: 'function', offset: start, end: this.w.position, code: new Uint8Array(code.buffer, code.byteOffset, code.byteLength), engine: decoder.decode(engine), libraryName: decoder.decode(name), preGa: true };
  }

  /** Skip module annotated items up to and including the module EOF. @see redis-check-rdb rdbLoadCheckModuleValue */
  skipModuleItems(): void {
    const w = this.w;
    for (;;) {
      const at = w.position;
      const opcode = this.len();
      switch (opcode) {
        case RDB_MODULE_OPCODE_EOF:
          return;
        case RDB_MODULE_OPCODE_SINT:
        case RDB_MODULE_OPCODE_UINT:
          readLengthBig(w);
          break;
        case RDB_MODULE_OPCODE_FLOAT:
          w.skip(4);
          break;
        case RDB_MODULE_OPCODE_DOUBLE:
          w.skip(8);
          break;
        case RDB_MODULE_OPCODE_STRING:
          this.str();
          break;
        default:
          throw new FormatError('MODULE_BAD_OPCODE', at, `unknown module item opcode ${opcode}`);
      }
    }
  }

  typeName(t: number): string {
    if (t === RDB_TYPE_HASH_2 && this.dialect === 'valkey') return RDB_TYPE_NAME_HASH_2;
    return RDB_TYPE_NAMES[t] ?? `type-${t}`;
  }

  resetKeyPrefix(): void {
    this.keyMeta = null;
    this.expireAt = null;
    this.lruIdle = null;
    this.lfuFreq = null;
    this.recordStart = -1;
  }

  keyEvent(ctx: KeyContext, offset: number, end: number, value: RdbValue, part: { index: number; last: boolean } | undefined): RdbKeyEvent {
    const ev: RdbKeyEvent = {
      type: 'key',
      offset,
      end,
      db: ctx.db,
      key: ctx.key,
      rdbType: ctx.rdbType,
      encoding: ctx.encoding,
      redisType: ctx.redisType,
      expireAt: ctx.expireAt,
      lruIdle: ctx.lruIdle,
      lfuFreq: ctx.lfuFreq,
      value,
    };
    if (ctx.keyMeta !== null) ev.keyMeta = ctx.keyMeta;
    if (part !== undefined) ev.part = part;
    return ev;
  }
}

/** Engine and library name from a FUNCTION2 record's `#!<engine> name=<lib>` first line. */
function parseShebang(code: Uint8Array): { engine: string | null; libraryName: string | null } {
  if (code[0] !== 0x23 || code[1] !== 0x21) return { engine: null, libraryName: null };
  let nl = code.indexOf(0x0a);
  if (nl < 0) nl = code.length;
  const line = new TextDecoder().decode(code.subarray(2, nl)).trim();
  const tokens = line.split(/\s+/);
  const engine = tokens[0] ?? null;
  let libraryName: string | null = null;
  for (const t of tokens.slice(1)) if (t.startsWith('name=')) libraryName = t.slice(5);
  return { engine, libraryName };
}
