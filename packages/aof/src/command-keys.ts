// Which arguments of a command are keys, as Redis's key specs (COMMAND INFO first/last/step and
// the keynum / keyword forms) define them, for the commands an AOF can hold.
// Source of truth: redis/src/commands/*.json key_specs; redis/src/db.c getKeysFromCommand.

type Range = readonly [first: number, last: number, step: number];

// Legacy (first, last, step) triples; last < 0 counts from the end.
const RANGES: Record<string, Range> = {};
const single = ['set', 'get', 'setnx', 'setex', 'psetex', 'append', 'incr', 'decr', 'incrby', 'decrby', 'incrbyfloat', 'getset', 'getdel', 'getex', 'setrange', 'setbit', 'bitfield', 'expire', 'pexpire', 'expireat', 'pexpireat', 'persist', 'move', 'lpush', 'rpush', 'lpushx', 'rpushx', 'linsert', 'lset', 'lrem', 'ltrim', 'lpop', 'rpop', 'sadd', 'srem', 'spop', 'zadd', 'zincrby', 'zrem', 'zremrangebyscore', 'zremrangebyrank', 'zremrangebylex', 'zpopmin', 'zpopmax', 'hset', 'hsetnx', 'hmset', 'hdel', 'hincrby', 'hincrbyfloat', 'hexpire', 'hpexpire', 'hexpireat', 'hpexpireat', 'hpersist', 'hgetdel', 'hgetex', 'hsetex', 'xadd', 'xdel', 'xtrim', 'xsetid', 'xack', 'xclaim', 'xautoclaim', 'pfadd', 'pfcount', 'geoadd', 'restore', 'restore-asking', 'delifeq', 'pfdebug', 'type', 'ttl', 'pttl', 'strlen', 'llen', 'scard', 'zcard', 'hlen', 'xlen'];
for (const c of single) RANGES[c] = [1, 1, 1];
for (const c of ['del', 'unlink', 'exists', 'touch', 'pfmerge', 'sunionstore', 'sinterstore', 'sdiffstore', 'watch']) RANGES[c] = [1, -1, 1];
for (const c of ['mset', 'msetnx']) RANGES[c] = [1, -1, 2];
for (const c of ['rename', 'renamenx', 'copy', 'smove', 'rpoplpush', 'lmove', 'brpoplpush', 'blmove', 'zrangestore', 'geosearchstore']) RANGES[c] = [1, 2, 1];
for (const c of ['blpop', 'brpop', 'bzpopmin', 'bzpopmax']) RANGES[c] = [1, -2, 1];
RANGES['bitop'] = [2, -1, 1];
RANGES['xgroup'] = [2, 2, 1];

// Commands whose keys are counted by a numkeys argument at this index.
const NUMKEYS: Record<string, { numkeysAt: number; dest: boolean }> = {
  zunionstore: { numkeysAt: 2, dest: true },
  zinterstore: { numkeysAt: 2, dest: true },
  zdiffstore: { numkeysAt: 2, dest: true },
  lmpop: { numkeysAt: 1, dest: false },
  zmpop: { numkeysAt: 1, dest: false },
  sintercard: { numkeysAt: 1, dest: false },
  zintercard: { numkeysAt: 1, dest: false },
  blmpop: { numkeysAt: 2, dest: false },
  bzmpop: { numkeysAt: 2, dest: false },
  eval: { numkeysAt: 2, dest: false },
  evalsha: { numkeysAt: 2, dest: false },
  eval_ro: { numkeysAt: 2, dest: false },
  evalsha_ro: { numkeysAt: 2, dest: false },
  fcall: { numkeysAt: 2, dest: false },
  fcall_ro: { numkeysAt: 2, dest: false },
};

function lower(b: Uint8Array | undefined): string {
  return b === undefined ? '' : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1').toLowerCase();
}

function int(b: Uint8Array | undefined): number {
  const s = lower(b);
  return /^\d+$/.test(s) ? Number(s) : -1;
}

/**
 * The key arguments of a command, by Redis's key specs: fixed positions (SET, MSET, RENAME...),
 * numkeys forms (ZUNIONSTORE, LMPOP, EVAL...), keywords (SORT ... STORE, GEORADIUS ... STORE,
 * XREADGROUP ... STREAMS, MIGRATE ... KEYS). Unknown commands have no keys.
 * @param argv the command name and arguments
 * @returns views of the key arguments, in argument order
 * @see redis/src/db.c getKeysFromCommandWithSpecs
 */
export function commandKeys(argv: readonly Uint8Array[]): Uint8Array[] {
  const name = lower(argv[0]);
  const n = argv.length;
  const range = RANGES[name];
  if (range !== undefined) {
    const [first, lastSpec, step] = range;
    const last = lastSpec < 0 ? n + lastSpec : lastSpec;
    const out: Uint8Array[] = [];
    for (let i = first; i <= last && i < n; i += step) out.push(argv[i]!);
    return out;
  }
  const nk = NUMKEYS[name];
  if (nk !== undefined) {
    const count = int(argv[nk.numkeysAt]);
    const out: Uint8Array[] = nk.dest && n > 1 ? [argv[1]!] : [];
    for (let i = 0; i < count && nk.numkeysAt + 1 + i < n; i++) out.push(argv[nk.numkeysAt + 1 + i]!);
    return out;
  }
  switch (name) {
    case 'sort':
    case 'sort_ro': {
      const out = n > 1 ? [argv[1]!] : [];
      for (let i = 2; i < n - 1; i++) if (lower(argv[i]) === 'store') out.push(argv[i + 1]!);
      return out;
    }
    case 'georadius':
    case 'georadiusbymember': {
      const out = n > 1 ? [argv[1]!] : [];
      for (let i = 2; i < n - 1; i++) if (lower(argv[i]) === 'store' || lower(argv[i]) === 'storedist') out.push(argv[i + 1]!);
      return out;
    }
    case 'xreadgroup':
    case 'xread': {
      for (let i = 1; i < n; i++) {
        if (lower(argv[i]) === 'streams') {
          const rest = n - i - 1;
          return argv.slice(i + 1, i + 1 + Math.floor(rest / 2));
        }
      }
      return [];
    }
    case 'migrate': {
      for (let i = 6; i < n; i++) if (lower(argv[i]) === 'keys') return argv.slice(i + 1);
      return n > 3 && argv[3]!.length > 0 ? [argv[3]!] : [];
    }
    default:
      return [];
  }
}
