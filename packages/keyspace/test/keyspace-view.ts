// Test helper: a canonical, comparable view of a keyspace and of what a live server (readServerView)
// or a corpus oracle (expected.jsonl) reports, and a key-by-key diff of two views.

import { latin1ToBytes, SCG_INVALID_ENTRIES_READ, streamIdText } from '@redis-forensics/keyspace';

import type { Keyspace, RedisValue } from '@redis-forensics/keyspace';
import type { ServerView } from '@redis-forensics/testkit';

/** A stream's metadata as XINFO STREAM FULL reports it (times kept for tolerance checks). */
export interface ViewStreamInfo {
  length: number;
  lastGeneratedId: string;
  maxDeletedEntryId: string | null;
  entriesAdded: number | null;
  recordedFirstEntryId: string | null;
  groups: {
    name: string;
    lastDeliveredId: string;
    entriesRead: number | null;
    pending: { id: string; consumer: string; deliveryTime: number; deliveryCount: number }[];
    consumers: { name: string; seenTime: number; pending: string[] }[];
  }[];
}

/** One key: bytes as hex, values canonical (sets and hashes sorted). */
export interface ViewKey {
  db: number;
  key: string;
  type: string;
  expireAt: number | null;
  value: unknown;
  stream?: ViewStreamInfo;
}

const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const bhex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function valueOf(v: RedisValue): { type: string; value: unknown; stream?: ViewStreamInfo } {
  if (typeof v === 'string') return { type: 'string', value: hex(v) };
  switch (v.type) {
    case 'mstring':
      return { type: 'string', value: bhex(v.view()) };
    case 'list':
      return { type: 'list', value: v.toArray().map(hex) };
    case 'set':
      return { type: 'set', value: [...v.set].map(hex).sort() };
    case 'zset':
      return { type: 'zset', value: [...v.index].map(([m, s]) => [hex(m), s]) };
    case 'hash':
      return { type: 'hash', value: [...v.map].map(([f, val]) => [hex(f), hex(val)]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) };
    case 'stream': {
      const groups = [...(v.groups ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, g]) => ({
        name: hex(name),
        lastDeliveredId: streamIdText(g.lastId),
        entriesRead: g.entriesRead === SCG_INVALID_ENTRIES_READ ? null : g.entriesRead,
        pending: [...g.pel.keys()].sort().map((id) => {
          const n = g.pel.get(id)!;
          return { id: streamIdText(id), consumer: hex(n.consumer ?? ''), deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount };
        }),
        consumers: [...g.consumers].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cname, c]) => ({
          name: hex(cname),
          seenTime: c.seenTime,
          pending: [...c.pel].sort().map(streamIdText),
        })),
      }));
      return {
        type: 'stream',
        value: [...v.entries()].map(([id, fields]) => [streamIdText(id), fields.map(hex)]),
        stream: {
          length: v.length,
          lastGeneratedId: streamIdText(v.lastId),
          maxDeletedEntryId: streamIdText(v.maxDeletedId),
          entriesAdded: v.entriesAdded,
          recordedFirstEntryId: streamIdText(v.firstId),
          groups,
        },
      };
    }
    case 'module':
      return { type: 'module', value: bhex(v.payload) };
  }
}

/** The keyspace's view, sorted by db then key bytes. */
export function keyspaceView(ks: Keyspace): ViewKey[] {
  const out: ViewKey[] = [];
  for (const db of ks.dbs) {
    for (const [k, v] of db.dict) {
      const { type, value, stream } = valueOf(v);
      const entry: ViewKey = { db: db.id, key: hex(k), type, expireAt: db.expires.get(k) ?? null, value };
      if (stream !== undefined) entry.stream = stream;
      out.push(entry);
    }
  }
  return out.sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A live server's view (readServerView) in the same shape. */
export function serverViewKeys(view: ServerView): ViewKey[] {
  return view.keys.map((k) => {
    const v = k.value;
    let value: unknown;
    let stream: ViewStreamInfo | undefined;
    switch (v.type) {
      case 'string': value = bhex(v.value); break;
      case 'list': value = v.elements.map(bhex); break;
      case 'set': value = v.members.map(bhex).sort(); break;
      case 'zset': value = v.entries.map((e) => [bhex(e.member), e.score]); break;
      case 'hash': value = v.entries.map((e) => [bhex(e.field), bhex(e.value)]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)); break;
      default: {
        value = v.entries.map((e) => [e.id, e.fields.map(bhex)]);
        const info = v.info;
        stream = {
          length: info.length,
          lastGeneratedId: info.lastGeneratedId,
          maxDeletedEntryId: info.maxDeletedEntryId,
          entriesAdded: info.entriesAdded,
          recordedFirstEntryId: info.recordedFirstEntryId,
          groups: info.groups
            .map((g) => ({
              name: bhex(g.name),
              lastDeliveredId: g.lastDeliveredId,
              entriesRead: g.entriesRead,
              pending: g.pending.map((p) => ({ id: p.id, consumer: bhex(p.consumer), deliveryTime: p.deliveryTime, deliveryCount: p.deliveryCount })),
              consumers: g.consumers
                .map((c) => ({ name: bhex(c.name), seenTime: c.seenTime, pending: c.pending.map((p) => p.id) }))
                .sort((a, b) => (a.name < b.name ? -1 : 1)),
            }))
            .sort((a, b) => (a.name < b.name ? -1 : 1)),
        };
      }
    }
    const entry: ViewKey = { db: k.db, key: bhex(k.key), type: k.type, expireAt: k.expireAt, value };
    if (stream !== undefined) entry.stream = stream;
    return entry;
  }).sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Options of {@link diffViews}. */
export interface DiffOptions {
  /** Allowed difference of TTLs and stream times in ms. Defaults to 0. */
  timeTolerance?: number;
  /** Compare stream times (delivery, seen). Defaults to true. */
  streamTimes?: boolean;
  /** Compare zset scores with Object.is (-0 differs from 0). Defaults to true. */
  signedZero?: boolean;
}

const eqScore = (a: unknown, b: unknown, signed: boolean): boolean =>
  typeof a === 'number' && typeof b === 'number' ? (signed ? Object.is(a, b) : a === b || (Number.isNaN(a) && Number.isNaN(b))) : a === b;

function sameValue(a: ViewKey, b: ViewKey, signed: boolean): boolean {
  if (a.type === 'zset') {
    const x = a.value as [string, number][];
    const y = b.value as [string, number][];
    return x.length === y.length && x.every((e, i) => e[0] === y[i]![0] && eqScore(e[1], y[i]![1], signed));
  }
  return JSON.stringify(a.value) === JSON.stringify(b.value);
}

function streamDiff(a: ViewStreamInfo, b: ViewStreamInfo, tol: number, times: boolean): string | null {
  const strip = (s: ViewStreamInfo): unknown => ({
    ...s,
    groups: s.groups.map((g) => ({
      ...g,
      pending: g.pending.map((p) => ({ ...p, deliveryTime: 0 })),
      consumers: g.consumers.map((c) => ({ ...c, seenTime: 0 })),
    })),
  });
  if (JSON.stringify(strip(a)) !== JSON.stringify(strip(b))) return `stream info ${JSON.stringify(strip(a))} != ${JSON.stringify(strip(b))}`;
  if (!times) return null;
  for (let i = 0; i < a.groups.length; i++) {
    const ga = a.groups[i]!;
    const gb = b.groups[i]!;
    for (let j = 0; j < ga.pending.length; j++) {
      if (Math.abs(ga.pending[j]!.deliveryTime - gb.pending[j]!.deliveryTime) > tol) return `delivery time of ${ga.pending[j]!.id}: ${ga.pending[j]!.deliveryTime} != ${gb.pending[j]!.deliveryTime}`;
    }
    for (let j = 0; j < ga.consumers.length; j++) {
      if (Math.abs(ga.consumers[j]!.seenTime - gb.consumers[j]!.seenTime) > tol) return `seen time of consumer ${ga.consumers[j]!.name}`;
    }
  }
  return null;
}

/** Differences between two views, one line each (empty when equal). */
export function diffViews(mine: ViewKey[], theirs: ViewKey[], options: DiffOptions = {}): string[] {
  const tol = options.timeTolerance ?? 0;
  const out: string[] = [];
  const index = (v: ViewKey[]): Map<string, ViewKey> => new Map(v.map((k) => [`${k.db}:${k.key}`, k]));
  const a = index(mine);
  const b = index(theirs);
  for (const [id, k] of a) {
    const o = b.get(id);
    const name = `db ${k.db} key ${JSON.stringify(Buffer.from(k.key, 'hex').toString('latin1'))}`;
    if (o === undefined) {
      out.push(`${name}: only in ours (${k.type})`);
      continue;
    }
    if (k.type !== o.type) {
      out.push(`${name}: type ${k.type} != ${o.type}`);
      continue;
    }
    if ((k.expireAt === null) !== (o.expireAt === null) || (k.expireAt !== null && Math.abs(k.expireAt - o.expireAt!) > tol)) {
      out.push(`${name}: expireAt ${k.expireAt} != ${o.expireAt}`);
    }
    if (!sameValue(k, o, options.signedZero ?? true)) out.push(`${name}: value ${JSON.stringify(k.value).slice(0, 400)} != ${JSON.stringify(o.value).slice(0, 400)}`);
    if (k.stream !== undefined && o.stream !== undefined) {
      const d = streamDiff(k.stream, o.stream, tol, options.streamTimes ?? true);
      if (d !== null) out.push(`${name}: ${d}`);
    }
  }
  for (const [id, k] of b) if (!a.has(id)) out.push(`db ${k.db} key ${JSON.stringify(Buffer.from(k.key, 'hex').toString('latin1'))}: only in theirs (${k.type})`);
  return out;
}

/** Bytes of a latin1 string (for building argv). */
export const bytes = (s: string): Uint8Array => latin1ToBytes(s);
