// RESTORE / RESTORE-ASKING with DUMP payloads: `<type byte><object as in an RDB><rdbver u16le>
// <crc64 u64le>`, decoded in place by rdb's synchronous decodeDumpPayload.
// Source of truth: redis/src/cluster.c restoreCommand, verifyDumpPayload.

import { FormatError } from '@redis-forensics/core';
import { decodeDumpPayload } from '@redis-forensics/rdb';

import { latin1ToBytes } from '../byte-string.js';
import { checkAlreadyExpired, ERR, fail, isOpt, lookupKey, parseLongLong } from '../exec-context.js';
import { mergeRdbValue } from '../load-rdb.js';
import { OK } from '../reply.js';

import type { DumpPayload } from '@redis-forensics/rdb';
import type { CommandTable, Exec } from '../exec-context.js';
import type { Keyspace } from '../keyspace.js';
import type { Reply } from '../reply.js';
import type { RedisValue } from '../values.js';

/**
 * The value of a DUMP payload. RESTORE fails with "DUMP payload version or checksum are wrong"
 * when the footer is refused (verifyDumpPayload), with "Bad data format" when the object is.
 * @see redis/src/cluster.c restoreCommand
 */
function loadDumpPayload(ks: Keyspace, payload: Uint8Array): RedisValue {
  let dump: DumpPayload;
  try {
    dump = decodeDumpPayload(payload);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    fail(e.phase === 'check-sum' ? 'ERR DUMP payload version or checksum are wrong' : 'ERR Bad data format');
  }
  return mergeRdbValue(ks, undefined, dump.value, dump.encoding);
}

/** @see redis/src/cluster.c restoreCommand */
function restore(x: Exec): Reply {
  let replace = false;
  let absttl = false;
  let idle = false;
  let freq = false;
  for (let j = 4; j < x.argv.length; j++) {
    const additional = x.argv.length - j - 1;
    const opt = x.argv[j];
    if (isOpt(opt, 'replace')) replace = true;
    else if (isOpt(opt, 'absttl')) absttl = true;
    else if (isOpt(opt, 'idletime') && additional >= 1 && !freq) {
      if (parseLongLong(x, x.argv[j + 1]!) < 0n) fail('ERR Invalid IDLETIME value, must be >= 0');
      idle = true;
      j++;
    } else if (isOpt(opt, 'freq') && additional >= 1 && !idle) {
      const f = parseLongLong(x, x.argv[j + 1]!);
      if (f < 0n || f > 255n) fail('ERR Invalid FREQ value, must be >= 0 and <= 255');
      freq = true;
      j++;
    } else fail(ERR.syntax);
  }
  const key = x.argv[1]!;
  if (!replace && lookupKey(x, key) !== undefined) fail('BUSYKEY Target key name already exists.');
  let ttl = parseLongLong(x, x.argv[2]!);
  if (ttl < 0n) fail('ERR Invalid TTL value, must be >= 0');
  const value = loadDumpPayload(x.ks, latin1ToBytes(x.argv[3]!));
  if (replace) x.db.delete(key);
  if (ttl !== 0n && !absttl) ttl += BigInt(x.now);
  if (ttl !== 0n && checkAlreadyExpired(x, Number(ttl))) return OK;
  x.db.dict.set(key, value);
  if (ttl !== 0n) x.db.expires.set(key, Number(ttl));
  return OK;
}

/** RESTORE by lowercase name, with Redis's arity. */
export const RESTORE_COMMANDS: CommandTable = {
  restore: { arity: -4, fn: restore },
  'restore-asking': { arity: -4, fn: restore },
};
