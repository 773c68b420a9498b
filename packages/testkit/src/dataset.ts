// Datasets written into a real redis-server through ordinary commands, so that the RDB the server
// saves is the oracle's file: the full dataset (every type and encoding Redis 7.0 can produce,
// modelled on the corpus `rdb-full` case) and random datasets driven by fast-check.

import fc from 'fast-check';

import { seededRandom } from './feed.js';

import type { Redis } from 'ioredis';

/** One command: name and arguments, binary-safe. */
export type RedisCommand = readonly (string | number | Buffer)[];

/** Options of {@link writeFullDataset}. */
export interface FullDatasetOptions {
  /** Bulk keys written into db 1 (60% strings, 15% hashes, 10% lists, 8% intsets, 7% zsets). Defaults to 1000. */
  bulkKeys?: number;
  /** Seed of the deterministic random bytes and names. Defaults to 1. */
  seed?: number;
}

/** A value of a {@link KeySpec}: what the random dataset writes for one key. */
export type ValueSpec =
  | { type: 'string'; value: Uint8Array }
  | { type: 'list'; elements: Uint8Array[] }
  | { type: 'set'; members: Uint8Array[] }
  | { type: 'zset'; entries: { score: number; member: Uint8Array }[] }
  | { type: 'hash'; entries: { field: Uint8Array; value: Uint8Array }[] }
  | { type: 'stream'; entries: Uint8Array[][]; groups: DatasetStreamGroup[]; deletes: number[] };

/** A consumer group of a random stream: created at `0`, read by consumers, then some entries acked. */
export interface DatasetStreamGroup {
  name: string;
  /** XREADGROUP calls in order: consumer, COUNT, NOACK. */
  reads: { consumer: string; count: number; noack: boolean }[];
  /** XACK the entries with these indexes (acking an entry that is not pending is a no-op). */
  acks: number[];
}

/** A relative (`EXPIRE` seconds) or absolute (`PEXPIREAT` ms) TTL. */
export type TtlSpec = { kind: 'expire'; seconds: number } | { kind: 'pexpireat'; at: number };

/** One key of a random dataset. */
export interface KeySpec {
  db: number;
  key: Uint8Array;
  value: ValueSpec;
  ttl: TtlSpec | null;
}

/** A random dataset: its keys, and the quicklist packed threshold in force while writing (null: default). */
export interface DatasetSpec {
  keys: KeySpec[];
  /** When set, `DEBUG QUICKLIST-PACKED-THRESHOLD` is lowered to this so larger list elements become PLAIN nodes. */
  packedThreshold: number | null;
}

/** Options of {@link datasetSpecArb}. */
export interface DatasetSpecArbOptions {
  /** Most keys in one dataset. Defaults to 60. */
  maxKeys?: number;
  /** Highest db number used (from 0). Defaults to 3. */
  maxDb?: number;
}

/** The quicklist packed threshold Redis 7.0 starts with (1 GiB); DEBUG resets to it. */
export const QUICKLIST_DEFAULT_PACKED_THRESHOLD = 1 << 30;

const enc = new TextEncoder();
const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * Send commands in one pipeline, in order, and fail on the first error reply, naming the command.
 * @returns the replies (bulk strings as Buffers)
 */
export async function runCommands(client: Redis, commands: readonly RedisCommand[]): Promise<unknown[]> {
  const replies: unknown[] = [];
  const BATCH = 5000;
  for (let i = 0; i < commands.length; i += BATCH) {
    const slice = commands.slice(i, i + BATCH);
    const p = client.pipeline();
    for (const [name, ...args] of slice) p.callBuffer(String(name), ...args);
    const results = (await p.exec()) ?? [];
    results.forEach(([err, reply], j) => {
      if (err !== null) {
        const cmd = slice[j]!.map((a) => (Buffer.isBuffer(a) ? JSON.stringify(a.subarray(0, 40).toString('latin1')) : String(a))).slice(0, 6).join(' ');
        throw new Error(`command ${i + j} (${cmd}) failed: ${err.message}`);
      }
      replies.push(reply);
    });
  }
  return replies;
}

/** The two function libraries of the corpus `rdb-full` case, verbatim. */
export const FULL_DATASET_LIBRARIES: readonly string[] = [
  "#!lua name=corpuslib\nredis.register_function('corpus_get', function(keys, args) return redis.call('GET', keys[1]) end)\nredis.register_function{function_name='corpus_set', callback=function(keys, args) return redis.call('SET', keys[1], args[1]) end, description='sets a key'}\nredis.register_function{function_name='corpus_ro', callback=function(keys, args) return 1 end, flags={'no-writes'}}\n",
  "#!lua name=corpuslib2\nredis.register_function('corpus_two', function(keys, args) return 2 end)\n",
];

/** Integers covering every RDB/listpack/intset width: 0..12, int8, int16, int24, int32, int64 extremes. */
export const EDGE_INTEGERS: readonly string[] = [
  '0', '7', '12', '13', '-1', '100', '127', '-128', '128', '255', '1000', '-1000', '4095', '-4096',
  '32767', '-32768', '32768', '8388607', '-8388608', '8388608', '2147483647', '-2147483648',
  '2147483648', '9223372036854775807', '-9223372036854775808',
];

/** Texts that look numeric but must stay strings (not canonical integers). */
export const NON_INTEGERS: readonly string[] = ['007', '+5', ' 42', '1e3', '12345678901234567890', '-0', '0x10', '3.14'];

/** Absolute expire times far in the future (2100-01-01 + a few ms) so no key expires during a test. */
const Y2100_MS = 4102444800000;

/**
 * Write the full dataset through real commands, as the corpus generator's `rdb-full` case does
 * for Redis 7.0: int/embstr/raw/LZF strings, binary and empty key names, listpack and quicklist
 * lists including PLAIN nodes (via `DEBUG QUICKLIST-PACKED-THRESHOLD`), intset/hashtable sets,
 * listpack/skiplist zsets with inf/-inf/-0/denormal/fractional scores, listpack/hashtable hashes,
 * streams with groups, PELs, consumers, XCLAIM/XAUTOCLAIM, XSETID and ENTRIESREAD, TTLs, two
 * function libraries (FUNCTION LOAD) and an FCALL, in dbs 0, 1 and 15, plus bulk keys in db 1.
 * The server must allow DEBUG (our harness starts it with `enable-debug-command local`).
 * @returns a summary of what was written, one line per family (for fixture metadata)
 */
export async function writeFullDataset(client: Redis, options: FullDatasetOptions = {}): Promise<string[]> {
  const rnd = seededRandom(options.seed ?? 1);
  const bulkKeys = options.bulkKeys ?? 1000;
  const word = (n: number): string => {
    const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[Math.floor(rnd() * abc.length)];
    return s;
  };
  const randomBytes = (n: number): Buffer => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
    return out;
  };
  const c: RedisCommand[] = [];
  c.push(['SELECT', 0]);

  // Strings.
  c.push(['SET', 'str:short', 'hello world']);
  c.push(['SET', 'str:empty', '']);
  c.push(['SET', 'str:long_compressible', 'abcdefghij-0123456789-'.repeat(1000).slice(0, 21000)]);
  c.push(['SET', 'str:small_compressible', 'ab'.repeat(50)]);
  c.push(['SET', 'str:incompressible', randomBytes(2000)]);
  c.push(['SET', 'str:binary', Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
  c.push(['SET', 'str:utf8', 'héllo wörld ✓ 日本語 🚀']);
  c.push(['SET', 'str:raw45', 'r'.repeat(45)]); // one byte over OBJ_ENCODING_EMBSTR_SIZE_LIMIT
  c.push(['SET', 'str:embstr44', 'e'.repeat(44)]);
  for (const n of EDGE_INTEGERS) c.push(['SET', `int:${n}`, n]);
  NON_INTEGERS.forEach((v, i) => c.push(['SET', `nonint:${i}`, v]));
  c.push(['SET', 'str:counter', '1000000'], ['INCR', 'str:counter'], ['INCRBY', 'str:counter', 10], ['DECRBY', 'str:counter', 2]);
  c.push(['SET', 'str:float', '1.5'], ['INCRBYFLOAT', 'str:float', '2.25']);
  c.push(['SET', 'str:appended', 'start']);
  for (let i = 0; i < 5; i++) c.push(['APPEND', 'str:appended', `-part${i}`]);
  c.push(['SETRANGE', 'str:setrange', 10, 'tail']);
  c.push(['MSET', 'mset:a', '1', 'mset:b', 'two', 'mset:c', '3.0']);
  c.push(['SET', 'str:renamed_src', 'to be renamed'], ['RENAME', 'str:renamed_src', 'str:renamed_dst']);
  c.push(['SET', 'str:deleted', 'gone'], ['DEL', 'str:deleted']);
  c.push(['COPY', 'str:short', 'str:copied']);
  c.push(['SET', Buffer.from('key\0with\xffbinary\r\nname', 'latin1'), 'binary key']);
  c.push(['MULTI'], ['SET', 'tx:a', '1'], ['INCR', 'tx:b'], ['INCR', 'tx:b'], ['RPUSH', 'tx:l', 'x', 'y'], ['EXEC']);
  c.push(['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])", 2, 'lua:a', 'lua:b', 'from-lua']);

  // Lists (7.0: always quicklist, nodes are listpacks; PLAIN nodes for elements over the threshold).
  c.push(['RPUSH', 'list:small', ...EDGE_INTEGERS, 'a', 'bb', 'x'.repeat(30), 'y'.repeat(63), 'z'.repeat(64), 'w'.repeat(4095), 'v'.repeat(4096)]);
  c.push(['RPUSH', 'list:ops', 'a', 'b', 'c'], ['LPUSH', 'list:ops', 'first'], ['LINSERT', 'list:ops', 'BEFORE', 'c', 'inserted']);
  c.push(['LSET', 'list:ops', 0, 'zero'], ['LREM', 'list:ops', 1, 'inserted'], ['LPOP', 'list:ops'], ['RPUSH', 'list:ops', 'z']);
  const large: Buffer[] = [];
  for (let i = 0; i < 600; i++) large.push(b(i % 3 === 0 ? String(i * 37 - 5000) : `item:${i}:${word(1 + (i % 20))}`));
  c.push(['RPUSH', 'list:large', ...large]);
  const bigvals: Buffer[] = [];
  for (let i = 0; i < 10; i++) bigvals.push(b(word(8).repeat(10 + i)));
  c.push(['RPUSH', 'list:bigvals', ...bigvals]);
  c.push(['RPUSH', 'list:huge_elems', 'head', 'y'.repeat(5 * 1024), randomBytes(20 * 1024), 'tail']);
  c.push(['RPUSH', 'list:one', 'only']);
  c.push(['RPUSH', 'list:src', 'a1', 'a2'], ['LMOVE', 'list:src', 'list:moved', 'RIGHT', 'LEFT'], ['DEL', 'list:src']);
  c.push(['RPUSH', 'list:unsorted', '3', '1', '32000', '-5', '2', '100', '7'], ['SORT', 'list:unsorted', 'STORE', 'list:sorted'], ['DEL', 'list:unsorted']);
  c.push(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 1000]);
  c.push(['RPUSH', 'list:plain_nodes', 'small1', 'P'.repeat(2000), 'small2', 'Q'.repeat(3000), 'small3']);
  c.push(['RPUSH', 'list:plain_binary', randomBytes(1500), 'mid', randomBytes(1001)]);
  c.push(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', QUICKLIST_DEFAULT_PACKED_THRESHOLD]);

  // Sets: intset widths, a large intset, string sets (hashtable in 7.0), long member, SREM/SMOVE.
  c.push(['SADD', 'set:intset16', '1', '2', '3', '7', '100', '32000', '-5']);
  c.push(['SADD', 'set:intset32', '1', '70000', '-70000', '2147483647']);
  c.push(['SADD', 'set:intset64', '1', '-1', '5000000000', '-9223372036854775808']);
  const intsetLarge: string[] = [];
  for (let i = 0; i < 400; i++) intsetLarge.push(String(i * 13 - 1000));
  c.push(['SADD', 'set:intset_large', ...intsetLarge]);
  const smallStr: string[] = [];
  for (let i = 0; i < 11; i++) smallStr.push(i < 2 ? String(12 + 2 * i) : word(1 + Math.floor(rnd() * 16)));
  c.push(['SADD', 'set:small_str', ...smallStr]);
  const largeStr: string[] = [];
  for (let i = 0; i < 600; i++) largeStr.push(`member:${i}:${word(4)}`);
  c.push(['SADD', 'set:large_str', ...largeStr]);
  c.push(['SADD', 'set:long_member', 'short', 'L'.repeat(100)]);
  c.push(['SADD', 'set:ops', 'a', 'b', 'c', 'd'], ['SREM', 'set:ops', 'b'], ['SMOVE', 'set:ops', 'set:ops_dst', 'c']);
  c.push(['SADD', 'set:binary', randomBytes(8), randomBytes(16), Buffer.from([0]), Buffer.from([0xff, 0xfe])]);
  c.push(['SUNIONSTORE', 'set:union', 'set:intset16', 'set:intset32']);

  // Sorted sets: listpack with every kind of score, skiplist (size and member length), ZUNIONSTORE.
  const scores = ['-inf', '+inf', '0', '-0', '1.5', '-2.25', String(Math.PI), '1e-300', '1e300', '42', '0.1', '123456789.123', '-1e-310', '9007199254740993', '5e-324', '-1.7976931348623157e308'];
  c.push(['ZADD', 'zset:small_scores', ...scores.flatMap((s, i) => [s, `m${i}_${s}`])]);
  c.push(['ZADD', 'zset:small', '1', 'a', '2', 'b', '3', 'c'], ['ZINCRBY', 'zset:small', '0.5', 'a'], ['ZREM', 'zset:small', 'b'], ['ZADD', 'zset:small', '-3.5', 'd'], ['ZINCRBY', 'zset:small', '-1', 'c']);
  const zlarge: (string | number)[] = [];
  for (let i = 0; i < 300; i++) zlarge.push(i % 7 === 0 ? String(i) : (i * 1.25 - 100).toString(), `zm:${i}:${word(3)}`);
  c.push(['ZADD', 'zset:large', ...zlarge], ['ZADD', 'zset:large', '+inf', 'top'], ['ZADD', 'zset:large', '-0', 'negzero']);
  c.push(['ZADD', 'zset:long_member', '1', 'short', '2', 'Z'.repeat(100), '+inf', 'pinf', '-inf', 'ninf', '-0.5', 'neg-half']);
  c.push(['ZUNIONSTORE', 'zset:union', 2, 'zset:small', 'zset:long_member']);

  // Hashes: listpack with every int width, empty value and empty field name; hashtable by size and value length.
  const hsmall: Buffer[] = [];
  EDGE_INTEGERS.forEach((n, i) => hsmall.push(b(`f${i}`), b(n)));
  hsmall.push(b('s'), b('text'), b('empty'), b(''), b(''), b('empty-field-name'));
  c.push(['HSET', 'hash:small', ...hsmall], ['HSET', 'hash:small', 'after', 'update']);
  const hlarge: Buffer[] = [];
  for (let i = 0; i < 600; i++) hlarge.push(b(`field:${String(i).padStart(5, '0')}`), b(word(Math.floor(rnd() * 40))));
  c.push(['HSET', 'hash:large', ...hlarge]);
  c.push(['HSET', 'hash:long_value', 'a', '1', 'b', 'V'.repeat(100)]);
  c.push(['HINCRBY', 'hash:ops', 'n', 10], ['HINCRBY', 'hash:ops', 'n', 5], ['HINCRBYFLOAT', 'hash:ops', 'fl', '1.25'], ['HSETNX', 'hash:ops', 'nx', 'once'], ['HSETNX', 'hash:ops', 'nx', 'twice'], ['HSET', 'hash:ops', 'del', 'x'], ['HDEL', 'hash:ops', 'del']);
  c.push(['HSET', 'hash:binary', randomBytes(5), randomBytes(9), Buffer.from([0]), Buffer.from([])]);

  // Streams.
  const base = 1_700_000_000_000;
  let ms = base;
  const mainIds: string[] = [];
  for (let i = 0; i < 500; i++) {
    ms += 1 + Math.floor(rnd() * 3);
    const id = `${ms}-${i % 7 === 5 ? Math.floor(rnd() * 6) : 0}`;
    mainIds.push(id);
    const block = Math.floor(i / 20) % 3;
    if (i === 100) c.push(['XADD', 'stream:main', id, 'int24', '8388607', 'int32', '2147483647', 'int64', '9223372036854775807']);
    else if (i === 101) c.push(['XADD', 'stream:main', id, 'v100', word(100)]);
    else if (i === 102) c.push(['XADD', 'stream:main', id, 'v4800', word(4800)]);
    else if (block === 2) c.push(['XADD', 'stream:main', id, 'other', word(6), `n${i}`, String(i), 'bin', Buffer.from([i & 0xff, 0, 0xff])]);
    else c.push(['XADD', 'stream:main', id, 'sensor', `t${i % 5}`, 'value', String(Math.floor(rnd() * 10000) - 5000)]);
  }
  for (let i = 0; i < 20; i++) c.push(['XDEL', 'stream:main', mainIds[450 + i * 2 + (i % 2)]!]);
  c.push(['XTRIM', 'stream:main', 'MAXLEN', 460]);
  c.push(['XADD', 'stream:main', '1800000000000-0', 'last', 'entry']);
  c.push(['XGROUP', 'CREATE', 'stream:main', 'g1', '0'], ['XGROUP', 'CREATE', 'stream:main', 'g2', '$'], ['XGROUP', 'CREATE', 'stream:main', 'g3', mainIds[250]!]);
  c.push(['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', 20, 'STREAMS', 'stream:main', '>']);
  c.push(['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', 10, 'STREAMS', 'stream:main', '>']);
  c.push(['XREADGROUP', 'GROUP', 'g3', 'dave', 'COUNT', 3, 'STREAMS', 'stream:main', '>']);
  c.push(['XREADGROUP', 'GROUP', 'g2', 'noack-reader', 'COUNT', 5, 'NOACK', 'STREAMS', 'stream:main', '0']);
  c.push(['XGROUP', 'CREATECONSUMER', 'stream:main', 'g1', 'erin']);
  c.push(['XGROUP', 'CREATE', 'stream:main', 'g4', mainIds[300]!, 'ENTRIESREAD', 290]);
  c.push(['XREADGROUP', 'GROUP', 'g4', 'frank', 'COUNT', 2, 'STREAMS', 'stream:main', '>']);
  c.push(['XACK', 'stream:main', 'g1', ...mainIds.slice(0, 5)]);
  c.push(['XCLAIM', 'stream:main', 'g1', 'bob', 0, mainIds[5]!, mainIds[6]!]);
  c.push(['XAUTOCLAIM', 'stream:main', 'g1', 'carol', 0, '0-0', 'COUNT', 2]);
  // A pending entry deleted from the stream stays in the PELs; a consumer created and deleted; SETID.
  c.push(['XDEL', 'stream:main', mainIds[12]!]);
  c.push(['XGROUP', 'CREATECONSUMER', 'stream:main', 'g3', 'temp'], ['XREADGROUP', 'GROUP', 'g3', 'temp', 'COUNT', 2, 'STREAMS', 'stream:main', '>'], ['XGROUP', 'DELCONSUMER', 'stream:main', 'g3', 'temp']);
  c.push(['XGROUP', 'SETID', 'stream:main', 'g2', mainIds[400]!, 'ENTRIESREAD', 380]);
  for (let i = 0; i < 5; i++) c.push(['XADD', 'stream:small', `${base + i * 25}-0`, 'k', `v${i}`]);
  c.push(['XSETID', 'stream:small', `${base + 100}-0`, 'ENTRIESADDED', 42, 'MAXDELETEDID', `${base + 50}-0`]);
  c.push(['XGROUP', 'CREATE', 'stream:small', 'lagging', '0', 'ENTRIESREAD', 1]);
  c.push(['XADD', 'stream:emptied', '1-1', 'f', 'v'], ['XDEL', 'stream:emptied', '1-1']);
  c.push(['XGROUP', 'CREATE', 'stream:mkstream', 'grp', '$', 'MKSTREAM']);

  // TTLs.
  c.push(['SET', 'ttl:ex', 'v'], ['EXPIRE', 'ttl:ex', 10 * 365 * 86400]);
  c.push(['SET', 'ttl:pxat', 'v'], ['PEXPIREAT', 'ttl:pxat', Y2100_MS + 123]);
  c.push(['SET', 'ttl:exat', 'v'], ['EXPIREAT', 'ttl:exat', Y2100_MS / 1000 + 7]);
  c.push(['SET', 'ttl:set_ex', 'v', 'EX', 10 * 365 * 86400], ['SET', 'ttl:set_px', 'v', 'PX', 10 * 365 * 86400 * 1000]);
  c.push(['SETEX', 'ttl:setex', 10 * 365 * 86400, 'v']);
  c.push(['RPUSH', 'ttl:list', 'a', 'b'], ['PEXPIREAT', 'ttl:list', Y2100_MS + 456]);
  c.push(['ZADD', 'ttl:zset', '1', 'a'], ['PEXPIREAT', 'ttl:zset', Y2100_MS + 789]);
  c.push(['HSET', 'ttl:hash', 'f', 'v'], ['PEXPIREAT', 'ttl:hash', Y2100_MS + 999]);
  c.push(['SADD', 'ttl:set', '1', '2'], ['PEXPIREAT', 'ttl:set', Y2100_MS + 111]);
  c.push(['XADD', 'ttl:stream', '5-5', 'f', 'v'], ['PEXPIREAT', 'ttl:stream', Y2100_MS + 555]);
  c.push(['SET', 'ttl:persisted', 'v', 'EX', 1000], ['PERSIST', 'ttl:persisted']);
  c.push(['SET', 'str:getex', 'v'], ['GETEX', 'str:getex', 'PXAT', Y2100_MS + 333]);

  // Functions.
  for (const lib of FULL_DATASET_LIBRARIES) c.push(['FUNCTION', 'LOAD', 'REPLACE', lib]);
  c.push(['FCALL', 'corpus_set', 1, 'fn:written', 'by-function']);

  // db 1: same names, other values; db 15: empty key name.
  c.push(['SELECT', 1]);
  c.push(['SET', 'str:short', 'db1 value (same name as db0)'], ['RPUSH', 'list:db1', '1', '2', '3', '4']);
  c.push(['SELECT', 15]);
  c.push(['SET', '', 'empty key name in db 15'], ['HSET', 'hash:db15', 'f', 'v'], ['SET', 'str:db15', 'x'], ['SET', 'ttl:db15', 'y'], ['PEXPIREAT', 'ttl:db15', Y2100_MS + 15]);

  // Bulk keys in db 1.
  c.push(['SELECT', 1]);
  for (let i = 0; i < bulkKeys; i++) {
    const key = `bulk:${String(i).padStart(5, '0')}`;
    const r = (i * 7919) % 100;
    if (r < 60) c.push(['SET', key, rnd() < 0.3 ? String(Math.floor(rnd() * 1e9)) : word(5 + Math.floor(rnd() * 60))]);
    else if (r < 75) c.push(['HSET', key, 'name', word(8), 'n', String(i), 'score', String(Math.floor(rnd() * 1e6))]);
    else if (r < 85) c.push(['RPUSH', key, ...Array.from({ length: 1 + (i % 9) }, (_, j) => `e${j}:${word(4)}`)]);
    else if (r < 93) c.push(['SADD', key, ...Array.from({ length: 1 + (i % 11) }, (_, j) => String(j * (i + 1)))]);
    else c.push(['ZADD', key, ...Array.from({ length: 1 + (i % 6) }, (_, j) => [String(j + rnd()), `m${j}`]).flat()]);
    if (i % 17 === 0) c.push(['PEXPIREAT', key, Y2100_MS + i]);
  }
  c.push(['SELECT', 0]);
  await runCommands(client, c);

  return [
    'strings: short, empty, 21 KB LZF-compressible, 100 B compressible, 2 KB random (raw), bytes 0..255, UTF-8, 44/45 bytes (embstr/raw edge), 25 int-encodable values of every width, 8 non-canonical numbers, INCR/INCRBY/DECRBY/INCRBYFLOAT/APPEND/SETRANGE/MSET/RENAME/DEL/COPY, binary key name, MULTI/EXEC, EVAL',
    'lists: every listpack int width and str6/str12/str32 entries, LPUSH/LINSERT/LSET/LREM/LPOP, 600 entries, >64 B elements, 5 KB and 20 KB elements, one element, LMOVE, SORT STORE, quicklist PLAIN nodes (DEBUG QUICKLIST-PACKED-THRESHOLD 1000) with text and binary elements',
    'sets: intset 16/32/64-bit, 400-member intset, small and 600-member string sets (hashtable), 100 B member, binary members, SREM/SMOVE, SUNIONSTORE',
    'zsets: listpack with -inf/+inf/0/-0/1.5/-2.25/pi/1e-300/1e300/42/0.1/123456789.123/-1e-310/2^53+1/5e-324/-DBL_MAX, ZINCRBY/ZREM, 302 members (skiplist, +inf, -0), 100 B member with +/-inf (skiplist), ZUNIONSTORE',
    'hashes: listpack with every int width, empty value and empty field name, 600 fields (hashtable), 100 B value (hashtable), HINCRBY/HINCRBYFLOAT/HSETNX/HDEL, binary fields',
    'streams: 500 XADDs with explicit ids (same-field runs, different-field entries, binary values, 24/32/64-bit ints, 100 B and 4.8 KB values), XDEL x20, XTRIM MAXLEN, groups g1 (0), g2 ($), g3 (mid), g4 (ENTRIESREAD); XREADGROUP by alice/bob/dave/frank, a NOACK read, XGROUP CREATECONSUMER/DELCONSUMER/SETID, XACK, XCLAIM, XAUTOCLAIM, XDEL of a pending entry; XSETID ENTRIESADDED/MAXDELETEDID with a lagging group; a stream emptied by XDEL; MKSTREAM',
    'TTLs: EXPIRE 10y, PEXPIREAT/EXPIREAT in 2100, SET EX/PX, SETEX, on list/zset/hash/set/stream, PERSIST, GETEX PXAT',
    'functions: 2 libraries (FUNCTION LOAD), one FCALL write',
    `dbs: 0, 1 (same names as db 0), 15 (empty key name); ${bulkKeys} bulk keys in db 1 (60% strings, 15% hashes, 10% lists, 8% intsets, 7% zsets, every 17th with PEXPIREAT)`,
  ];
}

/** The small dataset of the corpus `rdb-lfu` / `rdb-lru` cases: 18 keys of every basic type in db 0, one in db 3. */
export function smallDatasetCommands(): RedisCommand[] {
  const c: RedisCommand[] = [['SELECT', 0]];
  for (let i = 0; i < 8; i++) c.push(['SET', `s:str${i}`, String.fromCharCode(97 + i).repeat(10 * (i + 1))]);
  c.push(['SET', 's:int', '123456'], ['SET', 's:long', 'long-value-'.repeat(2000).slice(0, 20800)]);
  c.push(['RPUSH', 's:list', ...Array.from({ length: 20 }, (_, i) => `e${i}`)]);
  c.push(['RPUSH', 's:biglist', ...Array.from({ length: 300 }, (_, i) => `e${i}`)]);
  c.push(['SADD', 's:set', ...Array.from({ length: 10 }, (_, i) => String(i))], ['SADD', 's:sset', 'a', 'b', 'c']);
  c.push(['ZADD', 's:zset', '1', 'a', '2', 'b'], ['HSET', 's:hash', 'f', 'v', 'n', '1']);
  c.push(['XADD', 's:stream', '1-1', 'f', 'v']);
  c.push(['SET', 's:ttl', 'v'], ['PEXPIREAT', 's:ttl', Y2100_MS + 1]);
  c.push(['SELECT', 3], ['SET', 's:db3', 'in db 3'], ['SELECT', 0]);
  return c;
}

/** Format a score for ZADD so that it parses back to exactly `score` (including -0 and the infinities). */
export function formatScore(score: number): string {
  if (score === Infinity) return '+inf';
  if (score === -Infinity) return '-inf';
  if (Object.is(score, -0)) return '-0';
  return String(score);
}

const CHUNK = 100;

function chunks<T>(items: readonly T[], size: number = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The explicit ID random streams give their entry `i`: strictly increasing, some with seq > 0. */
export function randomStreamId(i: number): string {
  return `${1_700_000_000_000 + i * 3}-${i % 4 === 3 ? i % 5 : 0}`;
}

/** The commands that write `spec` (SELECTs included; the quicklist threshold is restored at the end). */
export function datasetCommands(spec: DatasetSpec): RedisCommand[] {
  const c: RedisCommand[] = [];
  if (spec.packedThreshold !== null) c.push(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', spec.packedThreshold]);
  let db = -1;
  for (const k of spec.keys) {
    if (k.db !== db) {
      c.push(['SELECT', k.db]);
      db = k.db;
    }
    const key = toBuffer(k.key);
    const v = k.value;
    switch (v.type) {
      case 'string':
        c.push(['SET', key, toBuffer(v.value)]);
        break;
      case 'list':
        for (const part of chunks(v.elements)) c.push(['RPUSH', key, ...part.map(toBuffer)]);
        break;
      case 'set':
        for (const part of chunks(v.members)) c.push(['SADD', key, ...part.map(toBuffer)]);
        break;
      case 'zset':
        for (const part of chunks(v.entries)) c.push(['ZADD', key, ...part.flatMap((e) => [formatScore(e.score), toBuffer(e.member)])]);
        break;
      case 'hash':
        for (const part of chunks(v.entries)) c.push(['HSET', key, ...part.flatMap((e) => [toBuffer(e.field), toBuffer(e.value)])]);
        break;
      case 'stream': {
        v.entries.forEach((fields, i) => c.push(['XADD', key, randomStreamId(i), ...fields.map(toBuffer)]));
        for (const g of v.groups) {
          c.push(['XGROUP', 'CREATE', key, g.name, '0']);
          for (const r of g.reads) {
            c.push(['XREADGROUP', 'GROUP', g.name, r.consumer, 'COUNT', r.count, ...(r.noack ? ['NOACK'] : []), 'STREAMS', key, '>']);
          }
          const acks = g.acks.filter((i) => i < v.entries.length).map(randomStreamId);
          if (acks.length > 0) c.push(['XACK', key, g.name, ...acks]);
        }
        const dels = v.deletes.filter((i) => i < v.entries.length).map(randomStreamId);
        if (dels.length > 0) c.push(['XDEL', key, ...dels]);
        break;
      }
    }
    if (k.ttl !== null) {
      c.push(k.ttl.kind === 'expire' ? ['EXPIRE', key, k.ttl.seconds] : ['PEXPIREAT', key, k.ttl.at]);
    }
  }
  if (spec.packedThreshold !== null) c.push(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', QUICKLIST_DEFAULT_PACKED_THRESHOLD]);
  c.push(['SELECT', 0]);
  return c;
}

/** Options of {@link elementArb}. */
export interface ElementArbOptions {
  /** Also produce elements over 64 bytes (past the listpack value limits) and 0.5..6 KB ones. Defaults to true. */
  long?: boolean;
}

/** Random element bytes that exercise every listpack/intset encoding: ints of every width, text, binary, long. */
export function elementArb(options: ElementArbOptions = {}): fc.Arbitrary<Uint8Array> {
  const short = [
    { weight: 3, arbitrary: fc.integer({ min: -200, max: 5000 }).map((n) => enc.encode(String(n))) },
    { weight: 2, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => enc.encode(String(n))) },
    { weight: 4, arbitrary: fc.string({ maxLength: 24 }).map((s) => enc.encode(s)) },
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom(...[...EDGE_INTEGERS, ...NON_INTEGERS].map((s) => enc.encode(s))) },
  ];
  if (options.long === false) return fc.oneof(...short);
  return fc.oneof(
    ...short,
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 60, maxLength: 300 }) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 500, max: 6000 })).map(([byte, n]) => new Uint8Array(n).fill(byte)) },
  );
}

/** Elements of one collection: mostly all short (so listpack encodings occur), else mixed with long ones. */
function collectionElementArb(): fc.Arbitrary<fc.Arbitrary<Uint8Array>> {
  return fc.oneof({ weight: 2, arbitrary: fc.constant(elementArb({ long: false })) }, { weight: 1, arbitrary: fc.constant(elementArb()) });
}

/** Collection sizes that straddle the 7.0 encoding thresholds (128 entries, 512 intset members). */
function sizeArb(): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 1, max: 20 }) },
    { weight: 3, arbitrary: fc.integer({ min: 100, max: 200 }) },
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 700 }) },
  );
}

function sized<T>(item: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return sizeArb().chain((n) => fc.array(item, { minLength: n, maxLength: n }));
}

/** A collection of `make(element)` items, where every element of the collection comes from one {@link collectionElementArb} choice. */
function sizedOf<T>(make: (element: fc.Arbitrary<Uint8Array>) => fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return collectionElementArb().chain((element) => sized(make(element)));
}

/** A score: any double but NaN (Redis refuses NaN), with extra weight on integers, halves and the edges. */
export function scoreArb(): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.double({ noNaN: true }) },
    { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
    { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }).map((n) => n / 4) },
    { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity, -0, 0, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2, 0.1) },
  );
}

/** A random value of any type (streams with groups, consumers, acks and deletes). */
export function valueSpecArb(): fc.Arbitrary<ValueSpec> {
  const intText = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => enc.encode(String(n)));
  const smallText = fc.string({ maxLength: 12 }).map((s) => enc.encode(s));
  return fc.oneof(
    { weight: 4, arbitrary: elementArb().map((value) => ({ type: 'string' as const, value })) },
    { weight: 1, arbitrary: fc.constant({ type: 'string' as const, value: new Uint8Array(0) }) },
    { weight: 2, arbitrary: sizedOf((e) => e).map((elements) => ({ type: 'list' as const, elements })) },
    { weight: 1, arbitrary: sized(fc.oneof(intText, fc.integer({ min: -40000, max: 40000 }).map((n) => enc.encode(String(n))))).map((members) => ({ type: 'set' as const, members })) },
    { weight: 2, arbitrary: sizedOf((e) => e).map((members) => ({ type: 'set' as const, members })) },
    { weight: 2, arbitrary: sizedOf((e) => fc.record({ score: scoreArb(), member: e })).map((entries) => ({ type: 'zset' as const, entries })) },
    { weight: 2, arbitrary: sizedOf((e) => fc.record({ field: fc.oneof(smallText, e), value: e })).map((entries) => ({ type: 'hash' as const, entries })) },
    {
      weight: 2,
      arbitrary: fc
        .record({
          entries: fc.array(
            fc.array(fc.tuple(fc.oneof(smallText, elementArb()), elementArb()), { minLength: 1, maxLength: 3 }).map((pairs) => pairs.flat()),
            { minLength: 1, maxLength: 150, size: 'medium' },
          ),
          groups: fc.uniqueArray(
            fc.record({
              name: fc.constantFrom('g1', 'g2', 'g3', 'grp:x', 'gr\u00fcppe'),
              reads: fc.array(fc.record({ consumer: fc.constantFrom('alice', 'bob', 'carol', 'c\u00e4'), count: fc.integer({ min: 1, max: 30 }), noack: fc.boolean() }), { maxLength: 4 }),
              acks: fc.array(fc.nat({ max: 150 }), { maxLength: 10 }),
            }),
            { maxLength: 3, selector: (g) => g.name },
          ),
          deletes: fc.array(fc.nat({ max: 150 }), { maxLength: 10 }),
        })
        .map(({ entries, groups, deletes }) => ({ type: 'stream' as const, entries, groups, deletes })),
    },
  );
}

/** A random TTL: mostly none, else EXPIRE of an hour..10 years, or PEXPIREAT between 2033 and 2100. */
export function ttlSpecArb(): fc.Arbitrary<TtlSpec | null> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.integer({ min: 3600, max: 10 * 365 * 86400 }).map((seconds) => ({ kind: 'expire' as const, seconds })) },
    { weight: 1, arbitrary: fc.integer({ min: 2_000_000_000_000, max: Y2100_MS }).map((at) => ({ kind: 'pexpireat' as const, at })) },
  );
}

/**
 * A random dataset: up to `maxKeys` keys of every type and size class over dbs 0..`maxDb`, with
 * text and binary key names, TTLs, and sometimes a lowered quicklist packed threshold.
 */
export function datasetSpecArb(options: DatasetSpecArbOptions = {}): fc.Arbitrary<DatasetSpec> {
  const keyArb = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 16 }).map((s) => enc.encode(`k:${s}`)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  );
  const keySpec = fc.record({ db: fc.integer({ min: 0, max: options.maxDb ?? 3 }), key: keyArb, value: valueSpecArb(), ttl: ttlSpecArb() });
  return fc.record({
    keys: fc
      .uniqueArray(keySpec, { minLength: 1, maxLength: options.maxKeys ?? 60, size: 'max', selector: (k) => `${k.db}:${Buffer.from(k.key).toString('hex')}` })
      .map((keys) => [...keys].sort((x, y) => x.db - y.db)),
    packedThreshold: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }) }),
  });
}

/**
 * Write a random dataset through real commands. With a number, the spec is drawn (unbiased, so
 * full-sized) from {@link datasetSpecArb} with that fast-check seed: a seed replays the same dataset.
 * @returns the spec that was written
 */
export async function writeRandomDataset(
  client: Redis,
  seedOrSpec: number | DatasetSpec,
  options: DatasetSpecArbOptions = {},
): Promise<DatasetSpec> {
  const spec = typeof seedOrSpec === 'number' ? fc.sample(fc.noBias(datasetSpecArb(options)), { seed: seedOrSpec, numRuns: 1 })[0]! : seedOrSpec;
  await runCommands(client, datasetCommands(spec));
  return spec;
}
