// Zipmap (Redis 2.2-2.4 small hashes): <zmlen:u8><len>key<len><free:u8>value<free bytes>...<0xff>;
// len = one byte 0..253, or 0xfe + u32le. Source of truth: redis/src/zipmap.c
// (zipmapValidateIntegrity, zipmapDecodeLength).

import { FormatError } from '@redis-forensics/core';

export const ZIPMAP_BIGLEN = 254; // 0xfe: a 4-byte length follows
export const ZIPMAP_END = 255; // 0xff: end of the zipmap

/**
 * Decode and validate a zipmap: every length in bounds, pair count equal to zmlen when it is below
 * 254, the terminator at the very end.
 * @param blob the complete zipmap
 * @param baseOffset absolute file offset of `blob[0]`
 * @returns [field, value] pairs as views into `blob`
 * @throws {@link FormatError} ZIPMAP_BAD_LENGTH, ZIPMAP_MISSING_TERMINATOR, ZIPMAP_BAD_COUNT
 * @see redis/src/zipmap.c zipmapValidateIntegrity
 */
export function decodeZipmap(blob: Uint8Array, baseOffset: number = 0): [Uint8Array, Uint8Array][] {
  const size = blob.length;
  if (size < 2) throw new FormatError('ZIPMAP_BAD_LENGTH', baseOffset, `zipmap of ${size} bytes is too short`);
  // zipmapValidateIntegrity checks the terminator before walking the entries.
  if (blob[size - 1] !== ZIPMAP_END) {
    throw new FormatError('ZIPMAP_MISSING_TERMINATOR', baseOffset + size - 1, `last byte is 0x${blob[size - 1]!.toString(16)}, expected 0xff`);
  }
  const zmlen = blob[0]!;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let p = 1;
  const out: [Uint8Array, Uint8Array][] = [];
  const readLen = (): number => {
    if (p >= size) throw new FormatError('ZIPMAP_MISSING_TERMINATOR', baseOffset + size, 'zipmap ends without 0xff');
    const b = blob[p]!;
    if (b < ZIPMAP_BIGLEN) {
      p += 1;
      return b;
    }
    if (b === ZIPMAP_BIGLEN) {
      if (p + 5 > size) throw new FormatError('ZIPMAP_BAD_LENGTH', baseOffset + p, '4-byte length runs past the zipmap');
      const len = view.getUint32(p + 1, true);
      p += 5;
      return len;
    }
    p += 1; // ZIPMAP_END
    return -1;
  };
  for (;;) {
    const fieldLenAt = p;
    const fieldLen = readLen();
    if (fieldLen === -1) break; // 0xff
    if (p + fieldLen > size) throw new FormatError('ZIPMAP_BAD_LENGTH', baseOffset + fieldLenAt, `field of ${fieldLen} bytes runs past the zipmap`);
    const field = blob.subarray(p, p + fieldLen);
    p += fieldLen;
    const valueLenAt = p;
    const valueLen = readLen();
    if (valueLen === -1) throw new FormatError('ZIPMAP_BAD_LENGTH', baseOffset + valueLenAt, 'value length is 0xff');
    if (p + 1 > size) throw new FormatError('ZIPMAP_BAD_LENGTH', baseOffset + p, 'free byte missing');
    const free = blob[p]!;
    p += 1;
    if (p + valueLen + free > size) throw new FormatError('ZIPMAP_BAD_LENGTH', baseOffset + valueLenAt, `value of ${valueLen} (+${free} free) bytes runs past the zipmap`);
    out.push([field, blob.subarray(p, p + valueLen)]);
    p += valueLen + free;
  }
  if (p !== size) {
    throw new FormatError('ZIPMAP_MISSING_TERMINATOR', baseOffset + p - 1, `end marker at ${baseOffset + p - 1} but the zipmap runs to ${baseOffset + size - 1}`);
  }
  if (zmlen < ZIPMAP_BIGLEN && zmlen !== out.length) {
    throw new FormatError('ZIPMAP_BAD_COUNT', baseOffset, `zmlen says ${zmlen} pairs, found ${out.length}`);
  }
  return out;
}

/** Encode pairs as a zipmap with no free bytes (for tests and old-version writers). */
export function encodeZipmap(pairs: readonly [Uint8Array, Uint8Array][]): Uint8Array {
  const parts: number[] = [Math.min(pairs.length, ZIPMAP_BIGLEN)];
  const pushLen = (n: number): void => {
    if (n < ZIPMAP_BIGLEN) parts.push(n);
    else parts.push(ZIPMAP_BIGLEN, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  };
  for (const [f, v] of pairs) {
    pushLen(f.length);
    parts.push(...f);
    pushLen(v.length);
    parts.push(0);
    parts.push(...v);
  }
  parts.push(ZIPMAP_END);
  return Uint8Array.from(parts);
}
