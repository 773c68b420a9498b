// yargs module for `rfx explain [code]`.

import { EX_OK, EX_USAGE } from '../../exit-codes.js';
import { renderReportJson } from '../../render/report-json.js';
import { renderExplainReport } from './render.js';
import { runExplain } from './run-explain.js';

import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx explain`. */
export interface ExplainArgs extends GlobalArgs {
  code: string | undefined;
  json: boolean;
}

/**
 * The `explain` command: what a reason code (as printed by check, inspect and dump) means.
 * @param ctx I/O, style and exit code of the run
 * @returns the yargs command module
 */
export function explainCommand(ctx: CommandContext): CommandModule<GlobalArgs, ExplainArgs> {
  return {
    command: 'explain [code]',
    describe: 'Explain a reason code such as RDB_CHECKSUM_MISMATCH (all codes when none is given)',
    builder: (y) =>
      y
        .positional('code', { describe: 'Reason code', type: 'string' })
        .options({ json: { describe: 'Print the entries as JSON', type: 'boolean', default: false } })
        .example('$0 explain RDB_CHECKSUM_MISMATCH', 'One line about that code'),
    handler: (args) => {
      const report = runExplain(args.code);
      const known = report.entries.length > 0;
      if (args.json) ctx.io.stdout.write(renderReportJson(report));
      else (known ? ctx.io.stdout : ctx.io.stderr).write(renderExplainReport(report, ctx.style));
      ctx.setExitCode(known ? EX_OK : EX_USAGE);
    },
  };
}
