import { describe, expect, it } from 'vitest';

import { renderHexdump } from '../../src/render/hexdump.js';
import { createStyle } from '../../src/render/style.js';

const plain = createStyle(0);
const bytes = (n: number, from = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('renderHexdump', () => {
  it('Window inside the file: 16-byte aligned lines, caret under the marked byte', () => {
    expect(renderHexdump(bytes(20, 0x41), 0x1a, 0x20, plain)).toMatchInlineSnapshot(`
      "00000010:                               41 42 43 44 45 46            ABCDEF
      00000020: 47 48 49 4a 4b 4c 4d 4e 4f 50 51 52 53 54        GHIJKLMNOPQRST
                ^^
      "
    `);
  });

  it('Mark at the end of the bytes: points at the end of the file', () => {
    expect(renderHexdump(bytes(4, 0), 12, 16, plain)).toMatchInlineSnapshot(`
      "00000000:                                     00 01 02 03              ....
      00000010:
                ^ end of file
      "
    `);
  });

  it('Colour: the marked byte is highlighted', () => {
    const out = renderHexdump(bytes(3), 0, 1, createStyle(1));
    expect(out).toContain('\u001b[7m');
    expect(out.split('\n')[0]).toContain('00');
  });
});
