// Diagnostics of `rfx dump` (its data goes to stdout through the encoders, not through here).

import { formatCount } from '../../render/units.js';

import type { Style } from '../../render/style.js';
import type { DumpReport } from './run-dump.js';

/** Warnings printed one by one before they are only counted. */
export const DUMP_MAX_WARNINGS = 20;

/**
 * One warning line for stderr.
 * @param message what could not be written
 * @param style colours
 * @returns `rfx dump: warning: <message>` and a newline
 */
export function renderDumpWarning(message: string, style: Style): string {
  return `rfx dump: ${style.warn('warning:')} ${message}\n`;
}

/**
 * The closing stderr line when warnings were cut short or keys skipped; '' when there is nothing
 * to add.
 * @param report what {@link runDump} returned
 * @param warnings how many warnings there were in all
 * @param style colours
 * @returns the text, ending with a newline, or ''
 */
export function renderDumpSummary(report: DumpReport, warnings: number, style: Style): string {
  let out = '';
  if (warnings > DUMP_MAX_WARNINGS) {
    out += renderDumpWarning(`${formatCount(warnings - DUMP_MAX_WARNINGS)} more warnings not shown`, style);
  }
  if (report.keysSkipped > 0) {
    out += renderDumpWarning(
      `${formatCount(report.keysSkipped)} of ${formatCount(report.keysSkipped + report.keysWritten)} selected keys skipped`,
      style,
    );
  }
  return out;
}
