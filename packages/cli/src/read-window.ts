// Read a few bytes of a file at an offset, for hexdumps around an error.

import { open } from 'node:fs/promises';

/**
 * The bytes of `path` in `[start, start + byteLength)`, clipped to the file.
 * @param path file to read
 * @param start first byte offset (clamped to 0)
 * @param byteLength how many bytes at most
 * @returns the bytes read (shorter at the end of the file)
 * @throws Node I/O errors (ENOENT, EACCES, ...)
 */
export async function readWindow(path: string, start: number, byteLength: number): Promise<Uint8Array> {
  const from = Math.max(0, start);
  const handle = await open(path, 'r');
  try {
    const buf = new Uint8Array(Math.max(0, byteLength - (from - start)));
    const { bytesRead } = await handle.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
