// Reports as JSON: raw Redis strings become text or {"b64"}, bigints become decimal strings.

import { redisStringValue } from '../redis-string-json.js';

function replacer(this: unknown, key: string, value: unknown): unknown {
  // JSON.stringify calls Buffer#toJSON before the replacer sees the value: look at the original.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return redisStringValue(raw);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * A report object as one line of JSON (what `--json` prints). `Uint8Array` fields (keys, AUX
 * values) are written as in `rfx dump`: a string when valid UTF-8, else `{"b64": ...}`.
 * @param report any report of a run-* function
 * @returns the JSON text followed by a newline
 */
export function renderReportJson(report: object): string {
  return JSON.stringify(report, replacer) + '\n';
}
