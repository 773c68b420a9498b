// DUMP payloads (DUMP, RESTORE, MIGRATE): <type byte><object as rdbSaveObject writes it>
// <RDB version u16le><CRC64 u64le of everything before it>, decoded synchronously from the complete
// bytes with the same value readers as readRdb. Source of truth: redis/src/cluster.c
// createDumpPayload, verifyDumpPayload, restoreCommand; redis/src/rdb.c rdbLoadObject.

import assert from 'node:assert';

import { ByteWindow, crc64, FormatError, NEED_MORE } from '@redis-forensics/core';

import { RDB_VERSION, RDB_VERSION_VALKEY_9 } from './constants.js';
import { RdbParser } from './rdb-parser.js';
import { checkObjectType, readCollectionUnit, readObjectHeader } from './read-key.js';

import type { RedisType } from './constants.js';
import type { RdbEvent, RdbValue } from './events.js';

/** Bytes after the object: 2 of RDB version, 8 of CRC64. */
const DUMP_FOOTER_BYTES = 10;
const EMPTY_KEY = new Uint8Array(0);

/** Options of {@link decodeDumpPayload}. */
export interface DecodeDumpPayloadOptions {
  /**
   * Newest RDB version accepted in the footer; a newer one is refused as Redis's
   * verifyDumpPayload refuses it (`rdbver > RDB_VERSION`). Defaults to {@link RDB_VERSION} (12,
   * Redis 7.4 .. 8.4). From {@link RDB_VERSION_VALKEY_9} (80) up the payload is read in the
   * Valkey dialect.
   */
  maxVersion?: number;
  /**
   * Compare the stored CRC64 with the computed one (Redis skips this with
   * `skip-checksum-validation`). Defaults to true.
   */
  verifyChecksum?: boolean;
  /** Largest string accepted, in bytes (Redis's proto-max-bulk-len). Defaults to 512 MiB. */
  maxStringBytes?: number;
  /** Largest element count accepted for the value. Defaults to 2^32 - 1. */
  maxElementCount?: number;
  /**
   * Deep validation, like `sanitize-dump-payload yes`: duplicate members and fields, stream PEL
   * ownership, no empty collections. Container structure is always checked. Defaults to true.
   */
  deep?: boolean;
}

/** A decoded DUMP payload: one value, as readRdb would give it for a key of the same type. */
export interface DumpPayload {
  /** The RDB version in the footer (RDB_VERSION of the server that made the payload). */
  rdbVersion: number;
  /** The RDB type byte (RDB_TYPE_*), the payload's first byte. */
  rdbType: number;
  /** Redis's `rdb_type_string` label: 'hash-listpack', 'quicklist-v2', 'set-intset', ... */
  encoding: string;
  /** What `TYPE key` prints. */
  redisType: RedisType;
  /** The value; byte arrays are views into the payload. */
  value: RdbValue;
  /** The CRC64 stored in the footer. */
  checksum: bigint;
}

/**
 * Decode a complete DUMP payload synchronously: verify the footer as RESTORE does (at least 10
 * bytes, RDB version not above `maxVersion`, CRC64 over everything before the checksum), then read
 * the object with readRdb's value readers. Offsets in errors are relative to the payload's first
 * byte. Unlike RESTORE, which stops reading where the object ends, the object must end exactly where
 * the footer begins.
 * @param payload the bytes DUMP replied (RESTORE's `serialized-value`)
 * @param options footer checks and limits, see {@link DecodeDumpPayloadOptions}
 * @returns the value with its type, encoding and footer fields
 * @throws {@link FormatError} (phase `check-sum`) RDB_UNEXPECTED_EOF when the payload is shorter than
 *   its footer, RDB_UNSUPPORTED_VERSION, RDB_CHECKSUM_MISMATCH (where RESTORE replies "DUMP payload
 *   version or checksum are wrong"); then RDB_UNKNOWN_TYPE, RDB_UNEXPECTED_EOF (object cut by the
 *   footer), RDB_TRAILING_BYTES (bytes between object and footer), RDB_LIMIT_EXCEEDED and any
 *   encoding error of readRdb (where RESTORE replies "Bad data format")
 * @see redis/src/cluster.c verifyDumpPayload, restoreCommand; redis/src/rdb.c rdbLoadObject
 */
export function decodeDumpPayload(payload: Uint8Array, options: DecodeDumpPayloadOptions = {}): DumpPayload {
  const length = payload.byteLength;
  if (length < DUMP_FOOTER_BYTES) {
    throw new FormatError('RDB_UNEXPECTED_EOF', length, `DUMP payload of ${length} bytes is shorter than its ${DUMP_FOOTER_BYTES}-byte footer (RDB version, CRC64)`, { phase: 'check-sum' });
  }
  const footerAt = length - DUMP_FOOTER_BYTES;
  const view = new DataView(payload.buffer, payload.byteOffset, length);
  const rdbVersion = view.getUint16(footerAt, true);
  const maxVersion = options.maxVersion ?? RDB_VERSION;
  if (rdbVersion > maxVersion) {
    throw new FormatError('RDB_UNSUPPORTED_VERSION', footerAt, `DUMP payload of RDB version ${rdbVersion}; accepted up to ${maxVersion}`, { phase: 'check-sum' });
  }
  const checksum = view.getBigUint64(length - 8, true);
  if (options.verifyChecksum ?? true) {
    const computed = crc64(payload.subarray(0, length - 8));
    if (computed !== checksum) {
      throw new FormatError('RDB_CHECKSUM_MISMATCH', length - 8, `stored CRC64 0x${checksum.toString(16).padStart(16, '0')}, computed 0x${computed.toString(16).padStart(16, '0')}`, { phase: 'check-sum' });
    }
  }

  const w = new ByteWindow();
  w.reset(payload.subarray(0, footerAt), 0, 0);
  const p = new RdbParser(w, {
    fileSize: footerAt,
    partBytes: Infinity,
    partElements: Infinity,
    ...(options.maxStringBytes !== undefined ? { maxStringBytes: options.maxStringBytes } : {}),
    ...(options.maxElementCount !== undefined ? { maxElementCount: options.maxElementCount } : {}),
    ...(options.deep !== undefined ? { deep: options.deep } : {}),
  });
  // rdbLoadObject does not look at the payload's version: lengths are read as the loader of today
  // reads them (the 64-bit form included). Only the dialect follows the version.
  p.version = Math.max(rdbVersion, RDB_VERSION);
  p.limits.version = p.version;
  p.dialect = rdbVersion >= RDB_VERSION_VALKEY_9 ? 'valkey' : 'redis';
  p.headerDone = true;
  let ev: RdbEvent | undefined;
  try {
    p.phase = 'read-type';
    const rdbType = w.readUint8();
    checkObjectType(p, rdbType, 0);
    ev = readObjectHeader(p, rdbType, 0, 0, EMPTY_KEY);
    while (ev === undefined) ev = readCollectionUnit(p, p.coll!);
  } catch (e) {
    if (e === NEED_MORE) {
      const detail = footerAt === 0 ? 'no type byte before the footer' : `the footer starts ${NEED_MORE.end - footerAt} bytes before the object is complete`;
      throw new FormatError('RDB_UNEXPECTED_EOF', footerAt, detail, { phase: p.phase });
    }
    if (e instanceof FormatError) throw e.withContext({ phase: p.phase });
    throw e;
  }
  if (w.position !== footerAt) {
    throw new FormatError('RDB_TRAILING_BYTES', w.position, `${footerAt - w.position} bytes between the end of the object and the footer`, { phase: 'read-object-value' });
  }
  assert(ev.type === 'key', 'a value read yields a key event');
  return { rdbVersion, rdbType: ev.rdbType, encoding: ev.encoding, redisType: ev.redisType, value: ev.value, checksum };
}
