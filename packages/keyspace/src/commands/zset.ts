// Sorted set commands that add, remove and pop. Source of truth: redis/src/t_zset.c
// (zaddGenericCommand, zsetAdd, zremrangeGenericCommand, genericZpopCommand, zmpopGenericCommand).

import {
  ERR,
  fail,
  isOpt,
  lookupKey,
  lookupTyped,
  parseDouble,
  parseLong,
  parsePositiveLong,
  parseTimeout,
} from '../exec-context.js';
import {
  firstInLexRange,
  firstInScoreRange,
  lexLteMax,
  parseLexRange,
  parseScoreRange,
  scoreLteMax,
  zsetCreate,
  zsetStore,
} from '../zset-range.js';
import { parseMpopArgs } from './mpop-args.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { ZsetValue } from '../zset-value.js';

/** Look up a sorted set (WRONGTYPE for other types). */
export function lookupZset(x: Exec, key: string): ZsetValue | undefined {
  return lookupTyped<ZsetValue>(x, key, 'zset');
}

const NAN_ERR = 'ERR resulting score is not a number (NaN)';

/** @see redis/src/t_zset.c zaddGenericCommand */
function zaddGeneric(x: Exec, incrCommand: boolean): Reply {
  let nx = false;
  let xx = false;
  let ch = false;
  let incr = incrCommand;
  let gt = false;
  let lt = false;
  let scoreidx = 2;
  const argv = x.argv;
  if (!incrCommand) {
    for (; scoreidx < argv.length; scoreidx++) {
      const opt = argv[scoreidx];
      if (isOpt(opt, 'nx')) nx = true;
      else if (isOpt(opt, 'xx')) xx = true;
      else if (isOpt(opt, 'ch')) ch = true;
      else if (isOpt(opt, 'incr')) incr = true;
      else if (isOpt(opt, 'gt')) gt = true;
      else if (isOpt(opt, 'lt')) lt = true;
      else break;
    }
  }
  let elements = argv.length - scoreidx;
  if (elements % 2 !== 0 || elements === 0) fail(ERR.syntax);
  elements /= 2;
  if (nx && xx) fail('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) fail('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && elements > 1) fail('ERR INCR option supports a single increment-element pair');
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) scores.push(parseDouble(x, argv[scoreidx + j * 2]!));
  const key = argv[1]!;
  let z = lookupZset(x, key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (z === undefined) {
    if (xx) return incr ? null : 0;
    z = zsetCreate(x, elements, argv[scoreidx + 1]!.length);
    x.db.dict.set(key, z);
  }
  for (let j = 0; j < elements; j++) {
    score = scores[j]!;
    const ele = argv[scoreidx + 1 + j * 2]!;
    const cur = z.dict.get(ele);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) fail(NAN_ERR);
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      processed++;
      if (score !== cur) {
        zsetStore(x, z, ele, score);
        updated++;
      }
    } else if (!xx) {
      zsetStore(x, z, ele, score);
      added++;
      processed++;
    }
  }
  if (incr) return processed ? { double: score } : null;
  return ch ? added + updated : added;
}

/** Delete the key when its zset is empty. */
function removedFrom(x: Exec, key: string, z: ZsetValue): void {
  if (z.size === 0) x.db.delete(key);
}

function zrem(x: Exec): Reply {
  const key = x.argv[1]!;
  const z = lookupZset(x, key);
  if (z === undefined) return 0;
  let deleted = 0;
  for (let j = 2; j < x.argv.length; j++) {
    if (z.delete(x.argv[j]!)) deleted++;
    if (z.size === 0) {
      x.db.delete(key);
      break;
    }
  }
  return deleted;
}

/** @see redis/src/t_zset.c zremrangeGenericCommand */
function zremrange(x: Exec, type: 'rank' | 'score' | 'lex'): Reply {
  const key = x.argv[1]!;
  let start = 0;
  let end = 0;
  const score = type === 'score' ? parseScoreRange(x.argv[2]!, x.argv[3]!) : null;
  const lex = type === 'lex' ? parseLexRange(x.argv[2]!, x.argv[3]!) : null;
  if (type === 'rank') {
    start = parseLong(x, x.argv[2]!);
    end = parseLong(x, x.argv[3]!);
  } else if (type === 'score' && score === null) fail('ERR min or max is not a float');
  else if (type === 'lex' && lex === null) fail('ERR min or max not valid string range item');
  const z = lookupZset(x, key);
  if (z === undefined) return 0;
  let removed: string[] = [];
  if (type === 'rank') {
    const llen = z.size;
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return 0;
    if (end >= llen) end = llen - 1;
    removed = z.index.removeRange(start, end);
  } else if (score !== null) {
    const first = firstInScoreRange(z, score);
    if (first >= 0) {
      let last = first;
      for (const [, s] of z.index.range(first, z.size - 1)) {
        if (!scoreLteMax(s, score)) break;
        last++;
      }
      removed = z.index.removeRange(first, last - 1);
    }
  } else if (lex !== null) {
    // zslDeleteRangeByLex (skiplist) does not test the range against the ends first.
    const first = firstInLexRange(z, lex, z.listpack);
    if (first >= 0) {
      let last = first;
      for (const [m] of z.index.range(first, z.size - 1)) {
        if (!lexLteMax(m, lex)) break;
        last++;
      }
      removed = z.index.removeRange(first, last - 1);
    }
  }
  for (const m of removed) z.dict.delete(m);
  removedFrom(x, key, z);
  return removed.length;
}

/** Pop up to `count` members from the min or max side: [member, score] pairs in pop order. */
function popRange(z: ZsetValue, max: boolean, count: number): [string, number][] {
  const n = Math.min(count, z.size);
  const out: [string, number][] = [];
  for (let i = 0; i < n; i++) {
    const [m, s] = z.index.at(max ? z.size - 1 : 0);
    z.delete(m);
    out.push([m, s]);
  }
  return out;
}

/** The first existing key among `keys` (WRONGTYPE stops the scan), as genericZpopCommand picks it. */
function firstZset(x: Exec, keys: readonly string[]): [string, ZsetValue] | null {
  for (const k of keys) {
    if (lookupKey(x, k) === undefined) continue;
    return [k, lookupZset(x, k)!];
  }
  return null;
}

/** ZPOPMIN/ZPOPMAX. @see redis/src/t_zset.c zpopMinMaxCommand */
function zpop(x: Exec, max: boolean): Reply {
  if (x.argv.length > 3) fail(ERR.syntax);
  const count = x.argv.length === 3 ? parsePositiveLong(x, x.argv[2]!) : -1;
  const found = firstZset(x, [x.argv[1]!]);
  if (found === null || count === 0) return [];
  const [key, z] = found;
  const popped = popRange(z, max, count === -1 ? 1 : count);
  removedFrom(x, key, z);
  return popped.flatMap(([m, s]) => [m, { double: s }]);
}

/** BZPOPMIN/BZPOPMAX. @see redis/src/t_zset.c blockingGenericZpopCommand */
function bzpop(x: Exec, max: boolean): Reply {
  parseTimeout(x, x.argv[x.argv.length - 1]!);
  const found = firstZset(x, x.argv.slice(1, -1));
  if (found === null) return null;
  const [key, z] = found;
  const [[m, s]] = popRange(z, max, 1) as [[string, number]];
  removedFrom(x, key, z);
  return [key, m, { double: s }];
}

/** ZMPOP/BZMPOP. @see redis/src/t_zset.c zmpopGenericCommand */
function zmpop(x: Exec, numkeysIdx: number, block: boolean): Reply {
  const { keys, where: max, count } = parseMpopArgs(x, numkeysIdx, block, (arg) => {
    if (isOpt(arg, 'min')) return false;
    if (isOpt(arg, 'max')) return true;
    return fail(ERR.syntax);
  });
  const found = firstZset(x, keys);
  if (found === null) return null;
  const [key, z] = found;
  const popped = popRange(z, max, count);
  removedFrom(x, key, z);
  return [key, popped.map(([m, s]) => [m, { double: s }])];
}

/** Sorted set commands by lowercase name, with Redis's arity. */
export const ZSET_COMMANDS: CommandTable = {
  zadd: { arity: -4, fn: (x) => zaddGeneric(x, false) },
  zincrby: { arity: 4, fn: (x) => zaddGeneric(x, true) },
  zrem: { arity: -3, fn: zrem },
  zremrangebyscore: { arity: 4, fn: (x) => zremrange(x, 'score') },
  zremrangebyrank: { arity: 4, fn: (x) => zremrange(x, 'rank') },
  zremrangebylex: { arity: 4, fn: (x) => zremrange(x, 'lex') },
  zpopmin: { arity: -2, fn: (x) => zpop(x, false) },
  zpopmax: { arity: -2, fn: (x) => zpop(x, true) },
  bzpopmin: { arity: -3, fn: (x) => bzpop(x, false) },
  bzpopmax: { arity: -3, fn: (x) => bzpop(x, true) },
  zmpop: { arity: -4, fn: (x) => zmpop(x, 1, false) },
  bzmpop: { arity: -5, fn: (x) => zmpop(x, 2, true) },
};
