// Text for `rfx repair`: what is cut (or skipped) and why, or why nothing is done.

import { escapeBytes } from '@redis-forensics/core';

import { renderHexdump } from '../../render/hexdump.js';
import { formatCount, formatCountOf } from '../../render/units.js';

import type { Style } from '../../render/style.js';
import type { RepairReport } from './run-repair.js';

/**
 * The plan in words: the tail cut (bytes, the partial command's name and key), every region
 * salvage skips with a hexdump of its first bytes, or the refusal with its explanation.
 * @param report what {@link runRepair} returned
 * @param style colours
 * @returns the text, ending with a newline
 */
export function renderRepairReport(report: RepairReport, style: Style): string {
  const out: string[] = [];
  if (report.action === 'nothing') {
    out.push(`${style.good('nothing to repair')}: ${report.path} is complete (every file ends with a whole command, ok_up_to = size); nothing written`);
    return out.join('\n') + '\n';
  }
  if (report.refusal !== null) {
    const r = report.refusal;
    out.push(`${style.bad('refused')}: ${r.file} ${r.reason === 'corrupt' ? 'is corrupt' : 'is truncated but it is not the last file'}; nothing written`);
    out.push(style.bad(r.message));
    out.push(`${style.dim(`${r.code}:`)} ${r.explanation} ${style.dim(`(rfx explain ${r.code})`)}`);
    if (r.around !== null) {
      out.push('');
      out.push(renderHexdump(r.around.bytes, r.around.offset, r.around.mark, style).trimEnd());
      out.push('');
    }
    if (r.reason === 'truncated-not-last') {
      out.push(
        'Redis loads the files of a multi-part AOF in order and only the last one may end early: it refuses to start on this one. ' +
          'Cutting this file would silently drop every later incr file, so rfx does not. Restore the file from a backup, or ' +
          'decide to give up what comes after it and use rfx truncate (which drops the later incr files from a new manifest).',
      );
    } else if (r.code.startsWith('RDB_')) {
      out.push('The damage is in the RDB part (preamble or base file): there is no next command to resume at, so --salvage cannot skip it. Restore the file from a backup.');
    } else {
      out.push(
        `redis-check-aof --fix would cut ${r.file} at ok_up_to ${r.okUpTo}, dropping the ${formatCountOf(r.size - r.okUpTo, 'byte')} from there to the end ` +
          'with every command after the damage. rfx does not do that silently.',
      );
      const p = report.salvagePreview;
      if (p !== null && p.regions > 0) {
        out.push(`With --salvage, rfx skips ${formatCountOf(p.regions, 'corrupt region')} (${formatCountOf(p.bytes, 'byte')}) to the next command start and keeps everything else; each skipped region is listed.`);
      }
    }
    return out.join('\n') + '\n';
  }
  if (report.cutTail !== null) {
    const t = report.cutTail;
    out.push(`cut the truncated tail of ${t.file}: ${formatCountOf(t.bytes, 'byte')}, offset ${formatCount(t.validUpTo)} to the end (${formatCount(t.size)})`);
    if (t.partial !== null) {
      const name = t.partial.name === null ? 'a command whose name is cut' : escapeBytes(t.partial.name, 32);
      const key = t.partial.key === null ? '' : ` key ${escapeBytes(t.partial.key, 48)}`;
      out.push(`  partial command ${name}${key} at offset ${formatCount(t.partial.offset)} (${formatCountOf(t.partial.bytes, 'byte')} present)`);
    }
    if (t.openMultiAt !== null) {
      out.push(`  with the unfinished MULTI at offset ${formatCount(t.openMultiAt)} and the commands after it (no EXEC: Redis drops the transaction too)`);
    }
    out.push(`  kept: the first ${formatCountOf(t.validUpTo, 'byte')}, unchanged (what redis-check-aof --fix keeps)`);
  }
  if (report.skipped.length > 0) {
    const bytes = report.skipped.reduce((n, s) => n + s.length, 0);
    out.push(`skip ${formatCountOf(report.skipped.length, 'corrupt region')} (${formatCountOf(bytes, 'byte')}), each up to the next command start:`);
    report.skipped.forEach((s, i) => {
      out.push(`  ${i + 1}. ${s.file} offset ${formatCount(s.offset)}, ${formatCountOf(s.length, 'byte')}: ${s.message}`);
      const mark = s.errorOffset < s.offset + s.head.length ? s.errorOffset : s.offset;
      const dump = renderHexdump(s.head, s.offset, mark, style).trimEnd();
      out.push(dump.split('\n').map((l) => `     ${l}`).join('\n'));
      if (s.length > s.head.length) out.push(`     ... ${formatCountOf(s.length - s.head.length, 'more byte')}`);
    });
  }
  return out.join('\n') + '\n';
}
