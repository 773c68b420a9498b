// yargs module for `rfx log <path>`.

import { resolveAof } from '@redis-forensics/aof';

import { aofProgress } from '../../aof-progress.js';
import { EX_OK } from '../../exit-codes.js';
import { createProgress } from '../../render/progress.js';
import { parseTimeSpec } from '../../time-spec.js';
import { renderLogFooter, renderLogWarnings } from './render.js';
import { runLog } from './run-log.js';

import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx log`. */
export interface LogArgs extends GlobalArgs {
  path: string;
  json: boolean;
  command: string[] | undefined;
  match: string | undefined;
  db: number[] | undefined;
  since: number | undefined;
  until: number | undefined;
  limit: number | undefined;
}

/**
 * The `log` command: one line per AOF command, filtered, as a table or JSON lines.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function logCommand(ctx: CommandContext): CommandModule<GlobalArgs, LogArgs> {
  return {
    command: 'log <path>',
    describe: 'List the commands of an AOF (index, file, offset, #TS time, db, command, first key), filtered',
    builder: (y) =>
      y
        .positional('path', { describe: 'AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          json: { describe: 'JSON lines instead of a table (strings as in dump: text or {"b64"}), with every argument', type: 'boolean', default: false },
          command: {
            describe: 'Only this command (any case; repeatable)',
            type: 'string',
            requiresArg: true,
            coerce: (value: string | string[]): string[] => [value].flat(),
          },
          match: { describe: 'Only commands with a key matching this Redis glob (key positions from Redis\'s key specs)', type: 'string', requiresArg: true },
          db: {
            describe: 'Only commands running in this database (repeatable)',
            type: 'number',
            requiresArg: true,
            coerce: (value: number | number[]): number[] => [value].flat(),
          },
          since: { describe: 'Only commands at or after this #TS time (Unix seconds or ISO date)', type: 'string', requiresArg: true, coerce: parseTimeSpec },
          until: { describe: 'Only commands at or before this #TS time (Unix seconds or ISO date)', type: 'string', requiresArg: true, coerce: parseTimeSpec },
          limit: { describe: 'Stop after this many commands', type: 'number', requiresArg: true },
        })
        .check((args) => {
          for (const db of args.db ?? []) {
            if (!Number.isInteger(db) || db < 0) throw new Error(`--db needs a database number, got ${String(db)}`);
          }
          if (args.limit !== undefined && (!Number.isInteger(args.limit) || args.limit < 0)) throw new Error(`--limit needs a whole number, got ${String(args.limit)}`);
          return true;
        })
        .example('$0 log appendonlydir --command flushall --command flushdb', 'Where and when the flushes ran')
        .example('$0 log appendonly.aof --match "user:*" --json | jq .argv', 'Every command touching user:* keys, as JSON'),
    handler: async (args) => {
      const layout = await resolveAof(args.path);
      const progress = createProgress(ctx.io, 'log', args.progress);
      const report = await runLog(
        {
          path: args.path,
          format: args.json ? 'jsonl' : 'table',
          filter: { commands: args.command, match: args.match, dbs: args.db, sinceMs: args.since, untilMs: args.until },
          limit: args.limit,
          columns: ctx.io.columns,
          layout,
          onEvent: aofProgress(layout, progress),
        },
        ctx.io.stdout,
        ctx.style,
      ).finally(progress.stop);
      if (!args.json) ctx.io.stdout.write(renderLogFooter(report));
      ctx.io.stderr.write(renderLogWarnings(report, ctx.style));
      ctx.setExitCode(EX_OK);
    },
  };
}
