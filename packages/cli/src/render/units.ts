// Human units for counts, sizes and times in text reports.

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * A count with thousands separators: `1234567` -> `1,234,567`.
 * @param count an integer
 * @returns the grouped decimal text
 */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/**
 * A count and a noun, the noun in the plural unless the count is 1: `1 key`, `1,002 keys`.
 * @param count an integer
 * @param noun the singular noun
 * @returns the grouped count and the noun
 */
export function formatCountOf(count: number, noun: string): string {
  return `${formatCount(count)} ${count === 1 ? noun : `${noun}s`}`;
}

/**
 * A byte size in binary units: `512 B`, `1.5 KiB`, `113.1 MiB` (one decimal from KiB up).
 * @param byteLength size in bytes
 * @returns the human size
 */
export function formatBytes(byteLength: number): string {
  if (byteLength < 1024) return `${byteLength} B`;
  let value = byteLength / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[unit]!}`;
}

/**
 * A Unix time in ms as an ISO-8601 UTC date (`2024-11-05T10:20:30.000Z`), or the raw number when
 * it is outside the range `Date` can show.
 * @param unixMs milliseconds since the epoch
 * @returns the date text
 */
export function formatUnixMs(unixMs: number): string {
  const date = new Date(unixMs);
  return Number.isNaN(date.getTime()) ? String(unixMs) : date.toISOString();
}
