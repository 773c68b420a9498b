// Integers as Redis strings: the canonical decimal text Redis accepts as an integer (string2ll)
// and the reverse. Source of truth: redis/src/util.c string2ll, ll2string.

import { allocBytes } from '@redis-forensics/core';

/**
 * Parse `bytes` as Redis's canonical int64 text: optional `-`, no leading zeros (except "0"), only
 * digits, 1..20 bytes, in int64 range. Mirrors redis/src/util.c string2ll.
 * @returns the value, or undefined when the bytes are not canonical
 */
export function parseCanonicalInt(bytes: Uint8Array): bigint | undefined {
  const v = canonicalIntValue(bytes);
  return v === undefined ? undefined : BigInt(v);
}

/**
 * {@link parseCanonicalInt} without a bigint for the common case: the value as a number when it
 * has at most 15 digits (exact), as a bigint when longer, undefined when not canonical.
 */
export function canonicalIntValue(bytes: Uint8Array): number | bigint | undefined {
  const n = bytes.length;
  if (n === 0 || n > 20) return undefined;
  let i = 0;
  const negative = bytes[0] === 0x2d;
  if (negative) {
    i = 1;
    if (n === 1) return undefined;
  }
  if (bytes[i] === 0x30) return n === 1 ? 0 : undefined;
  if (n - i <= 15) {
    let v = 0;
    for (; i < n; i++) {
      const c = bytes[i]! - 0x30;
      if (c < 0 || c > 9) return undefined;
      v = v * 10 + c;
    }
    return negative ? -v : v;
  }
  let v = 0n;
  for (; i < n; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return undefined;
    v = v * 10n + BigInt(c - 0x30);
  }
  if (negative) v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return v;
}

/** Decimal text of an integer as bytes (what Redis returns for an integer-encoded string). */
export function integerToBytes(value: number | bigint): Uint8Array {
  const s = typeof value === 'bigint' ? value.toString() : String(value);
  const out = allocBytes(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
