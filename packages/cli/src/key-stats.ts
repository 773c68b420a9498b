// Per-database key statistics gathered from a stream of key events: counts by type and encoding,
// TTLs, serialized bytes, and the biggest keys. Keys that arrive in parts are merged here, so
// callers feed every key event as it comes.

import type { RdbKeyEvent, RdbValue, RedisType } from '@redis-forensics/rdb';

/** Keys and serialized bytes of one type or encoding. */
export interface Tally {
  keys: number;
  /** Serialized size in the file, in bytes (sum of `end - offset` over the key's parts). */
  bytes: number;
}

/** Statistics of one database. */
export interface DbStats {
  db: number;
  keys: number;
  /** Keys with a TTL (an expire time), whether or not it has passed. */
  expires: number;
  /** Keys whose expire time is at or before the time of the run. */
  alreadyExpired: number;
  /** Serialized bytes of all its keys. */
  bytes: number;
  /** By `TYPE` (string, list, set, zset, hash, stream, module). */
  byType: Record<string, Tally>;
  /** By encoding label (Redis's rdb_type_string: 'hash-listpack', 'quicklist-v2', ...). */
  byEncoding: Record<string, Tally>;
}

/** One key's size, as listed among the biggest keys. */
export interface KeySize {
  db: number;
  key: Uint8Array;
  type: RedisType;
  encoding: string;
  /** Serialized size in bytes. */
  bytes: number;
  /** Elements of a collection (list/set/zset entries, hash fields, live stream entries); null for strings and module values. */
  elements: number | null;
  expireAt: number | null;
}

/** Options of {@link KeyStats}. */
export interface KeyStatsOptions {
  /** Time of the run in Unix ms: keys expiring at or before it count as already expired. */
  now: number;
  /** How many of the biggest keys to keep per ranking. Defaults to 10. */
  topCount?: number;
}

/** Elements held by one key event's value (one part of it, for keys in parts). */
function elementCount(value: RdbValue): number | null {
  switch (value.kind) {
    case 'list':
      return value.elements.length;
    case 'set':
      return value.members.length;
    case 'zset':
    case 'hash':
      return value.entries.length;
    case 'stream':
      return value.entries.length;
    default:
      return null;
  }
}

/** The `count` largest items by `score`, kept sorted (largest first); ties keep arrival order. */
class TopList {
  readonly items: KeySize[] = [];
  private readonly count: number;
  private readonly score: (item: KeySize) => number;

  constructor(count: number, score: (item: KeySize) => number) {
    this.count = count;
    this.score = score;
  }

  offer(item: KeySize): void {
    if (this.count === 0) return;
    const s = this.score(item);
    const items = this.items;
    if (items.length === this.count && s <= this.score(items[items.length - 1]!)) return;
    let i = items.length;
    while (i > 0 && this.score(items[i - 1]!) < s) i--;
    // Only kept keys are copied: the reader's key bytes may be views into its buffers (a Buffer
    // view's slice() would not copy).
    items.splice(i, 0, { ...item, key: new Uint8Array(item.key) });
    if (items.length > this.count) items.pop();
  }
}

/**
 * Accumulates key statistics from `key` events (see {@link RdbKeyEvent}); memory stays bounded
 * by the number of databases, encodings and `topCount`, whatever the file size.
 */
export class KeyStats {
  private readonly now: number;
  private readonly dbMap = new Map<number, DbStats>();
  private readonly bySize: TopList;
  private readonly byElements: TopList;
  /** The key being merged from parts. */
  private current: { bytes: number; elements: number | null } | undefined;

  /** @param options time of the run and ranking length, see {@link KeyStatsOptions} */
  constructor(options: KeyStatsOptions) {
    this.now = options.now;
    const topCount = options.topCount ?? 10;
    this.bySize = new TopList(topCount, (k) => k.bytes);
    this.byElements = new TopList(topCount, (k) => k.elements ?? -1);
  }

  /**
   * Feed one key event. Parts of a key must arrive in order, as the reader yields them; the key
   * is counted when its last part (or its only event) arrives.
   * @param ev a key event from readRdb
   */
  add(ev: RdbKeyEvent): void {
    const first = ev.part === undefined || ev.part.index === 0;
    const last = ev.part === undefined || ev.part.last;
    if (first || this.current === undefined) this.current = { bytes: 0, elements: null };
    const cur = this.current;
    cur.bytes += ev.end - ev.offset;
    const n = elementCount(ev.value);
    if (n !== null) cur.elements = (cur.elements ?? 0) + n;
    if (!last) return;
    this.current = undefined;
    // A stream's length (live entries) is stored in its metadata, which only the last part has.
    if (ev.value.kind === 'stream' && ev.value.meta !== null) cur.elements = ev.value.meta.length;
    this.count(ev, cur.bytes, cur.elements);
  }

  private count(ev: RdbKeyEvent, bytes: number, elements: number | null): void {
    const db = this.dbStats(ev.db);
    db.keys++;
    db.bytes += bytes;
    if (ev.expireAt !== null) {
      db.expires++;
      if (ev.expireAt <= this.now) db.alreadyExpired++;
    }
    const t = (db.byType[ev.redisType] ??= { keys: 0, bytes: 0 });
    t.keys++;
    t.bytes += bytes;
    const e = (db.byEncoding[ev.encoding] ??= { keys: 0, bytes: 0 });
    e.keys++;
    e.bytes += bytes;
    const size: KeySize = {
      db: ev.db,
      key: ev.key,
      type: ev.redisType,
      encoding: ev.encoding,
      bytes,
      elements,
      expireAt: ev.expireAt,
    };
    this.bySize.offer(size);
    if (elements !== null) this.byElements.offer(size);
  }

  private dbStats(db: number): DbStats {
    let stats = this.dbMap.get(db);
    if (stats === undefined) {
      stats = { db, keys: 0, expires: 0, alreadyExpired: 0, bytes: 0, byType: {}, byEncoding: {} };
      this.dbMap.set(db, stats);
    }
    return stats;
  }

  /** @returns statistics per database, in ascending database order */
  databases(): DbStats[] {
    return [...this.dbMap.values()].sort((a, b) => a.db - b.db);
  }

  /** @returns the sums over all databases (`db` is -1) */
  totals(): DbStats {
    const total: DbStats = { db: -1, keys: 0, expires: 0, alreadyExpired: 0, bytes: 0, byType: {}, byEncoding: {} };
    for (const db of this.dbMap.values()) {
      total.keys += db.keys;
      total.expires += db.expires;
      total.alreadyExpired += db.alreadyExpired;
      total.bytes += db.bytes;
      for (const [name, t] of Object.entries(db.byType)) addTally(total.byType, name, t);
      for (const [name, t] of Object.entries(db.byEncoding)) addTally(total.byEncoding, name, t);
    }
    return total;
  }

  /** @returns the biggest keys by serialized size, largest first */
  biggestBySize(): KeySize[] {
    return [...this.bySize.items];
  }

  /** @returns the collections with the most elements, largest first (strings and modules excluded) */
  biggestByElements(): KeySize[] {
    return [...this.byElements.items];
  }
}

function addTally(into: Record<string, Tally>, name: string, t: Tally): void {
  const acc = (into[name] ??= { keys: 0, bytes: 0 });
  acc.keys += t.keys;
  acc.bytes += t.bytes;
}
