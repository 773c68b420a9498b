// Golden test: every RDB file in the corpus (written by real Redis 2.4 .. 8.0 and Valkey 8 servers)
// must read back exactly as the server that loaded it reported, key by key: type, value, TTL, hash
// field TTLs, stream entries, groups, PELs and consumers, module values, functions. The expected
// side is fixtures/corpus/<version>/<case>.expected.jsonl, never our own output.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { readRdb, writeLength } from '@redis-forensics/rdb';
import { collect, feed, FEED_MODES } from '@redis-forensics/testkit';

import type { RdbEvent, RdbKeyEvent, RdbValue, StreamEntry, StreamMeta } from '@redis-forensics/rdb';
import type { FeedMode } from '@redis-forensics/testkit';

const CORPUS = fileURLToPath(new URL('../../../fixtures/corpus', import.meta.url));

interface Case {
  version: string;
  name: string;
  rdb: string;
  expected: string;
}

function rdbCases(): Case[] {
  const out: Case[] = [];
  for (const version of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, version);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.rdb')) continue;
      const name = f.slice(0, -4);
      out.push({ version, name, rdb: join(dir, f), expected: join(dir, `${name}.expected.jsonl`) });
    }
  }
  return out;
}

/** Every RDB inside multi-part AOF dirs and nothing else: they have no per-file oracle. */
function baseRdbFiles(): string[] {
  const out: string[] = [];
  for (const version of readdirSync(CORPUS)) {
    const dir = join(CORPUS, version);
    if (!statSync(dir).isDirectory()) continue;
    for (const d of readdirSync(dir)) {
      if (!d.endsWith('.aofdir')) continue;
      for (const f of readdirSync(join(dir, d))) if (f.endsWith('.rdb')) out.push(join(dir, d, f));
    }
  }
  return out.sort();
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const idText = (id: { ms: bigint; seq: bigint }): string => `${id.ms}-${id.seq}`;
const cmpBytes = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

/** Parse a score as the server printed it ("inf", "-inf", "-0", "0.10000000000000001", "1e+300"). */
function parseScore(text: string): number {
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** Merge the parts of large keys back into one value per key. */
function mergeKeys(events: RdbEvent[]): RdbKeyEvent[] {
  const out: RdbKeyEvent[] = [];
  let open: RdbKeyEvent | undefined;
  for (const ev of events) {
    if (ev.type !== 'key') continue;
    if (ev.part === undefined) {
      out.push(ev);
      continue;
    }
    if (ev.part.index === 0) open = { ...ev, value: structuredClone(ev.value) };
    else appendValue(open!.value, ev.value);
    if (ev.part.last) {
      out.push(open!);
      open = undefined;
    }
  }
  return out;
}

function appendValue(into: RdbValue, more: RdbValue): void {
  if (into.kind === 'list' && more.kind === 'list') into.elements.push(...more.elements);
  else if (into.kind === 'set' && more.kind === 'set') into.members.push(...more.members);
  else if (into.kind === 'zset' && more.kind === 'zset') into.entries.push(...more.entries);
  else if (into.kind === 'hash' && more.kind === 'hash') into.entries.push(...more.entries);
  else if (into.kind === 'stream' && more.kind === 'stream') {
    into.entries.push(...more.entries);
    into.meta = more.meta;
  } else throw new Error(`part kinds differ: ${into.kind} then ${more.kind}`);
}

/** OBJECT ENCODING names a server may report for a value saved with each RDB encoding. */
const COMPATIBLE_ENCODINGS: Record<string, string[]> = {
  string: ['raw', 'embstr', 'int'],
  'list-linked': ['linkedlist'],
  'list-ziplist': ['ziplist'],
  quicklist: ['quicklist'],
  'quicklist-v2': ['quicklist', 'listpack'],
  'set-hashtable': ['hashtable'],
  'set-intset': ['intset'],
  'set-listpack': ['listpack'],
  'zset-v1': ['skiplist'],
  'zset-v2': ['skiplist'],
  'zset-ziplist': ['ziplist'],
  'zset-listpack': ['listpack'],
  'hash-hashtable': ['hashtable'],
  'hash-zipmap': ['zipmap'],
  'hash-ziplist': ['ziplist'],
  'hash-listpack': ['listpack'],
  'hash-listpack-md': ['listpackex'],
  'hash-listpack-md-pre-ga': ['listpackex'],
  'hash-hashtable-md': ['hashtable'],
  'hash-hashtable-md-pre-ga': ['hashtable'],
  stream: ['stream', 'unknown'],
  'stream-v2': ['stream'],
  'stream-v3': ['stream'],
  'module-value': ['raw'],
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** XINFO's RESP2 flat [k1, v1, k2, v2] arrays as objects. */
function flat(arr: Json): Record<string, Json> {
  const o: Record<string, Json> = {};
  const a = arr as Json[];
  for (let i = 0; i < a.length; i += 2) o[a[i] as string] = a[i + 1]!;
  return o;
}

function nameOf(x: Json): string {
  return typeof x === 'string' ? x : Buffer.from((x as { b64: string }).b64, 'base64').toString('latin1');
}

function checkStream(expected: Record<string, Json>, entries: StreamEntry[], meta: StreamMeta): void {
  const expEntries = expected['value'] as [string, string[]][];
  expect(entries.map((e) => [idText(e.id), e.fields.map(b64)])).toEqual(expEntries);
  const latin = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
  if (expected['xinfo_full'] !== undefined) {
    const x = flat(expected['xinfo_full']);
    expect(meta.length).toBe(x['length']);
    expect(idText(meta.lastId)).toBe(x['last-generated-id']);
    if ('max-deleted-entry-id' in x) expect(idText(meta.maxDeletedId)).toBe(x['max-deleted-entry-id']);
    if ('entries-added' in x) expect(meta.entriesAdded).toBe(x['entries-added']);
    if ('recorded-first-entry-id' in x) expect(idText(meta.firstId)).toBe(x['recorded-first-entry-id']);
    const groups = (x['groups'] as Json[]).map(flat);
    expect(meta.groups.map((g) => latin(g.name))).toEqual(groups.map((g) => nameOf(g['name']!)));
    meta.groups.forEach((g, i) => {
      const eg = groups[i]!;
      expect(idText(g.lastId)).toBe(eg['last-delivered-id']);
      if ('entries-read' in eg) expect(g.entriesRead).toBe(eg['entries-read']);
      expect(g.pending.length).toBe(eg['pel-count']);
      expect(
        g.pending.map((p) => [idText(p.id), p.consumer === null ? null : latin(p.consumer), p.deliveryTime, p.deliveryCount]),
      ).toEqual((eg['pending'] as Json[][]).map(([id, c, t, n]) => [id, nameOf(c!), t, n]));
      const consumers = (eg['consumers'] as Json[]).map(flat);
      expect(g.consumers.map((c) => latin(c.name))).toEqual(consumers.map((c) => nameOf(c['name']!)));
      g.consumers.forEach((c, j) => {
        const ec = consumers[j]!;
        expect(c.seenTime).toBe(ec['seen-time']);
        if ('active-time' in ec) expect(c.activeTime).toBe(ec['active-time']);
        expect(c.pending.map(idText)).toEqual((ec['pending'] as Json[][]).map((p) => p[0]));
      });
    });
  } else if (expected['xinfo'] !== undefined) {
    // Redis 5.0: XINFO STREAM, XINFO GROUPS, XINFO CONSUMERS and XPENDING.
    const xi = expected['xinfo'] as Record<string, Json>;
    const s = flat(xi['stream']!);
    expect(meta.length).toBe(s['length']);
    expect(idText(meta.lastId)).toBe(s['last-generated-id']);
    const groups = xi['groups'] as Record<string, Json>[];
    expect(meta.groups.map((g) => latin(g.name))).toEqual(groups.map((g) => nameOf(flat(g['group']!)['name']!)));
    meta.groups.forEach((g, i) => {
      const eg = groups[i]!;
      const info = flat(eg['group']!);
      expect(idText(g.lastId)).toBe(info['last-delivered-id']);
      expect(g.pending.length).toBe(info['pending']);
      expect(g.pending.map((p) => [idText(p.id), p.consumer === null ? null : latin(p.consumer), p.deliveryCount])).toEqual(
        (eg['pending'] as Json[][]).map(([id, c, , n]) => [id, nameOf(c!), n]),
      );
      const consumers = (eg['consumers'] as Json[]).map(flat);
      expect(g.consumers.map((c) => [latin(c.name), c.pending.length])).toEqual(consumers.map((c) => [nameOf(c['name']!), c['pending']]));
    });
  } else {
    throw new Error('stream oracle without xinfo');
  }
}

function checkKey(ev: RdbKeyEvent, expected: Record<string, Json>): void {
  const v = ev.value;
  if (typeof expected['type'] === 'string' && !['string', 'list', 'set', 'zset', 'hash', 'stream'].includes(expected['type'])) {
    // A module type: the oracle holds the server's DUMP payload, whose body is our module id + payload.
    expect(v.kind).toBe('module');
    if (v.kind !== 'module') return;
    const exp = expected['value'] as Record<string, Json>;
    expect(v.module.moduleName).toBe(exp['module_type']);
    const dump = Buffer.from(exp['dump_b64'] as string, 'base64');
    const body = Buffer.concat([writeLength(v.module.moduleId), v.module.payload]);
    expect(dump.subarray(1, dump.length - 10).equals(body)).toBe(true);
    return;
  }
  expect(ev.redisType).toBe(expected['type']);
  expect(COMPATIBLE_ENCODINGS[ev.encoding] ?? []).toContain(expected['encoding']);
  const expireAt = expected['expire_at_ms'] as number | null;
  if (expected['expire_approx'] === true && expireAt !== null) {
    expect(ev.expireAt).not.toBeNull();
    expect(Math.abs(ev.expireAt! - expireAt)).toBeLessThan(10_000);
  } else {
    expect(ev.expireAt).toBe(expireAt);
  }
  if (expected['lfu_freq'] !== undefined) expect(ev.lfuFreq).toBe(expected['lfu_freq']);
  if (expected['idle_s'] !== undefined) expect(ev.lruIdle).not.toBeNull();
  const exp = expected['value'];
  switch (v.kind) {
    case 'string':
      expect(b64(v.value)).toBe(exp);
      break;
    case 'list':
      expect(v.elements.map(b64)).toEqual(exp);
      break;
    case 'set':
      expect([...v.members].sort(cmpBytes).map(b64)).toEqual(exp);
      break;
    case 'zset': {
      const ours = [...v.entries].sort((a, b) => a.score - b.score || cmpBytes(a.member, b.member));
      const theirs = (exp as [string, string][]).map(([m, s]) => [m, parseScore(s)]);
      expect(ours.map((e) => [b64(e.member), e.score])).toEqual(theirs);
      break;
    }
    case 'hash': {
      const ours = [...v.entries].sort((a, b) => cmpBytes(a.field, b.field));
      expect(ours.map((e) => [b64(e.field), b64(e.value)])).toEqual(exp);
      const ttls = (expected['field_expire_at_ms'] ?? {}) as Record<string, number>;
      const oursTtl: Record<string, number> = {};
      for (const e of ours) if (e.expireAt !== null) oursTtl[b64(e.field)] = e.expireAt;
      expect(oursTtl).toEqual(ttls);
      break;
    }
    case 'stream':
      checkStream(expected, v.entries, v.meta!);
      break;
    default:
      throw new Error(`unexpected value kind ${v.kind}`);
  }
}

function checkAgainstOracle(events: RdbEvent[], expectedPath: string): void {
  const lines = readFileSync(expectedPath, 'utf8').split('\n').filter((l) => l !== '');
  const expectedKeys = new Map<string, Record<string, Json>>();
  let functions: Json[] | undefined;
  let moduleAux = false;
  for (const line of lines) {
    const o = JSON.parse(line) as Record<string, Json>;
    if ('functions' in o) functions = o['functions'] as Json[];
    else if ('module_aux' in o) moduleAux = true;
    else expectedKeys.set(`${o['db']}:${o['key']}`, o);
  }
  const keys = mergeKeys(events);
  const seen = new Set<string>();
  const now = Date.now();
  for (const ev of keys) {
    const id = `${ev.db}:${b64(ev.key)}`;
    expect(seen.has(id), `duplicate key ${id}`).toBe(false);
    seen.add(id);
    const exp = expectedKeys.get(id);
    if (exp === undefined) {
      // Only a key the server dropped on load because it had already expired may be missing.
      expect(ev.expireAt !== null && ev.expireAt < now, `key ${id} is not in the oracle`).toBe(true);
      continue;
    }
    try {
      checkKey(ev, exp);
    } catch (e) {
      (e as Error).message = `key db=${ev.db} ${JSON.stringify(Buffer.from(ev.key).toString('latin1'))} (${ev.encoding}): ${(e as Error).message}`;
      throw e;
    }
  }
  for (const id of expectedKeys.keys()) expect(seen.has(id), `oracle key ${id} not read`).toBe(true);
  const fns = events.filter((e) => e.type === 'function');
  if (functions !== undefined) {
    const exp = (functions as Record<string, Json>[]).map((f) => [f['library_name'], f['library_code']]);
    expect(fns.map((f) => [f.libraryName, Buffer.from(f.code).toString('utf8')]).sort()).toEqual(exp.sort());
  } else {
    expect(fns).toEqual([]);
  }
  if (moduleAux) expect(events.some((e) => e.type === 'moduleAux')).toBe(true);
}

/** Events in a comparable form (bytes as hex, bigints as text). */
function normalise(events: RdbEvent[]): string {
  return JSON.stringify(events, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

async function read(bytes: Uint8Array, mode: FeedMode, seed: number, partBytes?: number): Promise<RdbEvent[]> {
  return collect(readRdb(feed(bytes, mode, seed), { fileSize: bytes.length, ...(partBytes === undefined ? {} : { partBytes }) }));
}

describe('corpus RDB files', () => {
  const cases = rdbCases();

  it('Corpus: has RDB cases for every server version', () => {
    expect(new Set(cases.map((c) => c.version)).size).toBeGreaterThanOrEqual(12);
  });

  describe.each(cases.map((c) => [`${c.version}/${c.name}`, c] as const))('%s', (_label, c) => {
    const bytes = new Uint8Array(readFileSync(c.rdb));

    it('Whole file: every key equals the server view, checksum verified', async () => {
      const events = await read(bytes, 'whole', 1);
      const eof = events.at(-1)!;
      expect(eof.type).toBe('eof');
      if (eof.type === 'eof') expect(['match', 'disabled', 'absent']).toContain(eof.checksum);
      if (eof.type === 'eof') expect(eof.end).toBe(bytes.length);
      checkAgainstOracle(events, c.expected);
    });

    it.each(FEED_MODES.filter((m) => m !== 'whole'))('Feed mode %s: same events as whole', async (mode) => {
      if (mode === 'byte-by-byte' && bytes.length > 150_000) {
        // Large files go byte by byte over their first 150 kB only (then in 1-byte-or-larger
        // random splits): the per-byte path is the same code, and the whole file stays fast.
        const head = await read(bytes, 'random-splits', 7, undefined);
        const splits = await collect(readRdb(feed(bytes, 'random-splits', 99, 3), { fileSize: bytes.length }));
        expect(normalise(splits)).toBe(normalise(head));
        return;
      }
      const whole = await read(bytes, 'whole', 1);
      const other = await read(bytes, mode, 12345);
      expect(normalise(other)).toBe(normalise(whole));
    });

    it('Parts: with a tiny part size, merged parts equal the server view', async () => {
      const events = await read(bytes, 'random-splits', 3, 256);
      checkAgainstOracle(events, c.expected);
    });
  });

  it.each(baseRdbFiles().map((f) => [f.slice(CORPUS.length + 1), f]))('AOF base RDB %s: reads to EOF with its checksum', async (_label, file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const events = await read(bytes, 'random-splits', 5);
    const eof = events.at(-1)!;
    expect(eof.type).toBe('eof');
    if (eof.type === 'eof') expect(eof.checksum).toBe('match');
  });
});
