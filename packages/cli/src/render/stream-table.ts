// A cli-table3 table printed a page at a time: fixed column widths, so the header, every page of
// rows and the bottom border line up although no more than one page is ever held.

import Table from 'cli-table3';

import type { Align, Style } from './style.js';

/** Cells that are printable ASCII only: one character is one column. */
const ASCII = /^[\x20-\x7e]*$/;

/** A table whose rows are rendered in pages with fixed column widths (longer cells end in `…`). */
export class StreamTable {
  private readonly style: Style;
  private readonly head: string[];
  private readonly widths: number[];
  private readonly align: Align[];

  /**
   * @param style colours
   * @param head column titles
   * @param widths content width of each column, in characters (cells are cut to fit)
   * @param align per-column alignment
   */
  constructor(style: Style, head: string[], widths: number[], align: Align[]) {
    this.style = style;
    this.head = head;
    this.widths = widths;
    this.align = align;
  }

  private render(rows: string[][]): string[] {
    const table = new Table({
      head: this.head.map((h) => this.style.chalk.bold(h)),
      colWidths: this.widths.map((w) => w + 2),
      colAligns: this.align,
      style: { head: [], border: [], compact: true },
    });
    for (const row of rows) table.push(row);
    return table.toString().split('\n');
  }

  /** The top border, the titles and the line under them. */
  header(): string {
    return this.render([this.head.map(() => '')]).slice(0, 3).join('\n') + '\n';
  }

  /** A row of printable ASCII cells laid out as cli-table3 lays it out (fast path: no width measuring). */
  private asciiRow(row: string[]): string {
    let line = '│';
    for (let i = 0; i < this.widths.length; i++) {
      const w = this.widths[i]!;
      let cell = row[i] ?? '';
      if (cell.length > w) cell = `${cell.slice(0, w - 1)}…`;
      const pad = ' '.repeat(w - cell.length);
      const align = this.align[i] ?? 'left';
      const text = align === 'right' ? pad + cell : align === 'center' ? pad.slice(0, pad.length >> 1) + cell + pad.slice(pad.length >> 1) : cell + pad;
      line += ` ${text} │`;
    }
    return line;
  }

  /**
   * One page of body rows. Rows of printable ASCII are laid out directly (cli-table3 measures
   * every cell's display width, which is slow for long logs); others go through cli-table3.
   * @param rows cells, one string per column
   * @returns the row lines, each ending with a newline ('' for no rows)
   */
  rows(rows: string[][]): string {
    let out = '';
    for (const row of rows) {
      out += (row.every((c) => ASCII.test(c)) ? this.asciiRow(row) : this.render([row]).slice(3, -1).join('\n')) + '\n';
    }
    return out;
  }

  /** The bottom border. */
  footer(): string {
    return this.render([this.head.map(() => '')]).at(-1)! + '\n';
  }
}
