// Bit commands that write: SETBIT, BITOP, BITFIELD (bits are MSB-first within each byte).
// Source of truth: redis/src/bitops.c.

import { ERR, fail, isOpt, lookupTyped, setKey } from '../exec-context.js';
import { string2ll } from '../number-text.js';
import { MutableString, stringBytes, stringFromEdit, toMutable } from '../values.js';
import { PROTO_MAX_BULK_LEN } from './string.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { StringValue } from '../values.js';

const BIT_OFFSET_ERR = 'ERR bit offset is not an integer or out of range';

/**
 * Parse a bit offset (`#n` = n * bits for BITFIELD), limited to proto-max-bulk-len bytes except
 * for clients that must be obeyed (the AOF loader).
 * @see redis/src/bitops.c getBitOffsetFromArgument
 */
function bitOffset(x: Exec, text: string, hash: boolean, bits: number): number {
  const usehash = text.charCodeAt(0) === 0x23 && hash && bits > 0;
  let v = string2ll(usehash ? text.slice(1) : text);
  if (v === null) fail(BIT_OFFSET_ERR);
  if (usehash) v *= BigInt(bits);
  if (v < 0n || (!x.loading && v >> 3n >= BigInt(PROTO_MAX_BULK_LEN))) fail(BIT_OFFSET_ERR);
  return Number(v);
}

/**
 * The string at key, created or zero-padded so that bit `maxbit` exists, as a MutableString
 * stored back in the db.
 * @see redis/src/bitops.c lookupStringForBitCommand
 */
function stringForBitCommand(x: Exec, key: string, maxbit: number): MutableString {
  const byte = Math.floor(maxbit / 8);
  const v = lookupTyped<StringValue>(x, key, 'string');
  const m = v === undefined ? new MutableString(new Uint8Array(0), byte + 1) : toMutable(v);
  m.ensureLength(Math.max(m.length, byte + 1));
  x.db.dict.set(key, m);
  return m;
}

/** Store a MutableString back as text when it is short. */
function settle(x: Exec, key: string, m: MutableString): void {
  if (m.length <= 256) x.db.dict.set(key, stringFromEdit(m.bytes, m.length));
}

/** @see redis/src/bitops.c setbitCommand */
function setbit(x: Exec): Reply {
  const key = x.argv[1]!;
  const offset = bitOffset(x, x.argv[2]!, false, 0);
  const on = string2ll(x.argv[3]!);
  const err = 'ERR bit is not an integer or out of range';
  if (on === null || (on & ~1n) !== 0n) fail(err);
  const m = stringForBitCommand(x, key, offset);
  const byte = offset >> 3;
  const bit = 7 - (offset & 7);
  const old = (m.bytes[byte]! >> bit) & 1;
  m.bytes[byte] = (m.bytes[byte]! & ~(1 << bit)) | (Number(on) << bit);
  settle(x, key, m);
  return old;
}

/** @see redis/src/bitops.c bitopCommand */
function bitop(x: Exec): Reply {
  const op = x.argv[1]!.toLowerCase();
  if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') fail(ERR.syntax);
  if (op === 'not' && x.argv.length !== 4) fail('ERR BITOP NOT must be called with a single source key.');
  const target = x.argv[2]!;
  const srcs: (Uint8Array | null)[] = [];
  let maxlen = 0;
  for (let j = 3; j < x.argv.length; j++) {
    const v = lookupTyped<StringValue>(x, x.argv[j]!, 'string');
    if (v === undefined) {
      srcs.push(null);
      continue;
    }
    const b = stringBytes(v);
    srcs.push(b);
    maxlen = Math.max(maxlen, b.byteLength);
  }
  if (maxlen === 0) {
    x.db.delete(target);
    return 0;
  }
  const res = new Uint8Array(maxlen);
  for (let j = 0; j < maxlen; j++) {
    const first = srcs[0];
    let out = first !== null && first !== undefined && j < first.byteLength ? first[j]! : 0;
    if (op === 'not') out = ~out & 0xff;
    for (let i = 1; i < srcs.length; i++) {
      const s = srcs[i];
      const b = s !== null && s !== undefined && j < s.byteLength ? s[j]! : 0;
      if (op === 'and') out &= b;
      else if (op === 'or') out |= b;
      else out ^= b;
    }
    res[j] = out;
  }
  setKey(x.db, target, stringFromEdit(res, maxlen));
  return maxlen;
}

/** Read `bits` bits at bit `offset` as an unsigned bigint. */
function getUnsignedBitfield(bytes: Uint8Array, length: number, offset: number, bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i++) {
    const pos = offset + i;
    const byte = pos >> 3;
    const bit = byte < length ? (bytes[byte]! >> (7 - (pos & 7))) & 1 : 0;
    v = (v << 1n) | BigInt(bit);
  }
  return v;
}

function setUnsignedBitfield(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  for (let i = 0; i < bits; i++) {
    const bitval = Number((value >> BigInt(bits - 1 - i)) & 1n);
    const pos = offset + i;
    const byte = pos >> 3;
    const bit = 7 - (pos & 7);
    bytes[byte] = (bytes[byte]! & ~(1 << bit)) | (bitval << bit);
  }
}

function toSigned(v: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}

type Overflow = 'wrap' | 'sat' | 'fail';

const I64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * The value to store for value+incr in a field of `bits`, or null for FAIL on overflow, with C's
 * int64/uint64 wrap-around in the limit computations (so INT64_MIN saturates to the maximum).
 * @see redis/src/bitops.c checkSignedBitfieldOverflow, checkUnsignedBitfieldOverflow
 */
function applyOverflow(value: bigint, incr: bigint, bits: number, signed: boolean, owtype: Overflow): bigint | null {
  const b = BigInt(bits);
  if (signed) {
    const max = bits === 64 ? 2n ** 63n - 1n : (1n << (b - 1n)) - 1n;
    const min = -max - 1n;
    const maxincr = I64(U64(max) - U64(value));
    const minincr = I64(min - value);
    const wrap = (): bigint => {
      let c = U64(U64(value) + U64(incr));
      if (bits < 64) {
        const mask = U64(~0n << b);
        c = (c & (1n << (b - 1n))) !== 0n ? c | mask : c & ~mask;
      }
      return I64(c);
    };
    if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
      return owtype === 'wrap' ? wrap() : owtype === 'sat' ? max : null;
    }
    if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
      return owtype === 'wrap' ? wrap() : owtype === 'sat' ? min : null;
    }
    return value + incr;
  }
  const uvalue = U64(value);
  const max = (1n << b) - 1n;
  const maxincr = I64(max - uvalue);
  const minincr = I64(-uvalue);
  const wrap = (): bigint => U64(uvalue + incr) & ~U64(~0n << b);
  if (uvalue > max || (incr > 0n && incr > maxincr)) return owtype === 'wrap' ? wrap() : owtype === 'sat' ? max : null;
  if (incr < 0n && incr < minincr) return owtype === 'wrap' ? wrap() : owtype === 'sat' ? 0n : null;
  return U64(uvalue + incr);
}

interface BitfieldOp {
  opcode: 'get' | 'set' | 'incrby';
  offset: number;
  i64: bigint;
  owtype: Overflow;
  bits: number;
  signed: boolean;
}

const TYPE_ERR = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** @see redis/src/bitops.c bitfieldGeneric */
function bitfield(x: Exec, readonlyCommand: boolean): Reply {
  const ops: BitfieldOp[] = [];
  let owtype: Overflow = 'wrap';
  let readonly = true;
  let highest = 0;
  const argv = x.argv;
  for (let j = 2; j < argv.length; j++) {
    const remargs = argv.length - j - 1;
    const sub = argv[j]!;
    let opcode: BitfieldOp['opcode'];
    if (isOpt(sub, 'get') && remargs >= 2) opcode = 'get';
    else if (isOpt(sub, 'set') && remargs >= 3) opcode = 'set';
    else if (isOpt(sub, 'incrby') && remargs >= 3) opcode = 'incrby';
    else if (isOpt(sub, 'overflow') && remargs >= 1) {
      const t = argv[++j]!.toLowerCase();
      if (t !== 'wrap' && t !== 'sat' && t !== 'fail') fail('ERR Invalid OVERFLOW type specified');
      owtype = t;
      continue;
    } else fail(ERR.syntax);
    const type = argv[j + 1]!;
    const c0 = type[0];
    let signed: boolean;
    if (c0 === 'i' || c0 === 'I') signed = true;
    else if (c0 === 'u' || c0 === 'U') signed = false;
    else fail(TYPE_ERR);
    const nul = type.indexOf('\0');
    const bitsBig = string2ll(type.slice(1, nul === -1 ? undefined : nul));
    if (bitsBig === null || bitsBig < 1n || (signed && bitsBig > 64n) || (!signed && bitsBig > 63n)) fail(TYPE_ERR);
    const bits = Number(bitsBig);
    const offset = bitOffset(x, argv[j + 2]!, true, bits);
    let i64 = 0n;
    if (opcode !== 'get') {
      readonly = false;
      highest = Math.max(highest, offset + bits - 1);
      const v = string2ll(argv[j + 3]!);
      if (v === null) fail(ERR.notInteger);
      i64 = v;
    }
    ops.push({ opcode, offset, i64, owtype, bits, signed });
    j += opcode === 'get' ? 2 : 3;
  }
  const key = argv[1]!;
  let bytes: Uint8Array;
  let length: number;
  let m: MutableString | null = null;
  if (readonly) {
    const v = lookupTyped<StringValue>(x, key, 'string');
    bytes = v === undefined ? new Uint8Array(0) : stringBytes(v);
    length = bytes.byteLength;
  } else {
    if (readonlyCommand) fail('ERR BITFIELD_RO only supports the GET subcommand');
    m = stringForBitCommand(x, key, highest);
    bytes = m.bytes;
    length = m.length;
  }
  const replies: Reply[] = [];
  for (const op of ops) {
    const raw = getUnsignedBitfield(bytes, length, op.offset, op.bits);
    const old = op.signed ? toSigned(raw, op.bits) : raw;
    if (op.opcode === 'get') {
      replies.push(old);
      continue;
    }
    const next = op.opcode === 'incrby'
      ? applyOverflow(old, op.i64, op.bits, op.signed, op.owtype)
      : applyOverflow(op.i64, 0n, op.bits, op.signed, op.owtype);
    if (next === null) {
      replies.push(null);
      continue;
    }
    setUnsignedBitfield(bytes, op.offset, op.bits, BigInt.asUintN(op.bits, next));
    replies.push(op.opcode === 'incrby' ? next : old);
  }
  if (m !== null) settle(x, key, m);
  return replies.map((r) => (typeof r === 'bigint' && r >= -(2n ** 53n) && r <= 2n ** 53n ? Number(r) : r));
}

/** Bit commands by lowercase name, with Redis's arity. */
export const BIT_COMMANDS: CommandTable = {
  setbit: { arity: 4, fn: setbit },
  bitop: { arity: -4, fn: bitop },
  bitfield: { arity: -2, fn: (x) => bitfield(x, false) },
  bitfield_ro: { arity: -2, fn: (x) => bitfield(x, true) },
};
