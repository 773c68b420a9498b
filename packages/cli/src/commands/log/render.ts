// Diagnostics of `rfx log` (its rows go to stdout through runLog, not through here).

import { formatCount, formatCountOf } from '../../render/units.js';

import type { Style } from '../../render/style.js';
import type { LogReport } from './run-log.js';

/**
 * The line after the table: how many commands were shown out of how many read.
 * @param report what {@link runLog} returned
 * @returns the text, ending with a newline
 */
export function renderLogFooter(report: LogReport): string {
  if (report.limitReached) return `${formatCountOf(report.commandsShown, 'command')} shown (--limit reached after ${formatCountOf(report.commandsRead, 'command')} read)\n`;
  return `${formatCountOf(report.commandsShown, 'command')} shown of ${formatCount(report.commandsRead)}\n`;
}

/**
 * Warnings for stderr about files that end early: Redis stops loading there, and so does the log.
 * @param report what {@link runLog} returned
 * @param style colours
 * @returns the text, each line ending with a newline, or ''
 */
export function renderLogWarnings(report: LogReport, style: Style): string {
  return report.damaged
    .map(
      (f) =>
        `rfx log: ${style.warn('warning:')} ${f.file} is ${f.status} (${f.error?.code ?? 'damaged'}): Redis loads it only up to offset ${f.validUpTo} of ${f.size}; ` +
        'commands listed at or after that offset are not loaded, and the incomplete rest is not listed (rfx check for details)\n',
    )
    .join('');
}
