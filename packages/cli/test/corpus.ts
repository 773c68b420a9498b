// The fixture corpus and its oracles (fixtures/corpus/<version>/<case>.expected.jsonl: the real
// server's view of every key), in one canonical form that rfx's dump output is converted to.

import { Buffer } from 'node:buffer';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { redisStringBytes } from '../src/redis-string-json.js';

import type { RedisStringJson } from '../src/redis-string-json.js';

/** fixtures/corpus, absolute. */
export const CORPUS_DIR: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'corpus');

/**
 * Path of a corpus file.
 * @param version folder name (`7.4.1`, `2.4.18`, `valkey-8.0.1`)
 * @param name file name (`rdb-full.rdb`)
 */
export function corpusFile(version: string, name: string): string {
  return join(CORPUS_DIR, version, name);
}

/** Every `[version, case]` that has an .rdb file and an oracle. */
export function corpusRdbCases(): [string, string][] {
  const out: [string, string][] = [];
  for (const version of readdirSync(CORPUS_DIR).sort()) {
    const dir = join(CORPUS_DIR, version);
    if (!existsSync(dir) || version.endsWith('.md')) continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.rdb') && existsSync(join(dir, f.replace(/\.rdb$/, '.expected.jsonl')))) out.push([version, f.replace(/\.rdb$/, '')]);
    }
  }
  return out;
}

/** A key in canonical form: what the server reported, or what rfx dumped, comparable with toEqual. */
export interface CanonicalKey {
  db: number;
  /** Key bytes as hex. */
  key: string;
  type: string;
  expireAt: number | null;
  /** Only when the server derived the TTL from PTTL (compare with slack). */
  expireApprox: boolean;
  value: unknown;
  /** Hash field TTLs: hex field -> ms. */
  fieldExpire: Record<string, number>;
  /** Streams: metadata and groups in comparable form (null when the oracle has none). */
  stream: CanonicalStream | null;
}

/** A stream's metadata and groups. */
export interface CanonicalStream {
  lastId: string | null;
  maxDeletedId: string | null;
  entriesAdded: number | null;
  groups: {
    name: string;
    lastId: string;
    entriesRead: number | null | undefined;
    pending: [string, string, number | undefined, number][];
    consumers: { name: string; pending: string[] }[];
  }[];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64hex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');
const strHex = (s: RedisStringJson): string => hex(redisStringBytes(s));
/** Strings inside xinfo: plain text when printable UTF-8, else {"b64"}. */
const xinfoHex = (s: RedisStringJson): string => strHex(s);

function byHex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A score from the oracle (server text) or from dump (number / "inf"), as a double. */
export function parseScore(score: string | number): number {
  if (typeof score === 'number') return score;
  if (score === 'inf' || score === '+inf') return Infinity;
  if (score === '-inf') return -Infinity;
  return Number(score);
}

function sortZset(entries: [string, number][]): [string, number][] {
  // Sorted by score, then member bytes (the oracle's order); -0 and 0 compare equal, as doubles do.
  return entries
    .map(([m, s]): [string, number] => [m, s === 0 ? 0 : s])
    .sort((a, b) => a[1] - b[1] || byHex(a[0], b[0]));
}

function pairs(x: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < x.length; i += 2) o[String(x[i])] = x[i + 1];
  return o;
}

function streamFromXinfoFull(xinfo: unknown[]): CanonicalStream {
  const d = pairs(xinfo);
  const groups = (d['groups'] as unknown[][]).map((g) => {
    const gd = pairs(g);
    return {
      name: xinfoHex(gd['name'] as RedisStringJson),
      lastId: gd['last-delivered-id'] as string,
      entriesRead: (gd['entries-read'] as number | null | undefined) ?? null,
      pending: (gd['pending'] as [string, RedisStringJson, number, number][]).map(
        ([id, consumer, time, count]): [string, string, number | undefined, number] => [id, xinfoHex(consumer), time, count],
      ),
      consumers: (gd['consumers'] as unknown[][]).map((c) => {
        const cd = pairs(c);
        return { name: xinfoHex(cd['name'] as RedisStringJson), pending: (cd['pending'] as [string][]).map((p) => p[0]) };
      }),
    };
  });
  return {
    lastId: d['last-generated-id'] as string,
    maxDeletedId: (d['max-deleted-entry-id'] as string | undefined) ?? null,
    entriesAdded: (d['entries-added'] as number | undefined) ?? null,
    groups: groups.sort((a, b) => byHex(a.name, b.name)),
  };
}

/** Redis 5.0's oracle has XINFO GROUPS / CONSUMERS / XPENDING instead of XINFO FULL. */
function streamFromXinfo5(xinfo: { stream: unknown[]; groups: { group: unknown[]; consumers: unknown[][]; pending: unknown[][] }[] }): CanonicalStream {
  const s = pairs(xinfo.stream);
  const groups = xinfo.groups.map((g) => {
    const gd = pairs(g.group);
    const pending = g.pending.map(
      (p): [string, string, number | undefined, number] => [p[0] as string, xinfoHex(p[1] as RedisStringJson), undefined, p[3] as number],
    );
    const consumers = g.consumers.map((c) => {
      const name = xinfoHex(pairs(c)['name'] as RedisStringJson);
      return { name, pending: pending.filter((p) => p[1] === name).map((p) => p[0]) };
    });
    return { name: xinfoHex(gd['name'] as RedisStringJson), lastId: gd['last-delivered-id'] as string, entriesRead: undefined, pending, consumers };
  });
  return { lastId: s['last-generated-id'] as string, maxDeletedId: null, entriesAdded: null, groups: groups.sort((a, b) => byHex(a.name, b.name)) };
}

/**
 * The oracle's keys, canonical.
 * @param version corpus folder
 * @param name case name (`rdb-full`)
 * @returns keys by `db:hexkey`
 */
export function expectedKeys(version: string, name: string): Map<string, CanonicalKey> {
  const out = new Map<string, CanonicalKey>();
  const text = readFileSync(corpusFile(version, `${name}.expected.jsonl`), 'utf8');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    if (!('key' in o)) continue;
    const type = o['type'] as string;
    const v = o['value'];
    let value: unknown;
    let stream: CanonicalStream | null = null;
    switch (type) {
      case 'string':
        value = b64hex(v as string);
        break;
      case 'list':
        value = (v as string[]).map(b64hex);
        break;
      case 'set':
        value = (v as string[]).map(b64hex).sort(byHex);
        break;
      case 'zset':
        value = sortZset((v as [string, string][]).map(([m, s]) => [b64hex(m), parseScore(s)]));
        break;
      case 'hash':
        value = (v as [string, string][]).map(([f, x]) => [b64hex(f), b64hex(x)]).sort((a, b) => byHex(a[0]!, b[0]!));
        break;
      case 'stream':
        value = (v as [string, string[]][]).map(([id, fields]) => [id, fields.map(b64hex)]);
        if (Array.isArray(o['xinfo_full'])) stream = streamFromXinfoFull(o['xinfo_full'] as unknown[]);
        else if (o['xinfo'] !== undefined) stream = streamFromXinfo5(o['xinfo'] as Parameters<typeof streamFromXinfo5>[0]);
        break;
      default:
        value = { module: (v as { module_type: string }).module_type };
    }
    const fieldExpire: Record<string, number> = {};
    for (const [f, ms] of Object.entries((o['field_expire_at_ms'] as Record<string, number> | undefined) ?? {})) fieldExpire[b64hex(f)] = ms;
    const key: CanonicalKey = {
      db: o['db'] as number,
      key: b64hex(o['key'] as string),
      type: value !== null && typeof value === 'object' && 'module' in value ? 'module' : type,
      expireAt: (o['expire_at_ms'] as number | null) ?? null,
      expireApprox: o['expire_approx'] === true,
      value,
      fieldExpire,
      stream,
    };
    out.set(`${key.db}:${key.key}`, key);
  }
  return out;
}

/** One `rfx dump` JSONL line, as parsed JSON. */
export interface DumpLine {
  db: number;
  key: RedisStringJson;
  type: string;
  encoding: string;
  expireAt: number | null;
  value: unknown;
}

interface DumpStream {
  entries: [string, RedisStringJson[]][];
  lastId: string | null;
  maxDeletedId: string | null;
  entriesAdded: number | null;
  groups: {
    name: RedisStringJson;
    lastId: string;
    entriesRead: number | null;
    pending: [string, RedisStringJson | null, number, number][];
    consumers: { name: RedisStringJson; pending: string[] }[];
  }[];
}

/**
 * Which stream details an oracle holds: 'full' (7.0+ XINFO FULL), '6' (6.x XINFO FULL: no
 * entries-read, max-deleted-entry-id or entries-added), '5.0' (XINFO / XPENDING: no delivery
 * times either), 'none' (no streams before 5.0).
 */
export type StreamDetail = 'full' | '6' | '5.0' | 'none';

/**
 * A dump line, canonical, keeping only the stream details the oracle has (see {@link StreamDetail}).
 */
export function canonicalFromDump(line: DumpLine, streamDetail: StreamDetail = 'full'): CanonicalKey {
  const v = line.value;
  let value: unknown;
  let stream: CanonicalStream | null = null;
  const fieldExpire: Record<string, number> = {};
  switch (line.type) {
    case 'string':
      value = strHex(v as RedisStringJson);
      break;
    case 'list':
      value = (v as RedisStringJson[]).map(strHex);
      break;
    case 'set':
      value = (v as RedisStringJson[]).map(strHex).sort(byHex);
      break;
    case 'zset':
      value = sortZset((v as [RedisStringJson, number | string][]).map(([m, s]) => [strHex(m), parseScore(s)]));
      break;
    case 'hash':
      value = (v as [RedisStringJson, RedisStringJson, number?][])
        .map(([f, x, ttl]) => {
          if (ttl !== undefined) fieldExpire[strHex(f)] = ttl;
          return [strHex(f), strHex(x)];
        })
        .sort((a, b) => byHex(a[0]!, b[0]!));
      break;
    case 'stream': {
      const s = v as DumpStream;
      value = s.entries.map(([id, fields]) => [id, fields.map(strHex)]);
      if (streamDetail !== 'none') {
        const full = streamDetail === 'full';
        const times = streamDetail !== '5.0';
        stream = {
          lastId: s.lastId,
          maxDeletedId: full ? s.maxDeletedId : null,
          entriesAdded: full ? s.entriesAdded : null,
          groups: s.groups
            .map((g) => ({
              name: strHex(g.name),
              lastId: g.lastId,
              entriesRead: full ? g.entriesRead : streamDetail === '6' ? null : undefined,
              pending: g.pending.map(
                ([id, consumer, time, count]): [string, string, number | undefined, number] => [id, consumer === null ? '' : strHex(consumer), times ? time : undefined, count],
              ),
              consumers: g.consumers.map((c) => ({ name: strHex(c.name), pending: c.pending })),
            }))
            .sort((a, b) => byHex(a.name, b.name)),
        };
      }
      break;
    }
    default:
      value = { module: (v as { module: string }).module };
  }
  return {
    db: line.db,
    key: strHex(line.key),
    type: line.type,
    expireAt: line.expireAt,
    expireApprox: false,
    value,
    fieldExpire,
    stream,
  };
}

/** Which stream details a version's oracle holds. */
export function streamDetailOf(version: string): StreamDetail {
  if (version.startsWith('5.')) return '5.0';
  if (version.startsWith('6.')) return '6';
  if (/^[234]\./.test(version)) return 'none';
  return 'full';
}
