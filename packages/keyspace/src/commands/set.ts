// Set commands that write. SPOP's random choice is replaced by iteration order: Redis never logs
// SPOP in an AOF (it propagates the SREM / DEL of what it popped), so replay never depends on it.
// Source of truth: redis/src/t_set.c.

import { ERR, fail, lookupKey, lookupTyped, parsePositiveLong, setKey } from '../exec-context.js';
import { SetValue } from '../values.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';

function lookupSet(x: Exec, key: string): SetValue | undefined {
  return lookupTyped<SetValue>(x, key, 'set');
}

function sadd(x: Exec): Reply {
  const key = x.argv[1]!;
  let s = lookupSet(x, key);
  if (s === undefined) {
    s = new SetValue();
    x.db.dict.set(key, s);
  }
  let added = 0;
  for (let j = 2; j < x.argv.length; j++) {
    const m = x.argv[j]!;
    if (!s.set.has(m)) {
      s.set.add(m);
      added++;
    }
  }
  return added;
}

function srem(x: Exec): Reply {
  const key = x.argv[1]!;
  const s = lookupSet(x, key);
  if (s === undefined) return 0;
  let removed = 0;
  for (let j = 2; j < x.argv.length; j++) {
    if (s.set.delete(x.argv[j]!)) {
      removed++;
      if (s.set.size === 0) {
        x.db.delete(key);
        break;
      }
    }
  }
  return removed;
}

/** @see redis/src/t_set.c spopCommand, spopWithCountCommand */
function spop(x: Exec): Reply {
  if (x.argv.length > 3) fail(ERR.syntax);
  const key = x.argv[1]!;
  if (x.argv.length === 3) {
    const count = parsePositiveLong(x, x.argv[2]!);
    const s = lookupSet(x, key);
    if (s === undefined) return [];
    if (count === 0) return [];
    if (count >= s.set.size) {
      const all = [...s.set];
      x.db.delete(key);
      return all;
    }
    const out: string[] = [];
    for (const m of s.set) {
      if (out.length === count) break;
      out.push(m);
    }
    for (const m of out) s.set.delete(m);
    return out;
  }
  const s = lookupSet(x, key);
  if (s === undefined) return null;
  const m = s.set.values().next().value!;
  s.set.delete(m);
  if (s.set.size === 0) x.db.delete(key);
  return m;
}

/** @see redis/src/t_set.c smoveCommand */
function smove(x: Exec): Reply {
  const srcKey = x.argv[1]!;
  const dstKey = x.argv[2]!;
  const ele = x.argv[3]!;
  const src = lookupKey(x, srcKey);
  const dst = lookupKey(x, dstKey);
  if (src === undefined) return 0;
  const srcset = lookupSet(x, srcKey)!;
  let dstset = dst === undefined ? undefined : lookupSet(x, dstKey);
  if (srcset === dstset) return srcset.set.has(ele) ? 1 : 0;
  if (!srcset.set.delete(ele)) return 0;
  if (srcset.set.size === 0) x.db.delete(srcKey);
  if (dstset === undefined) {
    dstset = new SetValue();
    x.db.dict.set(dstKey, dstset);
  }
  dstset.set.add(ele);
  return 1;
}

/** Store a computed set (setKey) or delete the destination when it is empty. */
function storeSet(x: Exec, dst: string, members: Set<string>): Reply {
  if (members.size > 0) {
    setKey(x.db, dst, new SetValue(members));
    return members.size;
  }
  x.db.delete(dst);
  return 0;
}

/** The sets named by argv[from..], null for missing keys (WRONGTYPE on any other type). */
function inputSets(x: Exec, from: number): (SetValue | null)[] {
  const out: (SetValue | null)[] = [];
  for (let j = from; j < x.argv.length; j++) out.push(lookupSet(x, x.argv[j]!) ?? null);
  return out;
}

/** @see redis/src/t_set.c sinterGenericCommand */
function sinterstore(x: Exec): Reply {
  const sets = inputSets(x, 2);
  const dst = x.argv[1]!;
  if (sets.some((s) => s === null)) {
    x.db.delete(dst);
    return 0;
  }
  const sorted = (sets as SetValue[]).slice().sort((a, b) => a.set.size - b.set.size);
  const result = new Set<string>();
  for (const m of sorted[0]!.set) if (sorted.every((s) => s.set.has(m))) result.add(m);
  return storeSet(x, dst, result);
}

/** @see redis/src/t_set.c sunionDiffGenericCommand */
function sunionDiffStore(x: Exec, diff: boolean): Reply {
  const sets = inputSets(x, 2);
  const dst = x.argv[1]!;
  const result = new Set<string>();
  if (!diff) {
    for (const s of sets) if (s !== null) for (const m of s.set) result.add(m);
  } else if (sets[0] !== null && sets[0] !== undefined) {
    for (const m of sets[0].set) {
      let keep = true;
      for (let i = 1; i < sets.length; i++) {
        if (sets[i]?.set.has(m)) {
          keep = false;
          break;
        }
      }
      if (keep) result.add(m);
    }
  }
  return storeSet(x, dst, result);
}

/** Set commands by lowercase name, with Redis's arity. */
export const SET_COMMANDS: CommandTable = {
  sadd: { arity: -3, fn: sadd },
  srem: { arity: -3, fn: srem },
  spop: { arity: -2, fn: spop },
  smove: { arity: 4, fn: smove },
  sinterstore: { arity: -3, fn: sinterstore },
  sunionstore: { arity: -3, fn: (x) => sunionDiffStore(x, false) },
  sdiffstore: { arity: -3, fn: (x) => sunionDiffStore(x, true) },
};
