// Load readRdb events into a keyspace: keys (parts of large keys concatenated), TTLs, function
// libraries. Already-expired keys are kept by default, as Redis keeps them when it loads an AOF
// preamble or base (redis/src/rdb.c rdbLoadRioWithLoadingCtx, RDBFLAGS_AOF_PREAMBLE); a plain
// RDB loaded by a master drops them, which `dropExpiredBefore` reproduces.

import { bytesToLatin1 } from './byte-string.js';
import { streamIdKey } from './stream-id.js';
import { SCG_INVALID_ENTRIES_READ } from './stream-value.js';
import { HashValue, ListValue, ModuleValueHolder, SetValue, StreamValue, ZsetValue } from './values.js';
import { parseLibraryMetadata } from './commands/functions.js';

import type { RdbEvent, RdbKeyEvent, RdbValue, StreamId, StreamMeta } from '@redis-forensics/rdb';
import type { Keyspace } from './keyspace.js';
import type { RedisValue } from './values.js';

const idKey = (id: StreamId): string => streamIdKey(id.ms, id.seq);

/** Apply stream metadata (last ID, counters, groups) read from an RDB to a stream value. */
function applyStreamMeta(s: StreamValue, meta: StreamMeta): void {
  s.lastId = idKey(meta.lastId);
  s.firstId = idKey(meta.firstId);
  s.maxDeletedId = idKey(meta.maxDeletedId);
  s.entriesAdded = meta.entriesAdded;
  if (meta.groups.length === 0) return;
  s.groups = new Map();
  for (const g of meta.groups) {
    const pel = new Map<string, { deliveryTime: number; deliveryCount: number; consumer: string | null }>();
    for (const p of g.pending) {
      pel.set(idKey(p.id), {
        deliveryTime: p.deliveryTime,
        deliveryCount: p.deliveryCount,
        consumer: p.consumer === null ? null : bytesToLatin1(p.consumer),
      });
    }
    const consumers = new Map<string, { seenTime: number; activeTime: number; pel: Set<string> }>();
    for (const c of g.consumers) {
      consumers.set(bytesToLatin1(c.name), {
        seenTime: c.seenTime,
        activeTime: c.activeTime ?? -1,
        pel: new Set(c.pending.map(idKey)),
      });
    }
    s.groups.set(bytesToLatin1(g.name), {
      lastId: idKey(g.lastId),
      entriesRead: g.entriesRead ?? SCG_INVALID_ENTRIES_READ,
      pel,
      consumers,
    });
  }
}

/** Add the elements of an RDB value (one part of a key) to `into`, or build a new value. */
export function mergeRdbValue(ks: Keyspace, into: RedisValue | undefined, value: RdbValue, encoding: string): RedisValue {
  switch (value.kind) {
    case 'string':
      return bytesToLatin1(value.value);
    case 'list': {
      const l = (into as ListValue | undefined) ?? new ListValue();
      for (const e of value.elements) l.pushTail(bytesToLatin1(e));
      return l;
    }
    case 'set': {
      const s = (into as SetValue | undefined) ?? new SetValue();
      for (const m of value.members) s.set.add(bytesToLatin1(m));
      return s;
    }
    case 'zset': {
      const z = (into as ZsetValue | undefined) ?? new ZsetValue();
      if (into === undefined) z.listpack = encoding === 'zset-listpack' || encoding === 'zset-ziplist';
      for (const e of value.entries) z.set(bytesToLatin1(e.member), e.score);
      return z;
    }
    case 'hash': {
      const h = (into as HashValue | undefined) ?? new HashValue();
      for (const e of value.entries) {
        const f = bytesToLatin1(e.field);
        h.map.set(f, bytesToLatin1(e.value));
        if (e.expireAt !== null) h.setFieldExpire(f, e.expireAt);
      }
      return h;
    }
    case 'stream': {
      let s = into as StreamValue | undefined;
      if (s === undefined) {
        s = new StreamValue();
        s.nodeMaxBytes = ks.streamNodeMaxBytes;
        s.nodeMaxEntries = ks.streamNodeMaxEntries;
      }
      for (const e of value.entries) s.append(idKey(e.id), e.fields.map(bytesToLatin1));
      if (value.meta !== null) applyStreamMeta(s, value.meta);
      return s;
    }
    case 'module':
      return new ModuleValueHolder(value.module.moduleId, value.module.moduleName, value.module.moduleVersion, value.module.payload.slice());
  }
}

/** Options of {@link loadRdbIntoKeyspace}. */
export interface LoadRdbOptions {
  /**
   * Drop keys whose expire time is before this ms time, as a master loading a plain RDB does.
   * Defaults to none: keep every key (AOF preamble / base semantics).
   */
  dropExpiredBefore?: number;
}

/** What {@link loadRdbIntoKeyspace} loaded. */
export interface LoadRdbResult {
  keys: number;
  functions: number;
  /** Keys dropped because they were expired. */
  expired: number;
}

/**
 * Load RDB events (from readRdb / openRdb, or the `rdb` events of an AOF) into the keyspace.
 * Keys replace existing ones of the same name; parts of a large key are merged.
 * @throws RangeError when a SELECTDB names a db beyond the keyspace's `databases`
 * @see redis/src/rdb.c rdbLoadRioWithLoadingCtx
 */
export async function loadRdbIntoKeyspace(
  ks: Keyspace,
  events: AsyncIterable<RdbEvent> | Iterable<RdbEvent>,
  options: LoadRdbOptions = {},
): Promise<LoadRdbResult> {
  const result: LoadRdbResult = { keys: 0, functions: 0, expired: 0 };
  for await (const ev of events) loadRdbEvent(ks, ev, options, result);
  return result;
}

/** Apply one RDB event (see {@link loadRdbIntoKeyspace}). */
export function loadRdbEvent(ks: Keyspace, ev: RdbEvent, options: LoadRdbOptions, result: LoadRdbResult): void {
  if (ev.type === 'function') {
    const code = bytesToLatin1(ev.code);
    let name = ev.libraryName ?? '';
    try {
      name = parseLibraryMetadata(code).name;
    } catch {
      // keep the name the reader parsed
    }
    ks.functions.set(name, { name, engine: 'LUA', code });
    result.functions++;
    return;
  }
  if (ev.type !== 'key') return;
  loadKeyEvent(ks, ev, options, result);
}

function loadKeyEvent(ks: Keyspace, ev: RdbKeyEvent, options: LoadRdbOptions, result: LoadRdbResult): void {
  const db = ks.db(ev.db);
  const key = bytesToLatin1(ev.key);
  const first = ev.part === undefined || ev.part.index === 0;
  if (first && options.dropExpiredBefore !== undefined && ev.expireAt !== null && ev.expireAt < options.dropExpiredBefore) {
    if (ev.part === undefined || ev.part.last) result.expired++;
    return;
  }
  if (!first && !db.dict.has(key)) return;
  const prev = first ? undefined : db.dict.get(key);
  db.dict.set(key, mergeRdbValue(ks, prev, ev.value, ev.encoding));
  if (first) {
    if (ev.expireAt !== null) db.expires.set(key, ev.expireAt);
    else db.expires.delete(key);
    result.keys++;
  }
}
