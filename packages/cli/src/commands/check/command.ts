// yargs module for `rfx check <file>`: an RDB file, or an AOF in any layout.

import { resolveAof } from '@redis-forensics/aof';

import { aofProgress } from '../../aof-progress.js';
import { EX_DATAERR, EX_OK } from '../../exit-codes.js';
import { detectInputKind, isRespTail } from '../../input-kind.js';
import { createProgress } from '../../render/progress.js';
import { renderCheckJson, renderCheckReport } from './render.js';
import { renderAofCheckJson, renderAofCheckReport } from './render-aof.js';
import { runCheck } from './run-check.js';
import { runCheckAof } from './run-check-aof.js';

import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx check`. */
export interface CheckArgs extends GlobalArgs {
  file: string;
  json: boolean;
  'part-bytes': number | undefined;
  'duplicate-keys': boolean;
}

/**
 * The `check` command: validate a whole RDB file or AOF (exit 0 valid, 65 truncated or corrupt).
 * Read-only: nothing is ever opened for writing.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function checkCommand(ctx: CommandContext): CommandModule<GlobalArgs, CheckArgs> {
  return {
    command: 'check <file>',
    describe: 'Validate an RDB file (structure, encodings, CRC64) or an AOF (what redis-check-aof reports, and more)',
    builder: (y) =>
      y
        .positional('file', { describe: 'RDB file, or AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          json: { describe: 'Print the report as one JSON object', type: 'boolean', default: false },
          'duplicate-keys': { describe: 'RDB: also find keys stored twice in a db (redis-server refuses such files); ~12 bytes of memory per key', type: 'boolean', default: false },
          'part-bytes': { describe: 'Reader part size in bytes (testing)', type: 'number', hidden: true },
        })
        .example('$0 check dump.rdb', 'Exit 0 and print OK with counts when the file is valid')
        .example('$0 check appendonlydir', 'ok_up_to, line and diff per file; on damage the reason, a hexdump and the fix'),
    handler: async (args) => {
      const progress = createProgress(ctx.io, 'check', args.progress);
      try {
        if ((await detectInputKind(args.file)) === 'rdb') {
          const report = await runCheck({ file: args.file, now: ctx.now(), partBytes: args['part-bytes'], onProgress: progress.update, duplicateKeys: args['duplicate-keys'] });
          // An RDB image followed by RESP commands is an AOF with a preamble after all.
          if (report.trailingBytes === 0 || !(await isRespTail(args.file, report.size - report.trailingBytes))) {
            ctx.io.stdout.write(args.json ? renderCheckJson(report) : renderCheckReport(report, ctx.style));
            ctx.setExitCode(report.ok ? EX_OK : EX_DATAERR);
            return;
          }
        }
        const layout = await resolveAof(args.file);
        const report = await runCheckAof({ path: args.file, layout, onEvent: aofProgress(layout, progress) });
        ctx.io.stdout.write(args.json ? renderAofCheckJson(report) : renderAofCheckReport(report, ctx.style));
        ctx.setExitCode(report.ok ? EX_OK : EX_DATAERR);
      } finally {
        progress.stop();
      }
    },
  };
}
