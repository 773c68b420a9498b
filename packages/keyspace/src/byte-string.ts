// Redis strings held as latin1 JavaScript strings: one char per byte, so a Map<string, V> is
// binary-exact and V8 stores them as compact one-byte strings (no Uint8Array object per member).

import { allocBytes } from '@redis-forensics/core';

// Buffer's own latin1 codecs, called on any Uint8Array: measured 1.5-10x faster than a char loop,
// String.fromCharCode.apply or Buffer.from(...).toString for the 8-400 byte strings of a keyspace.
const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;
const latin1Write = Buffer.prototype.latin1Write as (this: Uint8Array, s: string, offset: number, length: number) => number;

/** The latin1 string of `bytes`: char code i = byte i. Binary-exact for every byte value. */
export function bytesToLatin1(bytes: Uint8Array): string {
  return latin1Slice.call(bytes, 0, bytes.byteLength);
}

/** The bytes of a latin1 string made by {@link bytesToLatin1} (a fresh Buffer of its own). */
export function latin1ToBytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/**
 * {@link latin1ToBytes} for bytes that live briefly (events handed to a writer): small strings
 * share a slab (core allocBytes), so one kept array keeps its whole 64 KiB slab alive.
 */
export function latin1ToSlabBytes(s: string): Uint8Array {
  const out = allocBytes(s.length);
  latin1Write.call(out, s, 0, s.length);
  return out;
}

/**
 * Compare two latin1 strings as Redis compares sds strings (memcmp, then length): the UTF-16
 * code-unit order of latin1 strings is exactly the byte order.
 * @see redis/src/sds.c sdscmp
 */
export function compareLatin1(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Text for messages: printable ASCII as is, other bytes as `\xNN` (redis-cli style). */
export function displayLatin1(s: string, max = 64): string {
  let out = '';
  for (let i = 0; i < s.length && i < max; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? s[i] : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s.length > max ? `${out}...` : out;
}
