// The CLI as a function: argv and streams in, exit code out. Never exits the process, so tests
// run every command in-process with captured output.

import { createCli, UsageError } from './cli.js';
import { EX_OK, EX_USAGE } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { effectiveColorLevel } from './io.js';
import { createStyle } from './render/style.js';

import type { CommandContext } from './commands/command-context.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

const COMMANDS = ['inspect', 'dump', 'check', 'explain', 'log', 'repair', 'remove', 'undo-flushall', 'truncate', 'rewrite', 'convert', 'diff'] as const;

/**
 * Run `rfx` with `argv` (without the node and script names).
 *
 * Output discipline: data and reports go to `io.stdout`, diagnostics to `io.stderr`. Failures
 * never print a stack trace (unless `RFX_DEBUG` is set, for internal errors): a usage error
 * prints the message (and the help when argv is empty) and returns 64; a FormatError its message, 65; a missing or
 * unreadable input 66; other I/O errors 74; internal errors 70.
 * @param argv command-line arguments, e.g. `['check', 'dump.rdb', '--json']`
 * @param io streams, terminal facts and environment
 * @returns the exit code (sysexits.h), see exit-codes.ts
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EX_OK;
  const now = io.now ?? Date.now;
  const ctx: CommandContext = {
    io,
    style: createStyle(effectiveColorLevel(io)),
    now: () => now(),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const cli = createCli(ctx, io.columns);
  try {
    await cli.parseAsync([...argv], {}, (_error, _args, output) => {
      if (output !== undefined && output !== '') io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    });
  } catch (e) {
    if (e instanceof UsageError) {
      // With no arguments at all, the help is the answer; otherwise the message and a pointer.
      if (argv.length === 0 && e.help !== '') io.stderr.write(`${e.help}\n\n`);
      const command = COMMANDS.find((c) => c === argv[0]);
      io.stderr.write(`rfx: ${e.message}\nRun "rfx ${command === undefined ? '' : `${command} `}--help" for usage.\n`);
      return EX_USAGE;
    }
    const debug = (io.env['RFX_DEBUG'] ?? '') !== '';
    const failure = describeFailure(e, debug);
    if (failure.message !== '') io.stderr.write(`rfx: ${failure.message}\n`);
    return failure.exitCode;
  }
  return exitCode;
}
