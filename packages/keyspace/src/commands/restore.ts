// RESTORE / RESTORE-ASKING with DUMP payloads: `<type byte><object as in an RDB><rdbver u16le>
// <crc64 u64le>`. The object is decoded by the RDB reader (async), so payloads are decoded ahead
// of the command by prepareCommand and looked up here.
// Source of truth: redis/src/cluster.c restoreCommand, verifyDumpPayload.

import { crc64 } from '@redis-forensics/core';
import { RDB_VERSION, readRdb } from '@redis-forensics/rdb';

import { bytesToLatin1 } from '../byte-string.js';
import { dupValue } from '../dup-value.js';
import { checkAlreadyExpired, ERR, fail, isOpt, lookupKey, parseLongLong } from '../exec-context.js';
import { mergeRdbValue } from '../load-rdb.js';
import { OK } from '../reply.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Keyspace } from '../keyspace.js';
import type { Reply } from '../reply.js';
import type { RedisValue } from '../values.js';

const VERSION_OR_CHECKSUM = 'ERR DUMP payload version or checksum are wrong';
const BAD_FORMAT = 'ERR Bad data format';

/**
 * Decode a DUMP payload: check the footer (RDB version not newer than we read, CRC64 over
 * everything before it), then read the object with the RDB reader.
 * @returns the value, or `{ error }` with the reply RESTORE gives
 * @see redis/src/cluster.c verifyDumpPayload; redis/src/rdb.c rdbLoadObject
 */
export async function decodeDumpPayload(ks: Keyspace, payload: Uint8Array): Promise<RedisValue | { error: string }> {
  const len = payload.byteLength;
  if (len < 10) return { error: VERSION_OR_CHECKSUM };
  const view = new DataView(payload.buffer, payload.byteOffset, len);
  const rdbver = view.getUint16(len - 10, true);
  if (rdbver > RDB_VERSION) return { error: VERSION_OR_CHECKSUM };
  if (crc64(payload.subarray(0, len - 8)) !== view.getBigUint64(len - 8, true)) return { error: VERSION_OR_CHECKSUM };
  const body = payload.subarray(0, len - 10);
  if (body.byteLength < 1) return { error: BAD_FORMAT };
  const version = Math.max(rdbver, 5);
  const header = Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1');
  const file = Buffer.concat([header, Buffer.from([0xfe, 0x00, body[0]!, 0x01, 0x6b]), body.subarray(1), Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0])]);
  let value: RedisValue | undefined;
  let keys = 0;
  try {
    for await (const ev of readRdb((async function* () { yield file; })(), { verifyChecksum: false, partBytes: Infinity })) {
      if (ev.type !== 'key') continue;
      if (ev.part === undefined || ev.part.index === 0) keys++;
      value = mergeRdbValue(ks, value, ev.value, ev.encoding);
    }
  } catch {
    return { error: BAD_FORMAT };
  }
  if (value === undefined || keys !== 1) return { error: BAD_FORMAT };
  return value;
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
  const prepared = x.ks.preparedPayloads.get(x.argv[3]!);
  if (prepared === undefined) fail(BAD_FORMAT);
  if (typeof prepared === 'object' && 'error' in prepared) fail(prepared.error);
  if (replace) x.db.delete(key);
  if (ttl !== 0n && !absttl) ttl += BigInt(x.now);
  if (ttl !== 0n && checkAlreadyExpired(x, Number(ttl))) return OK;
  x.db.dict.set(key, dupValue(prepared));
  if (ttl !== 0n) x.db.expires.set(key, Number(ttl));
  return OK;
}

/** Whether a command carries a DUMP payload that {@link prepareCommand} must decode first. */
export function needsPreparation(args: readonly string[]): boolean {
  if (args.length < 4) return false;
  const n = args[0]!.toLowerCase();
  return n === 'restore' || n === 'restore-asking';
}

/**
 * Decode the DUMP payload of a RESTORE ahead of {@link applyCommand} (no-op for other commands).
 * @see decodeDumpPayload
 */
export async function prepareCommand(ks: Keyspace, argv: readonly Uint8Array[]): Promise<void> {
  if (argv.length < 4) return;
  const name = bytesToLatin1(argv[0]!).toLowerCase();
  if (name !== 'restore' && name !== 'restore-asking') return;
  const text = bytesToLatin1(argv[3]!);
  if (ks.preparedPayloads.has(text)) return;
  ks.preparedPayloads.set(text, await decodeDumpPayload(ks, argv[3]!));
}

/** RESTORE by lowercase name, with Redis's arity. */
export const RESTORE_COMMANDS: CommandTable = {
  restore: { arity: -4, fn: restore },
  'restore-asking': { arity: -4, fn: restore },
};
