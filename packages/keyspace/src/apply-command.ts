// applyCommand: run one command against a keyspace the way Redis's AOF loader runs it through
// its fake client (redis/src/aof.c loadSingleAppendOnlyFile): SELECT moves the client, MULTI
// queues until EXEC, a failing command replies an error and changes nothing, an unknown command
// stops the load. Commands the engine cannot reproduce (scripts, modules) throw
// UnsupportedCommandError, so the caller can stop or skip.

import { bytesToLatin1, displayLatin1 } from './byte-string.js';
import { BIT_COMMANDS } from './commands/bitops.js';
import { FUNCTION_COMMANDS } from './commands/functions.js';
import { GEO_COMMANDS } from './commands/geo.js';
import { HASH_COMMANDS } from './commands/hash.js';
import { HLL_COMMANDS } from './commands/hyperloglog.js';
import { KEY_COMMANDS } from './commands/keys.js';
import { LIST_COMMANDS } from './commands/list.js';
import { RESTORE_COMMANDS } from './commands/restore.js';
import { SET_COMMANDS } from './commands/set.js';
import { SORT_COMMANDS } from './commands/sort.js';
import { STREAM_GROUP_COMMANDS } from './commands/stream-group.js';
import { STREAM_COMMANDS } from './commands/stream.js';
import { STRING_COMMANDS } from './commands/string.js';
import { ZSET_STORE_COMMANDS } from './commands/zset-store.js';
import { ZSET_COMMANDS } from './commands/zset.js';
import { CommandError } from './exec-context.js';
import { doubleStyleFor } from './number-text.js';
import { OK } from './reply.js';

import type { CommandSpec, Exec } from './exec-context.js';
import type { DoubleStyle } from './number-text.js';
import type { Keyspace } from './keyspace.js';
import type { Reply } from './reply.js';

/** Where a command comes from and how to run it. */
export interface CommandContext {
  /**
   * The clock in ms (commandTimeSnapshot): base of relative times (EX, PX, EXPIRE, XADD `*`) and
   * of "already expired". Defaults to Date.now(). AOFs from 7.0 carry absolute times only.
   */
  now?: number;
  /**
   * Redis's `server.loading`: true (the default) replays like the AOF loader - no lazy expiry, and
   * an expire time in the past is stored instead of deleting the key (the AOF carries the DEL
   * later). False behaves like a live client: expired keys vanish on access, past times delete.
   */
  loading?: boolean;
  /** File the command was read from, for errors. */
  file?: string;
  /** Absolute byte offset of the command in `file`, for errors. */
  offset?: number;
  /** 0-based command number, for errors. */
  index?: number;
  /**
   * Version of the server that wrote the commands (`7.0.15`), for version-specific behaviour:
   * -0 in small zsets (7.0+), consumer active-time (7.2+), double formatting. Defaults to latest.
   */
  serverVersion?: string;
}

/** The outcome of one command: its reply, or the error reply Redis would send (nothing changed). */
export type CommandResult = { ok: true; reply: Reply } | { ok: false; error: string };

/** Why a command cannot be replayed. */
export type UnsupportedReason = 'script' | 'module-or-unknown';

/**
 * A command the engine cannot replay exactly: EVAL/EVALSHA/FCALL written verbatim by old servers,
 * module commands, commands unknown to Redis. Redis itself stops loading at an unknown command.
 */
export class UnsupportedCommandError extends Error {
  override readonly name = 'UnsupportedCommandError';
  /** The command name as written (latin1). */
  readonly command: string;
  readonly reason: UnsupportedReason;
  readonly file: string | undefined;
  readonly offset: number | undefined;
  readonly index: number | undefined;

  constructor(command: string, reason: UnsupportedReason, context: CommandContext) {
    const where = [
      context.file !== undefined ? `in ${context.file}` : null,
      context.offset !== undefined ? `at offset ${context.offset} (0x${context.offset.toString(16)})` : null,
      context.index !== undefined ? `(command #${context.index})` : null,
    ].filter((p) => p !== null);
    const why =
      reason === 'script'
        ? 'scripts and functions are not executed (only their effects can be replayed)'
        : 'unknown command (a module command, or not a Redis command)';
    super(`cannot replay ${displayLatin1(command.toUpperCase(), 40)}${where.length > 0 ? ` ${where.join(' ')}` : ''}: ${why}`);
    this.command = command;
    this.reason = reason;
    this.file = context.file;
    this.offset = context.offset;
    this.index = context.index;
  }
}

const TABLE = new Map<string, CommandSpec>();
for (const t of [
  STRING_COMMANDS,
  BIT_COMMANDS,
  KEY_COMMANDS,
  LIST_COMMANDS,
  SET_COMMANDS,
  ZSET_COMMANDS,
  ZSET_STORE_COMMANDS,
  HASH_COMMANDS,
  STREAM_COMMANDS,
  STREAM_GROUP_COMMANDS,
  HLL_COMMANDS,
  GEO_COMMANDS,
  FUNCTION_COMMANDS,
  SORT_COMMANDS,
  RESTORE_COMMANDS,
]) {
  for (const [name, spec] of Object.entries(t)) TABLE.set(name, spec);
}

/** Commands that change nothing in the dataset (reads, server and connection commands). */
const NO_OP_COMMANDS: ReadonlySet<string> = new Set(
  (
    'get mget strlen getrange substr exists type ttl pttl expiretime pexpiretime keys scan randomkey dbsize ' +
    'lrange llen lindex lpos smembers sismember smismember scard srandmember sinter sintercard sunion sdiff sscan ' +
    'zrange zrangebyscore zrangebylex zrevrange zrevrangebyscore zrevrangebylex zrank zrevrank zscore zmscore ' +
    'zcard zcount zlexcount zscan zrandmember zinter zunion zdiff zintercard hget hmget hgetall hkeys hvals hlen ' +
    'hexists hstrlen hscan hrandfield httl hpttl hexpiretime hpexpiretime xrange xrevrange xlen xread xinfo ' +
    'xpending getbit bitcount bitpos lcs geopos geodist geohash geosearch georadius_ro georadiusbymember_ro dump ' +
    'object memory touch info time echo ping debug script config client wait waitaof readonly readwrite sort_ro ' +
    'lastsave role command save bgsave bgrewriteaof slowlog latency publish spublish pubsub auth hello asking ' +
    'watch unwatch lolwut pfselftest'
  ).split(' '),
);

/** Commands whose effects depend on code the engine does not run. */
const SCRIPT_COMMANDS: ReadonlySet<string> = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

const DEFAULT_VERSION = 800;

/** `7.0.15` -> 700. */
function parseVersion(v: string | undefined): number {
  if (v === undefined) return DEFAULT_VERSION;
  const [maj = 0, min = 0] = v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return maj * 100 + min;
}

// A replay passes the same server version with every command: parse it once.
let versionCache: { text: string | undefined; version: number; doubleStyle: DoubleStyle } = {
  text: undefined,
  version: DEFAULT_VERSION,
  doubleStyle: doubleStyleFor(undefined),
};

function versionOf(v: string | undefined): typeof versionCache {
  if (v !== versionCache.text) versionCache = { text: v, version: parseVersion(v), doubleStyle: doubleStyleFor(v) };
  return versionCache;
}

type Resolved = { kind: 'spec'; spec: CommandSpec } | { kind: 'noop' };

const RESOLVED = new Map<string, Resolved>();
for (const [name, spec] of TABLE) RESOLVED.set(name, { kind: 'spec', spec });
const NOOP: Resolved = { kind: 'noop' };

/** Look a command up, or throw UnsupportedCommandError (lookupCommand failing stops Redis's load). */
function resolve(name: string, raw: string, context: CommandContext): Resolved {
  const resolved = RESOLVED.get(name);
  if (resolved !== undefined) return resolved;
  if (NO_OP_COMMANDS.has(name)) return NOOP;
  if (SCRIPT_COMMANDS.has(name)) throw new UnsupportedCommandError(raw, 'script', context);
  throw new UnsupportedCommandError(raw, 'module-or-unknown', context);
}

function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity >= 0 ? argc === spec.arity : argc >= -spec.arity;
}

/** Run one resolved command; CommandError becomes an error result. */
function run(ks: Keyspace, resolved: Resolved, args: string[], context: CommandContext): CommandResult {
  if (resolved.kind === 'noop') return { ok: true, reply: null };
  const spec = resolved.spec;
  if (!arityOk(spec, args.length)) {
    return { ok: false, error: `ERR wrong number of arguments for '${args[0]!.toLowerCase()}' command` };
  }
  const version = versionOf(context.serverVersion);
  const x: Exec = {
    ks,
    db: ks.dbs[ks.selectedDb]!,
    argv: args,
    now: context.now ?? Date.now(),
    loading: context.loading ?? true,
    version: version.version,
    doubleStyle: version.doubleStyle,
  };
  try {
    return { ok: true, reply: spec.fn(x) };
  } catch (e) {
    if (e instanceof CommandError) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * Apply one command (argv as bytes) to the keyspace with Redis's semantics, as the AOF loader's
 * fake client would run it. SELECT, MULTI, EXEC and DISCARD act on the keyspace's client state
 * (`selectedDb`, `multiQueue`); inside MULTI commands are queued and EXEC runs them in order.
 *
 * @returns `{ ok: true, reply }` or `{ ok: false, error }` (WRONGTYPE, syntax errors, ...: the
 *   keyspace is unchanged, as when Redis loads an AOF with such a command)
 * @throws {@link UnsupportedCommandError} for EVAL/EVALSHA/FCALL, module and unknown commands
 *   (also when queued inside MULTI), naming the command, file and offset from `context`
 * @see redis/src/aof.c loadSingleAppendOnlyFile; redis/src/multi.c
 */
export function applyCommand(ks: Keyspace, argv: readonly Uint8Array[], context: CommandContext = {}): CommandResult {
  if (argv.length === 0) return { ok: false, error: 'ERR empty command' };
  const args = argv.map(bytesToLatin1);
  return applyLatin1(ks, args, context);
}

/** {@link applyCommand} over latin1 arguments. */
export function applyLatin1(ks: Keyspace, args: string[], context: CommandContext = {}): CommandResult {
  const raw = args[0]!;
  const name = raw.toLowerCase();
  const loading = context.loading ?? true;
  // Before 4.0 the AOF loader called every command's implementation directly: MULTI only set a
  // flag, the commands inside ran at once, and an unfinished MULTI kept their effects.
  if (loading && versionOf(context.serverVersion).version < 400 && (name === 'multi' || name === 'exec' || name === 'discard')) {
    return { ok: true, reply: name === 'exec' ? [] : OK };
  }
  if (name === 'multi') {
    if (ks.multiQueue !== null) return { ok: false, error: 'ERR MULTI calls can not be nested' };
    ks.multiQueue = [];
    ks.multiDirty = false;
    return { ok: true, reply: OK };
  }
  if (name === 'exec') {
    const queue = ks.multiQueue;
    if (queue === null) return { ok: false, error: 'ERR EXEC without MULTI' };
    const dirty = ks.multiDirty;
    ks.multiQueue = null;
    ks.multiDirty = false;
    if (dirty) return { ok: false, error: 'EXECABORT Transaction discarded because of previous errors.' };
    const replies: Reply[] = [];
    for (const q of queue) {
      const r = run(ks, resolve(q[0]!.toLowerCase(), q[0]!, context), q, context);
      replies.push(r.ok ? r.reply : { error: r.error });
    }
    return { ok: true, reply: replies };
  }
  if (name === 'discard') {
    if (ks.multiQueue === null) return { ok: false, error: 'ERR DISCARD without MULTI' };
    ks.multiQueue = null;
    ks.multiDirty = false;
    return { ok: true, reply: OK };
  }
  const resolved = resolve(name, raw, context);
  if (ks.multiQueue !== null) {
    if (!loading && resolved.kind === 'spec' && !arityOk(resolved.spec, args.length)) {
      ks.multiDirty = true;
      return { ok: false, error: `ERR wrong number of arguments for '${name}' command` };
    }
    ks.multiQueue.push(args);
    return { ok: true, reply: { status: 'QUEUED' } };
  }
  return run(ks, resolved, args, context);
}

/** Whether the engine knows a command (writes it applies, or reads it treats as no-ops). */
export function isKnownCommand(name: string): boolean {
  const n = name.toLowerCase();
  return TABLE.has(n) || NO_OP_COMMANDS.has(n) || n === 'multi' || n === 'exec' || n === 'discard';
}
