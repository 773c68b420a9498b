// Redis strings held as latin1 JavaScript strings: one char per byte, so a Map<string, V> is
// binary-exact and V8 stores them as compact one-byte strings (no Uint8Array object per member).

/** The latin1 string of `bytes`: char code i = byte i. Binary-exact for every byte value. */
export function bytesToLatin1(bytes: Uint8Array): string {
  if (bytes.byteLength < 16) {
    let s = '';
    for (let i = 0; i < bytes.byteLength; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The bytes of a latin1 string made by {@link bytesToLatin1} (a fresh Buffer). */
export function latin1ToBytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
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
