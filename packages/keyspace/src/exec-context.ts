// What a command implementation runs with (the db, its argv as latin1, the clock and whether
// the server is loading), the key lookups of redis/src/db.c with their expiry rules, and the
// error replies commands fail with.

import { string2d, string2ll } from './number-text.js';
import { typeOf } from './values.js';

import type { Keyspace, RedisDb } from './keyspace.js';
import type { DoubleStyle } from './number-text.js';
import type { Reply } from './reply.js';
import type { RedisTypeName, RedisValue } from './values.js';

/** The environment of one command execution. */
export interface Exec {
  readonly ks: Keyspace;
  /** The client's current db (SELECT changes it). */
  db: RedisDb;
  /** Arguments as latin1 strings; argv[0] is the command name as written. */
  readonly argv: readonly string[];
  /** commandTimeSnapshot(): the ms clock used for relative times and "already expired". */
  readonly now: number;
  /** server.loading: no lazy expiry, and past expire times are kept instead of deleting keys. */
  readonly loading: boolean;
  /** Server version as major * 100 + minor (700 = 7.0); decides version-specific behaviour. */
  readonly version: number;
  /** How the server formats doubles in replies and stored text. */
  readonly doubleStyle: DoubleStyle;
}

/** A command failure: the error reply Redis sends, nothing changed. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Error replies, verbatim from redis/src/server.c createSharedObjects and the commands. */
export const ERR = {
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  syntax: 'ERR syntax error',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  noKey: 'ERR no such key',
  outOfRange: 'ERR index out of range',
  overflow: 'ERR increment or decrement would overflow',
  dbIndex: 'ERR DB index is out of range',
  notPositive: 'ERR value is out of range, must be positive',
} as const;

/** Throw a CommandError with this reply. */
export function fail(message: string): never {
  throw new CommandError(message);
}

/** `ERR wrong number of arguments for '<cmd>' command`. */
export function arityError(x: Exec): never {
  fail(`ERR wrong number of arguments for '${x.argv[0]!.toLowerCase()}' command`);
}

/** Whether a key is logically expired now (never while loading). @see redis/src/db.c keyIsExpired */
export function keyIsExpired(x: Exec, db: RedisDb, key: string): boolean {
  if (x.loading) return false;
  const at = db.expires.get(key);
  return at !== undefined && at <= x.now;
}

/**
 * lookupKeyRead/lookupKeyWrite: the value, after deleting it when it is expired (live mode only).
 * @see redis/src/db.c lookupKey, expireIfNeeded
 */
export function lookupKey(x: Exec, key: string, db: RedisDb = x.db): RedisValue | undefined {
  const v = db.dict.get(key);
  if (v === undefined) return undefined;
  if (keyIsExpired(x, db, key)) {
    db.delete(key);
    return undefined;
  }
  return v;
}

/** Look a key up and check its type (checkType): undefined when missing, WRONGTYPE otherwise. */
export function lookupTyped<T extends RedisValue>(x: Exec, key: string, type: RedisTypeName, db: RedisDb = x.db): T | undefined {
  const v = lookupKey(x, key, db);
  if (v === undefined) return undefined;
  if (typeOf(v) !== type) fail(ERR.wrongType);
  return v as T;
}

/**
 * setKey: store a value, dropping the TTL unless `keepTtl`.
 * @see redis/src/db.c setKey
 */
export function setKey(db: RedisDb, key: string, value: RedisValue, keepTtl = false): void {
  const size = db.dict.size;
  db.dict.set(key, value);
  // A key that was not there has no TTL (expires only holds keys of dict): skip that lookup.
  if (!keepTtl && db.dict.size === size) db.expires.delete(key);
}

/**
 * checkAlreadyExpired: a time in the past deletes the key, except while loading (the AOF will
 * carry the DEL) or on a replica.
 * @see redis/src/expire.c checkAlreadyExpired
 */
export function checkAlreadyExpired(x: Exec, when: number): boolean {
  return when <= x.now && !x.loading;
}

/** getLongLongFromObjectOrReply: a strict 64-bit integer or `msg`. */
export function parseLongLong(x: Exec, s: string, msg: string = ERR.notInteger): bigint {
  const v = string2ll(s);
  if (v === null) fail(msg);
  return v;
}

/** getLongFromObjectOrReply as a JS number (exact for the ranges commands use). */
export function parseLong(x: Exec, s: string, msg: string = ERR.notInteger): number {
  return Number(parseLongLong(x, s, msg));
}

/** getRangeLongFromObjectOrReply. */
export function parseRangeLong(x: Exec, s: string, min: number, max: number, msg?: string): number {
  const v = string2ll(s);
  if (v === null || v < BigInt(Math.ceil(min)) || v > BigInt(Math.floor(max))) {
    fail(msg !== undefined ? `ERR ${msg}` : `ERR value is out of range, must be positive`);
  }
  return Number(v);
}

/** getPositiveLongFromObjectOrReply: >= 0. */
export function parsePositiveLong(x: Exec, s: string, msg?: string): number {
  const v = string2ll(s);
  if (v === null || v < 0n) fail(msg !== undefined ? `ERR ${msg}` : ERR.notPositive);
  return Number(v);
}

/** getDoubleFromObjectOrReply. */
export function parseDouble(x: Exec, s: string, msg: string = ERR.notFloat): number {
  const v = string2d(s);
  if (v === null) fail(msg);
  return v;
}

/**
 * getTimeoutFromObjectOrReply (blocking commands): seconds as a double since 6.0; negative or
 * invalid timeouts are errors. Only validated: replay never blocks.
 * @see redis/src/timeout.c getTimeoutFromObjectOrReply
 */
export function parseTimeout(x: Exec, s: string): void {
  const v = string2d(s);
  if (v === null || !Number.isFinite(v)) fail('ERR timeout is not a float or out of range');
  if (v < 0) fail('ERR timeout is negative');
}

/** Case-insensitive option match. */
export function isOpt(s: string | undefined, name: string): boolean {
  return s !== undefined && s.length === name.length && s.toLowerCase() === name;
}

/** A command implementation. */
export type CommandFn = (x: Exec) => Reply;

/** A command table entry: Redis's arity (n exact, -n at least n) and the implementation. */
export interface CommandSpec {
  arity: number;
  fn: CommandFn;
}

/** A table of commands by lowercase name. */
export type CommandTable = Record<string, CommandSpec>;
