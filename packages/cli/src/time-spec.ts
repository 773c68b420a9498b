// Points in time on the command line (`--since`, `--until`, `--to-timestamp`) and in reports:
// AOF `#TS:` annotations hold Unix seconds (redis/src/aof.c genAofTimestampAnnotationIfNeeded).

/**
 * Parse a point in time: Unix seconds (`1700000000`, `1700000000.5`) or an ISO-8601 date/time
 * (`2024-11-05T10:20:30Z`, `2024-11-05`; without a zone it is UTC).
 * @param text what the user typed
 * @returns Unix time in milliseconds
 * @throws Error with a usage message when the text is neither
 */
export function parseTimeSpec(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(t)) {
    // A bare date or date-time is taken as UTC, as every AOF timestamp is.
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t : t.length === 10 ? `${t}T00:00:00Z` : `${t}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`"${text}" is not a time: give Unix seconds (1700000000) or an ISO date (2024-11-05T10:20:30Z)`);
}

/**
 * Unix seconds (a `#TS:` annotation) as ISO-8601 UTC without milliseconds: `2024-11-05T10:20:30Z`.
 * @param unixSeconds seconds since the epoch
 * @returns the date text, or the number when `Date` cannot show it
 */
export function isoSeconds(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(unixSeconds) : date.toISOString().replace('.000Z', 'Z');
}
