// yargs module for `rfx check <file>`.

import { EX_DATAERR, EX_OK } from '../../exit-codes.js';
import { createProgress } from '../../render/progress.js';
import { renderCheckJson, renderCheckReport } from './render.js';
import { runCheck } from './run-check.js';

import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx check`. */
export interface CheckArgs extends GlobalArgs {
  file: string;
  json: boolean;
  'part-bytes': number | undefined;
}

/**
 * The `check` command: validate a whole RDB file (exit 0 valid, 65 corrupt).
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function checkCommand(ctx: CommandContext): CommandModule<GlobalArgs, CheckArgs> {
  return {
    command: 'check <file>',
    describe: 'Validate an RDB file: structure, encodings and CRC64; on error show the bytes around it',
    builder: (y) =>
      y
        .positional('file', { describe: 'RDB file to check', type: 'string', demandOption: true })
        .options({
          json: { describe: 'Print the report as one JSON object', type: 'boolean', default: false },
          'part-bytes': { describe: 'Reader part size in bytes (testing)', type: 'number', hidden: true },
        })
        .example('$0 check dump.rdb', 'Exit 0 and print OK with counts when the file is valid'),
    handler: async (args) => {
      const progress = createProgress(ctx.io, 'check', args.progress);
      const report = await runCheck({ file: args.file, now: ctx.now(), partBytes: args['part-bytes'], onProgress: progress.update }).finally(progress.stop);
      ctx.io.stdout.write(args.json ? renderCheckJson(report) : renderCheckReport(report, ctx.style));
      ctx.setExitCode(report.ok ? EX_OK : EX_DATAERR);
    },
  };
}
