// Text and JSON lines for `rfx diff`.

import { Buffer } from 'node:buffer';

import { escapeBytes } from '@redis-forensics/core';

import { redisStringJson } from '../../redis-string-json.js';
import { replaySummaryLines } from '../../render/replay-summary.js';
import { formatCount, formatCountOf, formatUnixMs } from '../../render/units.js';
import { scoreJson } from '../dump/jsonl-encoder.js';

import type { Style } from '../../render/style.js';
import type { ElementDiff, PendingState } from './compare-values.js';
import type { DiffReport, FunctionDiff, KeyDiff } from './run-diff.js';

/** Bytes of a string value shown in text output. */
const SHOWN_BYTES = 64;

const q = (b: Uint8Array): string => escapeBytes(b, SHOWN_BYTES) + (b.length > SHOWN_BYTES ? ` (${formatCountOf(b.length, 'byte')})` : '');
const ttlText = (ms: number | null): string => (ms === null ? 'none' : formatUnixMs(ms));
const fields = (f: Uint8Array[]): string => f.map((x) => escapeBytes(x, 32)).join(' ');
const pendingText = (p: PendingState): string => `owner ${p.consumer === null ? '(none)' : escapeBytes(p.consumer, 40)}, delivered ${formatUnixMs(p.deliveryTime)}, ${formatCount(p.deliveryCount)} ${p.deliveryCount === 1 ? 'delivery' : 'deliveries'}`;
const latin1Name = (name: string): Uint8Array => new Uint8Array(Buffer.from(name, 'latin1'));

/** One difference inside a value, as a text line (without indentation). */
function elementText(e: ElementDiff): string {
  switch (e.kind) {
    case 'string': {
      let first = 0;
      while (first < e.a.length && first < e.b.length && e.a[first] === e.b[first]) first++;
      return `~ ${q(e.a)} -> ${q(e.b)} (first difference at byte ${formatCount(first)})`;
    }
    case 'list':
      return e.op === '~' ? `~ [${e.index}] ${q(e.a!)} -> ${q(e.b!)}` : e.op === '-' ? `- [${e.index}] ${q(e.a!)}` : `+ [${e.index}] ${q(e.b!)}`;
    case 'set':
      return `${e.op} ${q(e.member)}`;
    case 'zset':
      return e.op === '~' ? `~ ${q(e.member)} score ${scoreJson(e.a!)} -> ${scoreJson(e.b!)}` : `${e.op} ${q(e.member)} score ${scoreJson((e.op === '-' ? e.a : e.b)!)}`;
    case 'hash': {
      const ttl = e.expireAt === undefined ? '' : e.op === '~' ? (e.expireAt[0] === e.expireAt[1] ? ` (TTL ${ttlText(e.expireAt[0])})` : `, TTL ${ttlText(e.expireAt[0])} -> ${ttlText(e.expireAt[1])}`) : ` (TTL ${ttlText(e.op === '-' ? e.expireAt[0] : e.expireAt[1])})`;
      if (e.op === '~') {
        const same = Buffer.compare(e.a!, e.b!) === 0;
        return `~ field ${q(e.field)}: ${same ? q(e.a!) : `${q(e.a!)} -> ${q(e.b!)}`}${ttl}`;
      }
      return `${e.op} field ${q(e.field)}: ${q((e.op === '-' ? e.a : e.b)!)}${ttl}`;
    }
    case 'stream-entry':
      return e.op === '~' ? `~ entry ${e.id}: ${fields(e.a!)} -> ${fields(e.b!)}` : `${e.op} entry ${e.id}: ${fields((e.op === '-' ? e.a : e.b)!)}`;
    case 'stream-meta':
      return `~ ${e.name} ${e.a} -> ${e.b}`;
    case 'group':
      return `${e.op} group ${q(e.group)}`;
    case 'group-meta':
      return `~ group ${q(e.group)} ${e.name} ${e.a ?? 'unknown'} -> ${e.b ?? 'unknown'}`;
    case 'pending':
      return e.op === '~'
        ? `~ group ${q(e.group)} pending ${e.id}: ${pendingText(e.a!)} -> ${pendingText(e.b!)}`
        : `${e.op} group ${q(e.group)} pending ${e.id}: ${pendingText((e.op === '-' ? e.a : e.b)!)}`;
    case 'consumer':
      return e.op === '~'
        ? `~ group ${q(e.group)} consumer ${q(e.consumer)} owns ${e.a!.join(' ') || 'nothing'} -> ${e.b!.join(' ') || 'nothing'}`
        : `${e.op} group ${q(e.group)} consumer ${q(e.consumer)}`;
    case 'module':
      return `~ module value ${e.a.module} v${e.a.version} (${formatCountOf(e.a.bytes, 'byte')}) -> ${e.b.module} v${e.b.version} (${formatCountOf(e.b.bytes, 'byte')})`;
  }
}

/** The lines of one differing key. */
function keyLines(d: KeyDiff, max: number, style: Style): string[] {
  const name = `db ${d.db} ${escapeBytes(d.key, 200)}`;
  switch (d.change) {
    case 'added':
      return [style.good(`+ ${name} (${d.typeB}${d.expireAtB === null ? '' : `, TTL ${ttlText(d.expireAtB)}`})`)];
    case 'removed':
      return [style.bad(`- ${name} (${d.typeA}${d.expireAtA === null ? '' : `, TTL ${ttlText(d.expireAtA)}`})`)];
    case 'type':
      return [style.warn(`~ ${name}: type ${d.typeA} -> ${d.typeB}`) + (d.ttlChanged ? `, TTL ${ttlText(d.expireAtA)} -> ${ttlText(d.expireAtB)}` : '')];
    case 'changed': {
      const parts: string[] = [];
      if (d.valueChanged) parts.push(`${d.typeA}, ${formatCountOf(d.differences, 'difference')}`);
      if (d.ttlChanged) parts.push(`TTL ${ttlText(d.expireAtA)} -> ${ttlText(d.expireAtB)}`);
      const lines = [style.warn(`~ ${name}: ${parts.join('; ')}`)];
      for (const e of d.elements) lines.push(`    ${elementText(e)}`);
      if (d.differences > d.elements.length) lines.push(style.dim(`    ... ${formatCount(d.differences - d.elements.length)} more (--max-elements ${max})`));
      return lines;
    }
  }
}

function functionLine(f: FunctionDiff): string {
  const name = escapeBytes(latin1Name(f.name), 200);
  return f.change === 'added' ? `+ function library ${name}` : f.change === 'removed' ? `- function library ${name}` : `~ function library ${name}: the code differs`;
}

/**
 * The human report: how each side was read, a summary table, one block per differing key, the
 * verdict.
 * @param report what runDiff returned
 * @param style colours
 * @returns text ending with a newline
 */
export function renderDiffReport(report: DiffReport, style: Style): string {
  const c = report.counts;
  const out: string[] = [
    ...replaySummaryLines(report.a, `a ${report.a.path}`, style),
    ...replaySummaryLines(report.b, `b ${report.b.path}`, style),
    '',
    style.table(
      ['', 'keys'],
      [
        ['in a', formatCount(c.keysA)],
        ['in b', formatCount(c.keysB)],
        ['added (only in b)', formatCount(c.added)],
        ['removed (only in a)', formatCount(c.removed)],
        ['type changed', formatCount(c.typeChanged)],
        ['value changed', formatCount(c.valueChanged)],
        ['TTL changed', formatCount(c.ttlChanged)],
        ['unchanged', formatCount(c.unchanged)],
      ],
      ['left', 'right'],
    ),
  ];
  if (report.keys.length > 0 || report.functions.length > 0) out.push('');
  for (const f of report.functions) out.push(functionLine(f));
  for (const d of report.keys) out.push(...keyLines(d, report.maxElements, style));
  out.push('');
  if (report.equal) {
    const fn = report.a.keyspace.functions.size;
    out.push(`${style.good('equal:')} the same ${formatCountOf(c.keysA, 'key')}${fn > 0 ? ` and ${formatCount(fn)} function ${fn === 1 ? 'library' : 'libraries'}` : ''}, with the same values and TTLs`);
  } else {
    const parts: string[] = [];
    if (c.differing > 0) parts.push(`${formatCountOf(c.differing, 'key')} of ${formatCount(c.keysA + c.added)}`);
    const nf = report.functions.length;
    if (nf > 0) parts.push(`${formatCount(nf)} function ${nf === 1 ? 'library' : 'libraries'}`);
    out.push(`${style.bad('different:')} ${parts.join(' and ')} differ${parts.length === 1 && (c.differing === 1 || (c.differing === 0 && nf === 1)) ? 's' : ''}`);
  }
  return out.join('\n') + '\n';
}

const id = (s: string): string => JSON.stringify(s);
const pendingJson = (p: PendingState): string => `{"consumer":${p.consumer === null ? 'null' : redisStringJson(p.consumer)},"deliveryTime":${p.deliveryTime},"deliveryCount":${p.deliveryCount}}`;
const fieldsJson = (f: Uint8Array[]): string => `[${f.map(redisStringJson).join(',')}]`;

/** One difference inside a value, as JSON (bytes as in dump: a string, or {"b64"}). */
function elementJson(e: ElementDiff): string {
  const side = <T>(name: 'a' | 'b', v: T | undefined, f: (x: T) => string): string => (v === undefined ? '' : `,"${name}":${f(v)}`);
  const op = `"op":${id(e.op)}`;
  switch (e.kind) {
    case 'string':
      return `{${op},"a":${redisStringJson(e.a)},"b":${redisStringJson(e.b)}}`;
    case 'list':
      return `{${op},"index":${e.index}${side('a', e.a, redisStringJson)}${side('b', e.b, redisStringJson)}}`;
    case 'set':
      return `{${op},"member":${redisStringJson(e.member)}}`;
    case 'zset':
      return `{${op},"member":${redisStringJson(e.member)}${side('a', e.a, scoreJson)}${side('b', e.b, scoreJson)}}`;
    case 'hash':
      return `{${op},"field":${redisStringJson(e.field)}${side('a', e.a, redisStringJson)}${side('b', e.b, redisStringJson)}${e.expireAt === undefined ? '' : `,"expireAt":[${e.expireAt[0] ?? 'null'},${e.expireAt[1] ?? 'null'}]`}}`;
    case 'stream-entry':
      return `{${op},"id":${id(e.id)}${side('a', e.a, fieldsJson)}${side('b', e.b, fieldsJson)}}`;
    case 'stream-meta':
      return `{${op},"meta":${id(e.name)},"a":${JSON.stringify(e.a)},"b":${JSON.stringify(e.b)}}`;
    case 'group':
      return `{${op},"group":${redisStringJson(e.group)}}`;
    case 'group-meta':
      return `{${op},"group":${redisStringJson(e.group)},"meta":${id(e.name)},"a":${JSON.stringify(e.a)},"b":${JSON.stringify(e.b)}}`;
    case 'pending':
      return `{${op},"group":${redisStringJson(e.group)},"pending":${id(e.id)}${side('a', e.a, pendingJson)}${side('b', e.b, pendingJson)}}`;
    case 'consumer':
      return `{${op},"group":${redisStringJson(e.group)},"consumer":${redisStringJson(e.consumer)}${side('a', e.a, (x) => JSON.stringify(x))}${side('b', e.b, (x) => JSON.stringify(x))}}`;
    case 'module':
      return `{${op},"a":${JSON.stringify(e.a)},"b":${JSON.stringify(e.b)}}`;
  }
}

/**
 * One JSON line per differing key (and per differing function library).
 * @param report what runDiff returned
 * @returns the lines, each ending with a newline ('' when equal)
 */
export function renderDiffJsonl(report: DiffReport): string {
  let out = '';
  for (const f of report.functions) out += `{"function":${redisStringJson(latin1Name(f.name))},"change":${id(f.change)}}\n`;
  for (const d of report.keys) {
    const head = `{"db":${d.db},"key":${redisStringJson(d.key)},"change":${id(d.change)}`;
    switch (d.change) {
      case 'added':
        out += `${head},"type":${id(d.typeB!)},"expireAt":${d.expireAtB ?? 'null'}}\n`;
        break;
      case 'removed':
        out += `${head},"type":${id(d.typeA!)},"expireAt":${d.expireAtA ?? 'null'}}\n`;
        break;
      case 'type':
        out += `${head},"type":[${id(d.typeA!)},${id(d.typeB!)}],"expireAt":[${d.expireAtA ?? 'null'},${d.expireAtB ?? 'null'}]}\n`;
        break;
      case 'changed':
        out += `${head},"type":${id(d.typeA!)},"expireAt":[${d.expireAtA ?? 'null'},${d.expireAtB ?? 'null'}],"valueChanged":${d.valueChanged},"ttlChanged":${d.ttlChanged},"differences":${d.differences},"elements":[${d.elements.map(elementJson).join(',')}]}\n`;
        break;
    }
  }
  return out;
}
