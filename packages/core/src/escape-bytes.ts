// Render bytes the way redis-cli prints them: "abc\x00\n". Mirrors redis/src/sds.c sdscatrepr.

const HEX = '0123456789abcdef';

/**
 * Quote `bytes` exactly as redis-cli (sdscatrepr) would: printable ASCII as is, `\\`, `\"`,
 * `\n`, `\r`, `\t`, `\a`, `\b` escaped, every other byte as `\xHH` (lowercase).
 * @param bytes raw Redis string
 * @param maxBytes render at most this many bytes, then `...`. Defaults to no limit.
 * @returns the quoted text, including the surrounding double quotes
 * @see redis/src/sds.c sdscatrepr
 */
export function escapeBytes(bytes: Uint8Array, maxBytes: number = Infinity): string {
  let out = '"';
  const n = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
        else out += '\\x' + HEX[c >> 4]! + HEX[c & 15]!;
    }
  }
  out += '"';
  if (bytes.length > n) out += '...';
  return out;
}

/** Format a byte as `0x..` (two lowercase hex digits), as error messages do. */
export function prettyByte(byte: number): string {
  return '0x' + HEX[(byte >> 4) & 15]! + HEX[byte & 15]!;
}
