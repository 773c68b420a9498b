// The commands that recreate a dataset, key by key, as Redis's AOF rewrite writes them.
// Source of truth: redis/src/aof.c rewriteAppendOnlyFileRio, rewriteListObject, rewriteSetObject,
// rewriteSortedSetObject, rewriteHashObject, rewriteStreamObject, rioWriteBulkStreamID;
// FORMAT.md 11.2.

import { escapeBytes } from '@redis-forensics/core';
import { d2string, formatStreamId, fpconvDtoa } from '@redis-forensics/rdb';

import type { DoubleStyle, RdbKeyEvent, StreamGroup, StreamMeta, StreamPendingEntry } from '@redis-forensics/rdb';

/** Items (elements, members, pairs) per command. @see redis/src/server.h AOF_REWRITE_ITEMS_PER_CMD */
export const AOF_REWRITE_ITEMS_PER_CMD = 64;

/** One argument: bytes, or text sent as UTF-8. */
export type RewriteArg = Uint8Array | string;

/** Which Redis the commands are for. */
export interface RewriteOptions {
  /**
   * Redis generation whose rewrite to reproduce: 7 writes `XSETID ... ENTRIESADDED ...
   * MAXDELETEDID`, `XGROUP CREATE ... ENTRIESREAD` and (6.2+) `XGROUP CREATECONSUMER`; 5 and 6
   * the older forms. Defaults to 7.
   */
  redisMajor?: number;
  /** Score text: 'fpconv' (Redis 7.2+) or 'g17' (%.17g, Redis <= 7.0). Defaults to 'fpconv'. */
  scoreStyle?: DoubleStyle;
  /** Called for what commands cannot recreate (module values, PEL entries owned by no consumer). */
  onWarning?: (message: string) => void;
}

/**
 * Turns key events (the reader's, or a keyspace's, including values in parts) into the commands
 * BGREWRITEAOF would write for them: SELECT when the db changes, RPUSH/SADD/ZADD/HMSET in
 * batches of at most 64 items (batches run across parts), SET, streams via XADD + XSETID +
 * XGROUP CREATE + XCLAIM + XGROUP CREATECONSUMER, hash field TTLs via HPEXPIREAT, key TTLs via
 * PEXPIREAT after the value. Module values cannot be recreated from their payload: skipped with
 * a warning, as `aof_rewrite` callbacks are module code.
 */
export class AofRewriter {
  private readonly redisMajor: number;
  private readonly scoreStyle: DoubleStyle;
  private readonly warn: (message: string) => void;
  private db = -1;
  private batchName = '';
  private batch: RewriteArg[] = [];
  private batchItems = 0;
  private streamEntries = 0;
  private skipping = false;
  /** Members of the current zset scored -0, held back to be added last (see key()). */
  private negativeZeros: { member: Uint8Array; score: number }[] = [];

  constructor(options: RewriteOptions = {}) {
    this.redisMajor = options.redisMajor ?? 7;
    this.scoreStyle = options.scoreStyle ?? 'fpconv';
    this.warn = options.onWarning ?? (() => {});
  }

  /** `FUNCTION LOAD <code>` (written before any SELECT, as the rewrite does). */
  functionLoad(code: Uint8Array): RewriteArg[][] {
    return [['FUNCTION', 'LOAD', code]];
  }

  /**
   * The commands for one key event (a whole key, or one part of it).
   * @returns the commands, in order (possibly none until a batch fills)
   */
  key(ev: RdbKeyEvent): RewriteArg[][] {
    const out: RewriteArg[][] = [];
    const first = ev.part === undefined || ev.part.index === 0;
    const last = ev.part === undefined || ev.part.last;
    const v = ev.value;
    if (first) {
      this.skipping = v.kind === 'module';
      if (this.skipping) {
        if (v.kind === 'module') this.warn(`module value of type ${v.module.moduleName} cannot be recreated with commands: key skipped`);
        return out;
      }
      if (ev.db !== this.db) {
        out.push(['SELECT', String(ev.db)]);
        this.db = ev.db;
      }
      this.batch = [];
      this.batchItems = 0;
      this.streamEntries = 0;
      this.negativeZeros = [];
    }
    if (this.skipping) return out;
    const key = ev.key;
    switch (v.kind) {
      case 'string':
        out.push(['SET', key, v.value]);
        break;
      case 'list':
        for (const e of v.elements) this.item(out, 'RPUSH', key, e);
        break;
      case 'set':
        for (const m of v.members) this.item(out, 'SADD', key, m);
        break;
      case 'zset':
        // A -0 score survives ZADD only into a skiplist-encoded zset (a listpack stores it as 0):
        // added last, it lands in a zset already converted if the zset is large at all. Redis's
        // own rewrite adds members in score order and loses it (same commands, same bytes).
        for (const e of v.entries) {
          if (Object.is(e.score, -0)) this.negativeZeros.push({ member: e.member.slice(), score: e.score });
          else this.item(out, 'ZADD', key, this.scoreText(e.score), e.member);
        }
        break;
      case 'hash':
        for (const e of v.entries) {
          if (e.expireAt === null) this.item(out, 'HMSET', key, e.field, e.value);
          else {
            // A field with a TTL: its own HMSET, then HPEXPIREAT (rewriteHashObject, 7.4+).
            out.push(['HMSET', key, e.field, e.value]);
            out.push(['HPEXPIREAT', key, String(e.expireAt), 'FIELDS', '1', e.field]);
          }
        }
        break;
      case 'stream':
        for (const e of v.entries) out.push(['XADD', key, formatStreamId(e.id), ...e.fields]);
        this.streamEntries += v.entries.length;
        break;
      default:
        break;
    }
    if (!last) return out;
    for (const e of this.negativeZeros.splice(0)) this.item(out, 'ZADD', key, this.scoreText(e.score), e.member);
    this.flush(out, key);
    if (v.kind === 'stream') this.streamTail(out, ev, v.meta);
    if (ev.expireAt !== null) out.push(['PEXPIREAT', key, String(ev.expireAt)]);
    return out;
  }

  /**
   * A score as rioWriteBulkDouble writes it: fpconv_dtoa in 7.2+ (`1e+8`: no integer shortcut,
   * unlike listpack storage), `%.17g` before.
   */
  private scoreText(score: number): string {
    return this.scoreStyle === 'fpconv' ? fpconvDtoa(score) : d2string(score, 'g17');
  }

  private item(out: RewriteArg[][], name: string, key: Uint8Array, ...args: RewriteArg[]): void {
    if (this.batchName !== name) {
      this.flush(out, key);
      this.batchName = name;
    }
    for (const a of args) this.batch.push(a);
    this.batchItems++;
    if (this.batchItems === AOF_REWRITE_ITEMS_PER_CMD) this.flush(out, key);
  }

  private flush(out: RewriteArg[][], key: Uint8Array): void {
    if (this.batchItems > 0) out.push([this.batchName, key, ...this.batch]);
    this.batch = [];
    this.batchItems = 0;
  }

  /** After the entries: an empty stream is created by XADD MAXLEN 0; then XSETID and the groups. */
  private streamTail(out: RewriteArg[][], ev: RdbKeyEvent, meta: StreamMeta | null): void {
    const key = ev.key;
    if (this.streamEntries === 0) out.push(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
    if (meta === null) {
      this.warn('stream without metadata: XSETID and consumer groups skipped');
      return;
    }
    if (this.redisMajor >= 7) {
      out.push(['XSETID', key, formatStreamId(meta.lastId), 'ENTRIESADDED', String(meta.entriesAdded), 'MAXDELETEDID', formatStreamId(meta.maxDeletedId)]);
    } else {
      out.push(['XSETID', key, formatStreamId(meta.lastId)]);
    }
    for (const group of meta.groups) this.streamGroup(out, key, group);
  }

  private streamGroup(out: RewriteArg[][], key: Uint8Array, group: StreamGroup): void {
    const create: RewriteArg[] = ['XGROUP', 'CREATE', key, group.name, formatStreamId(group.lastId)];
    if (this.redisMajor >= 7) create.push('ENTRIESREAD', String(group.entriesRead ?? -1));
    out.push(create);
    const pel = new Map<string, StreamPendingEntry>();
    for (const p of group.pending) pel.set(formatStreamId(p.id), p);
    for (const consumer of group.consumers) {
      if (consumer.pending.length === 0) {
        // Consumers without pending entries: Redis 6.2+ recreates them; older rewrites lost them.
        if (this.redisMajor >= 7 || this.redisMajor === 6) out.push(['XGROUP', 'CREATECONSUMER', key, group.name, consumer.name]);
        continue;
      }
      for (const id of consumer.pending) {
        const text = formatStreamId(id);
        const p = pel.get(text);
        pel.delete(text);
        out.push(['XCLAIM', key, group.name, consumer.name, '0', text, 'TIME', String(p?.deliveryTime ?? 0), 'RETRYCOUNT', String(p?.deliveryCount ?? 1), 'JUSTID', 'FORCE']);
      }
    }
    if (pel.size > 0) this.warn(`group ${escapeBytes(group.name, 100)}: ${pel.size} pending entries owned by no consumer cannot be recreated (the rewrite drops them too)`);
  }
}
