// Turn anything a command threw into one line on stderr and a sysexits code: bad input never
// prints a stack trace.

import { FormatError, OutputExistsError } from '@redis-forensics/core';
import { UnsupportedCommandError } from '@redis-forensics/keyspace';

import { EX_CANTCREAT, EX_DATAERR, EX_IOERR, EX_NOINPUT, EX_OK, EX_SOFTWARE } from './exit-codes.js';

import type { CommandContext } from './commands/command-context.js';
import type { ExitCode } from './exit-codes.js';

/** How a failure is reported: the exit code and the text for stderr ('' for none). */
export interface Failure {
  exitCode: ExitCode;
  message: string;
}

/** V8's largest Map / Set (2^24 entries): a keyspace db or collection beyond it cannot be held. */
const MAX_MAP_ENTRIES = 2 ** 24;

/** Errno codes meaning "the input cannot be opened" (EX_NOINPUT), with their wording. */
const NOINPUT_CODES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
};

interface ErrnoLike {
  code: string;
  syscall?: string;
  path?: string;
  message: string;
}

function isErrno(e: unknown): e is ErrnoLike {
  if (!(e instanceof Error)) return false;
  const code: unknown = (e as unknown as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/**
 * Classify a thrown value:
 * - {@link FormatError}: EX_DATAERR (65), its message plus the reason code's explanation;
 * - {@link UnsupportedCommandError} (a replay met a command it cannot apply): EX_DATAERR (65),
 *   naming the command, file and offset, with the --skip-unsupported hint;
 * - {@link OutputExistsError} (an output path exists and --force was not given): EX_CANTCREAT (73);
 * - ENOENT, EACCES, EISDIR, ...: EX_NOINPUT (66), `cannot open <path>: <reason>`;
 * - EPIPE (the reader of stdout went away, as with `| head`): EX_OK, silently;
 * - V8's Map/Set size limit (a replayed db or collection over 2^24 entries): EX_SOFTWARE (70),
 *   saying which limit and which conversions do not have it;
 * - other errno errors: EX_IOERR (74), one line;
 * - anything else is a bug: EX_SOFTWARE (70), one line (and the stack when `debug`).
 * @param error what was thrown
 * @param debug include stack traces for internal errors (`RFX_DEBUG=1`)
 * @returns exit code and message (without the `rfx: ` prefix, no trailing newline)
 */
export function describeFailure(error: unknown, debug: boolean = false): Failure {
  if (error instanceof FormatError) {
    const where = error.file === undefined ? '' : `${error.file}: `;
    return {
      exitCode: EX_DATAERR,
      message: `${where}${error.message}\n  ${error.code}: ${error.explanation} (rfx explain ${error.code})`,
    };
  }
  if (error instanceof UnsupportedCommandError) {
    return {
      exitCode: EX_DATAERR,
      message: `${error.message}\n  pass --skip-unsupported to replay without such commands (each one skipped is listed)`,
    };
  }
  if (error instanceof OutputExistsError) {
    return { exitCode: EX_CANTCREAT, message: `${error.path} already exists; nothing was written (use --force to overwrite it)` };
  }
  if (isErrno(error)) {
    if (error.code === 'EPIPE') return { exitCode: EX_OK, message: '' };
    const reason = NOINPUT_CODES[error.code];
    if (reason !== undefined) {
      return { exitCode: EX_NOINPUT, message: `cannot open ${error.path ?? 'input'}: ${reason} (${error.code})` };
    }
    const what = error.syscall === undefined ? 'I/O error' : `${error.syscall} failed`;
    return { exitCode: EX_IOERR, message: `${what}${error.path === undefined ? '' : ` on ${error.path}`}: ${error.message}` };
  }
  if (error instanceof RangeError && /^(Map|Set) maximum size exceeded$/.test(error.message)) {
    return {
      exitCode: EX_SOFTWARE,
      message:
        `the dataset is too large to hold in memory: a database, hash, set or zset has more than ${MAX_MAP_ENTRIES.toLocaleString('en-US')} ` +
        'keys or members, the most one JavaScript Map or Set holds. RDB -> RDB and RDB -> AOF conversions stream and have no such limit',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '';
  return { exitCode: EX_SOFTWARE, message: `internal error: ${message}${stack}` };
}

/**
 * Report the RDB writer's refusal to write data the target cannot hold (RDB_UNREPRESENTABLE,
 * naming the key) with a command-line hint, and set exit 65; anything else is left to the caller.
 * @param ctx I/O and exit code
 * @param error what was thrown
 * @param hint what to do about it (`pass --lossy ...`)
 * @returns true when `error` was reported
 */
export function reportUnrepresentable(ctx: CommandContext, error: unknown, hint: string): boolean {
  if (!(error instanceof FormatError) || error.code !== 'RDB_UNREPRESENTABLE') return false;
  const message = describeFailure(error).message.replace(' (pass lossy: true to leave it out)', '');
  ctx.io.stderr.write(`rfx: ${message}\n  ${hint}\n`);
  ctx.setExitCode(EX_DATAERR);
  return true;
}
