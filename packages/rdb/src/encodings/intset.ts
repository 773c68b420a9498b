// Intset: <encoding:u32le 2|4|8><length:u32le><members, strictly ascending, signed LE of that width>.
// Source of truth: redis/src/intset.c (intsetValidateIntegrity, intsetAdd).

import { FormatError } from '@redis-forensics/core';

export const INTSET_ENC_INT16 = 2;
export const INTSET_ENC_INT32 = 4;
export const INTSET_ENC_INT64 = 8;

/**
 * Decode and validate an intset (encoding, exact size, non-empty, strictly ascending), like
 * intsetValidateIntegrity with deep = 1.
 * @param blob the complete intset
 * @param baseOffset absolute file offset of `blob[0]`
 * @returns members in ascending order (number, or bigint beyond 2^53)
 * @throws {@link FormatError} INTSET_BAD_ENCODING, INTSET_BAD_LENGTH, INTSET_NOT_SORTED
 * @see redis/src/intset.c intsetValidateIntegrity
 */
export function decodeIntset(blob: Uint8Array, baseOffset: number = 0): (number | bigint)[] {
  if (blob.length < 8) {
    throw new FormatError('INTSET_BAD_LENGTH', baseOffset, `intset of ${blob.length} bytes is shorter than its 8-byte header`);
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const encoding = view.getUint32(0, true);
  if (encoding !== INTSET_ENC_INT16 && encoding !== INTSET_ENC_INT32 && encoding !== INTSET_ENC_INT64) {
    throw new FormatError('INTSET_BAD_ENCODING', baseOffset, `encoding ${encoding} is not 2, 4 or 8`);
  }
  const length = view.getUint32(4, true);
  if (length === 0 || 8 + length * encoding !== blob.length) {
    throw new FormatError('INTSET_BAD_LENGTH', baseOffset + 4, `length ${length} x ${encoding} bytes does not fill the ${blob.length - 8}-byte body`);
  }
  const out: (number | bigint)[] = new Array(length);
  let prev: number | bigint | undefined;
  for (let i = 0; i < length; i++) {
    const at = 8 + i * encoding;
    let v: number | bigint;
    if (encoding === INTSET_ENC_INT16) v = view.getInt16(at, true);
    else if (encoding === INTSET_ENC_INT32) v = view.getInt32(at, true);
    else {
      const big = view.getBigInt64(at, true);
      v = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
    }
    if (prev !== undefined && !(prev < v)) {
      throw new FormatError('INTSET_NOT_SORTED', baseOffset + at, `member ${v} does not follow ${prev} in ascending order`);
    }
    out[i] = v;
    prev = v;
  }
  return out;
}

/**
 * Encode members as an intset of the smallest width that fits them all (or `minEncoding`).
 * @param members distinct integers, any order
 * @param minEncoding width to use at least (intsets never narrow in Redis). Defaults to 2.
 * @see redis/src/intset.c intsetAdd, _intsetValueEncoding
 */
export function encodeIntset(members: readonly (number | bigint)[], minEncoding: 2 | 4 | 8 = 2): Uint8Array {
  const sorted = members.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let encoding: number = minEncoding;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) encoding = 8;
    else if ((v < -32768n || v > 32767n) && encoding < 4) encoding = 4;
  }
  const out = new Uint8Array(8 + sorted.length * encoding);
  const view = new DataView(out.buffer);
  view.setUint32(0, encoding, true);
  view.setUint32(4, sorted.length, true);
  sorted.forEach((v, i) => {
    const at = 8 + i * encoding;
    if (encoding === 2) view.setInt16(at, Number(v), true);
    else if (encoding === 4) view.setInt32(at, Number(v), true);
    else view.setBigInt64(at, v, true);
  });
  return out;
}
