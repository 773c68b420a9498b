// yargs module for `rfx truncate <path> (--to-timestamp T | --to-offset N [--file F] | --to-index N)`.

import { applyEdit, checkEditOutputArgs, EDIT_OUTPUT_GROUP, EDIT_OUTPUT_OPTIONS } from '../../edit-output.js';
import { EX_OK } from '../../exit-codes.js';
import { parseTimeSpec } from '../../time-spec.js';
import { createProgress } from '../../render/progress.js';
import { renderTruncateReport } from './render.js';
import { runTruncate } from './run-truncate.js';

import type { CommandModule } from 'yargs';
import type { TruncatePoint } from '@redis-forensics/aof';
import type { EditOutputArgs } from '../../edit-output.js';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx truncate`. */
export interface TruncateArgs extends GlobalArgs, EditOutputArgs {
  path: string;
  'to-timestamp': number | undefined;
  'to-offset': number | undefined;
  'to-index': number | undefined;
  file: string | undefined;
}

/**
 * The `truncate` command: cut an AOF at a point in time, a byte offset or a command index.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function truncateCommand(ctx: CommandContext): CommandModule<GlobalArgs, TruncateArgs> {
  return {
    command: 'truncate <path>',
    describe: 'Cut an AOF at a point in time (like redis-check-aof --truncate-to-timestamp), an offset or a command index',
    builder: (y) =>
      y
        .positional('path', { describe: 'AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          'to-timestamp': {
            describe: 'Cut at the first #TS annotation later than this (Unix seconds or ISO date)',
            type: 'string',
            requiresArg: true,
            coerce: (v: string): number => Math.floor(parseTimeSpec(v) / 1000),
          },
          'to-offset': { describe: 'Cut at the first command starting at or after this byte offset', type: 'number', requiresArg: true },
          file: { describe: 'With --to-offset in a multi-part AOF: the file the offset is in', type: 'string', requiresArg: true },
          'to-index': { describe: 'Cut at the command with this index (as rfx log numbers them)', type: 'number', requiresArg: true },
          ...EDIT_OUTPUT_OPTIONS,
        })
        .group(['to-timestamp', 'to-offset', 'file', 'to-index'], 'Where to cut (exactly one):')
        .group(EDIT_OUTPUT_GROUP, 'Output:')
        .check((args) => {
          const given = [args['to-timestamp'], args['to-offset'], args['to-index']].filter((v) => v !== undefined).length;
          if (given !== 1) throw new Error('Say where to cut with exactly one of --to-timestamp, --to-offset, --to-index');
          for (const name of ['to-offset', 'to-index'] as const) {
            const v = args[name];
            if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`--${name} needs a whole number, got ${String(v)}`);
          }
          if (args.file !== undefined && args['to-offset'] === undefined) throw new Error('--file only goes with --to-offset');
          return checkEditOutputArgs(args);
        })
        .example('$0 truncate appendonlydir --to-timestamp 2024-11-05T10:20:00Z -o before', 'The AOF as it was at 10:20 UTC')
        .example('$0 truncate appendonly.aof --to-index 1200 --dry-run', 'What cutting before command #1200 drops'),
    handler: async (args) => {
      const point: TruncatePoint =
        args['to-timestamp'] !== undefined
          ? { toTimestamp: args['to-timestamp'] }
          : args['to-index'] !== undefined
            ? { toIndex: args['to-index'] }
            : args.file === undefined
              ? { toOffset: args['to-offset']! }
              : { toOffset: args['to-offset']!, file: args.file };
      const progress = createProgress(ctx.io, 'truncate', args.progress);
      let report;
      try {
        report = await runTruncate({ path: args.path, point, progress });
      } finally {
        progress.stop();
      }
      ctx.io.stdout.write(renderTruncateReport(report, ctx.style));
      if (report.cutAt === null) {
        ctx.setExitCode(EX_OK);
        return;
      }
      ctx.setExitCode((await applyEdit(ctx, report.plan, args)).exitCode);
    },
  };
}
