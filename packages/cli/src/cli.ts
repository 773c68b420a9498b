// The yargs instance: global options, the commands, and failure handling that never exits the
// process (the exit code travels back to main through the command context).

import yargs from 'yargs';

import packageJson from '../package.json' with { type: 'json' };
import { checkCommand } from './commands/check/command.js';
import { convertCommand } from './commands/convert/command.js';
import { diffCommand } from './commands/diff/command.js';
import { dumpCommand } from './commands/dump/command.js';
import { explainCommand } from './commands/explain/command.js';
import { inspectCommand } from './commands/inspect/command.js';
import { logCommand } from './commands/log/command.js';
import { removeCommand } from './commands/remove/command.js';
import { repairCommand } from './commands/repair/command.js';
import { rewriteCommand } from './commands/rewrite/command.js';
import { truncateCommand } from './commands/truncate/command.js';
import { undoFlushallCommand } from './commands/undo-flushall/command.js';
import { UsageError } from './usage-error.js';

import type { Argv } from 'yargs';
import type { CommandContext, GlobalArgs } from './commands/command-context.js';

export { UsageError } from './usage-error.js';

/** The version `rfx --version` prints (packages/cli/package.json). */
export const RFX_VERSION: string = packageJson.version;

/**
 * Build the `rfx` parser: strict, at least one command, "did you mean" suggestions,
 * `exitProcess(false)`. Usage errors are thrown as {@link UsageError} out of `parseAsync`; help
 * and version text is handed to parseAsync's callback (main writes it to `ctx.io.stdout`).
 * @param ctx I/O, style, clock and exit code shared with the command handlers
 * @param columns terminal width for help text. Defaults to 80.
 * @returns the yargs instance, ready for `parseAsync(argv, {}, callback)`
 */
export function createCli(ctx: CommandContext, columns: number = 80): Argv<GlobalArgs> {
  return yargs()
    .scriptName('rfx')
    .usage('$0 <command> [options]\n\nRead, check and convert Redis RDB files, and read, check, repair, rewrite and compare AOFs, without a server.')
    .options({
      progress: {
        describe: 'Progress bar on stderr for files over 8 MiB (when stderr is a terminal)',
        type: 'boolean',
        default: true,
        global: true,
      },
    })
    .command(inspectCommand(ctx))
    .command(dumpCommand(ctx))
    .command(checkCommand(ctx))
    .command(explainCommand(ctx))
    .command(logCommand(ctx))
    .command(repairCommand(ctx))
    .command(removeCommand(ctx))
    .command(undoFlushallCommand(ctx))
    .command(truncateCommand(ctx))
    .command(rewriteCommand(ctx))
    .command(convertCommand(ctx))
    .command(diffCommand(ctx))
    .demandCommand(1, 'Name a command: inspect, dump, check, explain, log, repair, remove, undo-flushall, truncate, rewrite, convert or diff')
    .recommendCommands()
    .strict()
    .exitProcess(false)
    .fail((message, error, y) => {
      let help = '';
      y.showHelp((text: string) => {
        help = text;
      });
      throw new UsageError(message ?? error?.message ?? 'invalid command line', help);
    })
    .version(RFX_VERSION)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .group(['progress', 'help', 'version'], 'Global Options:')
    .epilogue(
      'Exit codes: 0 ok, 1 declined at the prompt (diff: the datasets differ), 64 usage, 65 corrupt input, 66 input missing, 73 output exists, 74 I/O error.\n' +
        'Reason codes: rfx explain <CODE>. Documentation: packages/cli/README.md',
    )
    .wrap(Math.min(columns, 100));
}
