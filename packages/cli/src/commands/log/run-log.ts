// rfx log: every command of an AOF, one line each (index, file, offset, #TS time, db, name, first
// key), filtered, streamed to stdout as a table or as JSON lines. Never holds more than one page.

import { Buffer } from 'node:buffer';
import { basename } from 'node:path';

import { commandKeys, openAof, resolveAof } from '@redis-forensics/aof';
import { escapeBytes } from '@redis-forensics/core';

import { commandName, compileSelector } from '../../command-selector.js';
import { OutputSink } from '../../output-sink.js';
import { redisStringJson } from '../../redis-string-json.js';
import { StreamTable } from '../../render/stream-table.js';
import { isoSeconds } from '../../time-spec.js';

import type { AofCommandEvent, AofEvent, AofFileEndEvent, AofLayout } from '@redis-forensics/aof';
import type { CommandSelector } from '../../command-selector.js';
import type { Style } from '../../render/style.js';

/** Output formats of `rfx log`. */
export const LOG_FORMATS = ['table', 'jsonl'] as const;
/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Rows rendered per page of the table. */
const PAGE_ROWS = 256;

/** What `rfx log` prints. */
export interface LogOptions {
  /** A single AOF file, an appendonlydir, its manifest, or any file inside it. */
  path: string;
  format: LogFormat;
  /** Which commands to print (all criteria must hold). */
  filter: CommandSelector;
  /** Stop after this many printed commands. Defaults to no limit. */
  limit?: number | undefined;
  /** Table width in columns. Defaults to 120. */
  columns?: number | undefined;
  /** The layout, when the caller already resolved it. */
  layout?: AofLayout | undefined;
  /** Called with every event (progress). */
  onEvent?: ((ev: AofEvent) => void) | undefined;
}

/** What `rfx log` did. */
export interface LogReport {
  /** Commands read (up to the limit, when it was reached). */
  commandsRead: number;
  /** Commands printed. */
  commandsShown: number;
  limitReached: boolean;
  /** Files that did not end cleanly (truncated or corrupt tails), as read. */
  damaged: AofFileEndEvent[];
}

/** One command as a JSON line: the fields of the table, plus every argument. */
export function logJsonLine(ev: AofCommandEvent): string {
  const key = commandKeys(ev.argv)[0];
  return (
    `{"index":${ev.index},"file":${JSON.stringify(ev.file)},"offset":${ev.offset},"length":${ev.end - ev.offset},` +
    `"time":${ev.time === null ? 'null' : JSON.stringify(isoSeconds(ev.time))},"timestamp":${ev.time ?? 'null'},"db":${ev.db},` +
    `"command":${JSON.stringify(commandName(ev.argv))},"key":${key === undefined ? 'null' : redisStringJson(key)},` +
    `"inMulti":${ev.inMulti},"argv":[${ev.argv.map(redisStringJson).join(',')}]}\n`
  );
}

function digits(n: number): number {
  return String(Math.max(0, n)).length;
}

/**
 * Stream the commands of the AOF that pass the filter to `out`, in file order, as table rows or
 * JSON lines, waiting for `out` to drain. Damaged tails end the listing where Redis would stop.
 * @param options path, format, filter and limit, see {@link LogOptions}
 * @param out where the output goes (stdout)
 * @param style colours and tables
 * @returns counts
 * @throws {@link FormatError} MANIFEST_* for a bad manifest; Node I/O errors (EPIPE on `out`)
 */
export async function runLog(options: LogOptions, out: NodeJS.WritableStream, style: Style): Promise<LogReport> {
  const layout = options.layout ?? (await resolveAof(options.path));
  const select = compileSelector(options.filter);
  const limit = options.limit ?? Infinity;
  const report: LogReport = { commandsRead: 0, commandsShown: 0, limitReached: false, damaged: [] };
  const sink = new OutputSink(out);

  let table: StreamTable | null = null;
  let page: string[][] = [];
  let headerWritten = false;
  if (options.format === 'table') {
    const total = layout.files.reduce((s, f) => s + f.size, 0);
    const maxSize = Math.max(0, ...layout.files.map((f) => f.size));
    const fileWidth = Math.max(4, ...layout.files.map((f) => basename(f.path).length));
    const widths = [Math.max(1, digits(Math.ceil(total / 11))), fileWidth, Math.max(6, digits(maxSize)), 20, 3, 16, 0];
    const used = widths.reduce((s, w) => s + w + 3, 1);
    widths[6] = Math.max(20, (options.columns ?? 120) - used - 3);
    table = new StreamTable(style, ['#', 'file', 'offset', 'time (UTC)', 'db', 'command', 'key'], widths, ['right', 'left', 'right', 'left', 'right', 'left', 'left']);
  }
  const flushPage = (): void => {
    if (table === null || page.length === 0) return;
    if (!headerWritten) sink.text(table.header());
    headerWritten = true;
    sink.text(table.rows(page));
    page = [];
  };

  try {
    for await (const ev of openAof(options.path, {}, layout)) {
      options.onEvent?.(ev);
      if (ev.type === 'fileEnd') {
        if (ev.status !== 'complete') report.damaged.push(ev);
        continue;
      }
      if (ev.type !== 'command') continue;
      report.commandsRead++;
      if (!select(ev)) continue;
      report.commandsShown++;
      if (table === null) {
        sink.text(logJsonLine(ev));
      } else {
        const key = commandKeys(ev.argv)[0];
        page.push([
          String(ev.index),
          basename(ev.file),
          String(ev.offset),
          ev.time === null ? '-' : isoSeconds(ev.time),
          String(ev.db),
          escapeBytes(Buffer.from(commandName(ev.argv), 'latin1')).slice(1, -1),
          key === undefined ? '' : escapeBytes(key, 256),
        ]);
        if (page.length >= PAGE_ROWS) flushPage();
      }
      if (report.commandsShown >= limit) {
        report.limitReached = true;
        break;
      }
      await sink.flushIfFull();
    }
    flushPage();
    if (table !== null && headerWritten) sink.text(table.footer());
    await sink.flush();
  } finally {
    sink.close();
  }
  return report;
}
