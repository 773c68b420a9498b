// Text for `rfx inspect` reports: a few key/value lines, then cli-table3 tables.

import { Buffer } from 'node:buffer';

import { escapeBytes } from '@redis-forensics/core';

import { redisStringValue } from '../../redis-string-json.js';
import { formatBytes, formatCount, formatCountOf, formatUnixMs } from '../../render/units.js';

import type { DbStats, KeySize, Tally } from '../../key-stats.js';
import type { Style } from '../../render/style.js';
import type { InspectReport } from './run-inspect.js';

/** Longest key or AUX value shown in tables, in bytes (longer ones end in `...`). */
const MAX_SHOWN_BYTES = 48;

function sizeText(byteLength: number): string {
  return byteLength < 1024 ? `${formatCount(byteLength)} B` : `${formatBytes(byteLength)}`;
}

function auxText(name: string, value: Uint8Array, report: InspectReport, style: Style): string {
  if (name === 'ctime' && report.createdAt !== null) return `${report.createdAt} ${style.dim(`(${Buffer.from(value).toString('latin1')})`)}`;
  if (name === 'used-mem' && report.usedMemBytes !== null) {
    return `${formatBytes(report.usedMemBytes)} ${style.dim(`(${formatCount(report.usedMemBytes)} bytes)`)}`;
  }
  const v = redisStringValue(value);
  if (typeof v === 'string' && v.length <= MAX_SHOWN_BYTES && !/[\x00-\x1f\x7f]/.test(v)) return v;
  return escapeBytes(value, MAX_SHOWN_BYTES);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function tallyRows(tallies: Record<string, Tally>, whole: number): string[][] {
  return Object.entries(tallies)
    .sort((a, b) => b[1].bytes - a[1].bytes || a[0].localeCompare(b[0]))
    .map(([name, t]) => [name, formatCount(t.keys), sizeText(t.bytes), percent(t.bytes, whole)]);
}

function dbSummary(db: DbStats): string {
  return (
    `${formatCountOf(db.keys, 'key')}, ${formatCount(db.expires)} with a TTL, ` +
    `${formatCount(db.alreadyExpired)} already expired, ${sizeText(db.bytes)} serialized`
  );
}

function biggestTable(title: string, keys: KeySize[], style: Style): string {
  if (keys.length === 0) return `${style.heading(title)}\n  none\n`;
  const rows = keys.map((k, i) => [
    String(i + 1),
    String(k.db),
    escapeBytes(k.key, MAX_SHOWN_BYTES),
    k.type,
    k.encoding,
    sizeText(k.bytes),
    k.elements === null ? '-' : formatCount(k.elements),
  ]);
  const table = style.table(['#', 'db', 'key', 'type', 'encoding', 'bytes', 'elements'], rows, [
    'right', 'right', 'left', 'left', 'left', 'right', 'right',
  ]);
  return `${style.heading(title)}\n${table}\n`;
}

/**
 * The human summary of an RDB file.
 * @param report what {@link runInspect} returned
 * @param style colours and tables
 * @param now time of the run in Unix ms (shown next to "already expired")
 * @returns the text, ending with a newline
 */
export function renderInspectReport(report: InspectReport, style: Style, now: number): string {
  const out: string[] = [];
  const line = (label: string, text: string): void => {
    out.push(`${style.label(label.padEnd(10))} ${text}`);
  };
  line('File', report.file);
  line('Size', `${formatCount(report.size)} bytes (${formatBytes(report.size)})`);
  line('Format', `${report.magic === 'VALKEY' ? 'Valkey RDB' : 'RDB'} version ${report.version}${report.serverVersion === null ? '' : `, written by ${report.dialect === 'valkey' ? 'Valkey' : 'Redis'} ${report.serverVersion}`}`);
  const c = report.checksum;
  const crc = c.stored === null ? '' : ` ${style.dim(`(CRC64 ${c.stored})`)}`;
  line('Checksum', `${c.status === 'match' ? style.good(c.status) : style.warn(c.status)}${crc}`);
  if (report.trailingBytes > 0) line('Trailing', style.warn(`${formatCount(report.trailingBytes)} bytes after the checksum`));
  out.push('');

  const auxRows = Object.entries(report.aux).map(([name, value]) => [name, auxText(name, value, report, style)]);
  out.push(style.heading('AUX fields'));
  out.push(auxRows.length === 0 ? '  none' : style.table(['field', 'value'], auxRows));
  out.push('');

  const t = report.totals;
  out.push(style.heading('Keyspace'));
  out.push(`  ${dbSummary(t)} in ${formatCountOf(report.databases.length, 'database')} ${style.dim(`(expired as of ${formatUnixMs(now)})`)}`);
  if (report.slotInfoRecords > 0) out.push(`  ${formatCountOf(report.slotInfoRecords, 'SLOT_INFO record')} (cluster)`);
  out.push('');
  for (const db of report.databases) {
    const hint = report.resizeDb[String(db.db)];
    const hintText = hint === undefined ? '' : ` ${style.dim(`(RESIZEDB: ${formatCountOf(hint.dbSize, 'key')}, ${formatCountOf(hint.expiresSize, 'expire')})`)}`;
    out.push(`${style.heading(`db ${db.db}`)}: ${dbSummary(db)}${hintText}`);
    out.push(style.table(['type', 'keys', 'bytes', 'share'], tallyRows(db.byType, db.bytes), ['left', 'right', 'right', 'right']));
    out.push(style.table(['encoding', 'keys', 'bytes', 'share'], tallyRows(db.byEncoding, db.bytes), ['left', 'right', 'right', 'right']));
    out.push('');
  }
  if (report.databases.length > 1) {
    out.push(`${style.heading('all dbs')}: serialized bytes per type`);
    out.push(style.table(['type', 'keys', 'bytes', 'share'], tallyRows(t.byType, t.bytes), ['left', 'right', 'right', 'right']));
    out.push('');
  }

  out.push(biggestTable('Biggest keys by serialized size', report.biggestBySize, style));
  out.push(biggestTable('Biggest keys by element count', report.biggestByElements, style));

  out.push(style.heading('Functions'));
  if (report.functions.length === 0) out.push('  none');
  for (const f of report.functions) {
    out.push(`  ${f.libraryName ?? '(unnamed)'} ${style.dim(`(${f.engine ?? 'unknown engine'}, ${formatCount(f.codeBytes)} bytes${f.preGa ? ', 7.0-rc format' : ''})`)}`);
  }
  out.push('');
  out.push(style.heading('Modules'));
  if (report.modules.length === 0) out.push('  none');
  for (const m of report.modules) {
    out.push(`  ${m.name} ${style.dim(`(encver ${m.versions.join(', ')})`)}: ${formatCountOf(m.keys, 'key')}, ${formatCountOf(m.auxRecords, 'MODULE_AUX record')}`);
  }
  return out.join('\n') + '\n';
}
