// Score and lex ranges over a sorted set, and the encoding bookkeeping that decides how -0 is
// stored (Redis 7.0+ listpacks store integral scores as integers, so -0 becomes 0 there).
// Source of truth: redis/src/t_zset.c zslParseRange, zslParseLexRange, zzlFirstInLexRange,
// zzlIsInLexRange, zsetConvertToListpackIfNeeded, zzlInsertAt (double2ll).

import { ZsetValue } from './zset-value.js';

import type { Exec } from './exec-context.js';

/** zset-max-listpack-entries default. */
export const ZSET_MAX_LISTPACK_ENTRIES = 128;
/** zset-max-listpack-value default (bytes). */
export const ZSET_MAX_LISTPACK_VALUE = 64;

/** A score interval. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

const FLOAT_BODY = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?)$/i;

/**
 * strtod over a whole (NUL-terminated) argument as zslParseRange uses it: leading spaces allowed,
 * the empty string is 0, overflow gives ±inf, NaN is rejected.
 * @returns the value, or null
 */
export function strtodWhole(text: string): number | null {
  const nul = text.indexOf('\0');
  const s = nul === -1 ? text : text.slice(0, nul);
  if (s.length === 0) return 0;
  const body = s.replace(/^[ \t\n\v\f\r]+/, '');
  if (!FLOAT_BODY.test(body)) return null;
  const lower = body.toLowerCase();
  const neg = lower.startsWith('-');
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') return neg ? -Infinity : Infinity;
  if (unsigned.startsWith('0x')) {
    const m = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(unsigned)!;
    const frac = m[2] ?? '';
    const mant = BigInt(`0x${m[1] || '0'}${frac}`);
    const v = Number(mant) * 2 ** (Number(m[3] ?? '0') - 4 * frac.length);
    return neg ? -v : v;
  }
  return Number(body);
}

/** @returns the range, or null ("min or max is not a float") @see zslParseRange */
export function parseScoreRange(minText: string, maxText: string): ScoreRange | null {
  const minex = minText.charCodeAt(0) === 0x28;
  const maxex = maxText.charCodeAt(0) === 0x28;
  const min = strtodWhole(minex ? minText.slice(1) : minText);
  const max = strtodWhole(maxex ? maxText.slice(1) : maxText);
  if (min === null || max === null) return null;
  return { min, max, minex, maxex };
}

/** A lex interval; `-`/`+` are the minimum / maximum strings. */
export interface LexRange {
  min: string | '-' | '+';
  max: string | '-' | '+';
  minInf: -1 | 0 | 1;
  maxInf: -1 | 0 | 1;
  minex: boolean;
  maxex: boolean;
}

function parseLexItem(s: string): { v: string; inf: -1 | 0 | 1; ex: boolean } | null {
  const c = s[0];
  if (c === '+') return s.length === 1 || s[1] === '\0' ? { v: '', inf: 1, ex: true } : null;
  if (c === '-') return s.length === 1 || s[1] === '\0' ? { v: '', inf: -1, ex: true } : null;
  if (c === '(') return { v: s.slice(1), inf: 0, ex: true };
  if (c === '[') return { v: s.slice(1), inf: 0, ex: false };
  return null;
}

/** @returns the range, or null ("min or max not valid string range item") @see zslParseLexRange */
export function parseLexRange(minText: string, maxText: string): LexRange | null {
  const a = parseLexItem(minText);
  const b = parseLexItem(maxText);
  if (a === null || b === null) return null;
  return { min: a.v, max: b.v, minInf: a.inf, maxInf: b.inf, minex: a.ex, maxex: b.ex };
}

/** sdscmplex: the shared min string is below everything, the max string above. */
function cmpLex(a: string, aInf: number, b: string, bInf: number): number {
  if (aInf !== 0 || bInf !== 0) return aInf === bInf ? 0 : aInf < bInf ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** zslLexValueGteMin: the member is at or above the range's min. */
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = cmpLex(v, 0, r.min, r.minInf);
  return r.minex ? c > 0 : c >= 0;
}

/** zslLexValueLteMax: the member is at or below the range's max. */
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = cmpLex(v, 0, r.max, r.maxInf);
  return r.maxex ? c < 0 : c <= 0;
}

/** zzlIsInLexRange: the range is not empty and overlaps the first/last members. */
function isInLexRange(z: ZsetValue, r: LexRange): boolean {
  const cmp = cmpLex(r.min, r.minInf, r.max, r.maxInf);
  if (cmp > 0 || (cmp === 0 && (r.minex || r.maxex))) return false;
  if (z.size === 0) return false;
  if (!lexGteMin(z.index.at(z.size - 1)[0], r)) return false;
  if (!lexLteMax(z.index.at(0)[0], r)) return false;
  return true;
}

/**
 * Rank of the first member in the lex range, or -1: the first member (from the head) that is >= min,
 * if it is also <= max. Lex ranges are only meaningful when all scores are equal; otherwise this is
 * the listpack's answer (and the skiplist's most likely one: its descent depends on node levels).
 * `precheck` is zzlIsInLexRange/zslIsInLexRange, which zslDeleteRangeByLex skips.
 */
export function firstInLexRange(z: ZsetValue, r: LexRange, precheck = true): number {
  if (precheck ? !isInLexRange(z, r) : z.size === 0) return -1;
  let rank = 0;
  for (const [m] of z.index) {
    if (lexGteMin(m, r)) return lexLteMax(m, r) ? rank : -1;
    rank++;
  }
  return -1;
}

/** Rank of the last member in the lex range, or -1 (scan from the tail). */
export function lastInLexRange(z: ZsetValue, r: LexRange): number {
  if (!isInLexRange(z, r)) return -1;
  let rank = z.size - 1;
  for (const [m] of z.index.rangeReverse(z.size - 1, 0)) {
    if (lexLteMax(m, r)) return lexGteMin(m, r) ? rank : -1;
    rank--;
  }
  return -1;
}

/** Whether a score range can hold anything (zslIsInRange's first test). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Rank of the first member with score in range, or -1. */
export function firstInScoreRange(z: ZsetValue, r: ScoreRange): number {
  if (scoreRangeEmpty(r) || z.size === 0) return -1;
  const rank = z.index.countBelow(r.min, r.minex);
  if (rank >= z.size) return -1;
  const s = z.index.at(rank)[1];
  return (r.maxex ? s < r.max : s <= r.max) ? rank : -1;
}

/** Rank of the last member with score in range, or -1. */
export function lastInScoreRange(z: ZsetValue, r: ScoreRange): number {
  if (scoreRangeEmpty(r) || z.size === 0) return -1;
  const rank = z.index.countBelow(r.max, !r.maxex) - 1;
  if (rank < 0) return -1;
  const s = z.index.at(rank)[1];
  return (r.minex ? s > r.min : s >= r.min) ? rank : -1;
}

/** zslValueGteMin. */
export function scoreGteMin(s: number, r: ScoreRange): boolean {
  return r.minex ? s > r.min : s >= r.min;
}

/** zslValueLteMax. */
export function scoreLteMax(s: number, r: ScoreRange): boolean {
  return r.maxex ? s < r.max : s <= r.max;
}

/**
 * Insert or re-score a member as zsetAdd does, converting to skiplist when the listpack limits
 * are exceeded, and storing -0 as 0 while listpack-encoded on 7.0+ (double2ll in zzlInsertAt).
 */
export function zsetStore(x: Exec, z: ZsetValue, member: string, score: number): void {
  if (z.listpack && !z.dict.has(member) && (z.size + 1 > ZSET_MAX_LISTPACK_ENTRIES || member.length > ZSET_MAX_LISTPACK_VALUE)) {
    z.listpack = false;
  }
  if (z.listpack && x.version >= 700 && Object.is(score, -0)) z.set(member, 0);
  else z.set(member, score);
}

/**
 * A new zset for ZADD: listpack unless the first member is too long (7.2+ also looks at the
 * number of pairs). @see redis/src/t_zset.c zsetTypeCreate
 */
export function zsetCreate(x: Exec, sizeHint: number, firstMemberLength: number): ZsetValue {
  const z = new ZsetValue();
  z.listpack = firstMemberLength <= ZSET_MAX_LISTPACK_VALUE && (x.version < 702 || sizeHint <= ZSET_MAX_LISTPACK_ENTRIES);
  return z;
}

/**
 * A computed zset (ZUNIONSTORE and friends) converted to listpack when small enough, with -0
 * stored as 0 on 7.0+. @see redis/src/t_zset.c zsetConvertToListpackIfNeeded
 */
export function zsetFromEntries(x: Exec, entries: Iterable<[string, number]>): ZsetValue {
  const z = new ZsetValue();
  let maxlen = 0;
  for (const [m, s] of entries) {
    z.set(m, s);
    if (m.length > maxlen) maxlen = m.length;
  }
  z.listpack = z.size <= ZSET_MAX_LISTPACK_ENTRIES && maxlen <= ZSET_MAX_LISTPACK_VALUE;
  if (z.listpack && x.version >= 700) {
    for (const [m, s] of [...z.index]) {
      if (Object.is(s, -0)) {
        z.delete(m);
        z.set(m, 0);
      }
    }
  }
  return z;
}
