// keyspaceToEvents: the keyspace as the RDB events readRdb produces (function, selectDb,
// resizeDb, key with data-level values), so the RDB writer and the AOF rewrite can consume a
// replayed dataset. Encodings are what Redis 7.4 would save for such values (intset, listpack,
// listpack-ex for small collections; quicklist-v2, hash tables, skiplists, stream-v3 otherwise).
// Source of truth: redis/src/rdb.c rdbSaveObjectType, rdbSaveObject; redis.conf *-max-* defaults.

import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_LISTPACK_EX,
  RDB_TYPE_HASH_METADATA,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_NAMES,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from '@redis-forensics/rdb';

import { latin1ToSlabBytes } from './byte-string.js';
import { isString2ll } from './number-text.js';
import { streamIdParts } from './stream-id.js';
import { SCG_INVALID_ENTRIES_READ } from './stream-value.js';
import { stringBytes, typeOf } from './values.js';
import { ZSET_MAX_LISTPACK_ENTRIES, ZSET_MAX_LISTPACK_VALUE } from './zset-range.js';

import type { RdbEvent, RdbKeyEvent, RdbValue, StreamGroup, StreamId } from '@redis-forensics/rdb';
import type { Keyspace } from './keyspace.js';
import type { StreamValue } from './stream-value.js';
import type { RedisValue } from './values.js';

/** set-max-intset-entries, set/hash-max-listpack-entries and -value defaults. */
const SET_MAX_INTSET_ENTRIES = 512;
const MAX_LISTPACK_ENTRIES = 128;
const MAX_LISTPACK_VALUE = 64;

const b = latin1ToSlabBytes;
const sid = (key: string): StreamId => streamIdParts(key);

/** The RDB type Redis 7.4 saves a value with. */
export function rdbTypeOf(v: RedisValue): number {
  if (typeof v === 'string' || v.type === 'mstring') return RDB_TYPE_STRING;
  switch (v.type) {
    case 'list':
      return RDB_TYPE_LIST_QUICKLIST_2;
    case 'set': {
      const size = v.set.size;
      let ints = size <= SET_MAX_INTSET_ENTRIES;
      let short = size <= MAX_LISTPACK_ENTRIES;
      for (const m of v.set) {
        if (!ints && !short) break;
        if (ints && !isString2ll(m)) ints = false;
        if (short && m.length > MAX_LISTPACK_VALUE) short = false;
      }
      if (ints) return RDB_TYPE_SET_INTSET;
      return short ? RDB_TYPE_SET_LISTPACK : RDB_TYPE_SET;
    }
    case 'zset': {
      let small = v.listpack && v.size <= ZSET_MAX_LISTPACK_ENTRIES;
      if (small) for (const m of v.dict.keys()) if (m.length > ZSET_MAX_LISTPACK_VALUE) small = false;
      return small ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    }
    case 'hash': {
      let small = v.map.size <= MAX_LISTPACK_ENTRIES;
      if (small) for (const [f, val] of v.map) if (f.length > MAX_LISTPACK_VALUE || val.length > MAX_LISTPACK_VALUE) small = false;
      if (v.expires !== null) return small ? RDB_TYPE_HASH_LISTPACK_EX : RDB_TYPE_HASH_METADATA;
      return small ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    }
    case 'stream':
      return RDB_TYPE_STREAM_LISTPACKS_3;
    case 'module':
      return RDB_TYPE_MODULE_2;
  }
}

function streamGroups(s: StreamValue): StreamGroup[] {
  if (s.groups === null) return [];
  const out: StreamGroup[] = [];
  for (const name of [...s.groups.keys()].sort()) {
    const g = s.groups.get(name)!;
    out.push({
      name: b(name),
      lastId: sid(g.lastId),
      entriesRead: g.entriesRead === SCG_INVALID_ENTRIES_READ ? null : g.entriesRead,
      pending: [...g.pel.keys()].sort().map((id) => {
        const n = g.pel.get(id)!;
        return { id: sid(id), deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount, consumer: n.consumer === null ? null : b(n.consumer) };
      }),
      consumers: [...g.consumers.keys()].sort().map((cname) => {
        const c = g.consumers.get(cname)!;
        return { name: b(cname), seenTime: c.seenTime, activeTime: c.activeTime, pending: [...c.pel].sort().map(sid) };
      }),
    });
  }
  return out;
}

/** The data-level RDB value of a keyspace value (fresh byte arrays). */
export function rdbValueOf(v: RedisValue): RdbValue {
  if (typeof v === 'string' || v.type === 'mstring') return { kind: 'string', value: typeof v === 'string' ? b(v) : stringBytes(v).slice() };
  switch (v.type) {
    case 'list':
      return { kind: 'list', elements: v.toBytes() };
    case 'set': {
      const members: Uint8Array[] = [];
      for (const m of v.set) members.push(b(m));
      return { kind: 'set', members };
    }
    case 'zset': {
      const entries: { member: Uint8Array; score: number }[] = [];
      for (const [m, score] of v.index) entries.push({ member: b(m), score });
      return { kind: 'zset', entries };
    }
    case 'hash': {
      const entries: { field: Uint8Array; value: Uint8Array; expireAt: number | null }[] = [];
      const expires = v.expires;
      for (const [f, val] of v.map) entries.push({ field: b(f), value: b(val), expireAt: expires === null ? null : (expires.get(f) ?? null) });
      return { kind: 'hash', entries };
    }
    case 'stream':
      return {
        kind: 'stream',
        entries: [...v.entries()].map(([id, fields]) => ({ id: sid(id), fields: fields.map(b) })),
        meta: {
          length: v.length,
          lastId: sid(v.lastId),
          firstId: sid(v.firstId),
          maxDeletedId: sid(v.maxDeletedId),
          entriesAdded: v.entriesAdded,
          groups: streamGroups(v),
        },
      };
    case 'module':
      return { kind: 'module', module: { moduleId: v.moduleId, moduleName: v.moduleName, moduleVersion: v.moduleVersion, payload: v.payload } };
  }
}

/**
 * The keyspace as RDB events: `function` per library, then for each non-empty db `selectDb`,
 * `resizeDb` and one `key` event per key (no parts; spans are 0). Byte arrays are fresh copies.
 */
export function* keyspaceToEvents(ks: Keyspace): Generator<RdbEvent, void, undefined> {
  for (const lib of ks.functions.values()) {
    yield { type: 'function', offset: 0, end: 0, code: b(lib.code), engine: lib.engine, libraryName: lib.name, preGa: false };
  }
  for (const db of ks.dbs) {
    if (db.dict.size === 0) continue;
    yield { type: 'selectDb', offset: 0, end: 0, db: db.id };
    yield { type: 'resizeDb', offset: 0, end: 0, dbSize: db.dict.size, expiresSize: db.expires.size };
    for (const [key, v] of db.dict) {
      const rdbType = rdbTypeOf(v);
      const ev: RdbKeyEvent = {
        type: 'key',
        offset: 0,
        end: 0,
        db: db.id,
        key: b(key),
        rdbType,
        encoding: RDB_TYPE_NAMES[rdbType]!,
        redisType: typeOf(v),
        expireAt: db.expires.get(key) ?? null,
        lruIdle: null,
        lfuFreq: null,
        value: rdbValueOf(v),
      };
      yield ev;
    }
  }
}
