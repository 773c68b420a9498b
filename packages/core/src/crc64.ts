// CRC-64/Jones as Redis computes it (reflected, poly 0xAD93D23594C935A9, init 0, xorout 0).
// Source of truth: redis/src/crc64.c (crc64, _crc64). Slicing-by-8 over two 32-bit halves, so the
// hot loop never touches BigInt; the 64-bit value is assembled only when asked for.

// Reflected polynomial 0x95AC9329AC4BC9B5 as hi/lo halves.
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

// TABLE_LO[k * 256 + i], TABLE_HI[k * 256 + i]: CRC of byte i followed by k zero bytes.
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

for (let i = 0; i < 256; i++) {
  let lo = i;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TABLE_LO[i] = lo;
  TABLE_HI[i] = hi;
}
for (let k = 1; k < 8; k++) {
  for (let i = 0; i < 256; i++) {
    const plo = TABLE_LO[(k - 1) * 256 + i]!;
    const phi = TABLE_HI[(k - 1) * 256 + i]!;
    const idx = plo & 0xff;
    TABLE_LO[k * 256 + i] = (((plo >>> 8) | (phi << 24)) ^ TABLE_LO[idx]!) >>> 0;
    TABLE_HI[k * 256 + i] = ((phi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
  }
}

/**
 * Incremental CRC-64/Jones. `update` may be called with any split of the input:
 * `crc(a ‖ b) = update(update(0, a), b)`.
 * @see redis/src/crc64.c crc64
 */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  /** Feed `bytes` (any length, any split). */
  update(bytes: Uint8Array): void {
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    const n = bytes.length;
    const end8 = n - (n % 8);
    const T = TABLE_LO;
    const H = TABLE_HI;
    for (; i < end8; i += 8) {
      lo ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
      hi ^= bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
      const a = 7 * 256 + (lo & 0xff);
      const b = 6 * 256 + ((lo >>> 8) & 0xff);
      const c = 5 * 256 + ((lo >>> 16) & 0xff);
      const d = 4 * 256 + (lo >>> 24);
      const e = 3 * 256 + (hi & 0xff);
      const f = 2 * 256 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff);
      const h = hi >>> 24;
      lo = T[a]! ^ T[b]! ^ T[c]! ^ T[d]! ^ T[e]! ^ T[f]! ^ T[g]! ^ T[h]!;
      hi = H[a]! ^ H[b]! ^ H[c]! ^ H[d]! ^ H[e]! ^ H[f]! ^ H[g]! ^ H[h]!;
    }
    for (; i < n; i++) {
      const idx = (lo ^ bytes[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T[idx]!;
      hi = (hi >>> 8) ^ H[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** The CRC of everything fed so far, as an unsigned 64-bit value. */
  digest(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }
}

/**
 * CRC-64/Jones of one buffer (initial value 0).
 * @param bytes input
 * @returns the checksum as an unsigned 64-bit bigint (`0xe9c6d914c4b8d9ca` for "123456789")
 * @see redis/src/crc64.c crc64
 */
export function crc64(bytes: Uint8Array): bigint {
  const c = new Crc64();
  c.update(bytes);
  return c.digest();
}
