// Decoders for values stored as one blob (ziplist, listpack, intset, zipmap) and the small helpers
// the per-element readers share. Source of truth: redis/src/rdb.c rdbLoadObject (the branches for
// RDB_TYPE_*_ZIPLIST, *_LISTPACK, SET_INTSET, HASH_ZIPMAP, HASH_LISTPACK_EX).

import { FormatError } from '@redis-forensics/core';

import { decodeIntset } from './encodings/intset.js';
import { decodeListpack } from './encodings/listpack.js';
import { decodeZiplist } from './encodings/ziplist.js';
import { decodeZipmap } from './encodings/zipmap.js';
import { integerToBytes } from './integer-text.js';
import { parseRedisDouble } from './string-encoding.js';

import type { ListpackEntry } from './encodings/listpack.js';
import type { HashEntry, ZsetEntry } from './events.js';

/** A listpack/ziplist element as Redis string bytes (integers as decimal text). */
export function entryBytes(e: ListpackEntry): Uint8Array {
  return e instanceof Uint8Array ? e : integerToBytes(e);
}

/** A listpack/ziplist element as a score (zzlStrtod / lpGetValue semantics). */
export function entryScore(e: ListpackEntry): number {
  if (typeof e === 'number') return e;
  if (typeof e === 'bigint') return Number(e);
  return parseRedisDouble(e);
}

/** A listpack element that must be an integer (stream counters, HFE expire times). */
export function entryInteger(e: ListpackEntry, at: number, what: string): number {
  if (typeof e === 'number') return e;
  if (typeof e === 'bigint') return Number(e);
  throw new FormatError('STREAM_BAD_LISTPACK', at, `${what} is a string, expected an integer`);
}

/**
 * Tracks members of one value to reject duplicates (what sanitize-dump-payload does). Keys are the
 * members' bytes as latin1 strings, so any byte sequence maps to a distinct key.
 */
export class DuplicateTracker {
  private readonly seen = new Set<string>();
  private readonly what: string;

  constructor(what: string) {
    this.what = what;
  }

  add(bytes: Uint8Array, at: number): void {
    const k = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (this.seen.has(k)) {
      throw new FormatError('RDB_DUPLICATE_ELEMENT', at, `duplicate ${this.what} ${JSON.stringify(k.length > 64 ? k.slice(0, 64) + '...' : k)}`);
    }
    this.seen.add(k);
  }
}

/** List elements of a ziplist (LIST_ZIPLIST and each LIST_QUICKLIST node). */
export function listFromZiplist(blob: Uint8Array, at: number): Uint8Array[] {
  return decodeZiplist(blob, at).map(entryBytes);
}

/** List elements of a listpack (QUICKLIST_2 packed nodes). */
export function listFromListpack(blob: Uint8Array, at: number): Uint8Array[] {
  return decodeListpack(blob, at).map(entryBytes);
}

/** Set members of an intset, as decimal text. */
export function setFromIntset(blob: Uint8Array, at: number): Uint8Array[] {
  return decodeIntset(blob, at).map((v) => integerToBytes(v));
}

/** Set members of a listpack (SET_LISTPACK), rejecting duplicates when `deep`. */
export function setFromListpack(blob: Uint8Array, at: number, deep: boolean): Uint8Array[] {
  const members = decodeListpack(blob, at).map(entryBytes);
  if (members.length === 0) throw new FormatError('LISTPACK_BAD_COUNT', at, 'empty set listpack');
  if (deep) {
    const dup = new DuplicateTracker('set member');
    for (const m of members) dup.add(m, at);
  }
  return members;
}

function pairs(entries: ListpackEntry[], at: number, code: 'LISTPACK_BAD_COUNT' | 'ZIPLIST_BAD_COUNT', what: string): void {
  if (entries.length % 2 !== 0) throw new FormatError(code, at, `${what} has an odd number (${entries.length}) of elements`);
  if (entries.length === 0) throw new FormatError(code, at, `empty ${what}`);
}

/** Sorted-set entries of a ziplist/listpack holding member, score, member, score, ... */
export function zsetFromPairs(entries: ListpackEntry[], at: number, fromZiplist: boolean, deep: boolean): ZsetEntry[] {
  pairs(entries, at, fromZiplist ? 'ZIPLIST_BAD_COUNT' : 'LISTPACK_BAD_COUNT', 'zset');
  const out: ZsetEntry[] = new Array(entries.length / 2);
  const dup = deep ? new DuplicateTracker('zset member') : undefined;
  for (let i = 0; i < entries.length; i += 2) {
    const member = entryBytes(entries[i]!);
    dup?.add(member, at);
    out[i / 2] = { member, score: entryScore(entries[i + 1]!) };
  }
  return out;
}

/** Hash entries of a ziplist/listpack holding field, value, field, value, ... */
export function hashFromPairs(entries: ListpackEntry[], at: number, fromZiplist: boolean, deep: boolean): HashEntry[] {
  pairs(entries, at, fromZiplist ? 'ZIPLIST_BAD_COUNT' : 'LISTPACK_BAD_COUNT', 'hash');
  const out: HashEntry[] = new Array(entries.length / 2);
  const dup = deep ? new DuplicateTracker('hash field') : undefined;
  for (let i = 0; i < entries.length; i += 2) {
    const field = entryBytes(entries[i]!);
    dup?.add(field, at);
    out[i / 2] = { field, value: entryBytes(entries[i + 1]!), expireAt: null };
  }
  return out;
}

/** Hash entries of a zipmap (HASH_ZIPMAP, Redis 2.2-2.4). */
export function hashFromZipmap(blob: Uint8Array, at: number, deep: boolean): HashEntry[] {
  const pairsList = decodeZipmap(blob, at);
  if (pairsList.length === 0) throw new FormatError('ZIPMAP_BAD_COUNT', at, 'empty zipmap');
  const dup = deep ? new DuplicateTracker('hash field') : undefined;
  return pairsList.map(([field, value]) => {
    dup?.add(field, at);
    return { field, value, expireAt: null };
  });
}

/**
 * Hash entries of a listpack of field, value, expireAt triplets (HASH_LISTPACK_EX and its pre-GA
 * form). expireAt 0 means no TTL. Deep validation checks what lpValidateIntegrityAndDups does for
 * this type: triplets, integer TTLs, no duplicate fields.
 */
export function hashFromListpackEx(blob: Uint8Array, at: number, deep: boolean): HashEntry[] {
  const entries = decodeListpack(blob, at);
  if (entries.length === 0 || entries.length % 3 !== 0) {
    throw new FormatError('LISTPACK_BAD_COUNT', at, `hash with field TTLs needs a non-empty multiple of 3 elements, found ${entries.length}`);
  }
  const out: HashEntry[] = new Array(entries.length / 3);
  const dup = deep ? new DuplicateTracker('hash field') : undefined;
  for (let i = 0; i < entries.length; i += 3) {
    const field = entryBytes(entries[i]!);
    dup?.add(field, at);
    const ttl = entries[i + 2]!;
    if (ttl instanceof Uint8Array) throw new FormatError('LISTPACK_BAD_ENCODING', at, 'field expire time is a string, expected an integer');
    const expireAt = Number(ttl);
    if (expireAt < 0 || expireAt > 2 ** 48 - 1) throw new FormatError('RDB_BAD_EXPIRE', at, `field expire time ${expireAt} is out of range`);
    out[i / 3] = { field, value: entryBytes(entries[i + 1]!), expireAt: expireAt === 0 ? null : expireAt };
  }
  return out;
}
