// Text and JSON for `rfx check` on an AOF: redis-check-aof's "AOF analyzed" lines, then for a bad
// file the error, its explanation, the partial command, a hexdump and what to do about it.

import { Buffer } from 'node:buffer';

import { escapeBytes } from '@redis-forensics/core';

import { renderHexdump } from '../../render/hexdump.js';
import { renderReportJson } from '../../render/report-json.js';
import { formatBytes, formatCount, formatCountOf } from '../../render/units.js';

import type { Style } from '../../render/style.js';
import type { AofCheckFile, AofCheckReport } from './run-check-aof.js';

/**
 * redis-check-aof's summary line for one file, in its words and order:
 * `AOF analyzed: [filename=<name>, ]size=N, ok_up_to=N, ok_up_to_line=N, diff=N`.
 * @param f one file's verdict
 * @param multiPart whether the AOF is multi-part (the file name is printed then)
 * @returns the line, without a newline
 * @see redis/src/redis-check-aof.c checkSingleAof
 */
export function aofAnalyzedLine(f: AofCheckFile, multiPart: boolean): string {
  const name = multiPart ? `filename=${f.file}, ` : '';
  return `AOF analyzed: ${name}size=${f.size}, ok_up_to=${f.okUpTo}, ok_up_to_line=${f.okUpToLine}, diff=${f.diff}`;
}

function what(report: AofCheckReport): string {
  const size = report.files.reduce((s, f) => s + f.size, 0);
  const layout = report.layout === 'single' ? 'single-file AOF' : `multi-part AOF, ${formatCountOf(report.files.length, 'file')}`;
  return `${layout}, ${formatCount(size)} bytes (${formatBytes(size)})`;
}

function advice(report: AofCheckReport, f: AofCheckFile, last: boolean): string {
  if (f.status === 'truncated') {
    if (!last) {
      return `${f.file} is truncated but it is not the last file: Redis refuses to load this AOF (only the last file may end early). rfx repair refuses it too; restore the file from a backup.`;
    }
    return `Redis loads this AOF anyway and drops the incomplete tail (aof-load-truncated yes, the default). To cut it: rfx repair ${report.path} -o <out> (removes the last ${formatCountOf(f.diff, 'byte')}, like redis-check-aof --fix).`;
  }
  return `Redis refuses to load this AOF. rfx repair ${report.path} --salvage -o <out> skips each corrupt region to the next command and lists what it skipped; redis-check-aof --fix would cut everything from offset ${f.okUpTo} to the end (${formatCountOf(f.diff, 'byte')}).`;
}

/**
 * The human verdict: `OK <path>` or `TRUNCATED` / `CORRUPT <path>`, the "AOF analyzed" line of
 * every file, and for each bad file the error, its explanation, the partial command, the bytes
 * around the bad byte and what to do.
 * @param report what {@link runCheckAof} returned
 * @param style colours
 * @returns the text, ending with a newline
 */
export function renderAofCheckReport(report: AofCheckReport, style: Style): string {
  const lines: string[] = [];
  const verdict = report.ok ? style.good('OK') : style.bad(report.status.toUpperCase());
  lines.push(`${verdict} ${report.path}: ${what(report)}, ${formatCountOf(report.commands, 'complete command')}`);
  const multi = report.layout === 'multi-part';
  for (const f of report.files) lines.push(aofAnalyzedLine(f, multi));
  const t = report.time;
  lines.push(t.annotations === 0 ? 'time range: none (no #TS annotations)' : `time range: ${t.first} to ${t.last} (${formatCountOf(t.annotations, '#TS annotation')})`);
  report.files.forEach((f, i) => {
    if (f.status === 'complete' || f.error === null) return;
    lines.push('');
    lines.push(`${style.bad(f.status)} ${f.file}${f.type === null ? '' : ` (${f.type}, seq ${f.seq})`}: ${formatCount(f.commands)} complete commands, valid up to byte ${formatCount(f.okUpTo)} of ${formatCount(f.size)}`);
    lines.push(style.bad(f.error.message));
    lines.push(`${style.dim(`${f.error.code}:`)} ${f.error.explanation} ${style.dim(`(rfx explain ${f.error.code})`)}`);
    if (f.partial !== null) {
      const name = f.partial.name === null ? 'a command whose name is cut' : escapeBytes(f.partial.name, 32);
      const key = f.partial.key === null ? '' : ` key ${escapeBytes(f.partial.key, 48)}`;
      lines.push(`partial command: ${name}${key} at offset ${f.partial.offset} (${formatCountOf(f.partial.bytes, 'byte')} present)`);
    }
    if (f.openMultiAt !== null) {
      lines.push(`unfinished transaction: the MULTI at offset ${f.openMultiAt} has no EXEC, so Redis drops it and every command after it (ok_up_to stops before it)`);
    }
    if (f.around !== null) {
      lines.push('');
      lines.push(renderHexdump(f.around.bytes, f.around.offset, f.around.mark, style).trimEnd());
    }
    lines.push('');
    lines.push(advice(report, f, i === report.files.length - 1));
  });
  return lines.join('\n') + '\n';
}

/**
 * The report as one JSON object (`rfx check --json`); the bytes around an error are hex.
 * @param report what {@link runCheckAof} returned
 * @returns the JSON text followed by a newline
 */
export function renderAofCheckJson(report: AofCheckReport): string {
  return renderReportJson({
    ...report,
    files: report.files.map(({ around, ...f }) => ({
      ...f,
      around: around === null ? null : { offset: around.offset, mark: around.mark, hex: Buffer.from(around.bytes).toString('hex') },
    })),
  });
}
