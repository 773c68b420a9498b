// yargs module for `rfx diff <a> <b>`: exit 0 when the datasets are equal, 1 when they differ.

import { EX_DIFFERENT, EX_OK } from '../../exit-codes.js';
import { createProgress } from '../../render/progress.js';
import { checkReplayPointArgs, replayPointFromArgs, replayPointGroup, replayPointOptions } from '../../replay-point.js';
import { RELEASE_OPTION_CHECK } from '../rewrite/command.js';
import { renderDiffJsonl, renderDiffReport } from './render.js';
import { DEFAULT_MAX_ELEMENTS, runDiff } from './run-diff.js';

import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx diff`. */
export interface DiffArgs extends GlobalArgs {
  a: string;
  b: string;
  json: boolean;
  'max-elements': number;
  'skip-unsupported': boolean;
  'a-source-version': string | undefined;
  'b-source-version': string | undefined;
  [point: string]: unknown;
}

/**
 * The `diff` command: compare two datasets key by key.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function diffCommand(ctx: CommandContext): CommandModule<GlobalArgs, DiffArgs> {
  return {
    command: 'diff <a> <b>',
    describe: 'Compare two datasets (RDB files, AOFs, appendonlydirs) key by key; exit 0 when equal, 1 when they differ',
    builder: (y) =>
      y
        .positional('a', { describe: 'The first dataset: RDB file or AOF (file, appendonlydir, manifest)', type: 'string', demandOption: true })
        .positional('b', { describe: 'The second dataset', type: 'string', demandOption: true })
        .options({
          json: { describe: 'One JSON line per differing key (bytes as in dump)', type: 'boolean', default: false },
          'max-elements': { describe: 'Differences listed per key (all are counted)', type: 'number', default: DEFAULT_MAX_ELEMENTS, requiresArg: true },
          'skip-unsupported': {
            describe: 'Skip (and list) commands the replay of an AOF cannot apply instead of stopping at the first',
            type: 'boolean',
            default: false,
          },
          'a-source-version': { describe: 'The Redis version that wrote AOF a (default: from its RDB part or layout)', type: 'string', requiresArg: true },
          'b-source-version': { describe: 'The Redis version that wrote AOF b', type: 'string', requiresArg: true },
          ...replayPointOptions('a-', ' a'),
          ...replayPointOptions('b-', ' b'),
        })
        .group(['json', 'max-elements'], 'Output:')
        .group(['skip-unsupported', 'a-source-version', 'b-source-version'], 'AOF replay:')
        .group(replayPointGroup('a-'), 'Point in time of a (an AOF; at most one):')
        .group(replayPointGroup('b-'), 'Point in time of b (an AOF; at most one):')
        .check((args) => {
          const m = args['max-elements'];
          if (!Number.isInteger(m) || m < 0) throw new Error(`--max-elements needs a whole number, got ${String(m)}`);
          RELEASE_OPTION_CHECK(args['a-source-version'], 'a-source-version');
          RELEASE_OPTION_CHECK(args['b-source-version'], 'b-source-version');
          checkReplayPointArgs(args, 'a-');
          return checkReplayPointArgs(args, 'b-');
        })
        .example('$0 diff dump.rdb appendonlydir', 'Does the AOF hold the same data as the snapshot?')
        .example('$0 diff appendonlydir appendonlydir --a-until-timestamp 2024-11-05T10:00:00Z', 'What changed since 10:00 UTC')
        .example('$0 diff before.rdb after.rdb --json | jq -c "select(.change == \\"removed\\")"', 'The keys that are gone')
        .epilogue('Exit status: 0 when the datasets are equal, 1 when they differ, 65 when an input is corrupt, 66 when one is missing.'),
    handler: async (args) => {
      const report = await runDiff({
        a: { path: args.a, point: replayPointFromArgs(args, 'a-'), sourceVersion: args['a-source-version'] },
        b: { path: args.b, point: replayPointFromArgs(args, 'b-'), sourceVersion: args['b-source-version'] },
        maxElements: args['max-elements'],
        skipUnsupported: args['skip-unsupported'],
        now: ctx.now(),
        progress: (side) => createProgress(ctx.io, `diff (${side})`, args.progress),
      });
      ctx.io.stdout.write(args.json ? renderDiffJsonl(report) : renderDiffReport(report, ctx.style));
      ctx.setExitCode(report.equal ? EX_OK : EX_DIFFERENT);
    },
  };
}
