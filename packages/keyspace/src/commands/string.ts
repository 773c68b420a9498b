// String commands: SET and its variants, GET-and-modify (GETSET, GETDEL, GETEX), MSET/MSETNX,
// APPEND, SETRANGE, INCR family, INCRBYFLOAT (x87 long double).
// Source of truth: redis/src/t_string.c.

import {
  arityError,
  checkAlreadyExpired,
  ERR,
  fail,
  isOpt,
  lookupKey,
  lookupTyped,
  parseLong,
  parseLongLong,
  setKey,
} from '../exec-context.js';
import { addLongDouble, formatLongDoubleHuman, isNanOrInf, longDoubleFromBigInt, string2ld } from '../long-double.js';
import { LLONG_MAX, LLONG_MIN, string2ll } from '../number-text.js';
import { OK } from '../reply.js';
import { stringFromEdit, stringLength, stringText, toMutable } from '../values.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { StringValue } from '../values.js';

/** proto-max-bulk-len default (512 MiB). */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;

const OBJ_SET_NX = 1;
const OBJ_SET_XX = 2;
const OBJ_EX = 4;
const OBJ_PX = 8;
const OBJ_KEEPTTL = 16;
const OBJ_SET_GET = 32;
const OBJ_EXAT = 64;
const OBJ_PXAT = 128;
const OBJ_PERSIST = 256;
const ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT;

/** checkStringLength: "string exceeds maximum allowed size (proto-max-bulk-len)". */
export function checkStringLength(size: number, append: number): void {
  if (size + append > PROTO_MAX_BULK_LEN) fail('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
}

interface ExtendedArgs {
  flags: number;
  expire: string | null;
}

/**
 * Parse SET / GETEX options.
 * @see redis/src/t_string.c parseExtendedStringArgumentsOrReply
 */
function parseExtendedStringArguments(x: Exec, isSet: boolean): ExtendedArgs {
  let flags = 0;
  let expire: string | null = null;
  const argv = x.argv;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]!;
    const hasNext = j < argv.length - 1;
    if (isOpt(opt, 'nx') && !(flags & OBJ_SET_XX) && isSet) flags |= OBJ_SET_NX;
    else if (isOpt(opt, 'xx') && !(flags & OBJ_SET_NX) && isSet) flags |= OBJ_SET_XX;
    else if (isOpt(opt, 'get') && isSet) flags |= OBJ_SET_GET;
    else if (isOpt(opt, 'keepttl') && !(flags & OBJ_PERSIST) && !(flags & ANY_EXPIRE) && isSet) flags |= OBJ_KEEPTTL;
    else if (isOpt(opt, 'persist') && !isSet && !(flags & ANY_EXPIRE) && !(flags & OBJ_KEEPTTL)) flags |= OBJ_PERSIST;
    else if (isOpt(opt, 'ex') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EXAT | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EX;
      expire = argv[++j]!;
    } else if (isOpt(opt, 'px') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_PX;
      expire = argv[++j]!;
    } else if (isOpt(opt, 'exat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EXAT;
      expire = argv[++j]!;
    } else if (isOpt(opt, 'pxat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PX)) && hasNext) {
      flags |= OBJ_PXAT;
      expire = argv[++j]!;
    } else fail(ERR.syntax);
  }
  return { flags, expire };
}

/**
 * The absolute expire time in ms of an EX/PX/EXAT/PXAT argument.
 * @see redis/src/t_string.c getExpireMillisecondsOrReply
 */
function expireMilliseconds(x: Exec, text: string, flags: number, commandName: string): number {
  const err = `ERR invalid expire time in '${commandName}' command`;
  let ms = string2ll(text);
  if (ms === null) fail(ERR.notInteger);
  const seconds = (flags & (OBJ_EX | OBJ_EXAT)) !== 0;
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) fail(err);
  if (seconds) ms *= 1000n;
  if (flags & (OBJ_PX | OBJ_EX)) ms += BigInt(x.now);
  if (ms <= 0n || ms > LLONG_MAX) fail(err);
  return Number(ms);
}

/** Copy latin1 text into bytes at `offset`. */
export function writeLatin1(bytes: Uint8Array, text: string, offset: number): void {
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(text, offset, 'latin1');
}

/** The string value of a key, or undefined; WRONGTYPE for other types. */
function lookupString(x: Exec, key: string): StringValue | undefined {
  return lookupTyped<StringValue>(x, key, 'string');
}

/**
 * The common SET path: NX/XX, GET, KEEPTTL, expire.
 * @see redis/src/t_string.c setGenericCommand
 */
function setGeneric(x: Exec, flags: number, key: string, value: string, expire: string | null, okReply: Reply, abortReply: Reply, commandName: string): Reply {
  const when = expire !== null ? expireMilliseconds(x, expire, flags, commandName) : null;
  let old: Reply = null;
  if (flags & OBJ_SET_GET) {
    const v = lookupString(x, key);
    old = v === undefined ? null : stringText(v);
  }
  const found = lookupKey(x, key) !== undefined;
  if ((flags & OBJ_SET_NX && found) || (flags & OBJ_SET_XX && !found)) {
    return flags & OBJ_SET_GET ? old : abortReply;
  }
  setKey(x.db, key, value, (flags & OBJ_KEEPTTL) !== 0);
  if (when !== null) x.db.expires.set(key, when);
  return flags & OBJ_SET_GET ? old : okReply;
}

function set(x: Exec): Reply {
  const { flags, expire } = parseExtendedStringArguments(x, true);
  return setGeneric(x, flags, x.argv[1]!, x.argv[2]!, expire, OK, null, 'set');
}

function setnx(x: Exec): Reply {
  return setGeneric(x, OBJ_SET_NX, x.argv[1]!, x.argv[2]!, null, 1, 0, 'setnx');
}

function setex(x: Exec): Reply {
  return setGeneric(x, OBJ_EX, x.argv[1]!, x.argv[3]!, x.argv[2]!, OK, null, 'setex');
}

function psetex(x: Exec): Reply {
  return setGeneric(x, OBJ_PX, x.argv[1]!, x.argv[3]!, x.argv[2]!, OK, null, 'psetex');
}

function getset(x: Exec): Reply {
  const key = x.argv[1]!;
  const v = lookupString(x, key);
  setKey(x.db, key, x.argv[2]!);
  return v === undefined ? null : stringText(v);
}

function getdel(x: Exec): Reply {
  const key = x.argv[1]!;
  const v = lookupString(x, key);
  if (v === undefined) return null;
  x.db.delete(key);
  return stringText(v);
}

/** @see redis/src/t_string.c getexCommand */
function getex(x: Exec): Reply {
  const { flags, expire } = parseExtendedStringArguments(x, false);
  const key = x.argv[1]!;
  const v = lookupString(x, key);
  if (v === undefined) return null;
  const when = expire !== null ? expireMilliseconds(x, expire, flags, 'getex') : null;
  const reply = stringText(v);
  if (flags & (OBJ_PXAT | OBJ_EXAT) && checkAlreadyExpired(x, when!)) x.db.delete(key);
  else if (when !== null) x.db.expires.set(key, when);
  else if (flags & OBJ_PERSIST) x.db.expires.delete(key);
  return reply;
}

function mset(x: Exec): Reply {
  if (x.argv.length % 2 === 0) arityError(x);
  for (let j = 1; j < x.argv.length; j += 2) setKey(x.db, x.argv[j]!, x.argv[j + 1]!);
  return OK;
}

function msetnx(x: Exec): Reply {
  if (x.argv.length % 2 === 0) arityError(x);
  for (let j = 1; j < x.argv.length; j += 2) if (lookupKey(x, x.argv[j]!) !== undefined) return 0;
  for (let j = 1; j < x.argv.length; j += 2) setKey(x.db, x.argv[j]!, x.argv[j + 1]!);
  return 1;
}

/** @see redis/src/t_string.c appendCommand */
function append(x: Exec): Reply {
  const key = x.argv[1]!;
  const add = x.argv[2]!;
  const v = lookupString(x, key);
  if (v === undefined) {
    x.db.dict.set(key, add);
    return add.length;
  }
  checkStringLength(stringLength(v), add.length);
  let next: StringValue;
  if (typeof v === 'string' && v.length + add.length <= 4096) next = v + add;
  else {
    const m = toMutable(v);
    const at = m.length;
    m.ensureLength(at + add.length);
    writeLatin1(m.bytes, add, at);
    next = m;
  }
  x.db.dict.set(key, next);
  return stringLength(next);
}

/** @see redis/src/t_string.c setrangeCommand */
function setrange(x: Exec): Reply {
  const key = x.argv[1]!;
  const value = x.argv[3]!;
  const v = lookupKey(x, key);
  const offset = parseLong(x, x.argv[2]!);
  if (offset < 0) fail('ERR offset is out of range');
  if (v === undefined) {
    if (value.length === 0) return 0;
    checkStringLength(offset, value.length);
    const bytes = new Uint8Array(offset + value.length);
    writeLatin1(bytes, value, offset);
    const sv = stringFromEdit(bytes, bytes.byteLength);
    x.db.dict.set(key, sv);
    return stringLength(sv);
  }
  const sv = lookupString(x, key)!;
  const olen = stringLength(sv);
  if (value.length === 0) return olen;
  checkStringLength(offset, value.length);
  const m = toMutable(sv);
  m.ensureLength(Math.max(m.length, offset + value.length));
  writeLatin1(m.bytes, value, offset);
  const next = m.length <= 256 ? stringFromEdit(m.bytes, m.length) : m;
  x.db.dict.set(key, next);
  return stringLength(next);
}

/**
 * INCR/DECR/INCRBY/DECRBY: overwrite (keeping the TTL) with value + incr, failing on overflow.
 * @see redis/src/t_string.c incrDecrCommand
 */
function incrDecr(x: Exec, incr: bigint): Reply {
  const key = x.argv[1]!;
  const v = lookupString(x, key);
  let value = 0n;
  if (v !== undefined) {
    const parsed = string2ll(stringText(v));
    if (parsed === null) fail(ERR.notInteger);
    value = parsed;
  }
  if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) || (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
    fail(ERR.overflow);
  }
  value += incr;
  x.db.dict.set(key, value.toString());
  return value;
}

/** @see redis/src/t_string.c incrbyfloatCommand */
function incrbyfloat(x: Exec): Reply {
  const key = x.argv[1]!;
  const v = lookupString(x, key);
  let value = longDoubleFromBigInt(0n);
  if (v !== undefined) {
    const text = stringText(v);
    const asInt = string2ll(text);
    const parsed = asInt !== null ? longDoubleFromBigInt(asInt) : string2ld(text);
    if (parsed === null) fail(ERR.notFloat);
    value = parsed;
  }
  const incr = string2ld(x.argv[2]!);
  if (incr === null) fail(ERR.notFloat);
  const sum = addLongDouble(value, incr);
  if (isNanOrInf(sum)) fail('ERR increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  x.db.dict.set(key, text);
  return text;
}

/** String commands by lowercase name, with Redis's arity. */
export const STRING_COMMANDS: CommandTable = {
  set: { arity: -3, fn: set },
  setnx: { arity: 3, fn: setnx },
  setex: { arity: 4, fn: setex },
  psetex: { arity: 4, fn: psetex },
  getset: { arity: 3, fn: getset },
  getdel: { arity: 2, fn: getdel },
  getex: { arity: -2, fn: getex },
  mset: { arity: -3, fn: mset },
  msetnx: { arity: -3, fn: msetnx },
  append: { arity: 3, fn: append },
  setrange: { arity: 4, fn: setrange },
  incr: { arity: 2, fn: (x) => incrDecr(x, 1n) },
  decr: { arity: 2, fn: (x) => incrDecr(x, -1n) },
  incrby: { arity: 3, fn: (x) => incrDecr(x, parseLongLong(x, x.argv[2]!)) },
  decrby: {
    arity: 3,
    fn: (x) => {
      const incr = parseLongLong(x, x.argv[2]!);
      if (incr === LLONG_MIN) fail('ERR decrement would overflow');
      return incrDecr(x, -incr);
    },
  },
  incrbyfloat: { arity: 3, fn: incrbyfloat },
};
