// replayAof: rebuild the dataset an AOF describes, as Redis's loader does: the RDB part (preamble
// or base) with already-expired keys kept, then every command through a fake client that starts in
// db 0 at each file, MULTI blocks applied at EXEC, an unfinished MULTI at the end of a file dropped.
// Source of truth: redis/src/aof.c loadAppendOnlyFiles, loadSingleAppendOnlyFile.

import { applyCommand, UnsupportedCommandError } from './apply-command.js';
import { bytesToLatin1 } from './byte-string.js';
import { Keyspace } from './keyspace.js';
import { loadRdbEvent } from './load-rdb.js';

import type { RdbEvent } from '@redis-forensics/rdb';
import type { CommandContext } from './apply-command.js';
import type { LoadRdbResult } from './load-rdb.js';

/**
 * The AOF reader events replayAof consumes: structurally those of `@redis-forensics/aof`'s readAof
 * and openAof (keyspace does not depend on the aof package; pass its events as they are).
 */
export type AofReplayEvent =
  | { readonly type: 'file'; readonly file: string }
  | { readonly type: 'rdb'; readonly file: string; readonly event: RdbEvent }
  | { readonly type: 'command'; readonly file: string; readonly index: number; readonly offset: number; readonly argv: readonly Uint8Array[] }
  | { readonly type: 'annotation'; readonly file: string; readonly offset: number; readonly timestamp: number | null }
  | { readonly type: 'fileEnd' | 'skipped'; readonly file: string };

/** Where to stop replaying (the first condition reached wins). */
export interface ReplayUntil {
  /** Stop before the command with this 0-based index. */
  index?: number;
  /** Stop before the first command at or after this byte offset (of `file` when given). */
  offset?: number;
  /** With `offset`: the file name (as the events name it) the offset refers to. */
  file?: string;
  /** Stop at the first `#TS:` annotation later than this Unix time in seconds (redis-check-aof --truncate-to-timestamp). */
  timestamp?: number;
}

/** Options of {@link replayAof}. */
export interface ReplayAofOptions {
  /** Replay into this keyspace. Defaults to a new Keyspace. */
  keyspace?: Keyspace;
  /** Stop early. Defaults to the end of the AOF. */
  until?: ReplayUntil;
  /** Skip (and report) commands the engine cannot replay instead of throwing. Defaults to false. */
  skipUnsupported?: boolean;
  /** Clock in ms for relative times (Redis uses the time of loading). Defaults to Date.now(). */
  now?: number;
  /** Version of the server that wrote the AOF (see {@link CommandContext}). Defaults to latest. */
  serverVersion?: string;
  /**
   * Called with every event, in order, before it is replayed (also with the one `until` stops
   * at); returning false stops the replay before that event.
   */
  onEvent?: (ev: AofReplayEvent) => boolean | void;
}

/** A command Redis would have rejected (it changed nothing). */
export interface ReplayCommandError {
  file: string;
  offset: number;
  index: number;
  command: string;
  error: string;
}

/** A MULTI block dropped because its file (or the replay) ended before EXEC. */
export interface DiscardedTransaction {
  file: string;
  /** Commands queued when it was dropped. */
  commands: number;
}

/** What {@link replayAof} did. */
export interface ReplayAofReport {
  keyspace: Keyspace;
  /** Commands applied (successfully or not), MULTI/EXEC included. */
  commands: number;
  rdb: LoadRdbResult;
  errors: ReplayCommandError[];
  /** Commands skipped with `skipUnsupported`. */
  skipped: UnsupportedCommandError[];
  discardedTransactions: DiscardedTransaction[];
  /** Set when `until` stopped the replay: what was reached. */
  stoppedAt: { file: string; offset: number; index: number | null } | null;
}

function isBatch(item: AofReplayEvent | readonly AofReplayEvent[]): item is readonly AofReplayEvent[] {
  return Array.isArray(item);
}

/**
 * Replay the events of openAof / readAof (`@redis-forensics/aof`) into a keyspace.
 * @param events the events one by one, or in batches (arrays, e.g. openAofBatches: one async hop
 *   per batch instead of per event)
 * @throws {@link UnsupportedCommandError} (unless `skipUnsupported`) at the first EVAL/EVALSHA/FCALL,
 *   module or unknown command, naming the command, file and offset
 */
export async function replayAof(
  events: AsyncIterable<AofReplayEvent | readonly AofReplayEvent[]> | Iterable<AofReplayEvent | readonly AofReplayEvent[]>,
  options: ReplayAofOptions = {},
): Promise<ReplayAofReport> {
  const ks = options.keyspace ?? new Keyspace();
  const report: ReplayAofReport = {
    keyspace: ks,
    commands: 0,
    rdb: { keys: 0, functions: 0, expired: 0 },
    errors: [],
    skipped: [],
    discardedTransactions: [],
    stoppedAt: null,
  };
  const until = options.until ?? {};
  let currentFile = '';
  const dropOpenMulti = (): void => {
    if (ks.multiQueue !== null) {
      report.discardedTransactions.push({ file: currentFile, commands: ks.multiQueue.length });
      ks.multiQueue = null;
      ks.multiDirty = false;
    }
  };
  const now = options.now ?? Date.now();
  // One context object, updated per command: commands read it, errors copy what they need.
  const context: CommandContext = {
    now,
    loading: true,
    file: '',
    offset: 0,
    index: 0,
    ...(options.serverVersion !== undefined ? { serverVersion: options.serverVersion } : {}),
  };
  /** A command failure: skipped and reported with `skipUnsupported`, else thrown. */
  const unsupported = (e: unknown): true => {
    if (e instanceof UnsupportedCommandError && options.skipUnsupported === true) {
      report.skipped.push(e);
      return true;
    }
    throw e;
  };
  const apply = (ev: AofReplayEvent & { type: 'command' }): true => {
    try {
      const r = applyCommand(ks, ev.argv, context);
      report.commands++;
      if (!r.ok) {
        report.errors.push({ file: ev.file, offset: ev.offset, index: ev.index, command: bytesToLatin1(ev.argv[0]!), error: r.error });
      }
    } catch (e) {
      return unsupported(e);
    }
    return true;
  };
  /** Replay one event; false when the replay stops before it. Synchronous (no await per event). */
  const step = (ev: AofReplayEvent): boolean => {
    if (options.onEvent !== undefined && options.onEvent(ev) === false) return false;
    if (ev.type === 'file') {
      dropOpenMulti();
      ks.resetClient();
      currentFile = ev.file;
      return true;
    }
    if (ev.type === 'rdb') {
      loadRdbEvent(ks, ev.event, {}, report.rdb);
      return true;
    }
    if (ev.type === 'fileEnd') {
      dropOpenMulti();
      return true;
    }
    if (ev.type === 'annotation') {
      if (until.timestamp !== undefined && ev.timestamp !== null && ev.timestamp > until.timestamp) {
        report.stoppedAt = { file: ev.file, offset: ev.offset, index: null };
        return false;
      }
      return true;
    }
    if (ev.type !== 'command') return true;
    if (
      (until.index !== undefined && ev.index >= until.index) ||
      (until.offset !== undefined && (until.file === undefined || until.file === ev.file) && ev.offset >= until.offset)
    ) {
      report.stoppedAt = { file: ev.file, offset: ev.offset, index: ev.index };
      return false;
    }
    context.file = ev.file;
    context.offset = ev.offset;
    context.index = ev.index;
    return apply(ev);
  };
  replay: for await (const item of events) {
    for (const ev of isBatch(item) ? item : [item]) {
      if (!step(ev)) break replay;
    }
  }
  dropOpenMulti();
  return report;
}
