// List commands. A list that becomes empty is deleted. Blocking variants never block here: with
// data they act like their non-blocking forms (as Redis does inside MULTI and in the AOF), without
// data they time out at once. Source of truth: redis/src/t_list.c.

import {
  ERR,
  fail,
  isOpt,
  lookupTyped,
  parseLong,
  parsePositiveLong,
  parseTimeout,
} from '../exec-context.js';
import { OK } from '../reply.js';
import { ListValue } from '../values.js';
import { parseMpopArgs } from './mpop-args.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';

type Where = 'head' | 'tail';

function lookupList(x: Exec, key: string): ListValue | undefined {
  return lookupTyped<ListValue>(x, key, 'list');
}

/** @see redis/src/t_list.c pushGenericCommand */
function push(x: Exec, where: Where, xx: boolean): Reply {
  const key = x.argv[1]!;
  let list = lookupList(x, key);
  if (list === undefined) {
    if (xx) return 0;
    list = new ListValue();
    x.db.dict.set(key, list);
  }
  for (let j = 2; j < x.argv.length; j++) {
    if (where === 'head') list.pushHead(x.argv[j]!);
    else list.pushTail(x.argv[j]!);
  }
  return list.length;
}

/** Delete the key when its list is empty (listElementsRemoved). */
function removedFrom(x: Exec, key: string, list: ListValue): void {
  if (list.length === 0) x.db.delete(key);
}

/** @see redis/src/t_list.c linsertCommand */
function linsert(x: Exec): Reply {
  let where: Where;
  if (isOpt(x.argv[2], 'after')) where = 'tail';
  else if (isOpt(x.argv[2], 'before')) where = 'head';
  else fail(ERR.syntax);
  const list = lookupList(x, x.argv[1]!);
  if (list === undefined) return 0;
  const pivot = x.argv[3]!;
  for (let i = 0; i < list.length; i++) {
    if (list.get(i) === pivot) {
      list.insertAt(where === 'tail' ? i + 1 : i, x.argv[4]!);
      return list.length;
    }
  }
  return -1;
}

/** @see redis/src/t_list.c lsetCommand */
function lset(x: Exec): Reply {
  const list = lookupList(x, x.argv[1]!);
  if (list === undefined) fail(ERR.noKey);
  let index = parseLong(x, x.argv[2]!);
  if (index < 0) index += list.length;
  if (index < 0 || index >= list.length) fail(ERR.outOfRange);
  list.set(index, x.argv[3]!);
  return OK;
}

/** @see redis/src/t_list.c lremCommand */
function lrem(x: Exec): Reply {
  let toremove = parseLong(x, x.argv[2]!);
  const key = x.argv[1]!;
  const list = lookupList(x, key);
  if (list === undefined) return 0;
  const obj = x.argv[3]!;
  const all = list.toArray();
  let removed = 0;
  if (toremove < 0) {
    toremove = -toremove;
    for (let i = all.length - 1; i >= 0; i--) {
      if (all[i] === obj) {
        all.splice(i, 1);
        removed++;
        if (toremove && removed === toremove) break;
      }
    }
  } else {
    for (let i = 0; i < all.length; i++) {
      if (all[i] === obj) {
        all.splice(i, 1);
        i--;
        removed++;
        if (toremove && removed === toremove) break;
      }
    }
  }
  if (removed) {
    list.replaceAll(all);
    removedFrom(x, key, list);
  }
  return removed;
}

/** @see redis/src/t_list.c ltrimCommand */
function ltrim(x: Exec): Reply {
  let start = parseLong(x, x.argv[2]!);
  let end = parseLong(x, x.argv[3]!);
  const key = x.argv[1]!;
  const list = lookupList(x, key);
  if (list === undefined) return OK;
  const llen = list.length;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) list.trim(1, 0);
  else list.trim(start, Math.min(end, llen - 1));
  removedFrom(x, key, list);
  return OK;
}

/** Pop up to `count` elements from one end (popped order: head first for LEFT, tail first for RIGHT). */
function popRange(list: ListValue, where: Where, count: number): string[] {
  const out: string[] = [];
  const n = Math.min(count, list.length);
  for (let i = 0; i < n; i++) out.push(where === 'head' ? list.popHead()! : list.popTail()!);
  return out;
}

/** @see redis/src/t_list.c popGenericCommand */
function pop(x: Exec, where: Where): Reply {
  const hascount = x.argv.length === 3;
  if (x.argv.length > 3) fail(`ERR wrong number of arguments for '${x.argv[0]!.toLowerCase()}' command`);
  const count = hascount ? parsePositiveLong(x, x.argv[2]!, 'value is out of range, must be positive') : 0;
  const key = x.argv[1]!;
  const list = lookupList(x, key);
  if (list === undefined) return null;
  if (hascount && count === 0) return [];
  if (!hascount) {
    const v = where === 'head' ? list.popHead()! : list.popTail()!;
    removedFrom(x, key, list);
    return v;
  }
  const out = popRange(list, where, count);
  removedFrom(x, key, list);
  return out;
}

/** LEFT / RIGHT. @see redis/src/t_list.c getListPositionFromObjectOrReply */
function position(s: string | undefined): Where {
  if (isOpt(s, 'left')) return 'head';
  if (isOpt(s, 'right')) return 'tail';
  fail(ERR.syntax);
}

/** @see redis/src/t_list.c lmoveGenericCommand, lmoveHandlePush */
function lmoveGeneric(x: Exec, src: string, dst: string, from: Where, to: Where): Reply {
  const slist = lookupList(x, src);
  if (slist === undefined || slist.length === 0) return null;
  let dlist = lookupList(x, dst);
  const value = from === 'head' ? slist.popHead()! : slist.popTail()!;
  if (dlist === undefined) {
    dlist = new ListValue();
    x.db.dict.set(dst, dlist);
  }
  if (to === 'head') dlist.pushHead(value);
  else dlist.pushTail(value);
  removedFrom(x, src, slist);
  return value;
}

/** The first non-empty list of `keys` (WRONGTYPE stops the scan). */
function firstNonEmpty(x: Exec, keys: readonly string[]): [string, ListValue] | null {
  for (const k of keys) {
    const list = lookupList(x, k);
    if (list === undefined || list.length === 0) continue;
    return [k, list];
  }
  return null;
}

/** BLPOP/BRPOP. @see redis/src/t_list.c blockingPopGenericCommand */
function bpop(x: Exec, where: Where): Reply {
  parseTimeout(x, x.argv[x.argv.length - 1]!);
  const found = firstNonEmpty(x, x.argv.slice(1, -1));
  if (found === null) return null;
  const [key, list] = found;
  const v = where === 'head' ? list.popHead()! : list.popTail()!;
  removedFrom(x, key, list);
  return [key, v];
}

/** LMPOP/BLMPOP. @see redis/src/t_list.c lmpopGenericCommand, mpopGenericCommand */
function lmpop(x: Exec, numkeysIdx: number, block: boolean): Reply {
  const { keys, where, count } = parseMpopArgs(x, numkeysIdx, block, position);
  const found = firstNonEmpty(x, keys);
  if (found === null) return null;
  const [key, list] = found;
  const out = popRange(list, where, count);
  removedFrom(x, key, list);
  return [key, out];
}

/** List commands by lowercase name, with Redis's arity. */
export const LIST_COMMANDS: CommandTable = {
  lpush: { arity: -3, fn: (x) => push(x, 'head', false) },
  rpush: { arity: -3, fn: (x) => push(x, 'tail', false) },
  lpushx: { arity: -3, fn: (x) => push(x, 'head', true) },
  rpushx: { arity: -3, fn: (x) => push(x, 'tail', true) },
  linsert: { arity: 5, fn: linsert },
  lset: { arity: 4, fn: lset },
  lrem: { arity: 4, fn: lrem },
  ltrim: { arity: 4, fn: ltrim },
  lpop: { arity: -2, fn: (x) => pop(x, 'head') },
  rpop: { arity: -2, fn: (x) => pop(x, 'tail') },
  rpoplpush: { arity: 3, fn: (x) => lmoveGeneric(x, x.argv[1]!, x.argv[2]!, 'tail', 'head') },
  lmove: { arity: 5, fn: (x) => lmoveGeneric(x, x.argv[1]!, x.argv[2]!, position(x.argv[3]), position(x.argv[4])) },
  blmove: {
    arity: 6,
    fn: (x) => {
      const from = position(x.argv[3]);
      const to = position(x.argv[4]);
      parseTimeout(x, x.argv[5]!);
      return lmoveGeneric(x, x.argv[1]!, x.argv[2]!, from, to);
    },
  },
  brpoplpush: {
    arity: 4,
    fn: (x) => {
      parseTimeout(x, x.argv[3]!);
      return lmoveGeneric(x, x.argv[1]!, x.argv[2]!, 'tail', 'head');
    },
  },
  blpop: { arity: -3, fn: (x) => bpop(x, 'head') },
  brpop: { arity: -3, fn: (x) => bpop(x, 'tail') },
  lmpop: { arity: -4, fn: (x) => lmpop(x, 1, false) },
  blmpop: { arity: -5, fn: (x) => lmpop(x, 2, true) },
};
