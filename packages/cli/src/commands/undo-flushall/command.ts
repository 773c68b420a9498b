// yargs module for `rfx undo-flushall <path>`.

import { applyEdit, checkEditOutputArgs, EDIT_OUTPUT_GROUP, EDIT_OUTPUT_OPTIONS } from '../../edit-output.js';
import { EX_DATAERR, EX_OK } from '../../exit-codes.js';
import { createProgress } from '../../render/progress.js';
import { renderUndoFlushallReport } from './render.js';
import { runUndoFlushall } from './run-undo-flushall.js';

import type { CommandModule } from 'yargs';
import type { EditOutputArgs } from '../../edit-output.js';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx undo-flushall`. */
export interface UndoFlushallArgs extends GlobalArgs, EditOutputArgs {
  path: string;
  'include-flushdb': boolean;
}

/**
 * The `undo-flushall` command: remove the last FLUSHALL so the data before it loads again. Exit 0
 * when removed or when there is none; 65 when the AOF was rewritten and holds no FLUSHALL (the
 * data from before a flush is not in it).
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function undoFlushallCommand(ctx: CommandContext): CommandModule<GlobalArgs, UndoFlushallArgs> {
  return {
    command: 'undo-flushall <path>',
    describe: 'Remove the last FLUSHALL (and FLUSHDB with --include-flushdb) from an AOF, showing when it ran',
    builder: (y) =>
      y
        .positional('path', { describe: 'AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          'include-flushdb': { describe: 'Also consider FLUSHDB (the last of either goes)', type: 'boolean', default: false },
          ...EDIT_OUTPUT_OPTIONS,
        })
        .group(EDIT_OUTPUT_GROUP, 'Output:')
        .check(checkEditOutputArgs)
        .example('$0 undo-flushall appendonlydir --dry-run', 'When the last FLUSHALL ran and what would go')
        .example('$0 undo-flushall appendonlydir -o restored', 'A new appendonlydir without it'),
    handler: async (args) => {
      const progress = createProgress(ctx.io, 'undo-flushall', args.progress);
      let report;
      try {
        report = await runUndoFlushall({ path: args.path, includeFlushdb: args['include-flushdb'], progress });
      } finally {
        progress.stop();
      }
      ctx.io.stdout.write(renderUndoFlushallReport(report, ctx.style));
      if (report.verdict !== 'found') {
        ctx.setExitCode(report.verdict === 'rewritten' ? EX_DATAERR : EX_OK);
        return;
      }
      ctx.setExitCode((await applyEdit(ctx, report.plan, args)).exitCode);
    },
  };
}
