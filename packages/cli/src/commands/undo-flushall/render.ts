// Text for `rfx undo-flushall`: when the flush ran, where, what comes after it; or why the data
// from before a flush is not in this AOF.

import { basename } from 'node:path';

import { formatCount, formatCountOf } from '../../render/units.js';
import { isoSeconds } from '../../time-spec.js';
import { renderRemovedTable } from '../remove/render.js';

import type { Style } from '../../render/style.js';
import type { UndoFlushallReport } from './run-undo-flushall.js';

/**
 * The plan, or the explanation.
 * @param report what {@link runUndoFlushall} returned
 * @param style colours and tables
 * @returns the text, ending with a newline
 */
export function renderUndoFlushallReport(report: UndoFlushallReport, style: Style): string {
  const what = report.includeFlushdb ? 'FLUSHALL or FLUSHDB' : 'FLUSHALL';
  const out: string[] = [];
  if (report.verdict === 'none') {
    out.push(`${style.good(`no ${what}`)} in ${report.path}: nothing to undo; nothing written`);
    if (!report.includeFlushdb) out.push(style.dim('(FLUSHDB is not looked for unless --include-flushdb is given)'));
    return out.join('\n') + '\n';
  }
  if (report.verdict === 'rewritten') {
    out.push(`${style.bad(`no ${what}`)} in the files Redis loads from ${report.path}, but this AOF was rewritten:`);
    if (report.base !== null) {
      out.push(`  its base file ${report.base.file} (seq ${report.base.seq}, ${formatCountOf(report.base.size, 'byte')}) was written by an AOF rewrite (BGREWRITEAOF or auto-aof-rewrite).`);
    }
    out.push(
      '  A rewrite writes the dataset as it is at that moment. If a FLUSHALL ran before the rewrite, the keys it deleted are not in the base file,',
      '  and no command in this AOF can bring them back: the data from before the flush is not in this AOF.',
    );
    const present = report.history.filter((h) => h.present);
    if (report.history.length > 0) {
      out.push(`  The manifest lists ${formatCountOf(report.history.length, 'history file')} (the AOF before the rewrite):`);
      for (const h of report.history) out.push(`    ${h.file} (seq ${h.seq}): ${h.present ? `on disk, ${formatCountOf(h.size ?? 0, 'byte')}` : 'not on disk (Redis deletes history files once the rewrite is done)'}`);
    }
    if (present.length > 0) {
      out.push(
        '  The history files may still hold the flush and the data before it: copy one out of the directory and look at the copy',
        `  (cp <dir>/${present[0]!.file} /tmp/ && rfx log /tmp/${present[0]!.file} --command FLUSHALL), or restore a backup made before the flush.`,
      );
    } else {
      out.push('  Restore an RDB or AOF backup (or a replica\'s copy) made before the flush.');
    }
    return out.join('\n') + '\n';
  }
  const flush = report.removed[0]!;
  const when = flush.timestamp === null ? 'at an unknown time (no #TS annotation before it; aof-timestamp-enabled was off)' : `at ${isoSeconds(flush.timestamp)}`;
  out.push(`the last ${flush.command} ran ${when}, in ${basename(flush.file)} at offset ${formatCount(flush.offset)} (command #${flush.index}, db ${flush.db})`);
  out.push(`${formatCountOf(report.commandsAfter, 'command')} after it stay; without the flush they apply on top of the data from before it`);
  if (report.flushesFound > 1) out.push(style.warn(`${formatCount(report.flushesFound - 1)} earlier ${what} stay: run undo-flushall again on the result to undo the one before`));
  out.push(`remove ${formatCountOf(report.bytesRemoved, 'byte')}:`);
  out.push(renderRemovedTable(report.removed, style));
  return out.join('\n') + '\n';
}
