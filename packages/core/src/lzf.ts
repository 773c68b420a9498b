// LZF as Redis uses it for RDB strings and quicklist nodes. Decompression mirrors
// redis/src/lzf_d.c (lzf_decompress); compression reproduces redis/src/lzf_c.c (lzf_compress with
// HLOG 16, VERY_FAST, no table init) byte for byte, per FORMAT.md section 2.4.

import { allocBytes } from './alloc-bytes.js';
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
  const out = allocBytes(uncompressedLength);
  const op = lzfDecode(input, out);
  if (op < 0) lzfFail(input, out, baseOffset);
  if (op !== uncompressedLength) {
    throw new FormatError('LZF_LENGTH_MISMATCH', baseOffset, `decompressed to ${op} bytes, expected ${uncompressedLength}`);
  }
  return out;
}

/**
 * The hot loop: decode `input` into `out`. Returns the output length, or -1 - (offset of the bad
 * control byte) when the data is corrupt; errors are described by lzfFail, off the hot path.
 */
function lzfDecode(input: Uint8Array, out: Uint8Array): number {
  const inEnd = input.length;
  const outEnd = out.length;
  let ip = 0;
  let op = 0;
  while (ip < inEnd) {
    const ctrlAt = ip;
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outEnd || ip + ctrl > inEnd) return -1 - ctrlAt;
      if (ctrl > 32) {
        out.set(input.subarray(ip, ip + ctrl), op);
        op += ctrl;
        ip += ctrl;
      } else {
        // Short runs: a plain loop beats creating a subarray view per run.
        for (let k = 0; k < ctrl; k++) out[op++] = input[ip++]!;
      }
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= inEnd) return -1 - ctrlAt;
        len += input[ip++]!;
      }
      if (ip >= inEnd) return -1 - ctrlAt;
      let ref = op - ((ctrl & 0x1f) << 8) - input[ip++]! - 1;
      len += 2;
      if (op + len > outEnd || ref < 0) return -1 - ctrlAt;
      if (len > 32 && ref + len <= op) {
        out.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        // Overlapping references repeat bytes (run-length), so copy forward one byte at a time.
        const stop = op + len;
        while (op < stop) out[op++] = out[ref++]!;
      }
    }
  }
  return op;
}

/** Re-run the decoder to describe the corruption precisely (cold path). */
function lzfFail(input: Uint8Array, out: Uint8Array, baseOffset: number): never {
  const at = -1 - lzfDecode(input, out);
  const ctrl = input[at]!;
  if (ctrl < 32) {
    throw new FormatError('LZF_CORRUPT', baseOffset + at, `literal run of ${ctrl + 1} bytes runs past the compressed data or the ${out.length}-byte output`);
  }
  throw new FormatError('LZF_CORRUPT', baseOffset + at, `back-reference is truncated, points before the start of the output, or overflows the ${out.length}-byte output`);
}

const HTAB_SIZE = 1 << 16;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// The hash table holds `tableBase + ip`: an entry below this call's base is from an earlier call
// and reads as empty (ref < 1), exactly like a cleared table, without clearing 256 KiB per call
// (that memset was most of the writer's LZF time on a keyspace of short strings).
let htab: Int32Array | undefined;

/**
 * lzf_c.c IDX (VERY_FAST, HLOG 16): `((h >> 8) - h * 5) & 0xffff` on the unsigned hash. Its low
 * 16 bits depend only on the low 24 bits of `h`, so the hash is kept to 24 bits and everything
 * stays in small-integer arithmetic.
 */
function idx(h: number): number {
  return ((h >> 8) - h * 5) & 0xffff;
}

/** lzf_c.c NEXT, kept to the 24 bits {@link idx} reads. */
function next(h: number, byte: number): number {
  return ((h << 8) | byte) & 0xffffff;
}
let tableBase = 1;
const TABLE_BASE_LIMIT = 0x7fffffff;

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
  const room = lzfOutputRoom(n, capacity);
  if (scratch.length < room) scratch = new Uint8Array(room);
  const len = compressLzfInto(input, scratch, 0, capacity);
  return len === 0 ? undefined : scratch.slice(0, len);
}

let scratch = new Uint8Array(1024);

/**
 * The bytes {@link compressLzfInto} may write at `outStart` for `inputLength` bytes and this
 * capacity: never more than all literals plus one run header per 32 bytes (whatever the capacity
 * says, so a generous capacity allocates nothing), plus 3 bytes the loop may write before it
 * checks the capacity.
 */
export function lzfOutputRoom(inputLength: number, capacity: number): number {
  return Math.min(capacity, inputLength + (inputLength >> 5) + 1) + 3;
}

/**
 * {@link compressLzf} into `out` at `outStart`, allocating nothing.
 * @param out must have {@link lzfOutputRoom}(input.length, capacity) bytes from `outStart`
 * @returns the compressed length, or 0 when the input is empty or would not fit in `capacity`
 *   (bytes of `out` after `outStart` are then clobbered)
 * @see redis/src/lzf_c.c lzf_compress
 */
export function compressLzfInto(input: Uint8Array, out: Uint8Array, outStart: number, capacity: number): number {
  const n = input.length;
  if (n === 0 || capacity <= 0) return 0;
  const table = (htab ??= new Int32Array(HTAB_SIZE));
  if (tableBase > TABLE_BASE_LIMIT - n - 1) {
    table.fill(0);
    tableBase = 1;
  }
  const base = tableBase;
  tableBase += n + 1;
  const capEnd = outStart + capacity;
  let op = outStart + 1;
  let lit = 0;
  let ip = 0;
  const inEnd = n;
  let hval = n >= 2 ? (input[0]! << 8) | input[1]! : 0;
  while (ip < inEnd - 2) {
    hval = next(hval, input[ip + 2]!);
    const slot = idx(hval);
    const ref = table[slot]! - base;
    table[slot] = base + ip;
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
      if (op + 3 + 1 >= capEnd) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= capEnd) return 0;
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
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = next(hval, input[ip + 2]!);
      table[idx(hval)] = base + ip;
      ip++;
      hval = next(hval, input[ip + 2]!);
      table[idx(hval)] = base + ip;
      ip++;
    } else {
      if (op >= capEnd) return 0;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > capEnd) return 0;
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
  return op - outStart;
}
