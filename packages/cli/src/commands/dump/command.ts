// yargs module for `rfx dump <file>`.

import { EX_OK } from '../../exit-codes.js';
import { createProgress } from '../../render/progress.js';
import { DUMP_MAX_WARNINGS, renderDumpSummary, renderDumpWarning } from './render.js';
import { DUMP_FORMATS, runDump } from './run-dump.js';

import type { CommandModule } from 'yargs';
import type { RedisType } from '@redis-forensics/rdb';
import type { CommandContext, GlobalArgs } from '../command-context.js';
import type { DumpFormat } from './run-dump.js';

/** The values of `--type`: what `TYPE key` prints. */
export const REDIS_TYPES: readonly RedisType[] = ['string', 'list', 'set', 'zset', 'hash', 'stream', 'module'];

/** Arguments of `rfx dump`. */
export interface DumpArgs extends GlobalArgs {
  file: string;
  format: DumpFormat;
  db: number[] | undefined;
  match: string | undefined;
  type: RedisType[] | undefined;
  'part-bytes': number | undefined;
}

/**
 * The `dump` command: every key as a JSON line, or as the RESP commands that recreate it.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function dumpCommand(ctx: CommandContext): CommandModule<GlobalArgs, DumpArgs> {
  return {
    command: 'dump <file>',
    describe: 'Print every key as JSON lines, or as RESP commands for redis-cli --pipe',
    builder: (y) =>
      y
        .positional('file', { describe: 'RDB file to read', type: 'string', demandOption: true })
        .options({
          format: { describe: 'Output format', choices: DUMP_FORMATS, default: 'jsonl' as DumpFormat },
          db: {
            describe: 'Only keys of this database (repeatable)',
            type: 'number',
            // Repeated options arrive as an array; `array: true` would also swallow the file name.
            coerce: (value: number | number[]): number[] => [value].flat(),
          },
          match: { describe: 'Only keys matching this Redis glob (*, ?, [a-z], [^a], \\x)', type: 'string' },
          type: {
            describe: 'Only keys of this type (repeatable)',
            choices: REDIS_TYPES,
            coerce: (value: RedisType | RedisType[]): RedisType[] => [value].flat(),
          },
          'part-bytes': { describe: 'Reader part size in bytes (testing)', type: 'number', hidden: true },
        })
        .check((args) => {
          for (const db of args.db ?? []) {
            if (!Number.isInteger(db) || db < 0) throw new Error(`--db needs a database number, got ${String(db)}`);
          }
          return true;
        })
        .example('$0 dump dump.rdb --db 0 --match "user:*"', 'JSON lines of the user:* keys of db 0')
        .example('$0 dump dump.rdb --format resp | redis-cli --pipe', 'Load the keys into a running server'),
    handler: async (args) => {
      let warnings = 0;
      const onWarning = (message: string): void => {
        if (++warnings <= DUMP_MAX_WARNINGS) ctx.io.stderr.write(renderDumpWarning(message, ctx.style));
      };
      const progress = createProgress(ctx.io, 'dump', args.progress);
      const report = await runDump(
        {
          file: args.file,
          format: args.format,
          dbs: args.db ?? [],
          match: args.match,
          types: args.type ?? [],
          partBytes: args['part-bytes'],
          onProgress: progress.update,
          onWarning,
        },
        ctx.io.stdout,
      ).finally(progress.stop);
      ctx.io.stderr.write(renderDumpSummary(report, warnings, ctx.style));
      ctx.setExitCode(EX_OK);
    },
  };
}
