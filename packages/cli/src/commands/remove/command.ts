// yargs module for `rfx remove <path> <selectors>`.

import { isEmptySelector } from '../../command-selector.js';
import { applyEdit, checkEditOutputArgs, EDIT_OUTPUT_GROUP, EDIT_OUTPUT_OPTIONS } from '../../edit-output.js';
import { EX_OK } from '../../exit-codes.js';
import { parseTimeSpec } from '../../time-spec.js';
import { createProgress } from '../../render/progress.js';
import { renderRemoveReport } from './render.js';
import { runRemove } from './run-remove.js';

import type { CommandModule } from 'yargs';
import type { RemoveWhich } from '@redis-forensics/aof';
import type { CommandSelector } from '../../command-selector.js';
import type { EditOutputArgs } from '../../edit-output.js';
import type { CommandContext, GlobalArgs } from '../command-context.js';

/** Arguments of `rfx remove`. */
export interface RemoveArgs extends GlobalArgs, EditOutputArgs {
  path: string;
  command: string[] | undefined;
  first: boolean;
  last: boolean;
  all: boolean;
  index: number | undefined;
  offset: number | undefined;
  file: string | undefined;
  match: string | undefined;
  since: number | undefined;
  until: number | undefined;
}

const SELECTORS = ['command', 'index', 'offset', 'file', 'match', 'since', 'until'];

function nonNegativeInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new Error(`--${name} needs a whole number, got ${String(value)}`);
}

/**
 * The `remove` command: take chosen commands out of an AOF, everything else byte-identical.
 * @param ctx I/O, style, clock and exit code of the run
 * @returns the yargs command module
 */
export function removeCommand(ctx: CommandContext): CommandModule<GlobalArgs, RemoveArgs> {
  return {
    command: 'remove <path>',
    describe: 'Remove chosen commands from an AOF (the rest byte-identical; a MULTI/EXEC block left empty goes whole)',
    builder: (y) =>
      y
        .positional('path', { describe: 'AOF: a file, an appendonlydir, its manifest or a file inside it', type: 'string', demandOption: true })
        .options({
          command: {
            describe: 'Commands with this name (any case; repeatable)',
            type: 'string',
            requiresArg: true,
            coerce: (value: string | string[]): string[] => [value].flat(),
          },
          first: { describe: 'Remove the first matching command', type: 'boolean', default: false },
          last: { describe: 'Remove the last matching command (the default)', type: 'boolean', default: false },
          all: { describe: 'Remove every matching command', type: 'boolean', default: false },
          index: { describe: 'The command with this index (as rfx log numbers them)', type: 'number', requiresArg: true },
          offset: { describe: 'The command covering this byte offset (with --file in a multi-part AOF)', type: 'number', requiresArg: true },
          file: { describe: 'Only commands in this file of a multi-part AOF', type: 'string', requiresArg: true },
          match: { describe: 'Commands with a key matching this Redis glob', type: 'string', requiresArg: true },
          since: { describe: 'Commands at or after this #TS time (Unix seconds or ISO date)', type: 'string', requiresArg: true, coerce: parseTimeSpec },
          until: { describe: 'Commands at or before this #TS time (Unix seconds or ISO date)', type: 'string', requiresArg: true, coerce: parseTimeSpec },
          ...EDIT_OUTPUT_OPTIONS,
        })
        .group(SELECTORS, 'Selectors (combined with AND; at least one):')
        .group(['first', 'last', 'all'], 'Which of the matching commands:')
        .group(EDIT_OUTPUT_GROUP, 'Output:')
        .check((args) => {
          if ([args.first, args.last, args.all].filter(Boolean).length > 1) throw new Error('Give at most one of --first, --last, --all');
          nonNegativeInteger('index', args.index);
          nonNegativeInteger('offset', args.offset);
          if (isEmptySelector(selectorOf(args))) {
            throw new Error('Name what to remove: at least one of --command, --index, --offset, --file, --match, --since, --until');
          }
          return checkEditOutputArgs(args);
        })
        .example('$0 remove appendonly.aof --command FLUSHALL --dry-run', 'Show the last FLUSHALL that would go')
        .example('$0 remove appendonlydir --match "tmp:*" --all -o cleaned', 'Every command on tmp:* keys, into a new directory'),
    handler: async (args) => {
      const which: RemoveWhich = args.first ? 'first' : args.all ? 'all' : 'last';
      const progress = createProgress(ctx.io, 'remove', args.progress);
      let report;
      try {
        report = await runRemove({ path: args.path, selector: selectorOf(args), which, progress });
      } finally {
        progress.stop();
      }
      ctx.io.stdout.write(renderRemoveReport(report, ctx.style));
      if (report.removed.length === 0) {
        ctx.setExitCode(EX_OK);
        return;
      }
      ctx.setExitCode((await applyEdit(ctx, report.plan, args)).exitCode);
    },
  };
}

function selectorOf(args: Omit<RemoveArgs, keyof GlobalArgs | keyof EditOutputArgs | 'path' | 'first' | 'last' | 'all'>): CommandSelector {
  return {
    commands: args.command,
    index: args.index,
    offset: args.offset,
    file: args.file,
    match: args.match,
    sinceMs: args.since,
    untilMs: args.until,
  };
}
