// The dataset: numbered databases, each a dict of keys (latin1 strings) to typed values plus an
// expires dict (absolute ms), like redisDb's `dict` and `expires`; the function libraries; and
// the state of the client that replays commands (selected db, queued MULTI).
// Source of truth: redis/src/server.h redisDb, redis/src/db.c.

import { bytesToLatin1, latin1ToBytes } from './byte-string.js';
import { STREAM_NODE_MAX_BYTES, STREAM_NODE_MAX_ENTRIES } from './stream-value.js';

import type { RedisValue } from './values.js';

/** A function library (FUNCTION LOAD). */
export interface FunctionLibrary {
  /** Library name from the shebang `name=` (latin1). */
  name: string;
  /** Engine from the shebang (`lua`). */
  engine: string;
  /** The library code, latin1 (one char per byte). */
  code: string;
}

/** One database: keys and their expire times. */
export class RedisDb {
  /** The db number (SELECT index). */
  readonly id: number;
  /** Key (latin1) -> value. */
  dict: Map<string, RedisValue> = new Map();
  /** Key (latin1) -> absolute expire time in ms, only for keys with a TTL. */
  expires: Map<string, number> = new Map();

  constructor(id: number) {
    this.id = id;
  }

  /** DBSIZE. */
  get size(): number {
    return this.dict.size;
  }

  /** Remove a key and its TTL (dbDelete); returns whether it existed. */
  delete(key: string): boolean {
    if (!this.dict.delete(key)) return false;
    this.expires.delete(key);
    return true;
  }

  /** Remove every key (emptyDb for this db); returns how many there were. */
  clear(): number {
    const n = this.dict.size;
    this.dict = new Map();
    this.expires = new Map();
    return n;
  }
}

/** Options of {@link Keyspace}. */
export interface KeyspaceOptions {
  /** Number of databases (config `databases`). Defaults to 16. */
  databases?: number;
  /** stream-node-max-bytes, for `~` trimming. Defaults to 4096. */
  streamNodeMaxBytes?: number;
  /** stream-node-max-entries, for `~` trimming. Defaults to 100. */
  streamNodeMaxEntries?: number;
}

/** A key as seen from outside: bytes, value and expire time. */
export interface KeyspaceEntry {
  db: number;
  key: Uint8Array;
  value: RedisValue;
  /** Absolute expire time in ms, or null. */
  expireAt: number | null;
}

/**
 * An in-memory Redis dataset. Keys, members and fields are bytes, held as latin1 strings (one
 * char per byte) in Maps; see `values.ts` for the value shapes.
 */
export class Keyspace {
  /** Number of databases. */
  readonly databases: number;
  /** The databases, index = db number. */
  readonly dbs: RedisDb[];
  /** Function libraries by name (latin1). */
  readonly functions: Map<string, FunctionLibrary> = new Map();
  /** The replaying client's selected db. */
  selectedDb = 0;
  /** Commands queued since MULTI (latin1 argv), or null outside a transaction. */
  multiQueue: string[][] | null = null;
  /** Set when a queued command was rejected (live mode): EXEC then aborts. */
  multiDirty = false;
  readonly streamNodeMaxBytes: number;
  readonly streamNodeMaxEntries: number;

  constructor(options: KeyspaceOptions = {}) {
    this.databases = options.databases ?? 16;
    this.dbs = [];
    for (let i = 0; i < this.databases; i++) this.dbs.push(new RedisDb(i));
    this.streamNodeMaxBytes = options.streamNodeMaxBytes ?? STREAM_NODE_MAX_BYTES;
    this.streamNodeMaxEntries = options.streamNodeMaxEntries ?? STREAM_NODE_MAX_ENTRIES;
  }

  /** The db with this number. @throws RangeError when out of range */
  db(index: number): RedisDb {
    const db = this.dbs[index];
    if (db === undefined) throw new RangeError(`db ${index} is out of range (databases ${this.databases})`);
    return db;
  }

  /** A key's value and expire time, or undefined. No expiry is applied. */
  get(db: number, key: Uint8Array): KeyspaceEntry | undefined {
    const k = bytesToLatin1(key);
    const d = this.db(db);
    const value = d.dict.get(k);
    if (value === undefined) return undefined;
    return { db, key, value, expireAt: d.expires.get(k) ?? null };
  }

  /** Every key of every db (db order, then insertion order within a db). */
  *entries(): IterableIterator<KeyspaceEntry> {
    for (const d of this.dbs) {
      for (const [k, value] of d.dict) {
        yield { db: d.id, key: latin1ToBytes(k), value, expireAt: d.expires.get(k) ?? null };
      }
    }
  }

  /** Total number of keys. */
  get size(): number {
    let n = 0;
    for (const d of this.dbs) n += d.dict.size;
    return n;
  }

  /** Reset the replaying client: db 0, no transaction (a new AOF file starts this way). */
  resetClient(): void {
    this.selectedDb = 0;
    this.multiQueue = null;
    this.multiDirty = false;
  }

  /** Delete every key whose expire time is <= `now` (an active-expire pass); returns how many. */
  expireAll(now: number): number {
    let n = 0;
    for (const d of this.dbs) {
      for (const [k, at] of d.expires) {
        if (at <= now) {
          d.delete(k);
          n++;
        }
      }
    }
    return n;
  }
}
