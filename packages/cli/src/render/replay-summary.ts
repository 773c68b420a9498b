// Text for a dataset read from an input (rewrite, convert, diff): what was loaded or replayed,
// where a point in time stopped the replay, and what Redis's loading rules left out.

import { basename } from 'node:path';

import { describeReplayPoint } from '../replay-point.js';
import { formatCount, formatCountOf } from './units.js';

import type { LoadedDataset } from '../dataset-input.js';
import type { Style } from './style.js';

/** Skipped commands and rejected commands listed one by one, at most this many each. */
export const REPLAY_ITEMS_SHOWN = 10;

/** `106 keys in 3 dbs, 2 function libraries` */
export function datasetContents(ds: LoadedDataset): string {
  const ks = ds.keyspace;
  const dbs = ks.dbs.filter((d) => d.size > 0).length;
  const fn = ks.functions.size;
  const libraries = fn === 0 ? '' : `, ${formatCount(fn)} function ${fn === 1 ? 'library' : 'libraries'}`;
  return `${formatCountOf(ks.size, 'key')} in ${formatCountOf(dbs, 'db')}${libraries}`;
}

/** Where the release the replay followed came from, in words. */
function sourceVersionText(ds: LoadedDataset): string {
  switch (ds.serverVersionFrom) {
    case 'option':
      return `Redis ${ds.serverVersion} (--source-version)`;
    case 'redis-ver':
      return `Redis ${ds.serverVersion} (redis-ver of its RDB part)`;
    case 'rdb-version':
      return `Redis ${ds.serverVersion} (from its RDB version ${ds.rdbVersion})`;
    case 'layout':
      return `Redis ${ds.serverVersion!.replace(/\.0$/, '')} (a ${ds.aof?.layout.kind === 'multi-part' ? 'multi-part AOF: 7.0 or later' : 'single-file AOF: 6.2 or earlier'}; --source-version to say which)`;
    default:
      return 'an unknown Redis';
  }
}

/**
 * The lines that describe how `ds` was read: for an RDB its version and keys; for an AOF the
 * commands replayed, the point, a dropped truncated tail, unfinished transactions, skipped and
 * rejected commands.
 * @param ds the dataset
 * @param label how to name the input (its path, or `a` / `b`)
 * @param style colours
 * @returns lines without newlines
 */
export function replaySummaryLines(ds: LoadedDataset, label: string, style: Style): string[] {
  if (ds.aof === null) {
    return [`read ${label}: RDB version ${ds.rdbVersion ?? '?'}, ${formatCountOf(ds.bytes, 'byte')}, ${datasetContents(ds)}`];
  }
  const a = ds.aof;
  const files = a.layout.files.length;
  const rdbPart = a.rdbKeys > 0 ? ` after ${formatCountOf(a.rdbKeys, 'key')} from its RDB part` : '';
  const replayed = a.stoppedAt === null ? formatCountOf(a.commandsReplayed, 'command') : `${formatCount(a.commandsReplayed)} of ${formatCountOf(a.commandsInInput, 'command')}`;
  const lines = [
    `replayed ${label}: ${replayed}${rdbPart} (${formatCountOf(files, 'file')}, ${formatCountOf(ds.bytes, 'byte')}): ${datasetContents(ds)}`,
    `  written by ${sourceVersionText(ds)}`,
  ];
  if (a.point !== null) {
    const at = a.stoppedAt;
    const p = a.point;
    if (at === null) lines.push(`  nothing after ${describeReplayPoint(p)}: the whole AOF was replayed`);
    else {
      const where =
        'offset' in p && at.file !== basename(p.file ?? '')
          ? `nothing at or after it in ${basename(p.file ?? '')}, so ${at.file} and any later files are left out`
          : `${at.file} offset ${formatCount(at.offset)}${at.index === null || 'index' in p ? '' : ` (command #${at.index})`}`;
      const left = a.commandsInInput - (at.index ?? a.commandsReplayed + a.skipped.length);
      lines.push(`  stopped at ${describeReplayPoint(p)}: ${where}; ${formatCountOf(left, 'command')} from there on left out`);
    }
  }
  if (a.truncatedTail !== null) {
    const t = a.truncatedTail;
    lines.push(style.warn(`  the truncated tail of ${t.file} (${formatCountOf(t.size - t.validUpTo, 'byte')} from offset ${formatCount(t.validUpTo)}) is left out, as Redis leaves it out when it loads the AOF`));
  }
  for (const d of a.discardedTransactions) {
    lines.push(style.warn(`  a MULTI without EXEC at the end of ${basename(d.file)} (${formatCountOf(d.commands, 'queued command')}) is dropped, as Redis drops it`));
  }
  if (a.skipped.length > 0) {
    lines.push(style.warn(`  ${formatCountOf(a.skipped.length, 'command')} skipped (--skip-unsupported):`));
    for (const e of a.skipped.slice(0, REPLAY_ITEMS_SHOWN)) lines.push(`    ${e.message}`);
    if (a.skipped.length > REPLAY_ITEMS_SHOWN) lines.push(`    ... and ${formatCount(a.skipped.length - REPLAY_ITEMS_SHOWN)} more`);
  }
  if (a.errors.length > 0) {
    lines.push(`  ${formatCountOf(a.errors.length, 'command')} failed as in Redis and changed nothing:`);
    for (const e of a.errors.slice(0, REPLAY_ITEMS_SHOWN)) lines.push(`    ${e.command} in ${basename(e.file)} at offset ${formatCount(e.offset)} (command #${e.index}): ${e.error}`);
    if (a.errors.length > REPLAY_ITEMS_SHOWN) lines.push(`    ... and ${formatCount(a.errors.length - REPLAY_ITEMS_SHOWN)} more`);
  }
  return lines;
}
