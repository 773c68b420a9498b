// yargs module for `rfx rewrite <aof> -o OUT [--preamble] [--multi-part] [--redis-version V]`.

import { checkWriteOutputArgs, confirmWrite, refuseExistingOutput, WRITE_OUTPUT_GROUP, WRITE_OUTPUT_OPTIONS } from '../../edit-output.js';
import { EX_ABORTED, EX_OK } from '../../exit-codes.js';
import { reportUnrepresentable } from '../../failure.js';
import { parseRedisRelease } from '../../redis-target.js';
import { createProgress } from '../../render/progress.js';
import { checkReplayPointArgs, replayPointFromArgs, replayPointGroup, replayPointOptions } from '../../replay-point.js';
import { renderRewritePlan, renderRewriteResult, renderRewriteWarning } from './render.js';
import { planRewrite, writeRewrite } from './run-rewrite.js';

import type { CommandModule, Options } from 'yargs';
import type { WriteOutputArgs } from '../../edit-output.js';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx rewrite`. */
export interface RewriteArgs extends GlobalArgs, WriteOutputArgs {
  path: string;
  preamble: boolean;
  'multi-part': boolean;
  'redis-version': string | undefined;
  'source-version': string | undefined;
  'skip-unsupported': boolean;
  [point: string]: unknown;
}

/** --redis-version and --source-version: a release, checked at parse time. */
export const RELEASE_OPTION_CHECK = (value: string | undefined, name: string): void => {
  if (value === undefined) return;
  try {
    parseRedisRelease(value);
  } catch (e) {
    throw new Error(`--${name}: ${(e as Error).message}`);
  }
};

/** Options shared by the commands that replay an AOF (rewrite, convert, diff). */
export const REPLAY_OPTIONS = {
  'skip-unsupported': {
    describe: 'Skip (and list) commands the replay cannot apply (scripts written verbatim, module or unknown commands) instead of stopping at the first',
    type: 'boolean',
    default: false,
  },
  'source-version': {
    describe: 'The Redis version that wrote the AOF (default: redis-ver of its RDB part, else 7.0 for a multi-part AOF, 6.2 for a single file)',
    type: 'string',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>;

/**
 * The `rewrite` command: replay an AOF and write the smallest AOF that recreates its dataset.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function rewriteCommand(ctx: CommandContext): CommandModule<GlobalArgs, RewriteArgs> {
  return {
    command: 'rewrite <path>',
    describe: 'Replay an AOF and write the minimal command stream for its dataset (BGREWRITEAOF without a server)',
    builder: (y) =>
      y
        .positional('path', { describe: 'AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          preamble: { describe: 'Write the dataset as an RDB preamble (aof-use-rdb-preamble yes)', type: 'boolean', default: false },
          'multi-part': { describe: 'Write a new appendonlydir: base file, an empty incr file and the manifest (Redis 7.0+)', type: 'boolean', default: false },
          'redis-version': {
            describe: 'The Redis version the output is for: command forms, score text, RDB version of a preamble (default: the input\'s)',
            type: 'string',
            requiresArg: true,
          },
          ...REPLAY_OPTIONS,
          ...replayPointOptions(),
          ...WRITE_OUTPUT_OPTIONS,
        })
        .group(['preamble', 'multi-part', 'redis-version'], 'Rewrite:')
        .group(['skip-unsupported', 'source-version', ...replayPointGroup()], 'Replay (at most one --until-* point):')
        .group(WRITE_OUTPUT_GROUP, 'Output:')
        .check((args) => {
          RELEASE_OPTION_CHECK(args['redis-version'], 'redis-version');
          RELEASE_OPTION_CHECK(args['source-version'], 'source-version');
          checkReplayPointArgs(args);
          return checkWriteOutputArgs(args);
        })
        .example('$0 rewrite appendonlydir -o rewritten.aof', 'The dataset as BGREWRITEAOF writes it (plain AOF)')
        .example('$0 rewrite appendonlydir --multi-part --preamble -o newdir', 'A new appendonlydir with an RDB base file')
        .example('$0 rewrite appendonly.aof --until-timestamp 2024-11-05T10:20:00Z -o before.aof', 'The dataset as it was at 10:20 UTC'),
    handler: async (args) => {
      await refuseExistingOutput(args);
      const now = ctx.now();
      const progress = createProgress(ctx.io, 'rewrite', args.progress);
      const plan = await planRewrite({
        path: args.path,
        point: replayPointFromArgs(args),
        skipUnsupported: args['skip-unsupported'],
        now,
        sourceVersion: args['source-version'],
        redisVersion: args['redis-version'],
        preamble: args.preamble,
        multiPart: args['multi-part'],
        progress,
      }).finally(progress.stop);
      ctx.io.stdout.write(renderRewritePlan(plan, ctx.style));
      if (!args['dry-run'] && !(await confirmWrite(ctx, args.yes))) {
        ctx.setExitCode(EX_ABORTED);
        return;
      }
      try {
        const result = await writeRewrite(plan, { output: args.output, overwrite: args.force, dryRun: args['dry-run'], now });
        for (const w of result.warnings) ctx.io.stderr.write(renderRewriteWarning(w, ctx.style));
        ctx.io.stdout.write(renderRewriteResult(plan, result, ctx.style));
        ctx.setExitCode(EX_OK);
      } catch (e) {
        const hint = `Redis ${plan.target.version.replace(/\.0$/, '')} (RDB ${plan.target.rdbVersion}) cannot hold this data: pass --redis-version for a newer release`;
        if (!reportUnrepresentable(ctx, e, hint)) throw e;
      }
    },
  };
}
