// Colour and tables for human output. One Chalk instance per run, at the level the caller
// decided (no global chalk), so tests render without escape codes and TTYs get colour.

import { Chalk } from 'chalk';
import Table from 'cli-table3';

import type { ChalkInstance } from 'chalk';

/** Column alignment in {@link Style.table}. */
export type Align = 'left' | 'right' | 'center';

/** What renderers use to colour text and lay out tables. */
export interface Style {
  /** The chalk level in force (0 = plain text). */
  readonly level: 0 | 1 | 2 | 3;
  /** The underlying Chalk instance, for colours the helpers below do not name. */
  readonly chalk: ChalkInstance;
  /** Section titles. */
  heading(text: string): string;
  /** Labels in key/value lines. */
  label(text: string): string;
  /** Secondary text (units, raw values next to interpreted ones). */
  dim(text: string): string;
  /** A good verdict (`OK`, `match`). */
  good(text: string): string;
  /** A warning. */
  warn(text: string): string;
  /** An error or a bad verdict. */
  bad(text: string): string;
  /**
   * A table (cli-table3, compact: no lines between body rows). Cell text may hold colour codes;
   * widths are measured without them.
   * @param head column titles
   * @param rows body rows, one string per column
   * @param align per-column alignment. Defaults to left for every column.
   * @returns the table text without a trailing newline
   */
  table(head: string[], rows: string[][], align?: Align[]): string;
}

/**
 * A {@link Style} rendering at `level`.
 * @param level chalk colour level; 0 produces plain text with no escape codes
 * @returns the style
 */
export function createStyle(level: 0 | 1 | 2 | 3): Style {
  const chalk = new Chalk({ level });
  return {
    level,
    chalk,
    heading: (text) => chalk.bold.underline(text),
    label: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
    good: (text) => chalk.green(text),
    warn: (text) => chalk.yellow(text),
    bad: (text) => chalk.red.bold(text),
    table(head, rows, align) {
      const table = new Table({
        head: head.map((h) => chalk.bold(h)),
        // cli-table3 would colour through its own global colours package: turn that off.
        style: { head: [], border: [], compact: true },
        ...(align === undefined ? {} : { colAligns: align }),
      });
      for (const row of rows) table.push(row);
      return table.toString();
    },
  };
}
