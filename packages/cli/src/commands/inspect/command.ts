// yargs module for `rfx inspect <file>`.

import { EX_OK } from '../../exit-codes.js';
import { createProgress } from '../../render/progress.js';
import { renderReportJson } from '../../render/report-json.js';
import { renderInspectReport } from './render.js';
import { runInspect } from './run-inspect.js';

import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx inspect`. */
export interface InspectArgs extends GlobalArgs {
  file: string;
  json: boolean;
  top: number;
  'part-bytes': number | undefined;
}

/**
 * The `inspect` command: a human summary of an RDB file (or one JSON object with `--json`).
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function inspectCommand(ctx: CommandContext): CommandModule<GlobalArgs, InspectArgs> {
  return {
    command: 'inspect <file>',
    describe: 'Summarise an RDB file: format, AUX fields, keys per db by type and encoding, biggest keys',
    builder: (y) =>
      y
        .positional('file', { describe: 'RDB file to read', type: 'string', demandOption: true })
        .options({
          json: { describe: 'Print the report as one JSON object', type: 'boolean', default: false },
          top: { describe: 'How many of the biggest keys to list', type: 'number', default: 10 },
          'part-bytes': { describe: 'Reader part size in bytes (testing)', type: 'number', hidden: true },
        })
        .check((args) => {
          if (!Number.isInteger(args.top) || args.top < 0) throw new Error(`--top needs a whole number, got ${String(args.top)}`);
          return true;
        })
        .example('$0 inspect dump.rdb', 'Tables of key counts and sizes')
        .example('$0 inspect dump.rdb --json | jq .totals', 'The same report as JSON'),
    handler: async (args) => {
      const now = ctx.now();
      const progress = createProgress(ctx.io, 'inspect', args.progress);
      const report = await runInspect({ file: args.file, now, top: args.top, partBytes: args['part-bytes'], onProgress: progress.update }).finally(progress.stop);
      ctx.io.stdout.write(args.json ? renderReportJson(report) : renderInspectReport(report, ctx.style, now));
      ctx.setExitCode(EX_OK);
    },
  };
}
