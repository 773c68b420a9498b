// Text for `rfx truncate`: where the cut falls and what goes.

import { basename } from 'node:path';

import { formatCount, formatCountOf } from '../../render/units.js';
import { isoSeconds } from '../../time-spec.js';

import type { Style } from '../../render/style.js';
import type { TruncateReport } from './run-truncate.js';

function pointText(report: TruncateReport): string {
  const p = report.point;
  if ('toTimestamp' in p) return `the first #TS annotation after ${isoSeconds(p.toTimestamp)} (${p.toTimestamp})`;
  if ('toIndex' in p) return `command #${p.toIndex}`;
  return `offset ${p.toOffset}${p.file === undefined ? '' : ` of ${basename(p.file)}`}`;
}

/**
 * The cut in words.
 * @param report what {@link runTruncate} returned
 * @param style colours
 * @returns the text, ending with a newline
 */
export function renderTruncateReport(report: TruncateReport, style: Style): string {
  if (report.cutAt === null) {
    return `${style.good('nothing after')} ${pointText(report)} in ${report.path}: all ${formatCountOf(report.commandsKept, 'command')} stay; nothing written\n`;
  }
  const out = [
    `cut at ${pointText(report)}: ${basename(report.cutAt.file)} offset ${formatCount(report.cutAt.offset)} to its end`,
    `  keep ${formatCountOf(report.commandsKept, 'command')}, drop ${formatCountOf(report.commandsDropped, 'command')} (${formatCountOf(report.bytesRemoved, 'byte')})`,
  ];
  if (report.droppedFiles.length > 0) out.push(`  later incr files left out of the new manifest: ${report.droppedFiles.join(', ')}`);
  return out.join('\n') + '\n';
}
