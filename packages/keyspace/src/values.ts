// The typed values of a key. Strings are latin1 JS strings (compact, immutable) or, once a
// command edits them in place (SETRANGE, SETBIT, BITFIELD, APPEND on long values), a growable
// byte buffer - like an sds with free space. Collections keep their members as latin1 strings.

import { latin1ToBytes } from './byte-string.js';
import { ListValue } from './list-value.js';
import { StreamValue } from './stream-value.js';
import { ZsetValue } from './zset-value.js';

export { ListValue, StreamValue, ZsetValue };

/** A string edited in place: `bytes[0..length)` is the value, the rest is free space. */
export class MutableString {
  readonly type = 'mstring';
  bytes: Uint8Array;
  length: number;

  constructor(initial: Uint8Array, capacity = initial.byteLength) {
    this.bytes = new Uint8Array(Math.max(capacity, initial.byteLength));
    this.bytes.set(initial);
    this.length = initial.byteLength;
  }

  /** Grow to at least `n` bytes (zero-filled), doubling like sdsMakeRoomFor below 1 MiB. */
  ensureLength(n: number): void {
    if (n <= this.length) return;
    if (n > this.bytes.byteLength) {
      const cap = n < 1024 * 1024 ? n * 2 : n + 1024 * 1024;
      const next = new Uint8Array(cap);
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    } else {
      this.bytes.fill(0, this.length, n);
    }
    this.length = n;
  }

  /** The value bytes (a view; copy what you keep). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** A set value (members as latin1). */
export class SetValue {
  readonly type = 'set';
  readonly set: Set<string>;

  constructor(members?: Iterable<string>) {
    this.set = new Set(members);
  }
}

/**
 * A hash value: field -> value, plus the absolute expire time (ms) of fields that have one
 * (Redis 7.4+ hash field expiration). `expires` is null while no field has a TTL, which keeps
 * plain hashes at one Map.
 */
export class HashValue {
  readonly type = 'hash';
  readonly map: Map<string, string> = new Map();
  expires: Map<string, number> | null = null;

  /** Set a field's TTL (absolute ms), or clear it with null. */
  setFieldExpire(field: string, expireAt: number | null): void {
    if (expireAt === null) {
      this.expires?.delete(field);
      if (this.expires !== null && this.expires.size === 0) this.expires = null;
      return;
    }
    (this.expires ??= new Map()).set(field, expireAt);
  }

  /** A field's TTL (absolute ms) or null. */
  fieldExpire(field: string): number | null {
    return this.expires?.get(field) ?? null;
  }

  /** Remove a field and its TTL; returns whether it existed. */
  deleteField(field: string): boolean {
    if (!this.map.delete(field)) return false;
    this.setFieldExpire(field, null);
    return true;
  }
}

/** A module value kept opaque: the RDB MODULE_2 payload after the module id. */
export class ModuleValueHolder {
  readonly type = 'module';
  readonly moduleId: bigint;
  readonly moduleName: string;
  readonly moduleVersion: number;
  /** Raw annotated items up to and including the module EOF opcode. */
  readonly payload: Uint8Array;

  constructor(moduleId: bigint, moduleName: string, moduleVersion: number, payload: Uint8Array) {
    this.moduleId = moduleId;
    this.moduleName = moduleName;
    this.moduleVersion = moduleVersion;
    this.payload = payload;
  }
}

/** A string value: latin1 text, or bytes edited in place. */
export type StringValue = string | MutableString;

/** Any value a key can hold. */
export type RedisValue = StringValue | ListValue | SetValue | ZsetValue | HashValue | StreamValue | ModuleValueHolder;

/** What `TYPE key` prints for a value (module values print their module type name). */
export type RedisTypeName = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'module';

/** The Redis type of a value. */
export function typeOf(v: RedisValue): RedisTypeName {
  if (typeof v === 'string' || v.type === 'mstring') return 'string';
  return v.type;
}

/** Whether a value is a string. */
export function isString(v: RedisValue): v is StringValue {
  return typeof v === 'string' || v.type === 'mstring';
}

/** The latin1 text of a string value. */
export function stringText(v: StringValue): string {
  if (typeof v === 'string') return v;
  return Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.length).toString('latin1');
}

/** The bytes of a string value (a fresh copy for latin1 text, a view for a MutableString). */
export function stringBytes(v: StringValue): Uint8Array {
  return typeof v === 'string' ? latin1ToBytes(v) : v.view();
}

/** STRLEN. */
export function stringLength(v: StringValue): number {
  return typeof v === 'string' ? v.length : v.length;
}

/** Values at most this long stay latin1 text after an in-place edit. */
export const MUTABLE_STRING_MIN = 256;

/** A string value for bytes produced by an edit: text when short, a MutableString when long. */
export function stringFromEdit(bytes: Uint8Array, length: number): StringValue {
  if (length <= MUTABLE_STRING_MIN) return Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1');
  return new MutableString(bytes.subarray(0, length));
}

/** A MutableString holding `v` (the same object when it already is one). */
export function toMutable(v: StringValue): MutableString {
  return typeof v === 'string' ? new MutableString(latin1ToBytes(v)) : v;
}
