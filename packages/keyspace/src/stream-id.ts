// Stream IDs as Redis keys them in its radix trees: 128-bit big-endian (ms, seq), here a 16-char
// latin1 string, so that string order is ID order and a Map/Set key is the ID itself.
// Source of truth: redis/src/t_stream.c streamEncodeID, streamCompareID,
// streamGenericParseIDOrReply, string2ull (redis/src/util.c).

import { string2ll } from './number-text.js';

/** 0-0. */
export const STREAM_ID_ZERO: string = '\0'.repeat(16);
/** UINT64_MAX-UINT64_MAX. */
export const STREAM_ID_MAX: string = '\xff'.repeat(16);
const UINT64_MAX = 2n ** 64n - 1n;

const scratch = new DataView(new ArrayBuffer(16));

/** The 16-char key of (ms, seq). */
export function streamIdKey(ms: bigint, seq: bigint): string {
  scratch.setBigUint64(0, ms);
  scratch.setBigUint64(8, seq);
  let s = '';
  for (let i = 0; i < 16; i++) s += String.fromCharCode(scratch.getUint8(i));
  return s;
}

/** (ms, seq) of a 16-char key. */
export function streamIdParts(key: string): { ms: bigint; seq: bigint } {
  for (let i = 0; i < 16; i++) scratch.setUint8(i, key.charCodeAt(i));
  return { ms: scratch.getBigUint64(0), seq: scratch.getBigUint64(8) };
}

/** `<ms>-<seq>` text of a key, as Redis replies and rewrites it. */
export function streamIdText(key: string): string {
  const { ms, seq } = streamIdParts(key);
  return `${ms}-${seq}`;
}

/**
 * The next ID (seq + 1, or ms + 1 and seq 0), or null at UINT64_MAX-UINT64_MAX.
 * @see redis/src/t_stream.c streamIncrID
 */
export function streamIncrId(key: string): string | null {
  const { ms, seq } = streamIdParts(key);
  if (seq === UINT64_MAX) {
    if (ms === UINT64_MAX) return null;
    return streamIdKey(ms + 1n, 0n);
  }
  return streamIdKey(ms, seq + 1n);
}

/**
 * The previous ID, or null at 0-0.
 * @see redis/src/t_stream.c streamDecrID
 */
export function streamDecrId(key: string): string | null {
  const { ms, seq } = streamIdParts(key);
  if (seq === 0n) {
    if (ms === 0n) return null;
    return streamIdKey(ms - 1n, UINT64_MAX);
  }
  return streamIdKey(ms, seq - 1n);
}

/**
 * C's string2ull: string2ll for canonical non-negative integers, else strtoull(base 10), which
 * also takes leading spaces, `+`, leading zeros and even `-` (negated modulo 2^64).
 * @see redis/src/util.c string2ull
 */
export function string2ull(s: string): bigint | null {
  const ll = string2ll(s);
  if (ll !== null) return ll < 0n ? null : ll;
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]!);
  if (v > UINT64_MAX) return null;
  return m[1] === '-' ? (v === 0n ? 0n : 2n ** 64n - v) : v;
}

/** Result of {@link parseStreamId}: the ID key and whether the sequence was given (`ms-*`). */
export interface ParsedStreamId {
  id: string;
  seqGiven: boolean;
}

/**
 * Parse a stream ID argument: `-`, `+` (unless strict), `<ms>`, `<ms>-<seq>`, and `<ms>-*` when
 * `allowSeqStar`. The text is cut at the first NUL and must be under 128 bytes.
 * @returns the ID, or null ("Invalid stream ID specified as stream command argument")
 * @see redis/src/t_stream.c streamGenericParseIDOrReply
 */
export function parseStreamId(text: string, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedStreamId | null {
  if (text.length > 127) return null;
  const nul = text.indexOf('\0');
  const buf = nul === -1 ? text : text.slice(0, nul);
  if (strict && (buf === '-' || buf === '+')) return null;
  if (buf === '-') return { id: STREAM_ID_ZERO, seqGiven: true };
  if (buf === '+') return { id: STREAM_ID_MAX, seqGiven: true };
  const dash = buf.indexOf('-');
  const msText = dash === -1 ? buf : buf.slice(0, dash);
  const ms = string2ull(msText);
  if (ms === null) return null;
  if (dash === -1) return { id: streamIdKey(ms, missingSeq), seqGiven: true };
  const seqText = buf.slice(dash + 1);
  if (allowSeqStar && seqText === '*') return { id: streamIdKey(ms, 0n), seqGiven: false };
  const seq = string2ull(seqText);
  if (seq === null) return null;
  return { id: streamIdKey(ms, seq), seqGiven: true };
}
