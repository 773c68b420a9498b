// Small-buffer allocation from a shared slab. In V8 `new Uint8Array(n)` costs about half a
// microsecond whatever n is, more than decoding a small value; a subarray of a slab costs ~30 ns.
// The trade-off is Buffer.allocUnsafe's: a small buffer someone keeps holds its 64 KiB slab alive.

const SLAB_BYTES = 64 * 1024;
const SMALL_MAX = 4096;

let slab = new Uint8Array(SLAB_BYTES);
let slabPos = 0;

/**
 * A fresh (not shared with any other caller) byte buffer of `length` bytes. Its content is
 * undefined until written: callers must fill every byte.
 * @param length bytes, any size (buffers over 4 KiB get their own allocation)
 */
export function allocBytes(length: number): Uint8Array {
  if (length > SMALL_MAX) return new Uint8Array(length);
  if (slabPos + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabPos = 0;
  }
  const out = slab.subarray(slabPos, slabPos + length);
  slabPos += (length + 7) & ~7;
  return out;
}
