// Text for `rfx explain`.

import type { Style } from '../../render/style.js';
import type { ExplainReport } from './run-explain.js';

/**
 * `CODE: explanation` lines, or for an unknown code a message with suggestions.
 * @param report what {@link runExplain} returned
 * @param style colours
 * @returns the text, ending with a newline
 */
export function renderExplainReport(report: ExplainReport, style: Style): string {
  if (report.entries.length > 0) {
    const width = Math.max(...report.entries.map((e) => e.code.length));
    return report.entries.map((e) => `${style.label(e.code.padEnd(width))}  ${e.explanation}`).join('\n') + '\n';
  }
  let out = `unknown reason code ${JSON.stringify(report.query)}; run "rfx explain" for the list\n`;
  if (report.suggestions.length > 0) out += `did you mean: ${report.suggestions.join(', ')}\n`;
  return out;
}
