// What a live redis-server holds, read with binary-safe commands: the golden side of the
// write -> SAVE -> readRdb integration tests and of the generated fixtures (STYLE.md 9.3, 9.5).

import type { Redis } from 'ioredis';

/** A stream PEL entry as `XINFO STREAM key FULL` reports it in a group. */
export interface ServerPendingEntry {
  id: string;
  consumer: Buffer;
  deliveryTime: number;
  deliveryCount: number;
}

/** A consumer as `XINFO STREAM key FULL` reports it. */
export interface ServerStreamConsumer {
  name: Buffer;
  seenTime: number;
  /** `active-time` (7.2+), else null. */
  activeTime: number | null;
  pelCount: number;
  pending: { id: string; deliveryTime: number; deliveryCount: number }[];
}

/** A consumer group as `XINFO STREAM key FULL` reports it. */
export interface ServerStreamGroup {
  name: Buffer;
  lastDeliveredId: string;
  /** `entries-read`, null when the server does not know it (7.0+). */
  entriesRead: number | null;
  lag: number | null;
  pelCount: number;
  pending: ServerPendingEntry[];
  consumers: ServerStreamConsumer[];
}

/** `XINFO STREAM key FULL COUNT 0`, parsed, plus the raw reply for the oracle files. */
export interface ServerStreamInfo {
  length: number;
  lastGeneratedId: string;
  maxDeletedEntryId: string | null;
  entriesAdded: number | null;
  recordedFirstEntryId: string | null;
  groups: ServerStreamGroup[];
  /** The reply as returned (RESP2 flat key/value arrays, bulk strings as Buffers). */
  raw: unknown[];
}

/** A value as the server reports it. Sets and hashes are sorted by bytes, zsets in ZRANGE order. */
export type ServerValue =
  | { type: 'string'; value: Buffer }
  | { type: 'list'; elements: Buffer[] }
  | { type: 'set'; members: Buffer[] }
  | { type: 'zset'; entries: { member: Buffer; score: number; scoreText: string }[] }
  | { type: 'hash'; entries: { field: Buffer; value: Buffer }[] }
  | { type: 'stream'; entries: { id: string; fields: Buffer[] }[]; info: ServerStreamInfo };

/** One key as the server reports it. */
export interface ServerKey {
  db: number;
  key: Buffer;
  /** `TYPE`. */
  type: string;
  /** `OBJECT ENCODING`. */
  encoding: string;
  /** `PEXPIRETIME` (7.0+), or null for no TTL. */
  expireAt: number | null;
  value: ServerValue;
  /** `DEBUG DIGEST-VALUE`, when asked for. */
  digestValue?: string;
  /** `OBJECT FREQ` under an LFU policy, when asked for. */
  lfuFreq?: number;
  /** `OBJECT IDLETIME` under any other policy, when asked for. */
  idleSeconds?: number;
}

/** A function library as `FUNCTION LIST WITHCODE` reports it. */
export interface ServerFunctionLibrary {
  libraryName: string;
  engine: string;
  functions: { name: string; description: string | null; flags: string[] }[];
  libraryCode: Buffer;
}

/** Everything {@link readServerView} reads. */
export interface ServerView {
  /** `redis_version` from INFO server. */
  version: string;
  /** Every key of every db, sorted by db then key bytes. */
  keys: ServerKey[];
  /** Function libraries (7.0+), sorted by name. */
  functions: ServerFunctionLibrary[];
}

/** Options of {@link readServerView}. */
export interface ReadServerViewOptions {
  /** Read `DEBUG DIGEST-VALUE` per key (needs DEBUG enabled). Defaults to false. */
  digest?: boolean;
  /**
   * Read `OBJECT FREQ` (LFU policies) or `OBJECT IDLETIME` (others) per key, in a first pass
   * before any value is read, since reading a value touches the key. Defaults to false.
   */
  evictionInfo?: boolean;
  /** Keys per pipeline. Defaults to 200. */
  batchSize?: number;
}

const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

/** Read a RESP2 flat `[k1, v1, k2, v2, ...]` reply into a Map keyed by text. */
function pairsOf(reply: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  const arr = reply as unknown[];
  for (let i = 0; i + 1 < arr.length; i += 2) m.set(text(arr[i]), arr[i + 1]);
  return m;
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const idOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));

/**
 * Parse a ZRANGE WITHSCORES score as the server prints it (`inf`, `-inf`, `%.17g` or shortest).
 * JavaScript's `Number` does not know `inf`.
 */
export function parseServerScore(s: string): number {
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return Number(s);
}

/**
 * Parse `XINFO STREAM key FULL COUNT 0` (as returned by ioredis `callBuffer`).
 * @see redis/src/t_stream.c xinfoReplyWithStreamInfo
 */
export function parseStreamInfoFull(raw: unknown[]): ServerStreamInfo {
  const m = pairsOf(raw);
  const groups = ((m.get('groups') as unknown[] | undefined) ?? []).map((g): ServerStreamGroup => {
    const gm = pairsOf(g);
    return {
      name: gm.get('name') as Buffer,
      lastDeliveredId: text(gm.get('last-delivered-id')),
      entriesRead: numOrNull(gm.get('entries-read')),
      lag: numOrNull(gm.get('lag')),
      pelCount: Number(gm.get('pel-count')),
      pending: ((gm.get('pending') as unknown[][] | undefined) ?? []).map((p) => ({
        id: text(p[0]),
        consumer: p[1] as Buffer,
        deliveryTime: Number(p[2]),
        deliveryCount: Number(p[3]),
      })),
      consumers: ((gm.get('consumers') as unknown[] | undefined) ?? []).map((c) => {
        const cm = pairsOf(c);
        return {
          name: cm.get('name') as Buffer,
          seenTime: Number(cm.get('seen-time')),
          activeTime: numOrNull(cm.get('active-time')),
          pelCount: Number(cm.get('pel-count')),
          pending: ((cm.get('pending') as unknown[][] | undefined) ?? []).map((p) => ({
            id: text(p[0]),
            deliveryTime: Number(p[1]),
            deliveryCount: Number(p[2]),
          })),
        };
      }),
    };
  });
  return {
    length: Number(m.get('length')),
    lastGeneratedId: text(m.get('last-generated-id')),
    maxDeletedEntryId: idOrNull(m.get('max-deleted-entry-id')),
    entriesAdded: numOrNull(m.get('entries-added')),
    recordedFirstEntryId: idOrNull(m.get('recorded-first-entry-id')),
    groups,
    raw,
  };
}

/** Pipeline the commands and return replies, failing on the first error. */
async function pipe(client: Redis, commands: (string | number | Buffer)[][]): Promise<unknown[]> {
  if (commands.length === 0) return [];
  const p = client.pipeline();
  for (const [name, ...args] of commands) p.callBuffer(String(name), ...args);
  const results = (await p.exec()) ?? [];
  return results.map(([err, reply], i) => {
    if (err !== null) throw new Error(`${String(commands[i]![0])} failed: ${err.message}`);
    return reply;
  });
}

/** Every key of the selected db, via SCAN (deduplicated). */
async function scanKeys(client: Redis): Promise<Buffer[]> {
  const seen = new Map<string, Buffer>();
  let cursor = '0';
  do {
    const [next, keys] = (await client.callBuffer('SCAN', cursor, 'COUNT', 1000)) as [Buffer, Buffer[]];
    cursor = next.toString();
    for (const k of keys) seen.set(k.toString('latin1'), k);
  } while (cursor !== '0');
  return [...seen.values()];
}

function valueCommands(type: string, key: Buffer): (string | number | Buffer)[][] {
  switch (type) {
    case 'string': return [['GET', key]];
    case 'list': return [['LRANGE', key, 0, -1]];
    case 'set': return [['SMEMBERS', key]];
    case 'zset': return [['ZRANGE', key, 0, -1, 'WITHSCORES']];
    case 'hash': return [['HGETALL', key]];
    case 'stream': return [['XRANGE', key, '-', '+'], ['XINFO', 'STREAM', key, 'FULL', 'COUNT', 0]];
    default: throw new Error(`readServerView: keys of type ${type} are not supported`);
  }
}

function toValue(type: string, replies: unknown[]): ServerValue {
  switch (type) {
    case 'string':
      return { type: 'string', value: replies[0] as Buffer };
    case 'list':
      return { type: 'list', elements: replies[0] as Buffer[] };
    case 'set':
      return { type: 'set', members: [...(replies[0] as Buffer[])].sort(Buffer.compare) };
    case 'zset': {
      const flat = replies[0] as Buffer[];
      const entries = [];
      for (let i = 0; i < flat.length; i += 2) {
        const scoreText = flat[i + 1]!.toString('latin1');
        entries.push({ member: flat[i]!, score: parseServerScore(scoreText), scoreText });
      }
      return { type: 'zset', entries };
    }
    case 'hash': {
      const flat = replies[0] as Buffer[];
      const entries = [];
      for (let i = 0; i < flat.length; i += 2) entries.push({ field: flat[i]!, value: flat[i + 1]! });
      entries.sort((x, y) => Buffer.compare(x.field, y.field));
      return { type: 'hash', entries };
    }
    default: {
      const entries = (replies[0] as [Buffer, Buffer[]][]).map(([id, fields]) => ({ id: id.toString('latin1'), fields }));
      return { type: 'stream', entries, info: parseStreamInfoFull(replies[1] as unknown[]) };
    }
  }
}

/**
 * Read every key of every db the way the server reports it: TYPE, OBJECT ENCODING, PEXPIRETIME
 * and the value through binary-safe commands (GET, LRANGE, SMEMBERS, ZRANGE WITHSCORES, HGETALL,
 * XRANGE plus XINFO STREAM FULL COUNT 0), and the function libraries (FUNCTION LIST WITHCODE).
 * Leaves db 0 selected. Reading values touches keys (LRU/LFU); ask for `evictionInfo` to read
 * OBJECT FREQ / IDLETIME first.
 * @see redis/src/object.c objectCommand, redis/src/t_stream.c xinfoCommand
 */
export async function readServerView(client: Redis, options: ReadServerViewOptions = {}): Promise<ServerView> {
  const batchSize = options.batchSize ?? 200;
  const info = ((await client.callBuffer('INFO', 'server')) as Buffer).toString('utf8');
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  const dbCount = Number(((await client.callBuffer('CONFIG', 'GET', 'databases')) as Buffer[])[1]!.toString());
  const policy = ((await client.callBuffer('CONFIG', 'GET', 'maxmemory-policy')) as Buffer[])[1]!.toString();
  const lfu = policy.includes('lfu');
  const keys: ServerKey[] = [];
  for (let db = 0; db < dbCount; db++) {
    await client.callBuffer('SELECT', db);
    const names = (await scanKeys(client)).sort(Buffer.compare);
    const eviction = new Map<Buffer, number>();
    if (options.evictionInfo === true) {
      for (let i = 0; i < names.length; i += batchSize) {
        const batch = names.slice(i, i + batchSize);
        const replies = await pipe(client, batch.map((k) => ['OBJECT', lfu ? 'FREQ' : 'IDLETIME', k]));
        batch.forEach((k, j) => eviction.set(k, Number(replies[j])));
      }
    }
    for (let i = 0; i < names.length; i += batchSize) {
      const batch = names.slice(i, i + batchSize);
      const head = await pipe(client, batch.flatMap((k) => [['TYPE', k], ['OBJECT', 'ENCODING', k], ['PEXPIRETIME', k]]));
      const types = batch.map((_, j) => (head[3 * j] as Buffer).toString());
      const valueCmds: (string | number | Buffer)[][] = [];
      const spans: [number, number][] = [];
      batch.forEach((k, j) => {
        const cmds = valueCommands(types[j]!, k);
        if (options.digest === true) cmds.push(['DEBUG', 'DIGEST-VALUE', k]);
        spans.push([valueCmds.length, cmds.length]);
        valueCmds.push(...cmds);
      });
      const replies = await pipe(client, valueCmds);
      batch.forEach((k, j) => {
        const [start, n] = spans[j]!;
        const mine = replies.slice(start, start + n);
        const pexpire = Number(head[3 * j + 2]);
        const entry: ServerKey = {
          db,
          key: k,
          type: types[j]!,
          encoding: (head[3 * j + 1] as Buffer).toString(),
          expireAt: pexpire < 0 ? null : pexpire,
          value: toValue(types[j]!, mine),
        };
        if (options.digest === true) {
          const d = mine[n - 1];
          entry.digestValue = (Array.isArray(d) ? (d[0] as Buffer) : (d as Buffer)).toString();
        }
        const ev = eviction.get(k);
        if (ev !== undefined) {
          if (lfu) entry.lfuFreq = ev;
          else entry.idleSeconds = ev;
        }
        keys.push(entry);
      });
    }
  }
  await client.callBuffer('SELECT', 0);
  return { version, keys, functions: await readFunctions(client) };
}

/** `FUNCTION LIST WITHCODE`, sorted by library name; empty before 7.0. */
async function readFunctions(client: Redis): Promise<ServerFunctionLibrary[]> {
  let reply: unknown[];
  try {
    reply = (await client.callBuffer('FUNCTION', 'LIST', 'WITHCODE')) as unknown[];
  } catch {
    return [];
  }
  return reply
    .map((lib) => {
      const m = pairsOf(lib);
      return {
        libraryName: text(m.get('library_name')),
        engine: text(m.get('engine')),
        functions: ((m.get('functions') as unknown[] | undefined) ?? []).map((f) => {
          const fm = pairsOf(f);
          const d = fm.get('description');
          return {
            name: text(fm.get('name')),
            description: d === null || d === undefined ? null : text(d),
            flags: ((fm.get('flags') as unknown[] | undefined) ?? []).map(text).sort(),
          };
        }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
        libraryCode: m.get('library_code') as Buffer,
      };
    })
    .sort((x, y) => (x.libraryName < y.libraryName ? -1 : x.libraryName > y.libraryName ? 1 : 0));
}
