// Hashes: HASH_LISTPACK (RDB 10+) / HASH_ZIPLIST (RDB < 10) when small, else the hash-table HASH;
// with field TTLs (RDB 12): HASH_LISTPACK_EX when small, else HASH_METADATA.
// Source of truth: redis/src/rdb.c rdbSaveObject (OBJ_HASH, including the HFE branches);
// redis/src/t_hash.c listpackExAddNew (TTL'd fields first, by expiry).

import assert from 'node:assert';

import { FormatError } from '@redis-forensics/core';

import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_LISTPACK_EX,
  RDB_TYPE_HASH_METADATA,
  RDB_TYPE_HASH_ZIPLIST,
} from '../constants.js';
import { encodeListpack } from '../encodings/listpack.js';
import { encodeZiplist } from '../encodings/ziplist.js';

import type { ListpackInput } from '../encodings/listpack.js';
import type { HashEntry } from '../events.js';
import type { RdbSink } from './rdb-sink.js';
import type { WriteTarget } from './write-target.js';

/** EB_EXPIRE_TIME_MAX: the largest field expire time Redis stores (2^48 - 1 ms). */
export const EB_EXPIRE_TIME_MAX = 2 ** 48 - 1;

/**
 * Write a hash key record (type byte, key, value) in the encoding the target's Redis uses.
 * Fields with an `expireAt` need RDB 12; the caller strips or refuses them for older targets.
 * @param entries distinct fields, at least one
 * @throws {@link FormatError} RDB_BAD_EXPIRE for a field expire time outside 1 .. 2^48 - 1
 * @see redis/src/rdb.c rdbSaveObject (OBJ_HASH)
 */
export function writeHash(sink: RdbSink, key: Uint8Array, entries: readonly HashEntry[], target: WriteTarget): void {
  const { version, limits } = target;
  const small = entries.length <= limits.hashMaxListpackEntries
    && entries.every((e) => e.field.length <= limits.hashMaxListpackValue && e.value.length <= limits.hashMaxListpackValue);
  let minExpire = Infinity;
  for (const e of entries) {
    if (e.expireAt === null) continue;
    if (!Number.isInteger(e.expireAt) || e.expireAt < 1 || e.expireAt > EB_EXPIRE_TIME_MAX) {
      throw new FormatError('RDB_BAD_EXPIRE', sink.position, `field expire time ${e.expireAt} is outside 1 .. 2^48 - 1`);
    }
    if (e.expireAt < minExpire) minExpire = e.expireAt;
  }
  if (minExpire !== Infinity) {
    assert(version >= 12, 'hash field TTLs reach writeHash only for RDB 12+');
    if (small) {
      // TTL'd fields first, by expiry (a stable sort keeps equal expiries in order), then the rest.
      const ordered = [...entries].sort((a, b) => (a.expireAt ?? Infinity) - (b.expireAt ?? Infinity));
      const flat: ListpackInput[] = [];
      for (const e of ordered) flat.push(e.field, e.value, e.expireAt ?? 0);
      sink.writeByte(RDB_TYPE_HASH_LISTPACK_EX);
      sink.writeString(key);
      sink.writeInt64LE(minExpire);
      sink.writeString(encodeListpack(flat));
      return;
    }
    sink.writeByte(RDB_TYPE_HASH_METADATA);
    sink.writeString(key);
    sink.writeInt64LE(minExpire);
    sink.writeLength(entries.length);
    for (const e of entries) {
      // Relative to minExpire, +1 so that 0 keeps meaning "no TTL".
      sink.writeLength(e.expireAt === null ? 0 : e.expireAt - minExpire + 1);
      sink.writeString(e.field);
      sink.writeString(e.value);
    }
    return;
  }
  if (small) {
    const flat: Uint8Array[] = [];
    for (const e of entries) flat.push(e.field, e.value);
    sink.writeByte(version >= 10 ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH_ZIPLIST);
    sink.writeString(key);
    sink.writeString(version >= 10 ? encodeListpack(flat) : encodeZiplist(flat));
    return;
  }
  sink.writeByte(RDB_TYPE_HASH);
  sink.writeString(key);
  sink.writeLength(entries.length);
  for (const e of entries) {
    sink.writeString(e.field);
    sink.writeString(e.value);
  }
}
