import { describe, expect, it } from 'vitest';

import { FormatError, isReasonCode, REASON_CODES } from '@redis-forensics/core';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('FormatError', () => {
  it('Full context: message in the redis-check-rdb shape with offset, hex offset, phase and key', () => {
    const e = new FormatError('RDB_UNKNOWN_TYPE', 1234, 'type byte 0x1f', { phase: 'read-object-value', key: ascii('user:1') });
    expect(e.message).toBe('RDB_UNKNOWN_TYPE at offset 1234 (0x4d2) while read-object-value, key "user:1": type byte 0x1f');
  });

  it('No context: code, offset and detail only', () => {
    const e = new FormatError('LZF_CORRUPT', 0, 'bad');
    expect(e.message).toBe('LZF_CORRUPT at offset 0 (0x0): bad');
    expect(e.phase).toBeUndefined();
    expect(e.key).toBeUndefined();
    expect(e.file).toBeUndefined();
  });

  it('Binary key: escaped the way redis-cli prints it', () => {
    const e = new FormatError('RDB_UNEXPECTED_EOF', 16, 'x', { key: Uint8Array.of(0x6b, 0x00, 0xff, 0x22) });
    expect(e.message).toBe('RDB_UNEXPECTED_EOF at offset 16 (0x10), key "k\\x00\\xff\\"": x');
  });

  it('Fields: code, offset, detail, file, phase, key, name; an Error', () => {
    const key = ascii('k');
    const cause = new Error('inner');
    const e = new FormatError('RDB_CHECKSUM_MISMATCH', 105, 'stored != computed', { file: 'dump.rdb', phase: 'check-sum', key, cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FormatError');
    expect(e.code).toBe('RDB_CHECKSUM_MISMATCH');
    expect(e.offset).toBe(105);
    expect(e.detail).toBe('stored != computed');
    expect(e.file).toBe('dump.rdb');
    expect(e.phase).toBe('check-sum');
    expect(e.key).toBe(key);
    expect(e.cause).toBe(cause);
    expect(e.explanation).toBe(REASON_CODES.RDB_CHECKSUM_MISMATCH);
  });

  it('withContext: fills what is missing, keeps what is set, keeps code and offset', () => {
    const inner = new FormatError('LISTPACK_BAD_BACKLEN', 77, 'bad backlen', { phase: 'read-object-value' });
    const outer = inner.withContext({ file: 'a.rdb', phase: 'read-type', key: ascii('h') });
    expect(outer).not.toBe(inner);
    expect(outer.code).toBe('LISTPACK_BAD_BACKLEN');
    expect(outer.offset).toBe(77);
    expect(outer.detail).toBe('bad backlen');
    expect(outer.phase).toBe('read-object-value');
    expect(outer.file).toBe('a.rdb');
    expect(outer.key).toEqual(ascii('h'));
    expect(outer.message).toBe('LISTPACK_BAD_BACKLEN at offset 77 (0x4d) while read-object-value, key "h": bad backlen');
  });

  it('Long key: the message shows at most 200 bytes of it', () => {
    const e = new FormatError('RDB_UNEXPECTED_EOF', 1, 'x', { key: new Uint8Array(1000).fill(0x61) });
    expect(e.message).toContain(`key "${'a'.repeat(200)}"...: x`);
  });
});

describe('REASON_CODES', () => {
  it('Every code: <FORMAT>_<PROBLEM> in UPPER_SNAKE with a known format prefix and a one-line explanation', () => {
    const prefixes = ['RDB', 'LZF', 'LISTPACK', 'ZIPLIST', 'ZIPMAP', 'INTSET', 'QUICKLIST', 'STREAM', 'MODULE', 'RESP', 'AOF', 'MANIFEST'];
    for (const [code, text] of Object.entries(REASON_CODES)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z0-9]+)+$/);
      expect(prefixes).toContain(code.split('_')[0]);
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toContain('\n');
    }
  });

  it('isReasonCode: true for table keys, false for anything else', () => {
    expect(isReasonCode('RDB_BAD_MAGIC')).toBe(true);
    expect(isReasonCode('rdb_bad_magic')).toBe(false);
    expect(isReasonCode('toString')).toBe(false);
    expect(isReasonCode('')).toBe(false);
  });
});
