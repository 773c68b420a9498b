import { describe, expect, it } from 'vitest';

import { escapeBytes, prettyByte } from '@redis-forensics/core';

describe('escapeBytes', () => {
  it('Printable ASCII: as is, in double quotes', () => {
    expect(escapeBytes(new TextEncoder().encode('user:1 {tag}~'))).toBe('"user:1 {tag}~"');
  });

  it('Special characters: escaped as sdscatrepr does', () => {
    expect(escapeBytes(Uint8Array.of(0x5c, 0x22, 0x0a, 0x0d, 0x09, 0x07, 0x08))).toBe('"\\\\\\"\\n\\r\\t\\a\\b"');
  });

  it('Other bytes: \\xHH in lowercase', () => {
    expect(escapeBytes(Uint8Array.of(0x00, 0x1f, 0x7f, 0x80, 0xff))).toBe('"\\x00\\x1f\\x7f\\x80\\xff"');
  });

  it('The corpus binary key name: rendered like redis-cli', () => {
    const key = Uint8Array.from([...'key\0with\xffbinary\r\nname'].map((c) => c.charCodeAt(0)));
    expect(escapeBytes(key)).toBe('"key\\x00with\\xffbinary\\r\\nname"');
  });

  it('Empty: two quotes', () => {
    expect(escapeBytes(new Uint8Array(0))).toBe('""');
  });

  it('maxBytes: cut after that many bytes, then ...', () => {
    expect(escapeBytes(new TextEncoder().encode('abcdef'), 3)).toBe('"abc"...');
    expect(escapeBytes(new TextEncoder().encode('abc'), 3)).toBe('"abc"');
  });
});

describe('prettyByte', () => {
  it('Bytes: 0x and two lowercase hex digits', () => {
    expect(prettyByte(0)).toBe('0x00');
    expect(prettyByte(0x1f)).toBe('0x1f');
    expect(prettyByte(0xff)).toBe('0xff');
  });
});
