// Reading a key's value: one-blob encodings at once, collections one element (or quicklist /
// stream node) per unit, emitted in parts when large. Source of truth: redis/src/rdb.c
// rdbLoadObject.

import { FormatError } from '@redis-forensics/core';

import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_2,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_LISTPACK_EX,
  RDB_TYPE_HASH_LISTPACK_EX_PRE_GA,
  RDB_TYPE_HASH_METADATA,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_LOGICAL,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_MODULE_PRE_GA,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './constants.js';
import { decodeListpack } from './encodings/listpack.js';
import { decodeZiplist } from './encodings/ziplist.js';
import { readLengthBig } from './length-encoding.js';
import { decodeModuleId } from './module-id.js';
import {
  DuplicateTracker,
  hashFromListpackEx,
  hashFromPairs,
  hashFromZipmap,
  listFromListpack,
  listFromZiplist,
  setFromIntset,
  setFromListpack,
  zsetFromPairs,
} from './read-object.js';
import { compareStreamIds, decodeStreamNode, readStreamMeta, streamIdFromBytes } from './stream.js';
import { readStringDouble } from './string-encoding.js';

import type {
  HashEntry,
  RdbEvent,
  RdbKeyEvent,
  RdbValue,
  StreamEntry,
  ZsetEntry,
} from './events.js';
import type { Collection, CollectionKind, KeyContext, RdbParser } from './rdb-parser.js';

/**
 * A key record's header: type byte, key, and either the whole value (one-blob encodings) or the
 * element count of a collection, which then continues in {@link readCollectionUnit}.
 * @throws NEED_MORE; {@link FormatError} for an unknown type, a bad value, limits
 */
export function readKeyHeader(p: RdbParser, t: number, start: number): RdbEvent | undefined {
  checkObjectType(p, t, start);
  const recordStart = p.recordStart >= 0 ? p.recordStart : start;
  p.phase = 'read-key';
  const key = p.str();
  p.currentKey = key;
  return readObjectHeader(p, t, start, recordStart, key);
}

/**
 * Throw unless `t` is a value type this reader knows (rdbIsObjectType, in the file's dialect).
 * @throws {@link FormatError} RDB_UNKNOWN_TYPE at `at`
 */
export function checkObjectType(p: RdbParser, t: number, at: number): void {
  const known = RDB_TYPE_LOGICAL[t] !== undefined && t !== 8 && !(t === 23 && p.dialect === 'valkey');
  if (!known) {
    const hint = t === 26 ? ' (STREAM_LISTPACKS_4, Redis 8.6: layout not supported yet)' : t === 27 ? ' (STREAM_LISTPACKS_5, Redis 8.8)' : t === 28 ? ' (ARRAY, Redis 8.8)' : '';
    throw new FormatError('RDB_UNKNOWN_TYPE', at, `byte 0x${t.toString(16)} is neither a value type nor an opcode${hint}`);
  }
}

/**
 * The value of a key record (or of a DUMP payload) after its type byte at `start`: the whole value
 * for one-blob encodings, or the element count of a collection, which then continues in
 * {@link readCollectionUnit}. The event spans from `recordStart`.
 * @throws NEED_MORE; {@link FormatError} for a bad value, limits
 * @see redis/src/rdb.c rdbLoadObject
 */
export function readObjectHeader(p: RdbParser, t: number, start: number, recordStart: number, key: Uint8Array): RdbEvent | undefined {
  const w = p.w;
  p.phase = 'read-object-value';
  const ctx: KeyContext = {
    start: recordStart,
    db: p.db,
    key,
    rdbType: t,
    encoding: p.typeName(t),
    redisType: RDB_TYPE_LOGICAL[t]!,
    expireAt: p.expireAt,
    lruIdle: p.lruIdle,
    lfuFreq: p.lfuFreq,
    keyMeta: p.keyMeta,
  };
  const valueAt = w.position;
  let value: RdbValue | undefined;
  let coll: Collection | undefined;
  const deep = p.deep;
  switch (t) {
    case RDB_TYPE_STRING:
      value = { kind: 'string', value: p.str() };
      break;
    case RDB_TYPE_LIST:
      coll = newCollection(p, 'list', t, p.count('list elements'));
      break;
    case RDB_TYPE_SET:
      coll = newCollection(p, 'set', t, p.count('set members'));
      break;
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2:
      coll = newCollection(p, 'zset', t, p.count('zset members'));
      break;
    case RDB_TYPE_HASH:
      coll = newCollection(p, 'hash', t, p.count('hash fields'));
      break;
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2:
      coll = newCollection(p, 'list', t, p.count('quicklist nodes'));
      break;
    case RDB_TYPE_HASH_METADATA: {
      const minExpire = Number(w.readBigInt64LE());
      coll = newCollection(p, 'hash', t, p.count('hash fields'));
      coll.minExpire = minExpire;
      break;
    }
    case RDB_TYPE_HASH_2: // also HASH_METADATA_PRE_GA in the Redis dialect
      coll = newCollection(p, 'hash', t, p.count('hash fields'));
      break;
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3:
      coll = newCollection(p, 'stream', t, p.count('stream nodes'));
      break;
    case RDB_TYPE_LIST_ZIPLIST: {
      const elements = p.blob((b, at) => {
        const list = listFromZiplist(b, at);
        if (list.length === 0) throw new FormatError('ZIPLIST_BAD_COUNT', at, 'empty list ziplist');
        return list;
      });
      value = { kind: 'list', elements };
      break;
    }
    case RDB_TYPE_SET_INTSET:
      value = { kind: 'set', members: p.blob(setFromIntset) };
      break;
    case RDB_TYPE_SET_LISTPACK:
      value = { kind: 'set', members: p.blob((b, at) => setFromListpack(b, at, deep)) };
      break;
    case RDB_TYPE_ZSET_ZIPLIST:
      value = { kind: 'zset', entries: p.blob((b, at) => zsetFromPairs(decodeZiplist(b, at), at, true, deep)) };
      break;
    case RDB_TYPE_ZSET_LISTPACK:
      value = { kind: 'zset', entries: p.blob((b, at) => zsetFromPairs(decodeListpack(b, at), at, false, deep)) };
      break;
    case RDB_TYPE_HASH_ZIPMAP:
      value = { kind: 'hash', entries: p.blob((b, at) => hashFromZipmap(b, at, deep)) };
      break;
    case RDB_TYPE_HASH_ZIPLIST:
      value = { kind: 'hash', entries: p.blob((b, at) => hashFromPairs(decodeZiplist(b, at), at, true, deep)) };
      break;
    case RDB_TYPE_HASH_LISTPACK:
      value = { kind: 'hash', entries: p.blob((b, at) => hashFromPairs(decodeListpack(b, at), at, false, deep)) };
      break;
    case RDB_TYPE_HASH_LISTPACK_EX_PRE_GA:
      value = { kind: 'hash', entries: p.blob((b, at) => hashFromListpackEx(b, at, deep)) };
      break;
    case RDB_TYPE_HASH_LISTPACK_EX: {
      w.readBigInt64LE(); // minExpire: a cached, possibly stale minimum that loaders ignore
      value = { kind: 'hash', entries: p.blob((b, at) => hashFromListpackEx(b, at, deep)) };
      break;
    }
    case RDB_TYPE_MODULE_2: {
      const moduleId = readLengthBig(w);
      const payloadStart = w.pos;
      p.skipModuleItems();
      const { name, version } = decodeModuleId(moduleId);
      value = { kind: 'module', module: { moduleId, moduleName: name, moduleVersion: version, payload: w.buf.subarray(payloadStart, w.pos) } };
      break;
    }
    case RDB_TYPE_MODULE_PRE_GA: {
      const moduleId = readLengthBig(w);
      const { name, version } = decodeModuleId(moduleId);
      throw new FormatError('MODULE_UNSUPPORTED', valueAt, `module value of type ${JSON.stringify(name)} (encver ${version}) is in the 4.0-rc format (type 6), which cannot be read without the module`);
    }
    default:
      throw new FormatError('RDB_UNKNOWN_TYPE', start, `type ${t} is not handled`);
  }
  // The unit is complete: commit the per-key state.
  p.resetKeyPrefix();
  if (coll !== undefined) {
    coll.partStart = recordStart;
    if (coll.remaining === 0) {
      if (coll.kind !== 'stream') {
        checkNotEmpty(p, 0, recordStart, ctx.encoding);
        return p.keyEvent(ctx, recordStart, w.position, emptyValue(p, coll.kind), undefined);
      }
      coll.streamMetaNext = true; // an empty stream may have no nodes at all
    }
    p.ctx = ctx;
    p.coll = coll;
    return undefined;
  }
  p.currentKey = undefined;
  return p.keyEvent(ctx, recordStart, w.position, value!, undefined);
}


/** The state for reading a collection of `remaining` elements (or nodes). */
export function newCollection(p: RdbParser, kind: CollectionKind, rdbType: number, remaining: number): Collection {
  const dupWhat = kind === 'set' ? 'set member' : kind === 'zset' ? 'zset member' : kind === 'hash' ? 'hash field' : '';
  return {
    kind,
    rdbType,
    remaining,
    streamMetaNext: false,
    minExpire: 0,
    items: [],
    partIndex: 0,
    partStart: 0,
    dup: p.deep && dupWhat !== '' ? new DuplicateTracker(dupWhat) : undefined,
    lastNodeId: null,
    firstLiveId: null,
  };
}

/** An empty value of a collection kind. */
export function emptyValue(p: RdbParser, kind: CollectionKind): RdbValue {
  switch (kind) {
    case 'list': return { kind: 'list', elements: [] };
    case 'set': return { kind: 'set', members: [] };
    case 'zset': return { kind: 'zset', entries: [] };
    case 'hash': return { kind: 'hash', entries: [] };
    default: return { kind: 'stream', entries: [], meta: null };
  }
}


/** One element (or node) of a collection; emits the value when done, or a part when large. */
export function readCollectionUnit(p: RdbParser, c: Collection): RdbEvent | undefined {
  const w = p.w;
  p.phase = 'read-object-value';
  const at = w.position;
  if (c.kind === 'stream' && c.streamMetaNext) {
    const meta = readStreamMeta(w, c.rdbType, p.limits, p.maxElementCount, c.firstLiveId, p.deep);
    return finishCollection(p, c, { kind: 'stream', entries: c.items as StreamEntry[], meta });
  }
  switch (c.rdbType) {
    case RDB_TYPE_LIST: {
      const el = p.str();
      c.items.push(el);
      break;
    }
    case RDB_TYPE_SET: {
      const m = p.str();
      c.dup?.add(m, at);
      c.items.push(m);
      break;
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const member = p.str();
      const scoreAt = w.position;
      const score = c.rdbType === RDB_TYPE_ZSET ? readStringDouble(w) : w.readFloat64LE();
      if (Number.isNaN(score)) throw new FormatError('RDB_BAD_DOUBLE', scoreAt, 'NaN score');
      c.dup?.add(member, at);
      c.items.push({ member, score } satisfies ZsetEntry);
      break;
    }
    case RDB_TYPE_HASH: {
      const field = p.str();
      const value = p.str();
      c.dup?.add(field, at);
      c.items.push({ field, value, expireAt: null } satisfies HashEntry);
      break;
    }
    case RDB_TYPE_HASH_METADATA: {
      const ttlAt = w.position;
      const ttl = p.len();
      const field = p.str();
      const value = p.str();
      let expireAt: number | null = null;
      if (ttl !== 0) {
        expireAt = ttl + c.minExpire - 1;
        if (expireAt > 2 ** 48 - 1) throw new FormatError('RDB_BAD_EXPIRE', ttlAt, `field expire time ${expireAt} is above 2^48 - 1`);
      }
      c.dup?.add(field, at);
      c.items.push({ field, value, expireAt } satisfies HashEntry);
      break;
    }
    case RDB_TYPE_HASH_2: {
      let field: Uint8Array;
      let value: Uint8Array;
      let expireAt: number | null = null;
      if (p.dialect === 'valkey') {
        field = p.str();
        value = p.str();
        const ttlAt = w.position;
        const e = w.readBigInt64LE();
        if (e < -1n) throw new FormatError('RDB_BAD_EXPIRE', ttlAt, `field expire time ${e} is below -1`);
        expireAt = e === -1n ? null : Number(e);
      } else {
        const e = p.len();
        field = p.str();
        value = p.str();
        expireAt = e === 0 ? null : e;
      }
      c.dup?.add(field, at);
      c.items.push({ field, value, expireAt } satisfies HashEntry);
      break;
    }
    case RDB_TYPE_LIST_QUICKLIST: {
      const elements = p.blob(listFromZiplist);
      for (const el of elements) c.items.push(el);
      break;
    }
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const container = p.len();
      const dataAt = w.position;
      const blob = p.str();
      if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
        c.items.push(blob);
      } else if (container === QUICKLIST_NODE_CONTAINER_PACKED) {
        if (blob.length === 0) throw new FormatError('QUICKLIST_EMPTY_NODE', dataAt, 'packed node of 0 bytes');
        for (const el of p.decodeStringJustRead(blob, listFromListpack)) c.items.push(el);
      } else {
        throw new FormatError('QUICKLIST_BAD_CONTAINER', at, `node container ${container} is neither PLAIN (1) nor PACKED (2)`);
      }
      break;
    }
    default: {
      // Stream node: 16-byte master ID, then the node listpack.
      const nodeKey = p.str();
      const master = streamIdFromBytes(nodeKey, at);
      if (c.lastNodeId !== null && compareStreamIds(master, c.lastNodeId) <= 0) {
        throw new FormatError('STREAM_BAD_ID', at, `node key ${master.ms}-${master.seq} does not follow the previous node`);
      }
      const entries = p.blob((b, lpAt) => decodeStreamNode(master, b, lpAt));
      c.lastNodeId = master;
      if (c.firstLiveId === null && entries.length > 0) c.firstLiveId = entries[0]!.id;
      for (const e of entries) c.items.push(e);
    }
  }
  c.remaining--;
  if (c.remaining === 0) {
    if (c.kind === 'stream') {
      c.streamMetaNext = true;
      return undefined;
    }
    return finishCollection(p, c, valueOf(p, c));
  }
  if (w.position - c.partStart >= p.partBytes || c.items.length >= p.partElements) {
    const ev = p.keyEvent(p.ctx!, c.partStart, w.position, valueOf(p, c), { index: c.partIndex, last: false });
    c.partIndex++;
    c.partStart = w.position;
    c.items = [];
    c.dup = undefined; // duplicate tracking covers the first part only, so memory stays bounded
    return ev;
  }
  return undefined;
}

/** The value gathered so far (a whole collection, or the current part). */
export function valueOf(p: RdbParser, c: Collection): RdbValue {
  switch (c.kind) {
    case 'list': return { kind: 'list', elements: c.items as Uint8Array[] };
    case 'set': return { kind: 'set', members: c.items as Uint8Array[] };
    case 'zset': return { kind: 'zset', entries: c.items as ZsetEntry[] };
    case 'hash': return { kind: 'hash', entries: c.items as HashEntry[] };
    default: return { kind: 'stream', entries: c.items as StreamEntry[], meta: null };
  }
}

/**
 * A collection with no elements: Redis's loader skips such a key ("empty key", files from bug
 * #8453) and redis-check-rdb rejects the file, so deep validation rejects it too.
 */
export function checkNotEmpty(p: RdbParser, elements: number, at: number, encoding: string): void {
  if (elements === 0 && p.deep) {
    throw new FormatError('RDB_EMPTY_VALUE', at, `${encoding} value with no elements (Redis skips such keys; read with deep: false to see it)`);
  }
}

/** The key event for a collection's last element: the whole value, or its last part. */
export function finishCollection(p: RdbParser, c: Collection, value: RdbValue): RdbKeyEvent {
  if (c.kind !== 'stream' && c.partIndex === 0) checkNotEmpty(p, c.items.length, c.partStart, p.ctx!.encoding);
  const part = c.partIndex > 0 ? { index: c.partIndex, last: true } : undefined;
  const ev = p.keyEvent(p.ctx!, c.partStart, p.w.position, value, part);
  p.coll = undefined;
  p.ctx = undefined;
  p.currentKey = undefined;
  return ev;
}
