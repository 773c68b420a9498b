// Tell an RDB file from an AOF by what the path is and by its first bytes, so `inspect` and
// `check` take either. The rules follow redis-check-aof's getInputFileType/fileIsManifest and
// the layouts Redis writes: an RDB preamble is an RDB image followed by RESP commands.

import { Buffer } from 'node:buffer';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

import { looksLikeManifest, resolveAof } from '@redis-forensics/aof';

import { readWindow } from './read-window.js';

/** What a path holds, as far as its name, kind and first bytes tell. */
export type InputKind =
  /** Certainly an AOF: a directory, a manifest, a file of an appendonlydir, RESP, or a preamble. */
  | 'aof'
  /** An RDB image; if RESP follows its checksum it is an AOF after all (see {@link isRespTail}). */
  | 'rdb';

/** Bytes read from the start of a file to decide. */
const HEAD_BYTES = 16 * 1024;

// Redis 4.0 .. 6.2 write the AUX field aof-preamble=1 into a preamble (rdbSaveInfoAuxFields):
// opcode 0xfa AUX, the 12-byte key, then "1" int-encoded as 0xc0 0x01 (RDB_ENC_INT8).
const AOF_PREAMBLE_AUX = Uint8Array.from([0xfa, 0x0c, ...Buffer.from('aof-preamble', 'latin1'), 0xc0, 0x01]);

function startsWithMagic(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 6)).toString('latin1');
  return text.startsWith('REDIS') || text === 'VALKEY';
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
}

/**
 * Decide whether `path` is an RDB file or an AOF:
 * - a directory, a manifest, or a file listed by the manifest of its directory: AOF (multi-part);
 * - a file starting with `*` (RESP) or `#` (an annotation): AOF;
 * - a file starting with "REDIS"/"VALKEY": an AOF when it carries the AUX field
 *   `aof-preamble 1` (4.0 .. 6.2 preambles) or is named `*.aof`, else an RDB (the caller checks
 *   for a RESP tail after the RDB's checksum with {@link isRespTail});
 * - anything else: AOF when named `*.aof`, else RDB (whose reader then names the problem).
 * @param path what the user gave
 * @returns the kind
 * @throws Node I/O errors (ENOENT, EACCES, ...) untouched
 */
export async function detectInputKind(path: string): Promise<InputKind> {
  const st = await stat(path);
  if (st.isDirectory()) return 'aof';
  const named = basename(path).endsWith('.aof');
  if (st.size === 0) return named ? 'aof' : 'rdb';
  const head = await readWindow(path, 0, HEAD_BYTES);
  const magic = startsWithMagic(head);
  if (!magic && (head[0] === 0x2a || head[0] === 0x23 || looksLikeManifest(head))) return 'aof';
  // A file of an appendonlydir (the base .rdb too) means the whole multi-part AOF.
  const layout = await resolveAof(path).catch(() => null);
  if (layout !== null && layout.kind === 'multi-part') return 'aof';
  if (magic) return named || indexOf(head, AOF_PREAMBLE_AUX) >= 0 ? 'aof' : 'rdb';
  return named ? 'aof' : 'rdb';
}

/**
 * Whether the bytes after an RDB image's checksum are RESP: the image was an AOF preamble.
 * @param path the file
 * @param offset where the RDB image ended (its trailing bytes start)
 * @returns true when the first trailing byte is `*` or `#`
 */
export async function isRespTail(path: string, offset: number): Promise<boolean> {
  const first = (await readWindow(path, offset, 1))[0];
  return first === 0x2a || first === 0x23;
}
