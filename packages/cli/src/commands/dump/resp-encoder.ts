// `rfx dump --format resp`: the commands that recreate each key, as RESP multibulk, for
// `redis-cli --pipe`. Mirrors redis/src/aof.c rewriteAppendOnlyFileRio (rewriteListObject,
// rewriteSetObject, rewriteSortedSetObject, rewriteHashObject, rewriteStreamObject): at most
// AOF_REWRITE_ITEMS_PER_CMD items per command, PEXPIREAT after the value. HSET replaces the
// rewrite's HMSET (same effect, not deprecated). Keys in parts are batched across parts.

import { Buffer } from 'node:buffer';

import { escapeBytes } from '@redis-forensics/core';
import { formatStreamId, fpconvDtoa } from '@redis-forensics/rdb';


import type { RdbKeyEvent, StreamGroup, StreamMeta, StreamPendingEntry } from '@redis-forensics/rdb';
import type { OutputSink } from '../../output-sink.js';

/** Items (elements, members, pairs) per command, as redis/src/server.h AOF_REWRITE_ITEMS_PER_CMD. */
export const AOF_REWRITE_ITEMS_PER_CMD = 64;

type Arg = Uint8Array | string;

/** Writes key events as RESP commands to an {@link OutputSink}. */
export class RespEncoder {
  private readonly sink: OutputSink;
  private readonly warn: (message: string) => void;
  private db = -1;
  /** Pending items of the current key's batch command, flattened (pairs count as 2 args). */
  private batch: Arg[] = [];
  private batchItems = 0;
  /** Stream entries written for the current key (0 means: create it empty). */
  private streamEntries = 0;

  /**
   * @param sink where the commands go
   * @param warn called for what cannot be recreated (module values, orphan PEL entries)
   */
  constructor(sink: OutputSink, warn: (message: string) => void) {
    this.sink = sink;
    this.warn = warn;
  }

  /**
   * Write one RESP multibulk command.
   * @param args the command name and its arguments; strings are sent as UTF-8
   */
  command(args: readonly Arg[]): void {
    const sink = this.sink;
    sink.text(`*${args.length}\r\n`);
    for (const a of args) {
      if (typeof a === 'string') sink.text(`$${Buffer.byteLength(a, 'utf8')}\r\n${a}\r\n`);
      else {
        sink.text(`$${a.length}\r\n`);
        sink.bytes(a);
        sink.text('\r\n');
      }
    }
  }

  /**
   * `FUNCTION LOAD <code>` for a function library (written before any SELECT, as the rewrite does).
   * @param code the library source
   */
  functionLoad(code: Uint8Array): void {
    this.command(['FUNCTION', 'LOAD', code]);
  }

  /**
   * Write the commands for one key event: SELECT when the database changes, the value's commands
   * (batched across parts), and with the last part the stream metadata and PEXPIREAT.
   * Module values cannot be recreated from their RDB payload: they are skipped with a warning.
   * @param ev a key event (one part of a key, or a whole key)
   * @param first this is the key's first (or only) event
   * @param last this is the key's last (or only) event
   * @returns false when the key was skipped
   */
  key(ev: RdbKeyEvent, first: boolean, last: boolean): boolean {
    const v = ev.value;
    if (v.kind === 'module') {
      this.warn(
        `skipping module key ${escapeBytes(ev.key, 100)} in db ${ev.db} (module type ${v.module.moduleName}): module values cannot be recreated with commands`,
      );
      return false;
    }
    if (first) {
      if (ev.db !== this.db) {
        this.command(['SELECT', String(ev.db)]);
        this.db = ev.db;
      }
      this.batch = [];
      this.batchItems = 0;
      this.streamEntries = 0;
    }
    const key = ev.key;
    switch (v.kind) {
      case 'string':
        this.command(['SET', key, v.value]);
        break;
      case 'list':
        for (const e of v.elements) this.item('RPUSH', key, e);
        break;
      case 'set':
        for (const m of v.members) this.item('SADD', key, m);
        break;
      case 'zset':
        for (const e of v.entries) this.item('ZADD', key, fpconvDtoa(e.score), e.member);
        break;
      case 'hash':
        for (const e of v.entries) {
          if (e.expireAt === null) this.item('HSET', key, e.field, e.value);
          else {
            this.command(['HSET', key, e.field, e.value]);
            this.command(['HPEXPIREAT', key, String(e.expireAt), 'FIELDS', '1', e.field]);
          }
        }
        break;
      case 'stream':
        for (const e of v.entries) this.command(['XADD', key, formatStreamId(e.id), ...e.fields]);
        this.streamEntries += v.entries.length;
        break;
    }
    if (!last) return true;
    if (v.kind === 'list') this.flushBatch('RPUSH', key);
    else if (v.kind === 'set') this.flushBatch('SADD', key);
    else if (v.kind === 'zset') this.flushBatch('ZADD', key);
    else if (v.kind === 'hash') this.flushBatch('HSET', key);
    else if (v.kind === 'stream') this.streamTail(ev, v.meta);
    if (ev.expireAt !== null) this.command(['PEXPIREAT', key, String(ev.expireAt)]);
    return true;
  }

  /** Add one item (one arg, or a pair) to the batch, writing the command when it is full. */
  private item(name: string, key: Uint8Array, ...args: Arg[]): void {
    for (const a of args) this.batch.push(a);
    this.batchItems++;
    if (this.batchItems === AOF_REWRITE_ITEMS_PER_CMD) this.flushBatch(name, key);
  }

  private flushBatch(name: string, key: Uint8Array): void {
    if (this.batchItems === 0) return;
    this.command([name, key, ...this.batch]);
    this.batch = [];
    this.batchItems = 0;
  }

  /** After the entries: create an empty stream if needed, XSETID, groups, consumers and PELs. */
  private streamTail(ev: RdbKeyEvent, meta: StreamMeta | null): void {
    const key = ev.key;
    // An empty stream is created by adding an entry and trimming it away at once (the rewrite's
    // "XADD MAXLEN 0" trick); XSETID then restores the real last ID.
    if (this.streamEntries === 0) this.command(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
    if (meta === null) {
      this.warn(`stream ${escapeBytes(key, 100)} in db ${ev.db} has no metadata: XSETID and groups skipped`);
      return;
    }
    this.command([
      'XSETID', key, formatStreamId(meta.lastId),
      'ENTRIESADDED', String(meta.entriesAdded),
      'MAXDELETEDID', formatStreamId(meta.maxDeletedId),
    ]);
    for (const group of meta.groups) this.streamGroup(ev, group);
  }

  private streamGroup(ev: RdbKeyEvent, group: StreamGroup): void {
    const key = ev.key;
    this.command([
      'XGROUP', 'CREATE', key, group.name, formatStreamId(group.lastId),
      'ENTRIESREAD', String(group.entriesRead ?? -1),
    ]);
    const pel = new Map<string, StreamPendingEntry>();
    for (const p of group.pending) pel.set(formatStreamId(p.id), p);
    for (const consumer of group.consumers) {
      if (consumer.pending.length === 0) {
        this.command(['XGROUP', 'CREATECONSUMER', key, group.name, consumer.name]);
        continue;
      }
      for (const id of consumer.pending) {
        const text = formatStreamId(id);
        const p = pel.get(text);
        pel.delete(text);
        this.command([
          'XCLAIM', key, group.name, consumer.name, '0', text,
          'TIME', String(p?.deliveryTime ?? 0),
          'RETRYCOUNT', String(p?.deliveryCount ?? 1),
          'JUSTID', 'FORCE',
        ]);
      }
    }
    if (pel.size > 0) {
      this.warn(
        `stream ${escapeBytes(key, 100)} group ${escapeBytes(group.name, 100)}: ${pel.size} pending entries owned by no consumer cannot be recreated`,
      );
    }
  }
}
