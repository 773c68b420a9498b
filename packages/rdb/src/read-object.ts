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
 * Tracks members of one value to reject duplicates (what sanitize-dump-payload does). Members are
 * bucketed by an FNV-1a hash of their bytes and compared byte by byte within a bucket, so no
 * string is built per member.
 */
export class DuplicateTracker {
  private readonly buckets = new Map<number, Uint8Array | Uint8Array[]>();
  private readonly what: string;

  constructor(what: string) {
    this.what = what;
  }

  /** Remember `bytes`; throw RDB_DUPLICATE_ELEMENT (at `at`) if an equal member was added before. */
  add(bytes: Uint8Array, at: number): void {
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const prev = this.buckets.get(h);
    if (prev === undefined) {
      this.buckets.set(h, bytes);
      return;
    }
    if (prev instanceof Uint8Array) {
      if (sameBytes(prev, bytes)) throwDuplicate(this.what, bytes, at);
      this.buckets.set(h, [prev, bytes]);
      return;
    }
    for (const p of prev) if (sameBytes(p, bytes)) throwDuplicate(this.what, bytes, at);
    prev.push(bytes);
  }
}

/** Members at or below this count are checked pairwise: cheaper than hashing for small listpacks. */
const PAIRWISE_MAX = 24;

/**
 * Reject duplicates among `members` (one value's set members, hash fields or zset members).
 * @throws {@link FormatError} RDB_DUPLICATE_ELEMENT at `at`, naming the member
 */
export function checkNoDuplicates(members: readonly Uint8Array[], at: number, what: string): void {
  if (members.length <= PAIRWISE_MAX) {
    for (let i = 1; i < members.length; i++) {
      const a = members[i]!;
      for (let j = 0; j < i; j++) if (sameBytes(a, members[j]!)) throwDuplicate(what, a, at);
    }
    return;
  }
  const tracker = new DuplicateTracker(what);
  for (const m of members) tracker.add(m, at);
}

function throwDuplicate(what: string, bytes: Uint8Array, at: number): never {
  const k = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  throw new FormatError('RDB_DUPLICATE_ELEMENT', at, `duplicate ${what} ${JSON.stringify(k.length > 64 ? k.slice(0, 64) + '...' : k)}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  if (deep) checkNoDuplicates(members, at, 'set member');
  return members;
}

function pairs(entries: ListpackEntry[], at: number, code: 'LISTPACK_BAD_COUNT' | 'ZIPLIST_BAD_COUNT', what: string): void {
  if (entries.length % 2 !== 0) throw new FormatError(code, at, `${what} has an odd number (${entries.length}) of elements`);
  if (entries.length === 0) throw new FormatError(code, at, `empty ${what}`);
}

/** Sorted-set entries of a ziplist/listpack holding member, score, member, score, ... */
export function zsetFromPairs(entries: ListpackEntry[], at: number, fromZiplist: boolean, deep: boolean): ZsetEntry[] {
  pairs(entries, at, fromZiplist ? 'ZIPLIST_BAD_COUNT' : 'LISTPACK_BAD_COUNT', 'zset');
  const n = entries.length / 2;
  const out: ZsetEntry[] = new Array(n);
  const members: Uint8Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const member = entryBytes(entries[2 * i]!);
    members[i] = member;
    out[i] = { member, score: entryScore(entries[2 * i + 1]!) };
  }
  if (deep) checkNoDuplicates(members, at, 'zset member');
  return out;
}

/** Hash entries of a ziplist/listpack holding field, value, field, value, ... */
export function hashFromPairs(entries: ListpackEntry[], at: number, fromZiplist: boolean, deep: boolean): HashEntry[] {
  pairs(entries, at, fromZiplist ? 'ZIPLIST_BAD_COUNT' : 'LISTPACK_BAD_COUNT', 'hash');
  const n = entries.length / 2;
  const out: HashEntry[] = new Array(n);
  const fields: Uint8Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const field = entryBytes(entries[2 * i]!);
    fields[i] = field;
    out[i] = { field, value: entryBytes(entries[2 * i + 1]!), expireAt: null };
  }
  if (deep) checkNoDuplicates(fields, at, 'hash field');
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
