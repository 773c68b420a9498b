// Keyspace commands: DEL/UNLINK, the EXPIRE family, PERSIST, RENAME/RENAMENX, MOVE, COPY,
// SELECT, SWAPDB, FLUSHDB/FLUSHALL. Source of truth: redis/src/db.c, redis/src/expire.c.

import { dupValue } from '../dup-value.js';
import { checkAlreadyExpired, ERR, fail, isOpt, lookupKey, parseLongLong } from '../exec-context.js';
import { LLONG_MAX, LLONG_MIN, string2ll } from '../number-text.js';
import { OK } from '../reply.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { RedisDb } from '../keyspace.js';
import type { Reply } from '../reply.js';

/** getIntFromObjectOrReply: a 32-bit integer. */
function parseInt32(x: Exec, s: string, msg?: string): number {
  const v = string2ll(s);
  if (v === null) fail(msg !== undefined ? `ERR ${msg}` : ERR.notInteger);
  if (v < -2147483648n || v > 2147483647n) {
    fail(msg !== undefined ? `ERR ${msg}` : 'ERR value is out of range, value must between -2147483648 and 2147483647');
  }
  return Number(v);
}

/** The db with this index, or "DB index is out of range". */
function selectDb(x: Exec, id: number): RedisDb {
  const db = x.ks.dbs[id];
  if (id < 0 || db === undefined) fail(ERR.dbIndex);
  return db;
}

/** DEL / UNLINK: expired keys (live mode) count as missing. @see redis/src/db.c delGenericCommand */
function del(x: Exec): Reply {
  let n = 0;
  for (let j = 1; j < x.argv.length; j++) {
    const k = x.argv[j]!;
    if (lookupKey(x, k) !== undefined && x.db.delete(k)) n++;
  }
  return n;
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** @see redis/src/expire.c parseExtendedExpireArgumentsOrReply */
function parseExpireFlags(x: Exec, from: number): number {
  let flags = 0;
  for (let j = from; j < x.argv.length; j++) {
    const opt = x.argv[j]!;
    if (isOpt(opt, 'nx')) flags |= EXPIRE_NX;
    else if (isOpt(opt, 'xx')) flags |= EXPIRE_XX;
    else if (isOpt(opt, 'gt')) flags |= EXPIRE_GT;
    else if (isOpt(opt, 'lt')) flags |= EXPIRE_LT;
    else fail(`ERR Unsupported option ${opt}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    fail('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) fail('ERR GT and LT options at the same time are not compatible');
  return flags;
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT.
 * @see redis/src/expire.c expireGenericCommand
 */
function expireGeneric(x: Exec, basetime: number, seconds: boolean): Reply {
  const key = x.argv[1]!;
  const flags = parseExpireFlags(x, 3);
  let when = parseLongLong(x, x.argv[2]!);
  const err = `ERR invalid expire time in '${x.argv[0]!.toLowerCase()}' command`;
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) fail(err);
    when *= 1000n;
  }
  if (when > LLONG_MAX - BigInt(basetime)) fail(err);
  when += BigInt(basetime);
  if (lookupKey(x, key) === undefined) return 0;
  const whenMs = Number(when);
  if (flags) {
    const current = x.db.expires.get(key);
    if (flags & EXPIRE_NX && current !== undefined) return 0;
    if (flags & EXPIRE_XX && current === undefined) return 0;
    if (flags & EXPIRE_GT && (current === undefined || when <= BigInt(current))) return 0;
    if (flags & EXPIRE_LT && current !== undefined && when >= BigInt(current)) return 0;
  }
  if (checkAlreadyExpired(x, whenMs)) {
    x.db.delete(key);
    return 1;
  }
  x.db.expires.set(key, whenMs);
  return 1;
}

function persist(x: Exec): Reply {
  const key = x.argv[1]!;
  if (lookupKey(x, key) === undefined) return 0;
  return x.db.expires.delete(key) ? 1 : 0;
}

/** @see redis/src/db.c renameGenericCommand */
function renameGeneric(x: Exec, nx: boolean): Reply {
  const src = x.argv[1]!;
  const dst = x.argv[2]!;
  const o = lookupKey(x, src);
  if (o === undefined) fail(ERR.noKey);
  if (src === dst) return nx ? 0 : OK;
  const expire = x.db.expires.get(src);
  if (lookupKey(x, dst) !== undefined) {
    if (nx) return 0;
    x.db.delete(dst);
  }
  x.db.delete(src);
  x.db.dict.set(dst, o);
  if (expire !== undefined) x.db.expires.set(dst, expire);
  return nx ? 1 : OK;
}

/** @see redis/src/db.c moveCommand */
function move(x: Exec): Reply {
  const key = x.argv[1]!;
  const dst = selectDb(x, parseInt32(x, x.argv[2]!));
  if (dst === x.db) fail('ERR source and destination objects are the same');
  const o = lookupKey(x, key);
  if (o === undefined) return 0;
  const expire = x.db.expires.get(key);
  if (lookupKey(x, key, dst) !== undefined) return 0;
  dst.dict.set(key, o);
  if (expire !== undefined) dst.expires.set(key, expire);
  x.db.delete(key);
  return 1;
}

/** @see redis/src/db.c copyCommand */
function copy(x: Exec): Reply {
  let dst = x.db;
  let replace = false;
  for (let j = 3; j < x.argv.length; j++) {
    const opt = x.argv[j]!;
    if (isOpt(opt, 'replace')) replace = true;
    else if (isOpt(opt, 'db') && j + 1 < x.argv.length) {
      dst = selectDb(x, parseInt32(x, x.argv[j + 1]!));
      j++;
    } else fail(ERR.syntax);
  }
  const key = x.argv[1]!;
  const newkey = x.argv[2]!;
  if (dst === x.db && key === newkey) fail('ERR source and destination objects are the same');
  const o = lookupKey(x, key);
  if (o === undefined) return 0;
  const expire = x.db.expires.get(key);
  if (lookupKey(x, newkey, dst) !== undefined) {
    if (!replace) return 0;
    dst.delete(newkey);
  }
  dst.dict.set(newkey, dupValue(o));
  if (expire !== undefined) dst.expires.set(newkey, expire);
  return 1;
}

function select(x: Exec): Reply {
  const id = parseInt32(x, x.argv[1]!);
  x.db = selectDb(x, id);
  x.ks.selectedDb = id;
  return OK;
}

/** @see redis/src/db.c swapdbCommand, dbSwapDatabases */
function swapdb(x: Exec): Reply {
  const id1 = parseInt32(x, x.argv[1]!, 'invalid first DB index');
  const id2 = parseInt32(x, x.argv[2]!, 'invalid second DB index');
  const a = selectDb(x, id1);
  const b = selectDb(x, id2);
  const dict = a.dict;
  const expires = a.expires;
  a.dict = b.dict;
  a.expires = b.expires;
  b.dict = dict;
  b.expires = expires;
  return OK;
}

/** FLUSHDB/FLUSHALL [ASYNC|SYNC]. @see redis/src/db.c getFlushCommandFlags */
function flushFlags(x: Exec): void {
  if (x.argv.length > 2) fail(ERR.syntax);
  if (x.argv.length === 2 && !isOpt(x.argv[1], 'sync') && !isOpt(x.argv[1], 'async')) fail(ERR.syntax);
}

/** Keyspace commands by lowercase name, with Redis's arity. */
export const KEY_COMMANDS: CommandTable = {
  del: { arity: -2, fn: del },
  unlink: { arity: -2, fn: del },
  expire: { arity: -3, fn: (x) => expireGeneric(x, x.now, true) },
  pexpire: { arity: -3, fn: (x) => expireGeneric(x, x.now, false) },
  expireat: { arity: -3, fn: (x) => expireGeneric(x, 0, true) },
  pexpireat: { arity: -3, fn: (x) => expireGeneric(x, 0, false) },
  persist: { arity: 2, fn: persist },
  rename: { arity: 3, fn: (x) => renameGeneric(x, false) },
  renamenx: { arity: 3, fn: (x) => renameGeneric(x, true) },
  move: { arity: 3, fn: move },
  copy: { arity: -3, fn: copy },
  select: { arity: 2, fn: select },
  swapdb: { arity: 3, fn: swapdb },
  flushdb: {
    arity: -1,
    fn: (x) => {
      flushFlags(x);
      x.db.clear();
      return OK;
    },
  },
  flushall: {
    arity: -1,
    fn: (x) => {
      flushFlags(x);
      for (const db of x.ks.dbs) db.clear();
      return OK;
    },
  },
};
