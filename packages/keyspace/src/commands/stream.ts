// Stream commands that write entries: XADD, XDEL, XTRIM, XSETID (consumer groups are in
// stream-group.ts).
// Source of truth: redis/src/t_stream.c (7.0: entries_added, max_deleted_entry_id, first_id).

import { ERR, fail, isOpt, lookupKey, lookupTyped, parseLongLong } from '../exec-context.js';
import { OK } from '../reply.js';
import {
  parseStreamId,
  STREAM_ID_MAX,
  STREAM_ID_ZERO,
  streamIdKey,
  streamIdParts,
  streamIdText,
} from '../stream-id.js';
import { StreamValue } from '../stream-value.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';

/** The error reply of an unparsable stream ID. */
export const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const UINT64_MAX = 2n ** 64n - 1n;

/** The stream at key (WRONGTYPE for other types). */
export function lookupStream(x: Exec, key: string): StreamValue | undefined {
  return lookupTyped<StreamValue>(x, key, 'stream');
}

/** streamParseStrictIDOrReply. */
export function strictId(text: string): string {
  const p = parseStreamId(text, 0n, true);
  if (p === null) fail(INVALID_ID);
  return p.id;
}

/** A new stream configured like the keyspace's server. */
export function newStream(x: Exec): StreamValue {
  const s = new StreamValue();
  s.nodeMaxBytes = x.ks.streamNodeMaxBytes;
  s.nodeMaxEntries = x.ks.streamNodeMaxEntries;
  return s;
}

interface AddTrimArgs {
  id: string | null;
  seqGiven: boolean;
  noMkstream: boolean;
  strategy: 'maxlen' | 'minid' | null;
  approx: boolean;
  limit: number;
  maxlen: number;
  minid: string;
  idPos: number;
}

/** @see redis/src/t_stream.c streamParseAddOrTrimArgsOrReply */
function parseAddTrimArgs(x: Exec, xadd: boolean): AddTrimArgs {
  const a: AddTrimArgs = { id: null, seqGiven: true, noMkstream: false, strategy: null, approx: false, limit: -1, maxlen: -1, minid: STREAM_ID_ZERO, idPos: -1 };
  const argv = x.argv;
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === '*') break;
    if (isOpt(opt, 'maxlen') && moreargs) {
      if (a.strategy !== null) fail('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      a.approx = false;
      const next = argv[i + 1]!;
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') i++;
      const v = parseLongLong(x, argv[i + 1]!);
      if (v < 0n) fail('ERR The MAXLEN argument must be >= 0.');
      a.maxlen = Number(v);
      i++;
      a.strategy = 'maxlen';
    } else if (isOpt(opt, 'minid') && moreargs) {
      if (a.strategy !== null) fail('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      a.approx = false;
      const next = argv[i + 1]!;
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') i++;
      a.minid = strictId(argv[i + 1]!);
      i++;
      a.strategy = 'minid';
    } else if (isOpt(opt, 'limit') && moreargs) {
      const v = parseLongLong(x, argv[i + 1]!);
      if (v < 0n) fail('ERR The LIMIT argument must be >= 0.');
      a.limit = Number(v);
      limitGiven = true;
      i++;
    } else if (xadd && isOpt(opt, 'nomkstream')) {
      a.noMkstream = true;
    } else if (xadd) {
      const p = parseStreamId(opt, 0n, true, true);
      if (p === null) fail(INVALID_ID);
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      break;
    } else fail(ERR.syntax);
  }
  a.idPos = i;
  if (limitGiven && a.strategy === null) fail('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && a.strategy === null) fail('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (x.loading) a.limit = 0;
  else if (limitGiven) {
    if (!a.approx) fail('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else if (a.approx) {
    a.limit = 100 * x.ks.streamNodeMaxEntries;
    if (a.limit <= 0 || a.limit > 1_000_000) a.limit = 10000;
  } else a.limit = 0;
  return a;
}

/** @see redis/src/t_stream.c xaddCommand, streamAppendItem */
function xadd(x: Exec): Reply {
  const a = parseAddTrimArgs(x, true);
  const fieldPos = a.idPos + 1;
  const n = x.argv.length - fieldPos;
  if (n < 2 || n % 2 === 1) fail(`ERR wrong number of arguments for 'xadd' command`);
  if (a.id !== null && a.seqGiven && a.id === STREAM_ID_ZERO) fail('ERR The ID specified in XADD must be greater than 0-0');
  const key = x.argv[1]!;
  let s = lookupStream(x, key);
  if (s === undefined) {
    if (a.noMkstream) return null;
    s = newStream(x);
    x.db.dict.set(key, s);
  }
  if (s.lastId === STREAM_ID_MAX) fail('ERR The stream has exhausted the last possible ID, unable to add more items');
  let id: string;
  const tooSmall = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';
  if (a.id === null) {
    const last = streamIdParts(s.lastId);
    const ms = BigInt(x.now);
    id = ms > last.ms ? streamIdKey(ms, 0n) : streamIdKey(last.ms, last.seq + 1n);
  } else if (a.seqGiven) id = a.id;
  else {
    const want = streamIdParts(a.id);
    const last = streamIdParts(s.lastId);
    if (want.ms === last.ms) {
      if (last.seq === UINT64_MAX) fail(tooSmall);
      id = streamIdKey(last.ms, last.seq + 1n);
    } else id = a.id;
  }
  if (id <= s.lastId) fail(tooSmall);
  let totelelen = 0;
  for (let i = fieldPos; i < x.argv.length; i++) totelelen += x.argv[i]!.length;
  if (totelelen > 2 ** 32 - 1) fail('ERR Elements are too large to be stored');
  s.append(id, x.argv.slice(fieldPos) as string[]);
  if (a.strategy !== null) s.trim(a.strategy, a.maxlen, a.minid, a.approx, a.limit);
  return streamIdText(id);
}

/** @see redis/src/t_stream.c xdelCommand */
function xdel(x: Exec): Reply {
  const s = lookupStream(x, x.argv[1]!);
  if (s === undefined) return 0;
  const ids = x.argv.slice(2).map(strictId);
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (s.delete(id)) {
      if (id === s.firstId) firstEntry = true;
      if (id > s.maxDeletedId) s.maxDeletedId = id;
      deleted++;
    }
  }
  if (deleted) {
    if (s.length === 0) s.firstId = STREAM_ID_ZERO;
    else if (firstEntry) s.firstId = s.edgeId(true);
  }
  return deleted;
}

/** @see redis/src/t_stream.c xtrimCommand */
function xtrim(x: Exec): Reply {
  const a = parseAddTrimArgs(x, false);
  const s = lookupStream(x, x.argv[1]!);
  if (s === undefined) return 0;
  return s.trim(a.strategy!, a.maxlen, a.minid, a.approx, a.limit);
}

/** @see redis/src/t_stream.c xsetidCommand */
function xsetid(x: Exec): Reply {
  const id = strictId(x.argv[2]!);
  let entriesAdded = -1;
  let maxXdel = STREAM_ID_ZERO;
  for (let i = 3; i < x.argv.length; ) {
    const moreargs = x.argv.length - 1 - i;
    const opt = x.argv[i];
    if (isOpt(opt, 'entriesadded') && moreargs) {
      const v = parseLongLong(x, x.argv[i + 1]!);
      if (v < 0n) fail('ERR entries_added must be positive');
      entriesAdded = Number(v);
      i += 2;
    } else if (isOpt(opt, 'maxdeletedid') && moreargs) {
      maxXdel = strictId(x.argv[i + 1]!);
      if (id < maxXdel) fail('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      i += 2;
    } else fail(ERR.syntax);
  }
  const v = lookupKey(x, x.argv[1]!);
  if (v === undefined) fail(ERR.noKey);
  const s = lookupStream(x, x.argv[1]!)!;
  // No check against the stream's current max deleted ID (observed on 7.0.15: XSETID 0-0 of an
  // emptied stream, and MAXDELETEDID below the current one, are accepted).
  if (s.length > 0) {
    if (id < s.edgeId(false)) fail('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      fail('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxXdel !== STREAM_ID_ZERO) s.maxDeletedId = maxXdel;
  return OK;
}

/** Stream entry commands by lowercase name, with Redis's arity. */
export const STREAM_COMMANDS: CommandTable = {
  xadd: { arity: -5, fn: xadd },
  xdel: { arity: -3, fn: xdel },
  xtrim: { arity: -4, fn: xtrim },
  xsetid: { arity: -3, fn: xsetid },
};
