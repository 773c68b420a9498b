// Text for `rfx inspect` on an AOF: layout and files, the RDB part (rendered as `rfx inspect`
// renders an RDB file), commands by name and db, keys, MULTI blocks, time, flushes, tail status.

import { Buffer } from 'node:buffer';
import { basename } from 'node:path';

import { escapeBytes } from '@redis-forensics/core';

import { formatBytes, formatCount, formatCountOf } from '../../render/units.js';
import { renderInspectReport } from './render.js';

import type { Style } from '../../render/style.js';
import type { AofFileReport, AofInspectReport } from './run-inspect-aof.js';

/** Command names listed in the text report (all of them are in `--json`). */
const NAMES_SHOWN = 30;
/** Rows of the time histogram: per minute when they fit, else wider buckets. */
const HISTOGRAM_ROWS = 60;
/** Bucket widths tried for the histogram, in minutes. */
const BUCKET_MINUTES = [1, 5, 10, 15, 30, 60, 120, 360, 720, 1440, 10080];
const BAR_WIDTH = 30;

function bytesText(n: number): string {
  return n < 1024 ? `${formatCount(n)} bytes` : `${formatCount(n)} bytes (${formatBytes(n)})`;
}

function formatName(f: AofFileReport): string {
  switch (f.format) {
    case 'resp':
      return 'RESP';
    case 'rdb-preamble':
      return 'RDB preamble + RESP';
    case 'rdb':
      return 'RDB';
    case 'empty':
      return 'empty';
    default:
      return '-';
  }
}

function statusText(status: string | null, style: Style): string {
  if (status === null) return '-';
  return status === 'complete' ? style.good(status) : style.bad(status);
}

function layoutText(report: AofInspectReport): string {
  if (report.layout === 'single') {
    return report.format === 'preamble' ? 'single-file AOF with an RDB preamble' : 'single-file AOF (RESP commands only)';
  }
  const base = report.files.find((f) => f.type === 'base');
  const incr = report.files.filter((f) => f.type === 'incr').length;
  const baseText = base === undefined ? 'no base file' : `base ${base.format === 'rdb' || base.format === 'rdb-preamble' ? 'RDB' : base.format === 'empty' ? 'empty' : 'AOF'}`;
  return `multi-part AOF (Redis 7+): ${baseText}, ${formatCountOf(incr, 'incr file')}`;
}

/** Share of `part` in `whole` as `12.3%`. */
function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function histogram(report: AofInspectReport, style: Style): string[] {
  const minutes = report.time.perMinute.map(([iso, n]): [number, number] => [Date.parse(iso) / 1000, n]);
  if (minutes.length === 0) return [];
  const first = minutes[0]![0];
  const last = minutes.at(-1)![0];
  const width = BUCKET_MINUTES.find((m) => (last - first) / (60 * m) < HISTOGRAM_ROWS) ?? BUCKET_MINUTES.at(-1)!;
  const buckets = new Map<number, number>();
  for (const [t, n] of minutes) {
    const b = Math.floor(t / (60 * width)) * 60 * width;
    buckets.set(b, (buckets.get(b) ?? 0) + n);
  }
  const rows = [...buckets].sort((a, b) => a[0] - b[0]);
  const max = Math.max(...rows.map((r) => r[1]));
  const label = width === 1 ? 'minute' : width < 60 ? `${width} minutes` : width < 1440 ? `${width / 60} hours` : width === 1440 ? 'day' : 'week';
  const out = [`  commands per ${label} by #TS time${width === 1 ? '' : style.dim(' (per-minute counts in --json)')}`];
  out.push(
    style.table(
      [`${width === 1 ? 'minute' : 'from'} (UTC)`, 'commands', ''],
      rows.slice(0, HISTOGRAM_ROWS).map(([t, n]) => [
        new Date(t * 1000).toISOString().replace(':00.000Z', 'Z'),
        formatCount(n),
        '#'.repeat(Math.max(1, Math.round((BAR_WIDTH * n) / max))),
      ]),
      ['left', 'right', 'left'],
    ),
  );
  if (rows.length > HISTOGRAM_ROWS) out.push(`  ... ${formatCount(rows.length - HISTOGRAM_ROWS)} more rows in --json`);
  return out;
}

/**
 * The human summary of an AOF.
 * @param report what {@link runInspectAof} returned
 * @param style colours and tables
 * @param now time of the run in Unix ms (for the RDB part's expired keys)
 * @returns the text, ending with a newline
 */
export function renderAofInspectReport(report: AofInspectReport, style: Style, now: number): string {
  const out: string[] = [];
  const line = (label: string, text: string): void => {
    out.push(`${style.label(label.padEnd(10))} ${text}`);
  };
  line('File', report.path);
  line('Format', layoutText(report));
  if (report.manifest !== null) line('Manifest', report.manifest);
  line('Size', `${bytesText(report.size)}${report.files.length > 1 ? ` in ${report.files.length} files` : ''}`);
  line('Commands', `${formatCount(report.commands.total)}`);
  line('Status', statusText(report.status, style));
  out.push('');

  out.push(style.heading('Files'));
  out.push(
    style.table(
      ['file', 'type', 'seq', 'bytes', 'format', 'commands', 'status', 'ok_up_to'],
      report.files.map((f) => [
        basename(f.file),
        f.type ?? '-',
        f.seq === null ? '-' : String(f.seq),
        formatCount(f.size),
        formatName(f),
        formatCount(f.commands),
        statusText(f.status, style),
        f.validUpTo === null ? '-' : formatCount(f.validUpTo),
      ]),
      ['left', 'left', 'right', 'right', 'left', 'right', 'left', 'right'],
    ),
  );
  if (report.layout === 'multi-part') {
    if (report.history.length === 0) out.push('  history files: none listed in the manifest');
    for (const h of report.history) {
      out.push(`  history file ${h.file} (seq ${h.seq}): ${h.size === null ? 'not on disk (Redis deletes history files after a rewrite)' : `on disk, ${bytesText(h.size)}`}`);
    }
  }
  out.push('');

  for (const part of report.rdb) {
    const f = report.files.find((x) => x.file === part.file);
    const what = f?.format === 'rdb' ? 'RDB base file' : 'RDB preamble';
    out.push(`${style.heading(what)}: ${basename(part.file)}, bytes 0 to ${formatCount(part.bytes)}${part.complete ? '' : ` ${style.bad('(damaged: read up to the error, see Tail)')}`}`);
    out.push(renderInspectReport(part.report, style, now).trimEnd());
    out.push('');
  }

  const c = report.commands;
  const dbs = Object.keys(c.byDb).length;
  const keysText = report.keys.exact ? formatCount(report.keys.distinct) : `more than ${formatCount(report.keys.limit)}`;
  out.push(style.heading('Commands'));
  out.push(`  ${formatCountOf(c.total, 'command')} in ${formatCountOf(dbs, 'db')}, ${keysText} distinct keys touched`);
  const m = report.multi;
  out.push(
    `  MULTI/EXEC: ${formatCountOf(m.blocks, 'block')}, ${formatCountOf(m.commandsInside, 'command')} inside` +
      (m.openAtEnd === null ? '' : `, ${style.bad(`one left open at ${basename(m.openAtEnd.file)} offset ${m.openAtEnd.offset}`)}`),
  );
  const names = Object.entries(c.byName);
  if (names.length > 0) {
    out.push(
      style.table(
        ['command', 'count', 'share'],
        names.slice(0, NAMES_SHOWN).map(([name, n]) => [name === '' ? '(empty)' : escapeBytes(Buffer.from(name, 'latin1')).slice(1, -1), formatCount(n), percent(n, c.total)]),
        ['left', 'right', 'right'],
      ),
    );
    if (names.length > NAMES_SHOWN) out.push(`  ... ${formatCount(names.length - NAMES_SHOWN)} more command names in --json`);
    out.push(style.table(['db', 'commands', 'share'], Object.entries(c.byDb).map(([db, n]) => [db, formatCount(n), percent(n, c.total)]), ['right', 'right', 'right']));
  }
  out.push('');

  const t = report.time;
  out.push(style.heading('Time'));
  if (t.annotations === 0) {
    out.push('  no #TS annotations (Redis writes them with aof-timestamp-enabled yes, 7.0+)');
  } else {
    out.push(`  ${formatCountOf(t.annotations, '#TS annotation')}, ${t.first} to ${t.last}`);
    out.push(`  ${formatCount(t.commandsWithTime)} commands with a time, ${formatCount(t.commandsWithoutTime)} before the first annotation`);
    out.push(...histogram(report, style));
  }
  out.push('');

  out.push(style.heading('FLUSHALL / FLUSHDB'));
  if (report.flushes.total === 0) out.push('  none');
  else {
    out.push(
      style.table(
        ['#', 'command', 'file', 'offset', 'db', 'time'],
        report.flushes.listed.map((f) => [
          formatCount(f.index),
          [f.command, ...f.args].join(' ') + (f.inMulti ? ' (in MULTI)' : ''),
          basename(f.file),
          formatCount(f.offset),
          String(f.db),
          f.time ?? '-',
        ]),
        ['right', 'left', 'left', 'right', 'right', 'left'],
      ),
    );
    if (report.flushes.total > report.flushes.listed.length) out.push(`  ... ${formatCount(report.flushes.total - report.flushes.listed.length)} more`);
  }
  out.push('');

  out.push(style.heading('Tail'));
  for (const f of report.files) {
    if (f.status === 'complete') {
      out.push(`  ${basename(f.file)}: ${style.good('complete')} (ok_up_to ${formatCount(f.validUpTo ?? f.size)} = size)`);
      continue;
    }
    out.push(`  ${basename(f.file)}: ${style.bad(f.status ?? '-')}, ok_up_to ${formatCount(f.validUpTo ?? 0)} of ${formatCount(f.size)} bytes (diff ${formatCount(f.diff ?? 0)})`);
    if (f.error !== null) out.push(`    ${f.error.message}`);
    if (f.partial !== null) {
      const name = f.partial.name === null ? '' : ` ${escapeBytes(f.partial.name, 32)}`;
      const key = f.partial.key === null ? '' : ` key ${escapeBytes(f.partial.key, 48)}`;
      out.push(`    partial command${name}${key} at offset ${formatCount(f.partial.offset)} (${formatCountOf(f.partial.bytes, 'byte')} present)`);
    }
    out.push(`    ${style.dim(`details: rfx check ${report.path}; fix: rfx repair ${report.path} -o <out>`)}`);
  }
  return out.join('\n') + '\n';
}
