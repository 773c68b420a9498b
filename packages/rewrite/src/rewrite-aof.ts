// An AOF (RESP command log) for a dataset, as BGREWRITEAOF writes it without an RDB preamble.
// Source of truth: redis/src/aof.c rewriteAppendOnlyFileRio (FORMAT.md 11.2).

import { encodeCommand } from '@redis-forensics/resp';

import { AofRewriter } from './rewrite-commands.js';

import type { RdbKeyEvent } from '@redis-forensics/rdb';
import type { RewriteArg, RewriteOptions } from './rewrite-commands.js';

/** What {@link rewriteAof} consumes: the reader's key and function events (others are ignored). */
export type RewriteInputEvent = RdbKeyEvent | { type: 'function'; code: Uint8Array } | { type: string };

/** Options of {@link rewriteAof}. */
export interface RewriteAofOptions extends RewriteOptions {
  /** Start with `#TS:<seconds>` as a rewrite with aof-timestamp-enabled does. Defaults to none. */
  timestamp?: number | undefined;
}

/** Counts of what {@link rewriteAof} wrote. */
export interface RewriteStats {
  commands: number;
  bytes: number;
}

const enc = new TextEncoder();

function toBytes(a: RewriteArg): Uint8Array {
  return typeof a === 'string' ? enc.encode(a) : a;
}

/**
 * The RESP commands that recreate the dataset of `events` (key events in parts welcome; function
 * events first, as in an RDB), as BGREWRITEAOF writes them: FUNCTION LOAD, then per db SELECT and
 * each key's commands. Yields chunks of about 64 KiB.
 * @param stats filled in as the output is produced
 * @see redis/src/aof.c rewriteAppendOnlyFileRio
 */
export async function* rewriteAof(
  events: AsyncIterable<RewriteInputEvent> | Iterable<RewriteInputEvent>,
  options: RewriteAofOptions = {},
  stats: RewriteStats = { commands: 0, bytes: 0 },
): AsyncGenerator<Uint8Array, void, undefined> {
  const rewriter = new AofRewriter(options);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const push = (b: Uint8Array): void => {
    pending.push(b);
    pendingBytes += b.length;
    stats.bytes += b.length;
  };
  const take = (): Uint8Array => {
    const out = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
  if (options.timestamp !== undefined) push(enc.encode(`#TS:${options.timestamp}\r\n`));
  for await (const ev of events) {
    let commands: RewriteArg[][] | undefined;
    if (ev.type === 'function') commands = rewriter.functionLoad((ev as { code: Uint8Array }).code);
    else if (ev.type === 'key') commands = rewriter.key(ev as RdbKeyEvent);
    if (commands === undefined) continue;
    for (const c of commands) {
      push(encodeCommand(c.map(toBytes)));
      stats.commands++;
    }
    if (pendingBytes >= 64 * 1024) yield take();
  }
  if (pendingBytes > 0) yield take();
}
