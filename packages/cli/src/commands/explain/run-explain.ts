// rfx explain: what a reason code means, from the one table that defines them all.

import { isReasonCode, REASON_CODES } from '@redis-forensics/core';

import type { ReasonCode } from '@redis-forensics/core';

/** One reason code and its explanation. */
export interface ExplainEntry {
  code: ReasonCode;
  explanation: string;
}

/** The answer of `rfx explain`. */
export interface ExplainReport {
  /** The code asked for (upper-cased), or null to list them all. */
  query: string | null;
  /** The matching entries: one for a known code, all of them for no query, none for an unknown code. */
  entries: ExplainEntry[];
  /** For an unknown code: known codes sharing its format prefix or a word with it. */
  suggestions: ReasonCode[];
}

/**
 * Look up a reason code in REASON_CODES (case-insensitive), or list every code.
 * @param code the code as typed (`RDB_CHECKSUM_MISMATCH`, `rdb_bad_magic`), or undefined for all
 * @returns the entries found and, for unknown codes, suggestions: codes sharing a word after the
 *   format prefix with it, or else every code of the same format
 */
export function runExplain(code: string | undefined): ExplainReport {
  const all = Object.keys(REASON_CODES) as ReasonCode[];
  if (code === undefined) {
    return { query: null, entries: all.map((c) => ({ code: c, explanation: REASON_CODES[c] })), suggestions: [] };
  }
  const query = code.trim().toUpperCase();
  if (isReasonCode(query)) return { query, entries: [{ code: query, explanation: REASON_CODES[query] }], suggestions: [] };
  // Codes sharing a problem word (CHECKSUM, EOF, ...) with the query; else those of its format.
  const [prefix = '', ...words] = query.split('_');
  const problemWords = words.filter((w) => w.length > 1);
  let suggestions = all.filter((c) => problemWords.some((w) => c.split('_').slice(1).includes(w)));
  if (suggestions.length === 0) suggestions = all.filter((c) => c.startsWith(`${prefix}_`));
  return { query, entries: [], suggestions };
}
