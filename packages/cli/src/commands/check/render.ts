// Text and JSON for `rfx check` reports.

import { Buffer } from 'node:buffer';

import { renderHexdump } from '../../render/hexdump.js';
import { renderReportJson } from '../../render/report-json.js';
import { formatBytes, formatCount } from '../../render/units.js';

import type { Style } from '../../render/style.js';
import type { CheckReport } from './run-check.js';

function formatLabel(report: CheckReport): string {
  if (report.magic === null || report.version === null) return 'unknown format';
  return report.magic === 'VALKEY' ? `Valkey RDB version ${report.version}` : `RDB version ${report.version}`;
}

function countsLine(report: CheckReport): string {
  const types = Object.entries(report.types)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, n]) => `${type} ${formatCount(n)}`)
    .join(', ');
  return (
    `keys ${formatCount(report.keys)}, expires ${formatCount(report.expires)}, already expired ${formatCount(report.alreadyExpired)}` +
    (types === '' ? '' : ` (${types})`)
  );
}

/**
 * The human verdict: `OK <file>` with the counts, or the error message, its explanation and a
 * hexdump of the bytes around the offset.
 * @param report what {@link runCheck} returned
 * @param style colours
 * @returns the text, ending with a newline
 */
export function renderCheckReport(report: CheckReport, style: Style): string {
  const lines: string[] = [];
  const size = `${formatCount(report.size)} bytes (${formatBytes(report.size)})`;
  if (report.error === null) {
    lines.push(`${style.good('OK')} ${report.file}: ${formatLabel(report)}, ${size}, checksum ${report.checksum ?? 'not reached'}`);
    lines.push(countsLine(report));
    if (report.duplicateKeysChecked) lines.push('no key is stored twice in a database');
  } else {
    const e = report.error;
    lines.push(`${style.bad('CORRUPT')} ${report.file}: ${formatLabel(report)}, ${size}`);
    lines.push(style.bad(e.message));
    lines.push(`${style.dim(`${e.code}:`)} ${e.explanation} ${style.dim(`(rfx explain ${e.code})`)}`);
    lines.push(`read before the error: ${countsLine(report)}`);
    if (report.around !== null) {
      lines.push('');
      lines.push(renderHexdump(report.around.bytes, report.around.offset, e.offset, style).trimEnd());
    }
  }
  for (const w of report.warnings) lines.push(`${style.warn('warning:')} ${w}`);
  return lines.join('\n') + '\n';
}

/**
 * The report as one JSON object (`rfx check --json`); the bytes around the error are hex.
 * @param report what {@link runCheck} returned
 * @returns the JSON text followed by a newline
 */
export function renderCheckJson(report: CheckReport): string {
  const { around, ...rest } = report;
  return renderReportJson({
    ...rest,
    around: around === null ? null : { offset: around.offset, hex: Buffer.from(around.bytes).toString('hex') },
  });
}
