import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';

import { StreamTable } from '../../src/render/stream-table.js';
import { createStyle } from '../../src/render/style.js';

import type { Align } from '../../src/render/style.js';

describe('StreamTable', () => {
  it('Pages: header, rows in two pages and the footer line up as one table; long cells are cut', () => {
    const t = new StreamTable(createStyle(0), ['#', 'key'], [3, 6], ['right', 'left']);
    const text = t.header() + t.rows([['1', 'a'], ['22', 'a-long-key']]) + t.rows([['333', 'b']]) + t.rows([]) + t.footer();
    expect(text).toMatchInlineSnapshot(`
      "┌─────┬────────┐
      │   # │ key    │
      ├─────┼────────┤
      │   1 │ a      │
      │  22 │ a-lon… │
      │ 333 │ b      │
      └─────┴────────┘
      "
    `);
  });
});

describe('StreamTable fast path', () => {
  it('ASCII rows: laid out exactly as cli-table3 lays them out (widths, cuts, alignment)', () => {
    const head = ['#', 'name', 'mid'];
    const widths = [4, 7, 6];
    const align: Align[] = ['right', 'left', 'center'];
    const rows = [['1', 'abc', 'x'], ['12345', 'abcdefgh', 'xy'], ['', '', ''], ['7', 'exactly', 'xyz12'], ['', 'a b', 'xyz123z']];
    const reference = new Table({ head, colWidths: widths.map((w) => w + 2), colAligns: align, style: { head: [], border: [], compact: true } });
    for (const r of rows) reference.push(r);
    const expected = reference.toString().split('\n').slice(3, -1).join('\n') + '\n';
    expect(new StreamTable(createStyle(0), head, widths, align).rows(rows)).toBe(expected);
  });
});
