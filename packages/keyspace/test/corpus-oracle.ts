// Test helper: the corpus oracles (fixtures/corpus/<version>/<case>.expected.jsonl, see
// fixtures/corpus/README.md) as ViewKeys, and a key-by-key comparison with a keyspace that checks
// what the oracle records (stream metadata only where the server version reports it; stream
// times are load times there, so they are not compared).

import { readFileSync } from 'node:fs';

import { parseServerScore } from '@redis-forensics/testkit';

import type { ViewKey, ViewStreamInfo } from './keyspace-view.js';

const b64hex = (s: string): string => Buffer.from(s, 'base64').toString('hex');

/** A string inside xinfo: plain JSON text or `{ b64 }`. */
function xstr(v: unknown): string {
  if (typeof v === 'string') return Buffer.from(v, 'utf8').toString('hex');
  if (v !== null && typeof v === 'object' && 'b64' in v) return b64hex((v as { b64: string }).b64);
  return Buffer.from(String(v), 'utf8').toString('hex');
}
const xtext = (v: unknown): string => Buffer.from(xstr(v), 'hex').toString('utf8');

function pairs(arr: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  const a = arr as unknown[];
  for (let i = 0; i + 1 < a.length; i += 2) m.set(String(a[i]), a[i + 1]);
  return m;
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Partial stream info: fields the oracle does not have are undefined. */
export type OracleStreamInfo = { [K in keyof ViewStreamInfo]?: ViewStreamInfo[K] | undefined };

function streamInfo(o: Record<string, unknown>): OracleStreamInfo | undefined {
  if (Array.isArray(o['xinfo_full'])) {
    const m = pairs(o['xinfo_full']);
    return {
      length: Number(m.get('length')),
      lastGeneratedId: xtext(m.get('last-generated-id')),
      maxDeletedEntryId: m.has('max-deleted-entry-id') ? xtext(m.get('max-deleted-entry-id')) : undefined,
      entriesAdded: m.has('entries-added') ? Number(m.get('entries-added')) : undefined,
      recordedFirstEntryId: m.has('recorded-first-entry-id') ? xtext(m.get('recorded-first-entry-id')) : undefined,
      groups: ((m.get('groups') as unknown[]) ?? [])
        .map((g) => {
          const gm = pairs(g);
          return {
            name: xstr(gm.get('name')),
            lastDeliveredId: xtext(gm.get('last-delivered-id')),
            entriesRead: gm.has('entries-read') ? numOrNull(gm.get('entries-read')) : (undefined as unknown as null),
            pending: ((gm.get('pending') as unknown[][]) ?? []).map((p) => ({ id: xtext(p[0]), consumer: xstr(p[1]), deliveryTime: 0, deliveryCount: Number(p[3]) })),
            consumers: ((gm.get('consumers') as unknown[]) ?? [])
              .map((c) => {
                const cm = pairs(c);
                return { name: xstr(cm.get('name')), seenTime: 0, pending: ((cm.get('pending') as unknown[][]) ?? []).map((p) => xtext(p[0])) };
              })
              .sort((a, b) => (a.name < b.name ? -1 : 1)),
          };
        })
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
  }
  const x = o['xinfo'] as { stream: unknown[]; groups: { group: unknown[]; consumers: unknown[]; pending: unknown[][] }[] } | undefined;
  if (x === undefined) return undefined;
  const m = pairs(x.stream);
  return {
    length: Number(m.get('length')),
    lastGeneratedId: xtext(m.get('last-generated-id')),
    groups: x.groups
      .map((g) => {
        const gm = pairs(g.group);
        return {
          name: xstr(gm.get('name')),
          lastDeliveredId: xtext(gm.get('last-delivered-id')),
          entriesRead: undefined as unknown as null,
          pending: g.pending.map((p) => ({ id: xtext(p[0]), consumer: xstr(p[1]), deliveryTime: 0, deliveryCount: Number(p[3]) })),
          consumers: g.consumers
            .map((c) => ({ name: xstr(pairs(c).get('name')), seenTime: 0, pending: undefined as unknown as string[] }))
            .sort((a, b) => (a.name < b.name ? -1 : 1)),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

/** One oracle key. */
export interface OracleKey extends Omit<ViewKey, 'stream'> {
  expireApprox: boolean;
  stream?: OracleStreamInfo;
  digestValue?: string;
}

/** An oracle file: keys (sorted by db then key bytes) and function library names (null when absent). */
export interface Oracle {
  keys: OracleKey[];
  functions: string[] | null;
}

/** Read a corpus `*.expected.jsonl`. */
export function readOracle(path: string): Oracle {
  const keys: OracleKey[] = [];
  let functions: string[] | null = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    if (Array.isArray(o['functions'])) {
      functions = (o['functions'] as { library_name: string }[]).map((f) => f.library_name).sort();
      continue;
    }
    if (typeof o['key'] !== 'string') continue;
    const type = String(o['type']);
    const raw = o['value'];
    let value: unknown;
    switch (type) {
      case 'string': value = b64hex(raw as string); break;
      case 'list': value = (raw as string[]).map(b64hex); break;
      case 'set': value = (raw as string[]).map(b64hex).sort(); break;
      case 'zset': value = (raw as [string, string][]).map(([m, s]) => [b64hex(m), parseServerScore(s)]); break;
      case 'hash': value = (raw as [string, string][]).map(([f, v]) => [b64hex(f), b64hex(v)]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)); break;
      case 'stream': value = (raw as [string, string[]][]).map(([id, fs]) => [id, fs.map(b64hex)]); break;
      default: value = raw;
    }
    const k: OracleKey = {
      db: Number(o['db']),
      key: b64hex(o['key'] as string),
      type,
      expireAt: (o['expire_at_ms'] as number | null) ?? null,
      value,
      expireApprox: o['expire_approx'] === true,
    };
    const info = type === 'stream' ? streamInfo(o) : undefined;
    if (info !== undefined) k.stream = info;
    if (typeof o['digest_value'] === 'string') k.digestValue = o['digest_value'];
    keys.push(k);
  }
  keys.sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { keys, functions };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compare our view with the oracle: one line per difference (empty when equal). */
export function diffOracle(mine: ViewKey[], oracle: OracleKey[], approxTolerance = 5000): string[] {
  const out: string[] = [];
  const a = new Map(mine.map((k) => [`${k.db}:${k.key}`, k]));
  const b = new Map(oracle.map((k) => [`${k.db}:${k.key}`, k]));
  for (const [id, o] of b) {
    const k = a.get(id);
    const name = `db ${o.db} key ${JSON.stringify(Buffer.from(o.key, 'hex').toString('latin1'))}`;
    if (k === undefined) {
      out.push(`${name}: missing (${o.type})`);
      continue;
    }
    if (k.type !== o.type) {
      out.push(`${name}: type ${k.type}, oracle ${o.type}`);
      continue;
    }
    const tol = o.expireApprox ? approxTolerance : 0;
    if ((k.expireAt === null) !== (o.expireAt === null) || (k.expireAt !== null && Math.abs(k.expireAt - o.expireAt!) > tol)) {
      out.push(`${name}: expireAt ${k.expireAt}, oracle ${o.expireAt}`);
    }
    if (o.type === 'zset') {
      const x = k.value as [string, number][];
      const y = o.value as [string, number][];
      if (x.length !== y.length || x.some((e, i) => e[0] !== y[i]![0] || e[1] !== y[i]![1])) out.push(`${name}: zset ${JSON.stringify(x).slice(0, 300)}, oracle ${JSON.stringify(y).slice(0, 300)}`);
    } else if (!sameJson(k.value, o.value)) {
      out.push(`${name}: value ${JSON.stringify(k.value).slice(0, 300)}, oracle ${JSON.stringify(o.value).slice(0, 300)}`);
    }
    if (o.stream !== undefined && k.stream !== undefined) {
      const s = k.stream;
      const t = o.stream;
      for (const f of ['length', 'lastGeneratedId', 'maxDeletedEntryId', 'entriesAdded', 'recordedFirstEntryId'] as const) {
        if (t[f] !== undefined && s[f] !== t[f]) out.push(`${name}: stream ${f} ${s[f]}, oracle ${t[f]}`);
      }
      const tg = t.groups ?? [];
      if (s.groups.length !== tg.length) out.push(`${name}: ${s.groups.length} groups, oracle ${tg.length}`);
      else {
        s.groups.forEach((g, i) => {
          const og = tg[i]!;
          const gname = `${name} group ${Buffer.from(og.name, 'hex').toString('latin1')}`;
          if (g.name !== og.name || g.lastDeliveredId !== og.lastDeliveredId) out.push(`${gname}: last id ${g.lastDeliveredId}, oracle ${og.lastDeliveredId}`);
          if (og.entriesRead !== undefined && g.entriesRead !== og.entriesRead) out.push(`${gname}: entries-read ${g.entriesRead}, oracle ${og.entriesRead}`);
          const pel = (p: { id: string; consumer: string; deliveryCount: number }[]): unknown => p.map((e) => [e.id, e.consumer, e.deliveryCount]);
          if (!sameJson(pel(g.pending), pel(og.pending))) out.push(`${gname}: PEL ${JSON.stringify(pel(g.pending)).slice(0, 300)}, oracle ${JSON.stringify(pel(og.pending)).slice(0, 300)}`);
          const cons = (cs: { name: string; pending: string[] | undefined }[], withPending: boolean): unknown => cs.map((c) => (withPending ? [c.name, c.pending] : c.name));
          const withPending = og.consumers.every((c) => c.pending !== undefined);
          if (!sameJson(cons(g.consumers, withPending), cons(og.consumers, withPending))) out.push(`${gname}: consumers ${JSON.stringify(cons(g.consumers, withPending))}, oracle ${JSON.stringify(cons(og.consumers, withPending))}`);
        });
      }
    }
  }
  for (const [id, k] of a) if (!b.has(id)) out.push(`db ${k.db} key ${JSON.stringify(Buffer.from(k.key, 'hex').toString('latin1'))}: not in the oracle (${k.type})`);
  return out;
}

/** The server version a corpus folder was written by, as our version switches understand it. */
export function corpusServerVersion(folder: string): string {
  if (folder.startsWith('valkey-')) return '7.2.4';
  if (folder === '7.4-rc2') return '7.4.0';
  if (folder === '8.0-m01') return '8.0.0';
  return folder;
}
