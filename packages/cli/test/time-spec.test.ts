import { describe, expect, it } from 'vitest';

import { isoSeconds, parseTimeSpec } from '../src/time-spec.js';

describe('parseTimeSpec', () => {
  it('Unix seconds: to ms, fractions kept', () => {
    expect(parseTimeSpec('1700000000')).toBe(1_700_000_000_000);
    expect(parseTimeSpec('1700000000.5')).toBe(1_700_000_000_500);
  });

  it('ISO dates: with a zone as given, without one as UTC', () => {
    expect(parseTimeSpec('2024-11-05T10:20:30Z')).toBe(Date.UTC(2024, 10, 5, 10, 20, 30));
    expect(parseTimeSpec('2024-11-05T10:20:30')).toBe(Date.UTC(2024, 10, 5, 10, 20, 30));
    expect(parseTimeSpec('2024-11-05 10:20')).toBe(Date.UTC(2024, 10, 5, 10, 20));
    expect(parseTimeSpec('2024-11-05')).toBe(Date.UTC(2024, 10, 5));
    expect(parseTimeSpec('2024-11-05T12:20:30+02:00')).toBe(Date.UTC(2024, 10, 5, 10, 20, 30));
  });

  it('Anything else: an error that says what to give', () => {
    expect(() => parseTimeSpec('yesterday')).toThrow(/Unix seconds .* or an ISO date/);
    expect(() => parseTimeSpec('-5')).toThrow();
  });
});

describe('isoSeconds', () => {
  it('Seconds as ISO without milliseconds', () => {
    expect(isoSeconds(1795246925)).toBe('2026-11-21T07:42:05Z');
  });
});
