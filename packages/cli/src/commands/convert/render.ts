// Text for `rfx convert`: what was read, what was written, and (on stderr) what was left out.

import { escapeBytes } from '@redis-forensics/core';

import { replaySummaryLines } from '../../render/replay-summary.js';
import { formatBytes, formatCount, formatCountOf } from '../../render/units.js';

import type { RdbWriteLoss } from '@redis-forensics/rdb';
import type { Style } from '../../render/style.js';
import type { ConvertReport } from './run-convert.js';

/** The first Redis release that loads each RDB version. */
const RDB_LOADED_FROM: Readonly<Record<number, string>> = { 6: '2.6', 7: '3.2', 8: '4.0', 9: '5.0', 10: '7.0', 11: '7.2', 12: '7.4' };

/** Losses printed one by one on stderr before they are only counted. */
export const CONVERT_MAX_LOSSES = 50;

function outputText(report: ConvertReport): string {
  const forWhom = report.target === null ? '' : ` for Redis ${report.target.version.replace(/\.0$/, '')}`;
  switch (report.to) {
    case 'rdb':
      return `RDB version ${report.rdbVersion} (Redis ${RDB_LOADED_FROM[report.rdbVersion!] ?? '?'} and later load it), ${formatCountOf(report.keysRead - report.losses.filter((l) => l.kind === 'key' || l.kind === 'empty-key').length, 'key')}`;
    case 'aof':
      return `AOF${forWhom}, ${formatCountOf(report.commands, 'command')}`;
    case 'jsonl':
      return `JSON lines (as rfx dump prints them), ${formatCountOf(report.keysRead, 'key')}`;
  }
}

/**
 * What was read and what was written.
 * @param report what runConvert returned
 * @param style colours
 * @returns text ending with a newline
 */
export function renderConvertReport(report: ConvertReport, style: Style): string {
  const lines: string[] = [];
  if (report.dataset !== null) lines.push(...replaySummaryLines(report.dataset, report.input, style));
  else lines.push(`read ${report.input}: RDB version ${report.sourceRdbVersion ?? '?'}, ${formatCountOf(report.keysRead, 'key')}`);
  const size = `${formatCountOf(report.bytes, 'byte')}${report.bytes < 1024 ? '' : ` (${formatBytes(report.bytes)})`}`;
  lines.push(
    report.output === null
      ? `${style.dim('dry run:')} ${outputText(report)}, ${size}; nothing written`
      : `${style.good('wrote')} ${report.output}: ${outputText(report)}, ${size}`,
  );
  if (report.losses.length > 0) {
    const n = report.losses.length;
    lines.push(style.warn(`  left out: ${formatCount(n)} ${n === 1 ? 'thing' : 'things'} the target cannot hold (listed on stderr)`));
  }
  return lines.join('\n') + '\n';
}

/**
 * One loss, for stderr: `lost: db 0 "hash:x": hash field TTLs ... need RDB 12 (Redis 7.4); the target is RDB 9`.
 * @param loss what the writer left out
 * @param style colours
 */
export function renderConvertLoss(loss: RdbWriteLoss, style: Style): string {
  const what = loss.key === null ? '' : `db ${loss.db} ${escapeBytes(loss.key, 200)}: `;
  const verb =
    loss.kind === 'hash-field-ttls' ? 'lost the field TTLs of' : loss.kind === 'key-meta' || loss.kind === 'stream-metadata' ? 'lost the metadata of' : 'left out';
  return `rfx convert: ${style.warn(`${verb}:`)} ${what}${loss.reason}\n`;
}

/**
 * One warning for stderr (what the AOF rewrite cannot express).
 * @param message the warning
 * @param style colours
 */
export function renderConvertWarning(message: string, style: Style): string {
  return `rfx convert: ${style.warn('warning:')} ${message}\n`;
}

/** The line after {@link CONVERT_MAX_LOSSES} losses. */
export function renderMoreLosses(more: number, style: Style): string {
  return `rfx convert: ${style.warn('...')} and ${formatCount(more)} more left out\n`;
}
