// Text for `rfx remove` (and undo-flushall): exactly what goes, one row per command.

import { basename } from 'node:path';

import { escapeBytes } from '@redis-forensics/core';

import { formatCountOf } from '../../render/units.js';
import { isoSeconds } from '../../time-spec.js';

import type { Style } from '../../render/style.js';
import type { RemovedEntry, RemoveReport } from './run-remove.js';

/**
 * The table of removed commands: index, file, offset, length, command, key, db, #TS time and
 * whether a whole MULTI/EXEC block goes with it.
 * @param removed the commands
 * @param style tables
 * @returns the table text, without a trailing newline
 */
export function renderRemovedTable(removed: readonly RemovedEntry[], style: Style): string {
  return style.table(
    ['#', 'file', 'offset', 'length', 'command', 'key', 'db', 'time (UTC)', 'MULTI/EXEC'],
    removed.map((r) => [
      String(r.index),
      basename(r.file),
      String(r.offset),
      String(r.length),
      r.command,
      r.key === null ? '' : escapeBytes(r.key, 48),
      String(r.db),
      r.timestamp === null ? '-' : isoSeconds(r.timestamp),
      r.block === null ? '-' : `whole block at ${r.block.offset} (${formatCountOf(r.block.length, 'byte')})`,
    ]),
    ['right', 'left', 'right', 'right', 'left', 'left', 'right', 'left', 'left'],
  );
}

/**
 * What `rfx remove` will take out, or that nothing matched.
 * @param report what {@link runRemove} returned
 * @param style colours and tables
 * @returns the text, ending with a newline
 */
export function renderRemoveReport(report: RemoveReport, style: Style): string {
  if (report.removed.length === 0) return `${style.warn('no command matches')}: nothing to remove in ${report.path}; nothing written\n`;
  const files = new Set(report.removed.map((r) => basename(r.file)));
  const out = [
    `remove ${formatCountOf(report.removed.length, 'command')} (${formatCountOf(report.bytesRemoved, 'byte')}) from ${[...files].join(', ')}; ` +
      `${formatCountOf(report.commandsAfter, 'command')} after the last one stay`,
    renderRemovedTable(report.removed, style),
    style.dim('every other byte stays as it is'),
  ];
  return out.join('\n') + '\n';
}

