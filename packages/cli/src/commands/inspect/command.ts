// yargs module for `rfx inspect <file>`: an RDB file, or an AOF in any layout.

import { resolveAof } from '@redis-forensics/aof';

import { aofProgress } from '../../aof-progress.js';
import { EX_DATAERR, EX_OK } from '../../exit-codes.js';
import { detectInputKind, isRespTail } from '../../input-kind.js';
import { createProgress } from '../../render/progress.js';
import { renderReportJson } from '../../render/report-json.js';
import { renderInspectReport } from './render.js';
import { renderAofInspectReport } from './render-aof.js';
import { runInspect } from './run-inspect.js';
import { runInspectAof } from './run-inspect-aof.js';

import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx inspect`. */
export interface InspectArgs extends GlobalArgs {
  file: string;
  json: boolean;
  top: number;
  'part-bytes': number | undefined;
  'distinct-keys-limit': number | undefined;
}

/**
 * The `inspect` command: a human summary of an RDB file or an AOF (or one JSON object with
 * `--json`). An AOF whose tail is truncated or corrupt is summarised and exits 65.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function inspectCommand(ctx: CommandContext): CommandModule<GlobalArgs, InspectArgs> {
  return {
    command: 'inspect <file>',
    describe: 'Summarise an RDB file (keys per db by type and encoding, biggest keys) or an AOF (layout, commands, keys, time, flushes, tail)',
    builder: (y) =>
      y
        .positional('file', { describe: 'RDB file, or AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          json: { describe: 'Print the report as one JSON object', type: 'boolean', default: false },
          top: { describe: 'How many of the biggest keys to list (RDB, or the AOF\'s RDB part)', type: 'number', default: 10 },
          'part-bytes': { describe: 'Reader part size in bytes (testing)', type: 'number', hidden: true },
          'distinct-keys-limit': { describe: 'Distinct AOF keys counted exactly up to this many (testing)', type: 'number', hidden: true },
        })
        .check((args) => {
          if (!Number.isInteger(args.top) || args.top < 0) throw new Error(`--top needs a whole number, got ${String(args.top)}`);
          return true;
        })
        .example('$0 inspect dump.rdb', 'Tables of key counts and sizes')
        .example('$0 inspect appendonlydir', 'Files, commands by name and db, time range, FLUSHALLs, tail status')
        .example('$0 inspect dump.rdb --json | jq .totals', 'The same report as JSON'),
    handler: async (args) => {
      const now = ctx.now();
      const progress = createProgress(ctx.io, 'inspect', args.progress);
      try {
        if ((await detectInputKind(args.file)) === 'rdb') {
          const report = await runInspect({ file: args.file, now, top: args.top, partBytes: args['part-bytes'], onProgress: progress.update });
          // An RDB image followed by RESP commands is an AOF with a preamble after all.
          if (report.trailingBytes === 0 || !(await isRespTail(args.file, report.size - report.trailingBytes))) {
            ctx.io.stdout.write(args.json ? renderReportJson(report) : renderInspectReport(report, ctx.style, now));
            ctx.setExitCode(EX_OK);
            return;
          }
        }
        const layout = await resolveAof(args.file);
        const report = await runInspectAof({
          path: args.file,
          now,
          top: args.top,
          distinctKeysLimit: args['distinct-keys-limit'],
          layout,
          onEvent: aofProgress(layout, progress),
        });
        ctx.io.stdout.write(args.json ? renderReportJson(report) : renderAofInspectReport(report, ctx.style, now));
        ctx.setExitCode(report.status === 'complete' ? EX_OK : EX_DATAERR);
      } finally {
        progress.stop();
      }
    },
  };
}
