// Where an edited AOF goes and how rfx gets there, shared by repair, remove, undo-flushall and
// truncate: `-o OUT` (a new file, or a new directory for a multi-part AOF), `--in-place` (with an
// optional backup), `--dry-run`; never over an existing path without `--force`; "Continue?
// [y/N]" only when a person is at the terminal and `--yes` was not given. The commands that write
// a new dataset (rewrite, convert) share the same rules through WRITE_OUTPUT_OPTIONS (no
// --in-place: their output is never the input).

import { writeEditedAof } from '@redis-forensics/aof';
import { OutputExistsError, pathExists } from '@redis-forensics/core';

import { confirm } from './confirm.js';
import { EX_ABORTED, EX_OK } from './exit-codes.js';
import { formatBytes, formatCountOf } from './render/units.js';
import { UsageError } from './usage-error.js';

import type { Options } from 'yargs';
import type { AofEditPlan, WriteAofResult } from '@redis-forensics/aof';
import type { CommandContext } from './commands/command-context.js';
import type { ExitCode } from './exit-codes.js';

/** The output options of every command that writes. */
export interface EditOutputArgs {
  output: string | undefined;
  'in-place': boolean;
  'backup-suffix': string | undefined;
  'dry-run': boolean;
  yes: boolean;
  force: boolean;
}

/** The yargs options table of {@link EditOutputArgs} (declared once, used by each command). */
export const EDIT_OUTPUT_OPTIONS = {
  output: {
    alias: 'o',
    describe: 'Write the result here: a file for a single-file AOF, a new directory for a multi-part one',
    type: 'string',
    requiresArg: true,
  },
  'in-place': { describe: 'Replace the edited files of the input atomically', type: 'boolean', default: false },
  'backup-suffix': { describe: 'With --in-place: keep each replaced file as <name><suffix>', type: 'string', requiresArg: true },
  'dry-run': { describe: 'Only show what would change; write nothing', type: 'boolean', default: false },
  yes: { alias: 'y', describe: 'Do not ask "Continue? [y/N]" (never asked when stdin is not a terminal)', type: 'boolean', default: false },
  force: { describe: 'Overwrite an existing output (or backup) path', type: 'boolean', default: false },
} as const satisfies Record<string, Options>;

/** The option names, for `.group()`. */
export const EDIT_OUTPUT_GROUP: string[] = ['output', 'in-place', 'backup-suffix', 'dry-run', 'yes', 'force'];

/**
 * yargs `.check` for the output options: `-o` is required unless `--in-place` or `--dry-run`;
 * `-o` and `--in-place` exclude each other; `--backup-suffix` needs `--in-place`.
 * @param args the parsed options
 * @returns true
 * @throws Error with the usage message
 */
export function checkEditOutputArgs(args: EditOutputArgs): true {
  if (args.output !== undefined && args['in-place']) throw new Error('Give either -o/--output or --in-place, not both');
  if (args['backup-suffix'] !== undefined && !args['in-place']) throw new Error('--backup-suffix only goes with --in-place');
  if (args['backup-suffix'] === '') throw new Error('--backup-suffix needs a non-empty suffix, e.g. .bak');
  if (args.output === undefined && !args['in-place'] && !args['dry-run']) {
    throw new Error('Say where to write: -o OUT (a new file or directory), --in-place, or --dry-run to only look');
  }
  return true;
}

/** What applying an edit came to. */
export interface EditOutcome {
  exitCode: ExitCode;
  /** What was written, or null for a dry run or an abort. */
  result: WriteAofResult | null;
}

/**
 * Apply a planned edit as the options say: nothing for `--dry-run`; otherwise refuse an existing
 * output without `--force` (before asking anything), ask "Continue? [y/N]" when a person is at
 * the terminal, write atomically, and print the output path and what changed to stdout.
 * @param ctx I/O and style
 * @param plan the library's edit plan
 * @param args the output options
 * @returns the exit code and the write result
 * @throws {@link OutputExistsError} (exit 73) when the output exists and `--force` is not set;
 *   {@link UsageError} when stdin is a terminal but no prompt is available; Node I/O errors
 */
export async function applyEdit(ctx: CommandContext, plan: AofEditPlan, args: EditOutputArgs): Promise<EditOutcome> {
  const { io, style } = ctx;
  if (args['dry-run']) {
    io.stdout.write(`${style.dim('dry run:')} nothing written\n`);
    return { exitCode: EX_OK, result: null };
  }
  if (!args['in-place'] && !args.force && (await pathExists(args.output!))) throw new OutputExistsError(args.output!);
  if (!(await confirmWrite(ctx, args.yes))) return { exitCode: EX_ABORTED, result: null };
  const result = await writeEditedAof(plan, {
    output: args.output,
    inPlace: args['in-place'],
    backupSuffix: args['backup-suffix'],
    force: args.force,
  });
  const n = result.bytesRemoved;
  const removed = `${formatCountOf(n, 'byte')}${n < 1024 ? '' : ` (${formatBytes(n)})`} removed`;
  const lines = [`${style.good('wrote')} ${result.output}: ${removed}`];
  for (const w of result.written) if (w !== result.output) lines.push(`  ${w}`);
  for (const b of result.backups) lines.push(`  backup ${b}`);
  io.stdout.write(lines.join('\n') + '\n');
  return { exitCode: EX_OK, result };
}

/**
 * Ask "Continue? [y/N]" when a person is at the terminal and `--yes` was not given; print
 * `rfx: aborted; nothing written` on stderr when declined.
 * @param ctx I/O
 * @param yes `--yes` was given
 * @returns true to go on, false when declined (the caller exits {@link EX_ABORTED})
 * @throws {@link UsageError} when stdin is a terminal but no prompt is available
 */
export async function confirmWrite(ctx: CommandContext, yes: boolean): Promise<boolean> {
  const answer = await confirm(ctx.io, yes);
  if (answer === 'cannot-ask') throw new UsageError('stdin is a terminal but rfx cannot ask for confirmation here: pass --yes', '');
  if (answer === 'no') {
    ctx.io.stderr.write('rfx: aborted; nothing written\n');
    return false;
  }
  return true;
}

/** The output options of the commands that write a new dataset (rewrite, convert). */
export interface WriteOutputArgs {
  output: string | undefined;
  'dry-run': boolean;
  yes: boolean;
  force: boolean;
}

/** The yargs options table of {@link WriteOutputArgs}. */
export const WRITE_OUTPUT_OPTIONS = {
  output: { alias: 'o', describe: 'Write the result here (a new file, or a new directory for --multi-part)', type: 'string', requiresArg: true },
  'dry-run': { describe: 'Do all the work and show the figures, but write nothing', type: 'boolean', default: false },
  yes: EDIT_OUTPUT_OPTIONS.yes,
  force: { describe: 'Overwrite an existing output path', type: 'boolean', default: false },
} as const satisfies Record<string, Options>;

/** The option names of {@link WRITE_OUTPUT_OPTIONS}, for `.group()`. */
export const WRITE_OUTPUT_GROUP: string[] = ['output', 'dry-run', 'yes', 'force'];

/**
 * yargs `.check` for {@link WriteOutputArgs}: `-o` is required unless `--dry-run`.
 * @throws Error with the usage message
 */
export function checkWriteOutputArgs(args: WriteOutputArgs): true {
  if (args.output === undefined && !args['dry-run']) throw new Error('Say where to write: -o OUT, or --dry-run to only look');
  if (args.output === '') throw new Error('-o needs a path');
  return true;
}

/**
 * Before any work: refuse an existing output without `--force` (exit 73, nothing read or written).
 * @throws {@link OutputExistsError}
 */
export async function refuseExistingOutput(args: WriteOutputArgs): Promise<void> {
  if (args['dry-run'] || args.force || args.output === undefined) return;
  if (await pathExists(args.output)) throw new OutputExistsError(args.output);
}

