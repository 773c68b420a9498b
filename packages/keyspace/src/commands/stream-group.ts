// Consumer group commands: XGROUP, XACK, XCLAIM, XAUTOCLAIM and the effects of XREADGROUP (new
// deliveries with entries-read bookkeeping, history re-deliveries, consumer creation).
// Source of truth: redis/src/t_stream.c (7.0; 7.2+ differences noted where they change state).

import { ERR, fail, isOpt, parseLongLong, parseRangeLong, parseTimeout } from '../exec-context.js';
import { string2ll } from '../number-text.js';
import { OK } from '../reply.js';
import { parseStreamId, STREAM_ID_MAX, STREAM_ID_ZERO, streamIdText, streamIncrId } from '../stream-id.js';
import { SCG_INVALID_ENTRIES_READ } from '../stream-value.js';
import { INVALID_ID, lookupStream, newStream, strictId } from './stream.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { StreamConsumerState, StreamGroupState, StreamNack, StreamValue } from '../stream-value.js';

/** streamCreateConsumer: null when it exists. */
function createConsumer(x: Exec, g: StreamGroupState, name: string): StreamConsumerState | null {
  if (g.consumers.has(name)) return null;
  const c: StreamConsumerState = { seenTime: x.now, activeTime: -1, pel: new Set() };
  g.consumers.set(name, c);
  return c;
}

/** streamLookupConsumer (refreshing seen-time) or streamCreateConsumer. */
function consumerFor(x: Exec, g: StreamGroupState, name: string): StreamConsumerState {
  const c = g.consumers.get(name);
  if (c !== undefined) {
    c.seenTime = x.now;
    return c;
  }
  return createConsumer(x, g, name)!;
}

function entriesReadArg(x: Exec, text: string): number {
  const v = parseLongLong(x, text);
  if (v < 0n && v !== -1n) fail('ERR value for ENTRIESREAD must be positive or -1');
  return Number(v);
}

/** @see redis/src/t_stream.c xgroupCommand */
function xgroup(x: Exec): Reply {
  const sub = x.argv[1]!.toLowerCase();
  const argc = x.argv.length;
  const key = x.argv[2]!;
  let mkstream = false;
  let entriesRead = SCG_INVALID_ENTRIES_READ;
  if (sub === 'create') {
    for (let i = 5; i < argc; ) {
      if (isOpt(x.argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if (isOpt(x.argv[i], 'entriesread') && i + 1 < argc) {
        entriesRead = entriesReadArg(x, x.argv[i + 1]!);
        i += 2;
      } else fail(`ERR unknown subcommand or wrong number of arguments for '${x.argv[1]}'. Try XGROUP HELP.`);
    }
  }
  let s = lookupStream(x, key);
  const grpname = x.argv[3]!;
  if (s === undefined && !(sub === 'create' && mkstream)) {
    fail('ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
  }
  const cg = s?.group(grpname);
  if (cg === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
    fail(`NOGROUP No such consumer group '${grpname}' for key name '${key}'`);
  }
  const syntax = `ERR unknown subcommand or wrong number of arguments for '${x.argv[1]}'. Try XGROUP HELP.`;
  if (sub === 'create' && argc >= 5 && argc <= 8) {
    const id = x.argv[4] === '$' ? (s?.lastId ?? STREAM_ID_ZERO) : strictId(x.argv[4]!);
    if (s === undefined) {
      s = newStream(x);
      x.db.dict.set(key, s);
    }
    s.groups ??= new Map();
    if (s.groups.has(grpname)) fail('BUSYGROUP Consumer Group name already exists');
    s.groups.set(grpname, { lastId: id, entriesRead, pel: new Map(), consumers: new Map() });
    return OK;
  }
  if (sub === 'setid' && (argc === 5 || argc === 7)) {
    let id: string;
    if (x.argv[4] === '$') id = s!.lastId;
    else {
      const p = parseStreamId(x.argv[4]!, 0n, false);
      if (p === null) fail(INVALID_ID);
      id = p.id;
    }
    if (argc === 7) {
      if (!isOpt(x.argv[5], 'entriesread') || string2ll(x.argv[6]!) === null) fail(ERR.syntax);
      entriesRead = entriesReadArg(x, x.argv[6]!);
    }
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    return OK;
  }
  if (sub === 'destroy' && argc === 4) {
    if (cg === undefined) return 0;
    s!.groups!.delete(grpname);
    return 1;
  }
  if (sub === 'createconsumer' && argc === 5) return createConsumer(x, cg!, x.argv[4]!) === null ? 0 : 1;
  if (sub === 'delconsumer' && argc === 5) {
    const c = cg!.consumers.get(x.argv[4]!);
    if (c === undefined) return 0;
    for (const id of c.pel) cg!.pel.delete(id);
    cg!.consumers.delete(x.argv[4]!);
    return c.pel.size;
  }
  fail(syntax);
}

/** @see redis/src/t_stream.c xackCommand */
function xack(x: Exec): Reply {
  const s = lookupStream(x, x.argv[1]!);
  const g = s?.group(x.argv[2]!);
  if (g === undefined) return 0;
  const ids = x.argv.slice(3).map(strictId);
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.get(id);
    if (nack === undefined) continue;
    g.pel.delete(id);
    if (nack.consumer !== null) g.consumers.get(nack.consumer)?.pel.delete(id);
    acked++;
  }
  return acked;
}

/** Remove a NACK from the group and its owner. */
function dropNack(g: StreamGroupState, id: string, nack: StreamNack): void {
  g.pel.delete(id);
  if (nack.consumer !== null) g.consumers.get(nack.consumer)?.pel.delete(id);
}

/** Move a NACK to a consumer. */
function assignNack(g: StreamGroupState, id: string, nack: StreamNack, name: string, consumer: StreamConsumerState): void {
  if (nack.consumer !== name) {
    if (nack.consumer !== null) g.consumers.get(nack.consumer)?.pel.delete(id);
    consumer.pel.add(id);
    nack.consumer = name;
  }
}

/** Reply entry [id, [f, v, ...]] or null. */
function entryReply(s: StreamValue, id: string): Reply {
  const fields = s.get(id);
  return fields === null ? null : [streamIdText(id), fields];
}

/** @see redis/src/t_stream.c xclaimCommand */
function xclaim(x: Exec): Reply {
  const key = x.argv[1]!;
  const s = lookupStream(x, key);
  const g = s?.group(x.argv[2]!);
  if (s === undefined || g === undefined) fail(`NOGROUP No such key '${key}' or consumer group '${x.argv[2]}'`);
  let minidle = Number(parseLongLong(x, x.argv[4]!, 'ERR Invalid min-idle-time argument for XCLAIM'));
  if (minidle < 0) minidle = 0;
  let j = 5;
  const ids: string[] = [];
  for (; j < x.argv.length; j++) {
    const p = parseStreamId(x.argv[j]!, 0n, true);
    if (p === null) break;
    ids.push(p.id);
  }
  const now = x.now;
  let retrycount = -1;
  let deliverytime = -1;
  let force = false;
  let justid = false;
  let lastId = STREAM_ID_ZERO;
  for (; j < x.argv.length; j++) {
    const moreargs = x.argv.length - 1 - j;
    const opt = x.argv[j]!;
    if (isOpt(opt, 'force')) force = true;
    else if (isOpt(opt, 'justid')) justid = true;
    else if (isOpt(opt, 'idle') && moreargs) {
      deliverytime = now - Number(parseLongLong(x, x.argv[++j]!, 'ERR Invalid IDLE option argument for XCLAIM'));
    } else if (isOpt(opt, 'time') && moreargs) {
      deliverytime = Number(parseLongLong(x, x.argv[++j]!, 'ERR Invalid TIME option argument for XCLAIM'));
    } else if (isOpt(opt, 'retrycount') && moreargs) {
      retrycount = Number(parseLongLong(x, x.argv[++j]!, 'ERR Invalid RETRYCOUNT option argument for XCLAIM'));
    } else if (isOpt(opt, 'lastid') && moreargs) {
      lastId = strictId(x.argv[++j]!);
    } else fail(`ERR Unrecognized XCLAIM option '${opt}'`);
  }
  if (lastId > g.lastId) g.lastId = lastId;
  if (deliverytime !== -1) {
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else deliverytime = now;
  const name = x.argv[3]!;
  let consumer: StreamConsumerState | null = null;
  const replies: Reply[] = [];
  for (const id of ids) {
    let nack = g.pel.get(id);
    if (!s.has(id)) {
      if (nack !== undefined) dropNack(g, id, nack);
      continue;
    }
    if (force && nack === undefined) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer: null };
      g.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minidle && now - nack.deliveryTime < minidle) continue;
    consumer ??= consumerFor(x, g, name);
    assignNack(g, id, nack, name, consumer);
    nack.deliveryTime = deliverytime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    if (x.version >= 702) consumer.activeTime = now;
    replies.push(justid ? streamIdText(id) : entryReply(s, id));
  }
  return replies;
}

/** @see redis/src/t_stream.c xautoclaimCommand */
function xautoclaim(x: Exec): Reply {
  const key = x.argv[1]!;
  let minidle = Number(parseLongLong(x, x.argv[4]!, 'ERR Invalid min-idle-time argument for XAUTOCLAIM'));
  if (minidle < 0) minidle = 0;
  const startText = x.argv[5]!;
  const exclusive = startText.startsWith('(');
  const p = parseStreamId(exclusive ? startText.slice(1) : startText, 0n, false);
  if (p === null) fail(INVALID_ID);
  let start = p.id;
  if (exclusive) {
    const next = streamIncrId(start);
    if (next === null) fail('ERR invalid start ID for the interval');
    start = next;
  }
  let count = 100;
  let justid = false;
  for (let j = 6; j < x.argv.length; j++) {
    const moreargs = x.argv.length - 1 - j;
    if (isOpt(x.argv[j], 'count') && moreargs) {
      count = parseRangeLong(x, x.argv[++j]!, 1, Math.floor(Number.MAX_SAFE_INTEGER / 16), 'COUNT must be > 0');
    } else if (isOpt(x.argv[j], 'justid')) justid = true;
    else fail(ERR.syntax);
  }
  const s = lookupStream(x, key);
  const g = s?.group(x.argv[2]!);
  if (s === undefined || g === undefined) fail(`NOGROUP No such key '${key}' or consumer group '${x.argv[2]}'`);
  let attempts = count * 10;
  const now = x.now;
  const name = x.argv[3]!;
  let consumer: StreamConsumerState | null = null;
  const claimed: Reply[] = [];
  const deleted: Reply[] = [];
  const pending = [...g.pel.keys()].filter((id) => id >= start).sort();
  let i = 0;
  for (; attempts-- && count && i < pending.length; i++) {
    const id = pending[i]!;
    const nack = g.pel.get(id)!;
    if (!s.has(id)) {
      dropNack(g, id, nack);
      deleted.push(streamIdText(id));
      count--;
      continue;
    }
    if (minidle && now - nack.deliveryTime < minidle) continue;
    consumer ??= consumerFor(x, g, name);
    assignNack(g, id, nack, name, consumer);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    if (x.version >= 702) consumer.activeTime = now;
    claimed.push(justid ? streamIdText(id) : entryReply(s, id));
    count--;
  }
  const cursor = i < pending.length ? pending[i]! : STREAM_ID_ZERO;
  return [streamIdText(cursor), claimed, deleted];
}

/**
 * XREADGROUP's effects (never blocks): `>` delivers entries after the group's last ID (moving it,
 * updating entries-read and the PEL unless NOACK); another ID re-delivers the consumer's history.
 * @see redis/src/t_stream.c xreadCommand, streamReplyWithRange, streamReplyWithRangeFromConsumerPEL
 */
function xreadgroup(x: Exec): Reply {
  const argv = x.argv;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupname: string | null = null;
  let consumername = '';
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1;
    const o = argv[i];
    if (isOpt(o, 'block') && moreargs) {
      i++;
      parseTimeout(x, argv[i]!);
    } else if (isOpt(o, 'count') && moreargs) {
      i++;
      count = Math.max(0, Number(parseLongLong(x, argv[i]!)));
    } else if (isOpt(o, 'streams') && moreargs) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0) {
        fail("ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.");
      }
      streamsCount /= 2;
      break;
    } else if (isOpt(o, 'group') && moreargs >= 2) {
      groupname = argv[i + 1]!;
      consumername = argv[i + 2]!;
      i += 2;
    } else if (isOpt(o, 'noack')) noack = true;
    else fail(ERR.syntax);
  }
  if (streamsArg === 0) fail(ERR.syntax);
  if (groupname === null) fail('ERR Missing GROUP option for XREADGROUP');
  const ids: (string | null)[] = [];
  const groups: StreamGroupState[] = [];
  for (let i = streamsArg + streamsCount; i < argv.length; i++) {
    const key = argv[i - streamsCount]!;
    const s = lookupStream(x, key);
    const g = s?.group(groupname);
    if (g === undefined) fail(`NOGROUP No such key '${key}' or consumer group '${groupname}' in XREADGROUP with GROUP option`);
    groups.push(g);
    if (argv[i] === '$') fail('ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.');
    if (argv[i] === '>') ids.push(null);
    else ids.push(strictId(argv[i]!));
  }
  const replies: Reply[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i]!;
    const s = lookupStream(x, key);
    if (s === undefined) continue;
    const g = groups[i]!;
    const id = ids[i]!;
    const serve = id !== null || (s.length > 0 && s.edgeId(false) > g.lastId);
    // 7.2+ looks the consumer up (creating it) for every stream; 7.0 only when serving it.
    if (!serve && x.version < 702) continue;
    const consumer = consumerFor(x, g, consumername);
    if (id !== null) {
      // History: the consumer's own PEL from id + 1.
      const start = streamIncrId(id) ?? STREAM_ID_MAX;
      const out: Reply[] = [];
      for (const pid of [...consumer.pel].filter((p) => p >= start).sort()) {
        if (count && out.length >= count) break;
        const fields = s.get(pid);
        if (fields === null) out.push([streamIdText(pid), null]);
        else {
          const nack = g.pel.get(pid)!;
          nack.deliveryTime = x.now;
          nack.deliveryCount++;
          out.push([streamIdText(pid), fields]);
        }
      }
      replies.push([key, out]);
      continue;
    }
    if (!serve) continue;
    const out: Reply[] = [];
    for (const [eid, fields] of s.entries(streamIncrId(g.lastId) ?? STREAM_ID_MAX)) {
      if (eid > g.lastId) {
        if (g.entriesRead !== SCG_INVALID_ENTRIES_READ && !rangeHasTombstones(s, eid)) g.entriesRead++;
        else if (s.entriesAdded) g.entriesRead = estimateDistanceFromFirstEverEntry(s, eid);
        g.lastId = eid;
      }
      out.push([streamIdText(eid), fields]);
      if (!noack) {
        const nack = g.pel.get(eid);
        if (nack === undefined) {
          g.pel.set(eid, { deliveryTime: x.now, deliveryCount: 1, consumer: consumername });
          consumer.pel.add(eid);
        } else {
          if (nack.consumer !== null) g.consumers.get(nack.consumer)?.pel.delete(eid);
          nack.consumer = consumername;
          nack.deliveryTime = x.now;
          nack.deliveryCount = 1;
          consumer.pel.add(eid);
        }
        if (x.version >= 702) consumer.activeTime = x.now;
      }
      if (count && out.length === count) break;
    }
    replies.push([key, out]);
  }
  return replies.length === 0 ? null : replies;
}

/** @see redis/src/t_stream.c streamRangeHasTombstones (end = +inf) */
export function rangeHasTombstones(s: StreamValue, start: string): boolean {
  if (s.length === 0 || s.maxDeletedId === STREAM_ID_ZERO) return false;
  if (s.firstId > s.maxDeletedId) return false;
  return start <= s.maxDeletedId;
}

/** @see redis/src/t_stream.c streamEstimateDistanceFromFirstEverEntry */
export function estimateDistanceFromFirstEverEntry(s: StreamValue, id: string): number {
  if (!s.entriesAdded) return 0;
  if (s.length === 0 && id <= s.lastId) return s.entriesAdded;
  if (id === s.lastId) return s.entriesAdded;
  if (id > s.lastId) return SCG_INVALID_ENTRIES_READ;
  if (s.maxDeletedId === STREAM_ID_ZERO || s.maxDeletedId < s.firstId) {
    if (id < s.firstId) return s.entriesAdded - s.length;
    if (id === s.firstId) return s.entriesAdded - s.length + 1;
  }
  return SCG_INVALID_ENTRIES_READ;
}

/** Consumer group commands by lowercase name, with Redis's arity. */
export const STREAM_GROUP_COMMANDS: CommandTable = {
  xgroup: { arity: -2, fn: xgroup },
  xack: { arity: -4, fn: xack },
  xclaim: { arity: -6, fn: xclaim },
  xautoclaim: { arity: -6, fn: xautoclaim },
  xreadgroup: { arity: -7, fn: xreadgroup },
};
