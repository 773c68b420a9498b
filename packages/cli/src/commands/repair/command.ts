// yargs module for `rfx repair <path>`.

import { applyEdit, checkEditOutputArgs, EDIT_OUTPUT_GROUP, EDIT_OUTPUT_OPTIONS } from '../../edit-output.js';
import { EX_DATAERR, EX_OK } from '../../exit-codes.js';
import { createProgress } from '../../render/progress.js';
import { renderRepairReport } from './render.js';
import { runRepair } from './run-repair.js';

import type { CommandModule } from 'yargs';
import type { EditOutputArgs } from '../../edit-output.js';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx repair`. */
export interface RepairArgs extends GlobalArgs, EditOutputArgs {
  path: string;
  salvage: boolean;
}

/**
 * The `repair` command: cut a truncated AOF tail (redis-check-aof --fix) to a new file or
 * directory, or in place; `--salvage` skips corrupt regions. Exit 0 when repaired or nothing to
 * do, 65 when refused, 73 when the output exists.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function repairCommand(ctx: CommandContext): CommandModule<GlobalArgs, RepairArgs> {
  return {
    command: 'repair <path>',
    describe: 'Cut a truncated AOF tail back to ok_up_to (redis-check-aof --fix), to a new file by default; --salvage skips corrupt regions',
    builder: (y) =>
      y
        .positional('path', { describe: 'AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          ...EDIT_OUTPUT_OPTIONS,
          salvage: { describe: 'Skip each corrupt region to the next command start (every region is listed) instead of refusing', type: 'boolean', default: false },
        })
        .group(EDIT_OUTPUT_GROUP, 'Output:')
        .check(checkEditOutputArgs)
        .example('$0 repair appendonly.aof -o fixed.aof', 'Cut the incomplete last command into a new file')
        .example('$0 repair appendonlydir --in-place --backup-suffix .bak', 'Fix the last incr file in place, keeping a copy'),
    handler: async (args) => {
      const progress = createProgress(ctx.io, 'repair', args.progress);
      let report;
      try {
        report = await runRepair({ path: args.path, salvage: args.salvage, progress });
      } finally {
        progress.stop();
      }
      ctx.io.stdout.write(renderRepairReport(report, ctx.style));
      if (report.action !== 'repair') {
        ctx.setExitCode(report.action === 'refused' ? EX_DATAERR : EX_OK);
        return;
      }
      ctx.setExitCode((await applyEdit(ctx, report.plan, args)).exitCode);
    },
  };
}
