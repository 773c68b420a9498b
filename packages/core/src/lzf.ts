// LZF as Redis uses it for RDB strings and quicklist nodes. Decompression mirrors
// redis/src/lzf_d.c (lzf_decompress); compression reproduces redis/src/lzf_c.c (lzf_compress with
// HLOG 16, VERY_FAST, no table init) byte for byte, per FORMAT.md section 2.4.

import { FormatError } from './format-error.js';

/** LZF can expand at most 264 output bytes per 3 input bytes (a long back-reference). */
export const LZF_MAX_EXPANSION = 88;

/**
 * Decompress LZF data into exactly `uncompressedLength` bytes.
 * The length is checked against the largest expansion LZF allows before anything is allocated,
 * so a lying length cannot make us allocate.
 * @param input compressed bytes (`clen` of them)
 * @param uncompressedLength `ulen` as stored before the data
 * @param baseOffset absolute file offset of `input[0]`, for errors
 * @returns a new buffer of `uncompressedLength` bytes
 * @throws {@link FormatError} LZF_CORRUPT for a back-reference before the start or a run past the
 *   input or the output; LZF_LENGTH_MISMATCH when the output is shorter than `uncompressedLength`
 *   or the length is impossible for the input size
 * @see redis/src/lzf_d.c lzf_decompress
 */
export function decompressLzf(
  input: Uint8Array,
  uncompressedLength: number,
  baseOffset: number = 0,
): Uint8Array {
  if (uncompressedLength > input.length * LZF_MAX_EXPANSION + 1 || input.length === 0) {
    throw new FormatError(
      'LZF_LENGTH_MISMATCH',
      baseOffset,
      `${input.length} compressed bytes cannot expand to ${uncompressedLength} bytes`,
    );
  }
  const out = new Uint8Array(uncompressedLength);
  let ip = 0;
  let op = 0;
  const inEnd = input.length;
  while (ip < inEnd) {
    const ctrlAt = ip;
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > uncompressedLength) {
        throw new FormatError('LZF_CORRUPT', baseOffset + ctrlAt, `literal run of ${ctrl} bytes overflows the ${uncompressedLength}-byte output`);
      }
      if (ip + ctrl > inEnd) {
        throw new FormatError('LZF_CORRUPT', baseOffset + ctrlAt, `literal run of ${ctrl} bytes runs past the compressed data`);
      }
      out.set(input.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= inEnd) throw new FormatError('LZF_CORRUPT', baseOffset + ctrlAt, 'back-reference length byte missing');
        len += input[ip++]!;
      }
      if (ip >= inEnd) throw new FormatError('LZF_CORRUPT', baseOffset + ctrlAt, 'back-reference offset byte missing');
      const ref = op - ((ctrl & 0x1f) << 8) - input[ip++]! - 1;
      len += 2;
      if (op + len > uncompressedLength) {
        throw new FormatError('LZF_CORRUPT', baseOffset + ctrlAt, `back-reference of ${len} bytes overflows the ${uncompressedLength}-byte output`);
      }
      if (ref < 0) {
        throw new FormatError('LZF_CORRUPT', baseOffset + ctrlAt, `back-reference points ${-ref} bytes before the start of the output`);
      }
      if (ref + len <= op) {
        out.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        for (let k = 0; k < len; k++) out[op++] = out[ref + k]!;
      }
    }
  }
  if (op !== uncompressedLength) {
    throw new FormatError('LZF_LENGTH_MISMATCH', baseOffset, `decompressed to ${op} bytes, expected ${uncompressedLength}`);
  }
  return out;
}

const HTAB_SIZE = 1 << 16;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

let htab: Int32Array | undefined;

/**
 * Compress like Redis's liblzf build, byte for byte (FORMAT.md 2.4).
 * @param input bytes to compress
 * @param capacity largest acceptable output size (`len - 4` for RDB strings)
 * @returns the compressed bytes, or `undefined` when they would not fit in `capacity`
 * @see redis/src/lzf_c.c lzf_compress
 */
export function compressLzf(input: Uint8Array, capacity: number): Uint8Array | undefined {
  const n = input.length;
  if (n === 0 || capacity <= 0) return undefined;
  const table = (htab ??= new Int32Array(HTAB_SIZE));
  table.fill(-1);
  const out = new Uint8Array(capacity + 3);
  let op = 1;
  let lit = 0;
  let ip = 0;
  const inEnd = n;
  let hval = n >= 2 ? ((input[0]! << 8) | input[1]!) >>> 0 : 0;
  const idx = (h: number): number => (((h >>> 8) - h * 5) >>> 0) & 0xffff;
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = idx(hval);
    const ref = table[slot]!;
    table[slot] = ip;
    let off: number;
    if (
      ref > 0 &&
      (off = ip - ref - 1) < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref] === input[ip]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      maxlen = maxlen > MAX_REF ? MAX_REF : maxlen;
      if (op + 3 + 1 >= capacity) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= capacity) return undefined;
      }
      out[op - lit - 1] = lit - 1;
      op -= lit === 0 ? 1 : 0;
      // liblzf's unrolled match loop: 16 compares, then a plain loop (may pass maxlen by 2).
      if (maxlen > 16) {
        let matched = false;
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            matched = true;
            break;
          }
        }
        if (!matched) {
          do len++;
          while (len < maxlen && input[ref + len] === input[ip + len]);
        }
      } else {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++;
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      ip -= 2;
      hval = ((input[ip]! << 8) | input[ip + 1]!) >>> 0;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      table[idx(hval)] = ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      table[idx(hval)] = ip;
      ip++;
    } else {
      if (op >= capacity) return undefined;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > capacity) return undefined;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  op -= lit === 0 ? 1 : 0;
  return out.slice(0, op);
}
