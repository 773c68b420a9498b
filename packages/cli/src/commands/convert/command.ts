// yargs module for `rfx convert <in> -o <out> --to rdb|aof|jsonl`.

import { checkWriteOutputArgs, confirmWrite, refuseExistingOutput, WRITE_OUTPUT_GROUP, WRITE_OUTPUT_OPTIONS } from '../../edit-output.js';
import { EX_ABORTED, EX_OK } from '../../exit-codes.js';
import { reportUnrepresentable } from '../../failure.js';
import { createProgress } from '../../render/progress.js';
import { checkReplayPointArgs, replayPointFromArgs, replayPointGroup, replayPointOptions } from '../../replay-point.js';
import { RELEASE_OPTION_CHECK, REPLAY_OPTIONS } from '../rewrite/command.js';
import { CONVERT_MAX_LOSSES, renderConvertLoss, renderConvertReport, renderConvertWarning, renderMoreLosses } from './render.js';
import { CONVERT_FORMATS, RDB_WRITE_VERSIONS, runConvert } from './run-convert.js';

import type { CommandModule } from 'yargs';
import type { RdbWriteLoss } from '@redis-forensics/rdb';
import type { WriteOutputArgs } from '../../edit-output.js';
import type { CommandContext, GlobalArgs } from '../command-context.js';
import type { ConvertFormat } from './run-convert.js';

/** Arguments of `rfx convert`. */
export interface ConvertArgs extends GlobalArgs, WriteOutputArgs {
  input: string;
  to: ConvertFormat;
  'rdb-version': number | undefined;
  'redis-version': string | undefined;
  lossy: boolean;
  'source-version': string | undefined;
  'skip-unsupported': boolean;
  'part-bytes': number | undefined;
  [point: string]: unknown;
}

/**
 * The `convert` command: AOF -> RDB / AOF / JSONL through a replay; RDB -> RDB of another
 * version, AOF or JSONL by streaming.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function convertCommand(ctx: CommandContext): CommandModule<GlobalArgs, ConvertArgs> {
  return {
    command: 'convert <input>',
    describe: 'Convert a dataset: AOF (any layout) or RDB to RDB (any version 6..12), AOF or the JSON lines of rfx dump',
    builder: (y) =>
      y
        .positional('input', { describe: 'RDB file, or AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          to: { describe: 'Output format', choices: CONVERT_FORMATS, demandOption: true, requiresArg: true },
          'rdb-version': {
            describe: 'With --to rdb: the RDB version to write, 6 (Redis 2.6) .. 12 (Redis 7.4+) (default: what the target Redis writes)',
            type: 'number',
            requiresArg: true,
          },
          lossy: { describe: 'With --to rdb: leave out (and list) what the target version cannot hold instead of stopping', type: 'boolean', default: false },
          'redis-version': {
            describe: 'The Redis version the output is for: RDB version, AOF command forms and score text (default: the input\'s)',
            type: 'string',
            requiresArg: true,
          },
          ...REPLAY_OPTIONS,
          ...replayPointOptions(),
          ...WRITE_OUTPUT_OPTIONS,
          'part-bytes': { describe: 'Reader part size in bytes (testing)', type: 'number', hidden: true },
        })
        .group(['to', 'rdb-version', 'lossy', 'redis-version'], 'Conversion:')
        .group(['skip-unsupported', 'source-version', ...replayPointGroup()], 'AOF input (at most one --until-* point):')
        .group(WRITE_OUTPUT_GROUP, 'Output:')
        .check((args) => {
          const v = args['rdb-version'];
          if (v !== undefined && !(RDB_WRITE_VERSIONS as readonly number[]).includes(v)) throw new Error(`--rdb-version must be one of ${RDB_WRITE_VERSIONS.join(', ')}, got ${String(v)}`);
          if (args.to !== 'rdb' && (v !== undefined || args.lossy)) throw new Error('--rdb-version and --lossy only go with --to rdb');
          if (args.to === 'jsonl' && args['redis-version'] !== undefined) throw new Error('--redis-version only goes with --to rdb or --to aof');
          RELEASE_OPTION_CHECK(args['redis-version'], 'redis-version');
          RELEASE_OPTION_CHECK(args['source-version'], 'source-version');
          checkReplayPointArgs(args);
          return checkWriteOutputArgs(args);
        })
        .example('$0 convert appendonlydir --to rdb -o dump.rdb', 'Replay the AOF and save its dataset as an RDB file')
        .example('$0 convert dump.rdb --to rdb --rdb-version 9 --lossy -o for-redis-6.rdb', 'An RDB file Redis 5.0 .. 6.2 loads')
        .example('$0 convert dump.rdb --to aof -o appendonly.aof', 'The commands that recreate the dataset')
        .example('$0 convert appendonlydir --to jsonl --until-index 5000 -o keys.jsonl', 'Every key as of command #5000, as JSON lines'),
    handler: async (args) => {
      await refuseExistingOutput(args);
      if (!args['dry-run'] && !(await confirmWrite(ctx, args.yes))) {
        ctx.setExitCode(EX_ABORTED);
        return;
      }
      let losses = 0;
      const onLoss = (loss: RdbWriteLoss): void => {
        if (++losses <= CONVERT_MAX_LOSSES) ctx.io.stderr.write(renderConvertLoss(loss, ctx.style));
      };
      const progress = createProgress(ctx.io, 'convert', args.progress);
      try {
        const report = await runConvert({
          input: args.input,
          output: args.output,
          to: args.to,
          rdbVersion: args['rdb-version'],
          redisVersion: args['redis-version'],
          lossy: args.lossy,
          point: replayPointFromArgs(args),
          skipUnsupported: args['skip-unsupported'],
          sourceVersion: args['source-version'],
          now: ctx.now(),
          overwrite: args.force,
          dryRun: args['dry-run'],
          progress,
          partBytes: args['part-bytes'],
          onLoss,
          onWarning: (m) => ctx.io.stderr.write(renderConvertWarning(m, ctx.style)),
        }).finally(progress.stop);
        if (losses > CONVERT_MAX_LOSSES) ctx.io.stderr.write(renderMoreLosses(losses - CONVERT_MAX_LOSSES, ctx.style));
        ctx.io.stdout.write(renderConvertReport(report, ctx.style));
        ctx.setExitCode(EX_OK);
      } catch (e) {
        if (!reportUnrepresentable(ctx, e, 'pass --lossy to leave out what the target version cannot hold (each thing left out is listed), or choose a newer --rdb-version')) throw e;
      }
    },
  };
}
