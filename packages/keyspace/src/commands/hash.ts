// Hash commands, including hash field expiration (Redis 7.4: HEXPIRE family, HPERSIST; 8.0:
// HGETDEL, HGETEX, HSETEX). Field TTLs are absolute ms. While loading, past TTLs are kept (the
// AOF carries the HDELs); live, an expired field is deleted when its hash is looked up.
// Source of truth: redis/src/t_hash.c.

import { arityError, checkAlreadyExpired, ERR, fail, isOpt, lookupTyped, parseLongLong, parseRangeLong } from '../exec-context.js';
import { addLongDouble, formatLongDoubleHuman, isNanOrInf, longDoubleFromBigInt, string2ld } from '../long-double.js';
import { LLONG_MAX, LLONG_MIN, string2ll } from '../number-text.js';
import { OK } from '../reply.js';
import { HashValue } from '../values.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';

/** EB_EXPIRE_TIME_MAX: field TTLs are 48-bit ms. */
export const HFE_MAX_ABS_TIME_MSEC = 2 ** 48 - 1;

const HSETEX_NO_FIELD = -2;
const HSETEX_NO_CONDITION_MET = 0;
const HSETEX_OK = 1;
const HSETEX_DELETED = 2;

/** The hash at key (WRONGTYPE otherwise), with expired fields removed when live. */
export function lookupHash(x: Exec, key: string): HashValue | undefined {
  const h = lookupTyped<HashValue>(x, key, 'hash');
  if (h === undefined || x.loading || h.expires === null) return h;
  for (const [f, at] of h.expires) if (at <= x.now) h.deleteField(f);
  if (h.map.size === 0) {
    x.db.delete(key);
    return undefined;
  }
  return h;
}

/** hashTypeLookupWriteOrCreate. */
function hashOrCreate(x: Exec, key: string): HashValue {
  let h = lookupHash(x, key);
  if (h === undefined) {
    h = new HashValue();
    x.db.dict.set(key, h);
  }
  return h;
}

/** Set a field, dropping its TTL (HSET/HMSET/HSETNX) unless keepTtl (HINCRBY*). */
function hashSet(h: HashValue, field: string, value: string, keepTtl: boolean): boolean {
  const existed = h.map.has(field);
  h.map.set(field, value);
  if (!keepTtl) h.setFieldExpire(field, null);
  return !existed;
}

function hset(x: Exec, hmset: boolean): Reply {
  if (x.argv.length % 2 === 1) arityError(x);
  const h = hashOrCreate(x, x.argv[1]!);
  let created = 0;
  for (let i = 2; i < x.argv.length; i += 2) if (hashSet(h, x.argv[i]!, x.argv[i + 1]!, false)) created++;
  return hmset ? OK : created;
}

function hsetnx(x: Exec): Reply {
  const h = hashOrCreate(x, x.argv[1]!);
  if (h.map.has(x.argv[2]!)) return 0;
  hashSet(h, x.argv[2]!, x.argv[3]!, false);
  return 1;
}

function hdel(x: Exec): Reply {
  const key = x.argv[1]!;
  const h = lookupHash(x, key);
  if (h === undefined) return 0;
  let deleted = 0;
  for (let j = 2; j < x.argv.length; j++) {
    if (h.deleteField(x.argv[j]!)) {
      deleted++;
      if (h.map.size === 0) {
        x.db.delete(key);
        break;
      }
    }
  }
  return deleted;
}

/** @see redis/src/t_hash.c hincrbyCommand */
function hincrby(x: Exec): Reply {
  const incr = parseLongLong(x, x.argv[3]!);
  const h = hashOrCreate(x, x.argv[1]!);
  const field = x.argv[2]!;
  const cur = h.map.get(field);
  let value = 0n;
  if (cur !== undefined) {
    const v = string2ll(cur);
    if (v === null) fail('ERR hash value is not an integer');
    value = v;
  }
  if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) || (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
    fail(ERR.overflow);
  }
  value += incr;
  hashSet(h, field, value.toString(), true);
  return value;
}

/** @see redis/src/t_hash.c hincrbyfloatCommand */
function hincrbyfloat(x: Exec): Reply {
  const incr = string2ld(x.argv[3]!);
  if (incr === null) fail(ERR.notFloat);
  if (isNanOrInf(incr)) fail('ERR value is NaN or Infinity');
  const h = hashOrCreate(x, x.argv[1]!);
  const field = x.argv[2]!;
  const cur = h.map.get(field);
  let value = longDoubleFromBigInt(0n);
  if (cur !== undefined) {
    const asInt = string2ll(cur);
    const v = asInt !== null ? longDoubleFromBigInt(asInt) : string2ld(cur);
    if (v === null) fail('ERR hash value is not a float');
    value = v;
  }
  const sum = addLongDouble(value, incr);
  if (isNanOrInf(sum)) fail('ERR increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  hashSet(h, field, text, true);
  return text;
}

/** Parse `FIELDS numfields` at `at` and check the count against what follows. */
function parseFields(x: Exec, at: number, perField: number): number {
  if (!isOpt(x.argv[at], 'fields')) fail('ERR Mandatory argument FIELDS is missing or not at the right position');
  const n = parseRangeLong(x, x.argv[at + 1] ?? '', 1, Number.MAX_SAFE_INTEGER, 'Number of fields must be a positive integer');
  if (n * perField !== x.argv.length - at - 2) fail('ERR The `numfields` parameter must match the number of arguments');
  return n;
}

type Cond = 'nx' | 'xx' | 'gt' | 'lt' | null;

/**
 * Set one field's TTL under a condition, or delete it when the time is already past (live).
 * @see redis/src/t_hash.c hashTypeSetEx, hashTypeSetExpiryListpack
 */
function setFieldTtl(x: Exec, h: HashValue, field: string, expireAt: number, cond: Cond): number {
  if (!h.map.has(field)) return HSETEX_NO_FIELD;
  const prev = h.fieldExpire(field);
  if (prev === null) {
    if (cond === 'xx' || cond === 'gt') return HSETEX_NO_CONDITION_MET;
  } else if ((cond === 'gt' && prev >= expireAt) || (cond === 'lt' && prev <= expireAt) || cond === 'nx') {
    return HSETEX_NO_CONDITION_MET;
  }
  if (checkAlreadyExpired(x, expireAt)) {
    h.deleteField(field);
    return HSETEX_DELETED;
  }
  h.setFieldExpire(field, expireAt);
  return HSETEX_OK;
}

/** HEXPIRE / HPEXPIRE / HEXPIREAT / HPEXPIREAT. @see redis/src/t_hash.c hexpireGenericCommand */
function hexpire(x: Exec, basetime: number, seconds: boolean): Reply {
  const key = x.argv[1]!;
  const h = lookupHash(x, key);
  let expire = parseLongLong(x, x.argv[2]!);
  const cmd = x.argv[0]!.toLowerCase();
  if (expire < 0n) fail('ERR invalid expire time, must be >= 0');
  if (seconds) {
    if (expire > BigInt(Math.floor(HFE_MAX_ABS_TIME_MSEC / 1000))) fail(`ERR invalid expire time in '${cmd}' command`);
    expire *= 1000n;
  }
  if (expire > BigInt(HFE_MAX_ABS_TIME_MSEC - basetime)) fail(`ERR invalid expire time in '${cmd}' command`);
  const expireAt = Number(expire) + basetime;
  let numFieldsAt = 4;
  let cond: Cond = null;
  const opt = x.argv[3]!.toLowerCase();
  if (opt === 'nx' || opt === 'xx' || opt === 'gt' || opt === 'lt') {
    cond = opt;
    numFieldsAt++;
  }
  const n = parseFields(x, numFieldsAt - 1, 1);
  if (h === undefined) return new Array<number>(n).fill(HSETEX_NO_FIELD);
  const replies: number[] = [];
  for (let i = numFieldsAt + 1; i < x.argv.length; i++) replies.push(setFieldTtl(x, h, x.argv[i]!, expireAt, cond));
  if (h.map.size === 0) x.db.delete(key);
  return replies;
}

/** @see redis/src/t_hash.c hpersistCommand */
function hpersist(x: Exec): Reply {
  const h = lookupHash(x, x.argv[1]!);
  const n = parseFields(x, 2, 1);
  if (h === undefined) return new Array<number>(n).fill(HSETEX_NO_FIELD);
  const replies: number[] = [];
  for (let i = 4; i < x.argv.length; i++) {
    const f = x.argv[i]!;
    if (!h.map.has(f)) replies.push(HSETEX_NO_FIELD);
    else if (h.fieldExpire(f) === null) replies.push(-1);
    else {
      h.setFieldExpire(f, null);
      replies.push(1);
    }
  }
  return replies;
}

/** HGETDEL key FIELDS n f... (8.0). */
function hgetdel(x: Exec): Reply {
  const key = x.argv[1]!;
  const h = lookupHash(x, key);
  parseFields(x, 2, 1);
  const replies: Reply[] = [];
  for (let i = 4; i < x.argv.length; i++) {
    const f = x.argv[i]!;
    const v = h?.map.get(f);
    replies.push(v ?? null);
    if (v !== undefined) h!.deleteField(f);
  }
  if (h !== undefined && h.map.size === 0) x.db.delete(key);
  return replies;
}

/** The expire option of HGETEX / HSETEX: an absolute ms time. */
function parseHashExpire(x: Exec, opt: string, text: string): number {
  const cmd = x.argv[0]!.toLowerCase();
  let v = string2ll(text);
  if (v === null) fail(ERR.notInteger);
  if (v <= 0n) fail(`ERR invalid expire time in '${cmd}' command`);
  if (opt === 'ex' || opt === 'exat') {
    if (v > BigInt(Math.floor(HFE_MAX_ABS_TIME_MSEC / 1000))) fail(`ERR invalid expire time in '${cmd}' command`);
    v *= 1000n;
  }
  if (opt === 'ex' || opt === 'px') v += BigInt(x.now);
  if (v > BigInt(HFE_MAX_ABS_TIME_MSEC)) fail(`ERR invalid expire time in '${cmd}' command`);
  return Number(v);
}

/** HGETEX key [EX|PX|EXAT|PXAT t | PERSIST] FIELDS n f... (8.0). */
function hgetex(x: Exec): Reply {
  const key = x.argv[1]!;
  const h = lookupHash(x, key);
  let pos = 2;
  let expireAt: number | null = null;
  let persist = false;
  const opt = x.argv[pos]!.toLowerCase();
  if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && pos + 1 < x.argv.length) {
    expireAt = parseHashExpire(x, opt, x.argv[pos + 1]!);
    pos += 2;
  } else if (opt === 'persist') {
    persist = true;
    pos++;
  }
  parseFields(x, pos, 1);
  const replies: Reply[] = [];
  for (let i = pos + 2; i < x.argv.length; i++) {
    const f = x.argv[i]!;
    const v = h?.map.get(f);
    replies.push(v ?? null);
    if (v === undefined || h === undefined) continue;
    if (expireAt !== null) setFieldTtl(x, h, f, expireAt, null);
    else if (persist) h.setFieldExpire(f, null);
  }
  if (h !== undefined && h.map.size === 0) x.db.delete(key);
  return replies;
}

/** HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT t | KEEPTTL] FIELDS n f v... (8.0). */
function hsetex(x: Exec): Reply {
  const key = x.argv[1]!;
  let pos = 2;
  let fnx = false;
  let fxx = false;
  let keepTtl = false;
  let expireAt: number | null = null;
  while (pos < x.argv.length && !isOpt(x.argv[pos], 'fields')) {
    const opt = x.argv[pos]!.toLowerCase();
    if (opt === 'fnx' && !fxx) fnx = true;
    else if (opt === 'fxx' && !fnx) fxx = true;
    else if (opt === 'keepttl' && expireAt === null) keepTtl = true;
    else if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && !keepTtl && expireAt === null && pos + 1 < x.argv.length) {
      expireAt = parseHashExpire(x, opt, x.argv[++pos]!);
    } else fail(ERR.syntax);
    pos++;
  }
  parseFields(x, pos, 2);
  let h = lookupHash(x, key);
  const fields: string[] = [];
  for (let i = pos + 2; i < x.argv.length; i += 2) fields.push(x.argv[i]!);
  if (fnx && h !== undefined && fields.some((f) => h!.map.has(f))) return 0;
  if (fxx && (h === undefined || fields.some((f) => !h!.map.has(f)))) return 0;
  if (h === undefined) {
    h = new HashValue();
    x.db.dict.set(key, h);
  }
  for (let i = pos + 2; i < x.argv.length; i += 2) {
    const f = x.argv[i]!;
    hashSet(h, f, x.argv[i + 1]!, keepTtl);
    if (expireAt !== null) {
      if (checkAlreadyExpired(x, expireAt)) h.deleteField(f);
      else h.setFieldExpire(f, expireAt);
    }
  }
  if (h.map.size === 0) x.db.delete(key);
  return 1;
}

/** Hash commands by lowercase name, with Redis's arity. */
export const HASH_COMMANDS: CommandTable = {
  hset: { arity: -4, fn: (x) => hset(x, false) },
  hmset: { arity: -4, fn: (x) => hset(x, true) },
  hsetnx: { arity: 4, fn: hsetnx },
  hdel: { arity: -3, fn: hdel },
  hincrby: { arity: 4, fn: hincrby },
  hincrbyfloat: { arity: 4, fn: hincrbyfloat },
  hexpire: { arity: -6, fn: (x) => hexpire(x, x.now, true) },
  hpexpire: { arity: -6, fn: (x) => hexpire(x, x.now, false) },
  hexpireat: { arity: -6, fn: (x) => hexpire(x, 0, true) },
  hpexpireat: { arity: -6, fn: (x) => hexpire(x, 0, false) },
  hpersist: { arity: -5, fn: hpersist },
  hgetdel: { arity: -5, fn: hgetdel },
  hgetex: { arity: -5, fn: hgetex },
  hsetex: { arity: -6, fn: hsetex },
};
