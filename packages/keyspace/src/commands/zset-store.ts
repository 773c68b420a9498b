// Sorted set commands that compute a result into a destination key: ZUNIONSTORE, ZINTERSTORE,
// ZDIFFSTORE (sets count as zsets with score 1) and ZRANGESTORE.
// Source of truth: redis/src/t_zset.c zunionInterDiffGenericCommand, zunionInterAggregate,
// zrangeGenericCommand, genericZrangebyrankCommand / byscore / bylex.

import { ERR, fail, isOpt, lookupKey, parseDouble, parseLong, setKey } from '../exec-context.js';
import { typeOf } from '../values.js';
import {
  firstInLexRange,
  firstInScoreRange,
  lastInLexRange,
  lastInScoreRange,
  lexGteMin,
  lexLteMax,
  parseLexRange,
  parseScoreRange,
  scoreGteMin,
  scoreLteMax,
  zsetFromEntries,
} from '../zset-range.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { SetValue } from '../values.js';
import type { ZsetValue } from '../zset-value.js';

type Aggregate = 'sum' | 'min' | 'max';

interface Source {
  z: ZsetValue | null;
  s: SetValue | null;
  weight: number;
}

const sourceLength = (src: Source): number => src.z?.size ?? src.s?.set.size ?? 0;

function* sourceEntries(src: Source): IterableIterator<[string, number]> {
  if (src.z !== null) yield* src.z.index;
  else if (src.s !== null) for (const m of src.s.set) yield [m, 1];
}

function sourceScore(src: Source, member: string): number | undefined {
  if (src.z !== null) return src.z.dict.get(member);
  if (src.s !== null) return src.s.set.has(member) ? 1 : undefined;
  return undefined;
}

/** zunionInterAggregate: SUM turns NaN (inf + -inf) into 0. */
function aggregate(target: number, val: number, how: Aggregate): number {
  if (how === 'sum') {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (how === 'min') return val < target ? val : target;
  return val > target ? val : target;
}

/** Store a computed zset (converted to listpack when small), or delete an empty destination. */
function storeZset(x: Exec, dst: string, entries: Iterable<[string, number]>): Reply {
  const z = zsetFromEntries(x, entries);
  if (z.size > 0) {
    setKey(x.db, dst, z);
    return z.size;
  }
  x.db.delete(dst);
  return 0;
}

/** @see redis/src/t_zset.c zunionInterDiffGenericCommand */
function zstore(x: Exec, op: 'union' | 'inter' | 'diff'): Reply {
  const dst = x.argv[1]!;
  const numkeysIndex = 2;
  const setnum = parseLong(x, x.argv[numkeysIndex]!);
  if (setnum < 1) fail(`ERR at least 1 input key is needed for '${x.argv[0]!.toLowerCase()}' command`);
  if (setnum > x.argv.length - (numkeysIndex + 1)) fail(ERR.syntax);
  const src: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = lookupKey(x, x.argv[j]!);
    if (v === undefined) src.push({ z: null, s: null, weight: 1 });
    else if (typeOf(v) === 'zset') src.push({ z: v as ZsetValue, s: null, weight: 1 });
    else if (typeOf(v) === 'set') src.push({ z: null, s: v as SetValue, weight: 1 });
    else fail(ERR.wrongType);
  }
  let how: Aggregate = 'sum';
  let remaining = x.argv.length - j;
  while (remaining > 0) {
    if (op !== 'diff' && remaining >= setnum + 1 && isOpt(x.argv[j], 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        src[i]!.weight = parseDouble(x, x.argv[j]!, 'ERR weight value is not a float');
      }
    } else if (op !== 'diff' && remaining >= 2 && isOpt(x.argv[j], 'aggregate')) {
      const a = x.argv[j + 1]!.toLowerCase();
      if (a !== 'sum' && a !== 'min' && a !== 'max') fail(ERR.syntax);
      how = a;
      j += 2;
      remaining -= 2;
    } else fail(ERR.syntax);
  }
  // qsort by cardinality (glibc's merge sort is stable); DIFF keeps the order.
  const ordered = op === 'diff' ? src : src.slice().sort((a, b) => sourceLength(a) - sourceLength(b));
  const out = new Map<string, number>();
  if (op === 'inter') {
    const first = ordered[0]!;
    if (sourceLength(first) > 0) {
      for (const [m, s0] of sourceEntries(first)) {
        let score = first.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < ordered.length; k++) {
          const other = ordered[k]!;
          const v = sourceScore(other, m);
          if (v === undefined) break;
          score = aggregate(score, v * other.weight, how);
        }
        if (k === ordered.length) out.set(m, score);
      }
    }
  } else if (op === 'union') {
    for (const s of ordered) {
      for (const [m, s0] of sourceEntries(s)) {
        let score = s.weight * s0;
        if (Number.isNaN(score)) score = 0;
        const cur = out.get(m);
        out.set(m, cur === undefined ? score : aggregate(cur, score, how));
      }
    }
  } else {
    const first = ordered[0]!;
    for (const [m, s0] of sourceEntries(first)) {
      let found = false;
      for (let k = 1; k < ordered.length; k++) {
        if (sourceScore(ordered[k]!, m) !== undefined) {
          found = true;
          break;
        }
      }
      if (!found) out.set(m, s0);
    }
  }
  return storeZset(x, dst, out);
}

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]. @see zrangeGenericCommand */
function zrangestore(x: Exec): Reply {
  const dst = x.argv[1]!;
  const srcKey = x.argv[2]!;
  let minidx = 3;
  let maxidx = 4;
  let offset = 0;
  let limit = -1;
  let limitGiven = false;
  let reverse = false;
  let revGiven = false;
  let type: 'rank' | 'score' | 'lex' | null = null;
  for (let j = 5; j < x.argv.length; j++) {
    const left = x.argv.length - j - 1;
    const opt = x.argv[j];
    if (isOpt(opt, 'limit') && left >= 2) {
      offset = parseLong(x, x.argv[j + 1]!);
      limit = parseLong(x, x.argv[j + 2]!);
      limitGiven = true;
      j += 2;
    } else if (!revGiven && isOpt(opt, 'rev')) {
      reverse = true;
      revGiven = true;
    } else if (type === null && isOpt(opt, 'bylex')) type = 'lex';
    else if (type === null && isOpt(opt, 'byscore')) type = 'score';
    else fail(ERR.syntax);
  }
  type ??= 'rank';
  if (limitGiven && limit !== -1 && type === 'rank') {
    fail('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (reverse && type !== 'rank') [minidx, maxidx] = [maxidx, minidx];
  let start = 0;
  let end = 0;
  const score = type === 'score' ? parseScoreRange(x.argv[minidx]!, x.argv[maxidx]!) : null;
  const lex = type === 'lex' ? parseLexRange(x.argv[minidx]!, x.argv[maxidx]!) : null;
  if (type === 'rank') {
    start = parseLong(x, x.argv[minidx]!);
    end = parseLong(x, x.argv[maxidx]!);
  } else if (type === 'score' && score === null) fail('ERR min or max is not a float');
  else if (type === 'lex' && lex === null) fail('ERR min or max not valid string range item');
  const v = lookupKey(x, srcKey);
  if (v === undefined) return storeZset(x, dst, []);
  if (typeOf(v) !== 'zset') fail(ERR.wrongType);
  const z = v as ZsetValue;
  const picked: [string, number][] = [];
  const llen = z.size;
  if (type === 'rank') {
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (!(start > end || start >= llen)) {
      if (end >= llen) end = llen - 1;
      if (reverse) for (const e of z.index.rangeReverse(llen - 1 - start, llen - 1 - end)) picked.push(e);
      else for (const e of z.index.range(start, end)) picked.push(e);
    }
  } else if (!(offset > 0 && offset >= llen) && offset >= 0) {
    const inRange = (m: string, s: number): boolean =>
      score !== null ? (reverse ? scoreGteMin(s, score) : scoreLteMax(s, score)) : reverse ? lexGteMin(m, lex!) : lexLteMax(m, lex!);
    const firstRank = score !== null
      ? (reverse ? lastInScoreRange(z, score) : firstInScoreRange(z, score))
      : reverse ? lastInLexRange(z, lex!) : firstInLexRange(z, lex!);
    if (firstRank >= 0) {
      const iter = reverse ? z.index.rangeReverse(firstRank - offset, 0) : z.index.range(firstRank + offset, llen - 1);
      let left = limit;
      for (const [m, s] of iter) {
        if (left === 0) break;
        if (!inRange(m, s)) break;
        picked.push([m, s]);
        left--;
      }
    }
  }
  return storeZset(x, dst, picked);
}

/** Sorted set store commands by lowercase name, with Redis's arity. */
export const ZSET_STORE_COMMANDS: CommandTable = {
  zunionstore: { arity: -4, fn: (x) => zstore(x, 'union') },
  zinterstore: { arity: -4, fn: (x) => zstore(x, 'inter') },
  zdiffstore: { arity: -4, fn: (x) => zstore(x, 'diff') },
  zrangestore: { arity: -5, fn: zrangestore },
};
