// Two values of one key compared at the data level, as a client would see them: strings byte by
// byte; lists in order (the differing run after the common head and tail); sets, hashes and sorted
// sets as sets (zset scores as doubles, hash field TTLs included); streams by entry ID, last ID,
// consumer groups (last delivered ID, pending entries with owner, delivery time and count,
// consumers and the IDs they own) and, where both sides hold them, the 7.0 counters
// (entries-added, max-deleted-id, a group's entries-read). Encodings, LRU/LFU hints and a
// consumer's seen/active times (a load or replay sets them to its own clock) are not compared.

import { Buffer } from 'node:buffer';

import { formatStreamId } from '@redis-forensics/rdb';

import type { RdbValue, StreamGroup } from '@redis-forensics/rdb';

/** Added (only in b), removed (only in a), or changed. */
export type DiffOp = '+' | '-' | '~';

/** One pending entry as compared. */
export interface PendingState {
  consumer: Uint8Array | null;
  deliveryTime: number;
  deliveryCount: number;
}

/** One difference inside a value. */
export type ElementDiff =
  | { kind: 'string'; op: '~'; a: Uint8Array; b: Uint8Array }
  | { kind: 'list'; op: DiffOp; index: number; a?: Uint8Array; b?: Uint8Array }
  | { kind: 'set'; op: '+' | '-'; member: Uint8Array }
  | { kind: 'zset'; op: DiffOp; member: Uint8Array; a?: number; b?: number }
  | { kind: 'hash'; op: DiffOp; field: Uint8Array; a?: Uint8Array; b?: Uint8Array; expireAt?: [number | null, number | null] }
  | { kind: 'stream-entry'; op: DiffOp; id: string; a?: Uint8Array[]; b?: Uint8Array[] }
  | { kind: 'stream-meta'; op: '~'; name: 'lastId' | 'entriesAdded' | 'maxDeletedId'; a: string | number; b: string | number }
  | { kind: 'group'; op: '+' | '-'; group: Uint8Array }
  | { kind: 'group-meta'; op: '~'; group: Uint8Array; name: 'lastId' | 'entriesRead'; a: string | number | null; b: string | number | null }
  | { kind: 'pending'; op: DiffOp; group: Uint8Array; id: string; a?: PendingState; b?: PendingState }
  | { kind: 'consumer'; op: DiffOp; group: Uint8Array; consumer: Uint8Array; a?: string[]; b?: string[] }
  | { kind: 'module'; op: '~'; a: { module: string; version: number; bytes: number }; b: { module: string; version: number; bytes: number } };

/** How two values of the same type differ. */
export interface ValueComparison {
  /** Number of differences (elements, fields, members, entries, metadata items). */
  differences: number;
  /** The first `maxElements` of them, in a stable order. */
  elements: ElementDiff[];
}

/** Options of {@link compareValues}. */
export interface CompareOptions {
  /** Keep at most this many differences (all are counted). */
  maxElements: number;
  /** Compare the 7.0 stream counters (both sides hold them). */
  streamCounters: boolean;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const byText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

class Collector {
  differences = 0;
  readonly elements: ElementDiff[] = [];
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  push(e: ElementDiff): void {
    this.differences++;
    if (this.elements.length < this.max) this.elements.push(e);
  }
}

function compareLists(a: Uint8Array[], b: Uint8Array[], out: Collector): void {
  const sa = a.map(latin1);
  const sb = b.map(latin1);
  let head = 0;
  while (head < sa.length && head < sb.length && sa[head] === sb[head]) head++;
  let tail = 0;
  while (tail < sa.length - head && tail < sb.length - head && sa[sa.length - 1 - tail] === sb[sb.length - 1 - tail]) tail++;
  const na = sa.length - head - tail;
  const nb = sb.length - head - tail;
  for (let j = 0; j < Math.max(na, nb); j++) {
    const i = head + j;
    if (j < na && j < nb) {
      if (sa[i] !== sb[i]) out.push({ kind: 'list', op: '~', index: i, a: a[i]!, b: b[i]! });
    } else if (j < na) out.push({ kind: 'list', op: '-', index: i, a: a[i]! });
    else out.push({ kind: 'list', op: '+', index: i, b: b[i]! });
  }
}

function compareSets(a: Uint8Array[], b: Uint8Array[], out: Collector): void {
  const sa = new Set(a.map(latin1));
  const sb = new Set(b.map(latin1));
  const diffs: [string, '+' | '-'][] = [];
  for (const m of sa) if (!sb.has(m)) diffs.push([m, '-']);
  for (const m of sb) if (!sa.has(m)) diffs.push([m, '+']);
  diffs.sort((x, y) => byText(x[0], y[0]));
  for (const [m, op] of diffs) out.push({ kind: 'set', op, member: bytes(m) });
}

function compareZsets(a: RdbValue & { kind: 'zset' }, b: RdbValue & { kind: 'zset' }, out: Collector): void {
  const ma = new Map(a.entries.map((e) => [latin1(e.member), e.score]));
  const mb = new Map(b.entries.map((e) => [latin1(e.member), e.score]));
  const keys: string[] = [];
  for (const [m, s] of ma) {
    const t = mb.get(m);
    // Scores compare as doubles: -0 equals 0.
    if (t === undefined || t !== s) keys.push(m);
  }
  for (const m of mb.keys()) if (!ma.has(m)) keys.push(m);
  keys.sort(byText);
  for (const m of keys) {
    const s = ma.get(m);
    const t = mb.get(m);
    out.push(s === undefined ? { kind: 'zset', op: '+', member: bytes(m), b: t! } : t === undefined ? { kind: 'zset', op: '-', member: bytes(m), a: s } : { kind: 'zset', op: '~', member: bytes(m), a: s, b: t });
  }
}

function compareHashes(a: RdbValue & { kind: 'hash' }, b: RdbValue & { kind: 'hash' }, out: Collector): void {
  const ma = new Map(a.entries.map((e) => [latin1(e.field), e]));
  const mb = new Map(b.entries.map((e) => [latin1(e.field), e]));
  const keys: string[] = [];
  for (const [f, e] of ma) {
    const g = mb.get(f);
    if (g === undefined || latin1(g.value) !== latin1(e.value) || g.expireAt !== e.expireAt) keys.push(f);
  }
  for (const f of mb.keys()) if (!ma.has(f)) keys.push(f);
  keys.sort(byText);
  for (const f of keys) {
    const e = ma.get(f);
    const g = mb.get(f);
    const ttl = (e?.expireAt ?? null) !== null || (g?.expireAt ?? null) !== null ? { expireAt: [e?.expireAt ?? null, g?.expireAt ?? null] as [number | null, number | null] } : {};
    if (e === undefined) out.push({ kind: 'hash', op: '+', field: bytes(f), b: g!.value, ...ttl });
    else if (g === undefined) out.push({ kind: 'hash', op: '-', field: bytes(f), a: e.value, ...ttl });
    else out.push({ kind: 'hash', op: '~', field: bytes(f), a: e.value, b: g.value, ...ttl });
  }
}

function sameFields(x: Uint8Array[], y: Uint8Array[]): boolean {
  return x.length === y.length && x.every((f, i) => Buffer.compare(f, y[i]!) === 0);
}

function compareGroups(ga: StreamGroup[], gb: StreamGroup[], counters: boolean, out: Collector): void {
  const ma = new Map(ga.map((g) => [latin1(g.name), g]));
  const mb = new Map(gb.map((g) => [latin1(g.name), g]));
  const names = [...new Set([...ma.keys(), ...mb.keys()])].sort(byText);
  for (const name of names) {
    const x = ma.get(name);
    const y = mb.get(name);
    if (x === undefined || y === undefined) {
      out.push({ kind: 'group', op: x === undefined ? '+' : '-', group: bytes(name) });
      continue;
    }
    const group = x.name;
    if (formatStreamId(x.lastId) !== formatStreamId(y.lastId)) out.push({ kind: 'group-meta', op: '~', group, name: 'lastId', a: formatStreamId(x.lastId), b: formatStreamId(y.lastId) });
    if (counters && x.entriesRead !== y.entriesRead) out.push({ kind: 'group-meta', op: '~', group, name: 'entriesRead', a: x.entriesRead, b: y.entriesRead });
    const pa = new Map(x.pending.map((p) => [formatStreamId(p.id), p]));
    const pb = new Map(y.pending.map((p) => [formatStreamId(p.id), p]));
    const state = (p: StreamGroup['pending'][number]): PendingState => ({ consumer: p.consumer, deliveryTime: p.deliveryTime, deliveryCount: p.deliveryCount });
    const ids = [...new Set([...pa.keys(), ...pb.keys()])].sort(compareIdText);
    for (const id of ids) {
      const p = pa.get(id);
      const q = pb.get(id);
      if (p === undefined) out.push({ kind: 'pending', op: '+', group, id, b: state(q!) });
      else if (q === undefined) out.push({ kind: 'pending', op: '-', group, id, a: state(p) });
      else if (p.deliveryTime !== q.deliveryTime || p.deliveryCount !== q.deliveryCount || latin1(p.consumer ?? new Uint8Array()) !== latin1(q.consumer ?? new Uint8Array()) || (p.consumer === null) !== (q.consumer === null)) {
        out.push({ kind: 'pending', op: '~', group, id, a: state(p), b: state(q) });
      }
    }
    const ca = new Map(x.consumers.map((c) => [latin1(c.name), c.pending.map(formatStreamId)]));
    const cb = new Map(y.consumers.map((c) => [latin1(c.name), c.pending.map(formatStreamId)]));
    for (const c of [...new Set([...ca.keys(), ...cb.keys()])].sort(byText)) {
      const p = ca.get(c);
      const q = cb.get(c);
      if (p === undefined) out.push({ kind: 'consumer', op: '+', group, consumer: bytes(c), b: q! });
      else if (q === undefined) out.push({ kind: 'consumer', op: '-', group, consumer: bytes(c), a: p });
      else if ([...p].sort().join(' ') !== [...q].sort().join(' ')) out.push({ kind: 'consumer', op: '~', group, consumer: bytes(c), a: p, b: q });
    }
  }
}

function compareIdText(x: string, y: string): number {
  const [xm, xs] = x.split('-').map(BigInt) as [bigint, bigint];
  const [ym, ys] = y.split('-').map(BigInt) as [bigint, bigint];
  return xm !== ym ? (xm < ym ? -1 : 1) : xs !== ys ? (xs < ys ? -1 : 1) : 0;
}

function compareStreams(a: RdbValue & { kind: 'stream' }, b: RdbValue & { kind: 'stream' }, counters: boolean, out: Collector): void {
  const ea = new Map(a.entries.map((e) => [formatStreamId(e.id), e.fields]));
  const eb = new Map(b.entries.map((e) => [formatStreamId(e.id), e.fields]));
  const ids: string[] = [];
  for (const [id, f] of ea) {
    const g = eb.get(id);
    if (g === undefined || !sameFields(f, g)) ids.push(id);
  }
  for (const id of eb.keys()) if (!ea.has(id)) ids.push(id);
  ids.sort(compareIdText);
  for (const id of ids) {
    const f = ea.get(id);
    const g = eb.get(id);
    if (f === undefined) out.push({ kind: 'stream-entry', op: '+', id, b: g! });
    else if (g === undefined) out.push({ kind: 'stream-entry', op: '-', id, a: f });
    else out.push({ kind: 'stream-entry', op: '~', id, a: f, b: g });
  }
  const ma = a.meta;
  const mb = b.meta;
  if (ma === null || mb === null) return;
  if (formatStreamId(ma.lastId) !== formatStreamId(mb.lastId)) out.push({ kind: 'stream-meta', op: '~', name: 'lastId', a: formatStreamId(ma.lastId), b: formatStreamId(mb.lastId) });
  if (counters) {
    if (ma.entriesAdded !== mb.entriesAdded) out.push({ kind: 'stream-meta', op: '~', name: 'entriesAdded', a: ma.entriesAdded, b: mb.entriesAdded });
    if (formatStreamId(ma.maxDeletedId) !== formatStreamId(mb.maxDeletedId)) out.push({ kind: 'stream-meta', op: '~', name: 'maxDeletedId', a: formatStreamId(ma.maxDeletedId), b: formatStreamId(mb.maxDeletedId) });
  }
  compareGroups(ma.groups, mb.groups, counters, out);
}

/**
 * Compare two values of the same type.
 * @param a the value in the first dataset
 * @param b the value in the second dataset (same `kind`)
 * @param options cap and stream counters
 * @returns how they differ (0 differences: equal)
 */
export function compareValues(a: RdbValue, b: RdbValue, options: CompareOptions): ValueComparison {
  const out = new Collector(options.maxElements);
  if (a.kind === 'string' && b.kind === 'string') {
    if (Buffer.compare(a.value, b.value) !== 0) out.push({ kind: 'string', op: '~', a: a.value, b: b.value });
  } else if (a.kind === 'list' && b.kind === 'list') compareLists(a.elements, b.elements, out);
  else if (a.kind === 'set' && b.kind === 'set') compareSets(a.members, b.members, out);
  else if (a.kind === 'zset' && b.kind === 'zset') compareZsets(a, b, out);
  else if (a.kind === 'hash' && b.kind === 'hash') compareHashes(a, b, out);
  else if (a.kind === 'stream' && b.kind === 'stream') compareStreams(a, b, options.streamCounters, out);
  else if (a.kind === 'module' && b.kind === 'module') {
    const x = a.module;
    const y = b.module;
    if (x.moduleName !== y.moduleName || x.moduleVersion !== y.moduleVersion || Buffer.compare(x.payload, y.payload) !== 0) {
      out.push({ kind: 'module', op: '~', a: { module: x.moduleName, version: x.moduleVersion, bytes: x.payload.length }, b: { module: y.moduleName, version: y.moduleVersion, bytes: y.payload.length } });
    }
  } else {
    throw new TypeError(`compareValues: ${a.kind} vs ${b.kind}`);
  }
  return { differences: out.differences, elements: out.elements };
}
