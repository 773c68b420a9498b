// xxd-style hexdump of a few bytes of a file, with one byte marked (where an error points).

import type { Style } from './style.js';

const BYTES_PER_LINE = 16;

/**
 * Render `bytes` (read from file offset `start`) as xxd-like lines of 16 bytes:
 * `0001c440: 00 01 02 ... 0f  ................`, lines aligned to 16-byte boundaries. The byte at
 * `mark` is highlighted (inverse red in colour) and a line under its row points at it with `^^`;
 * a `mark` past the last byte (an unexpected end of file) is pointed at as `^ end of file`.
 * @param bytes the bytes to show
 * @param start absolute file offset of `bytes[0]`
 * @param mark absolute file offset to mark
 * @param style colours
 * @returns the lines, each ending with a newline
 */
export function renderHexdump(bytes: Uint8Array, start: number, mark: number, style: Style): string {
  const end = start + bytes.length;
  const first = start - (start % BYTES_PER_LINE);
  const last = Math.max(end - 1, mark);
  let out = '';
  for (let line = first; line <= last; line += BYTES_PER_LINE) {
    const cells: string[] = [];
    let ascii = '';
    for (let i = 0; i < BYTES_PER_LINE; i++) {
      const at = line + i;
      if (at < start || at >= end) {
        cells.push('  ');
        ascii += ' ';
        continue;
      }
      const b = bytes[at - start]!;
      const h = b.toString(16).padStart(2, '0');
      const ch = b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      cells.push(at === mark ? style.chalk.inverse(style.bad(h)) : h);
      ascii += at === mark ? style.chalk.inverse(ch) : ch;
    }
    const prefix = `${line.toString(16).padStart(8, '0')}: `;
    out += `${prefix}${cells.join(' ')}  ${ascii}`.trimEnd() + '\n';
    if (mark >= line && mark < line + BYTES_PER_LINE) {
      const pointer = mark < end ? '^^' : '^ end of file';
      out += ' '.repeat(prefix.length + (mark - line) * 3) + style.bad(pointer) + '\n';
    }
  }
  return out;
}
