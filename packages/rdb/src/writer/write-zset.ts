// Sorted sets: ZSET_LISTPACK (RDB 10+) / ZSET_ZIPLIST (RDB < 10) when small, sorted by (score,
// member) with scores as text; else ZSET_2 (RDB 8+, binary scores, highest first) or the old ZSET
// (RDB 6-7, string-double scores).
// Source of truth: redis/src/rdb.c rdbSaveObject (OBJ_ZSET), rdbSaveDoubleValue,
// rdbSaveBinaryDoubleValue; redis/src/t_zset.c zzlInsertAt, zslInsert (ordering).

import { FormatError } from '@redis-forensics/core';

import { RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_ZSET_ZIPLIST } from '../constants.js';
import { encodeListpack } from '../encodings/listpack.js';
import { encodeZiplist } from '../encodings/ziplist.js';
import { d2string } from './d2string.js';

import type { ZsetEntry } from '../events.js';
import type { RdbSink } from './rdb-sink.js';
import type { WriteTarget } from './write-target.js';

const ascii = new TextEncoder();

/** Redis's zset order: score ascending, then member bytes (memcmp, shorter first on a tie). */
export function compareZsetEntries(a: ZsetEntry, b: ZsetEntry): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return Buffer.compare(a.member, b.member);
}

/**
 * Write a sorted-set key record (type byte, key, value) in the encoding the target's Redis uses.
 * @param entries distinct members, at least one, any order
 * @throws {@link FormatError} RDB_BAD_DOUBLE for a NaN score (no Redis loads one)
 * @see redis/src/rdb.c rdbSaveObject (OBJ_ZSET)
 */
export function writeZset(sink: RdbSink, key: Uint8Array, entries: readonly ZsetEntry[], target: WriteTarget): void {
  const { version, limits } = target;
  for (const e of entries) {
    if (Number.isNaN(e.score)) throw new FormatError('RDB_BAD_DOUBLE', sink.position, 'NaN score: no Redis version loads one');
  }
  const sorted = [...entries].sort(compareZsetEntries);
  if (sorted.length <= limits.zsetMaxListpackEntries && sorted.every((e) => e.member.length <= limits.zsetMaxListpackValue)) {
    const flat: (Uint8Array | number)[] = new Array<Uint8Array | number>(sorted.length * 2);
    sorted.forEach((e, i) => {
      flat[2 * i] = e.member;
      flat[2 * i + 1] = scoreElement(e.score, target);
    });
    sink.writeByte(version >= 10 ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_ZIPLIST);
    sink.writeString(key);
    sink.writeString(version >= 10 ? encodeListpack(flat) : encodeZiplist(flat));
    return;
  }
  sink.writeByte(version >= 8 ? RDB_TYPE_ZSET_2 : RDB_TYPE_ZSET);
  sink.writeString(key);
  sink.writeLength(sorted.length);
  // From the tail of the skiplist, so that loading inserts at the head (rdbSaveObject's comment).
  for (let i = sorted.length - 1; i >= 0; i--) {
    const e = sorted[i]!;
    sink.writeString(e.member);
    if (version >= 8) sink.writeFloat64LE(e.score);
    else writeStringDouble(sink, e.score, target);
  }
}

/**
 * A score as a listpack/ziplist element: the d2string text, which the encoders store as an
 * integer when it is one; integral scores below 2^52 (not -0) are that integer in both styles, so
 * they go in as numbers without the text round trip.
 */
function scoreElement(score: number, target: WriteTarget): Uint8Array | number {
  if (Number.isInteger(score) && Math.abs(score) < TWO_POW_52 && !Object.is(score, -0)) return score;
  return ascii.encode(d2string(score, target.doubleStyle));
}

const TWO_POW_52 = 4503599627370496;

/**
 * A type-3 score: `u8 253/254/255` for NaN/+inf/-inf, else `u8 length` and the text.
 * @see redis/src/rdb.c rdbSaveDoubleValue
 */
function writeStringDouble(sink: RdbSink, score: number, target: WriteTarget): void {
  if (score === Infinity) sink.writeByte(254);
  else if (score === -Infinity) sink.writeByte(255);
  else {
    const text = ascii.encode(d2string(score, target.doubleStyle));
    sink.writeByte(text.length);
    sink.writeBytes(text);
  }
}
