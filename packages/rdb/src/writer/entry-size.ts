// How many bytes one element takes inside a listpack or a ziplist, computed without encoding it,
// so that node-splitting decisions can look at the container's size as Redis does.
// Source of truth: redis/src/listpack.c lpEncodeGetType, lpEncodeBacklen;
// redis/src/ziplist.c zipTryEncoding, zipStoreEntryEncoding, zipStorePrevEntryLength.

import { listpackBacklenSize, listpackIntSize } from '../encodings/listpack.js';
import { canonicalIntValue } from '../integer-text.js';

/** An element as encodeListpack/encodeZiplist take it: bytes (integers detected) or an integer. */
export type ContainerElement = Uint8Array | number | bigint;

// Integers stay numbers where they fit (comparisons below work on numbers and bigints alike).
function intOf(el: ContainerElement, maxTextLength: number): number | bigint | undefined {
  if (typeof el === 'number' || typeof el === 'bigint') return el;
  return el.length <= maxTextLength ? canonicalIntValue(el) : undefined;
}

/**
 * Total bytes (encoding, data and backlen) `el` takes in a listpack written by
 * {@link encodeListpack}.
 * @see redis/src/listpack.c lpEncodeGetType, lpEncodeBacklen
 */
export function listpackEntrySize(el: ContainerElement): number {
  const int = intOf(el, 20);
  let size: number;
  if (int !== undefined) size = listpackIntSize(int);
  else {
    const len = (el as Uint8Array).length;
    size = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  }
  return size + listpackBacklenSize(size);
}

/**
 * Bytes of the encoding + data of `el` in a ziplist written by {@link encodeZiplist}; the entry
 * adds a prevlen of 1 byte (previous entry < 254 bytes) or 5 bytes.
 * @see redis/src/ziplist.c zipTryEncoding, zipStoreEntryEncoding
 */
export function ziplistEntryBodySize(el: ContainerElement): number {
  const int = intOf(el, 31);
  if (int !== undefined) {
    if (int >= 0 && int <= 12) return 1;
    if (int >= -128 && int <= 127) return 2;
    if (int >= -32768 && int <= 32767) return 3;
    if (int >= -8388608 && int <= 8388607) return 4;
    if (int >= -2147483648 && int <= 2147483647) return 5;
    return 9;
  }
  const len = (el as Uint8Array).length;
  return len <= 0x3f ? 1 + len : len <= 0x3fff ? 2 + len : 5 + len;
}
