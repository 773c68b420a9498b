// The multi-part AOF manifest: one `file <name> seq <n> type <b|h|i>` line per file.
// Source of truth: redis/src/aof.c aofLoadManifestFromFile, aofInfoFormat, getAofManifestAsString;
// redis/src/sds.c sdssplitargs, sdsneedsrepr, sdscatrepr.

import { FormatError } from '@redis-forensics/core';

/** Longest manifest line, LF included. @see redis/src/aof.c MANIFEST_MAX_LINE */
export const MANIFEST_MAX_LINE = 1024;

/** One file of a multi-part AOF. @see redis/src/server.h aofInfo */
export interface AofInfo {
  fileName: string;
  fileSeq: number;
  fileType: 'b' | 'h' | 'i';
}

/** A parsed manifest. @see redis/src/server.h aofManifest */
export interface AofManifest {
  baseAofInfo: AofInfo | null;
  incrAofList: AofInfo[];
  historyAofList: AofInfo[];
}

/**
 * Split a line the way sdssplitargs does: whitespace-separated tokens, `"..."` with `\xHH`, `\n`,
 * `\r`, `\t`, `\b`, `\a` and `\<c>` escapes, `'...'` with only `\'`; a closing quote must be
 * followed by whitespace or the end.
 * @returns the tokens as latin1 strings (one char per byte), or null for unbalanced quotes
 * @see redis/src/sds.c sdssplitargs
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return out;
    let cur = '';
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = line[i];
      if (inq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (insq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          cur += c;
        }
      } else {
        // Unquoted tokens end only at space, \n, \r, \t (not \v, \f) or the end, as in sds.c.
        if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t') done = true;
        else if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

/**
 * The name to give Node's fs for a manifest file name. Names are kept as latin1 strings (one char
 * per byte), but Node encodes path strings as UTF-8: a name whose bytes are valid UTF-8 (such as
 * `données.aof.1.incr.aof`) is therefore decoded, so that fs gets the very bytes Redis wrote.
 * Other byte sequences cannot be expressed as a path string and stay as they are.
 */
export function aofFileNameOnDisk(name: string): string {
  const bytes = Buffer.from(name, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : name;
}

/** Whether a manifest file name is a bare name that stays inside the AOF directory. */
export function isSafeAofFileName(name: string): boolean {
  return name.length > 0 && !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..' && !name.includes('\0');
}

/**
 * Parse a manifest exactly as Redis does at startup, plus our own safety rule: a file name that
 * is a path, `.`/`..` or contains NUL is rejected (Redis rejects `/` and `\` only).
 * @param bytes the manifest file content
 * @param file the manifest's name, for errors
 * @throws {@link FormatError} MANIFEST_BAD_LINE (empty manifest, too long or unterminated line,
 *   bad tokens, missing fields, unknown type, duplicate base, non-monotonic incr seq),
 *   MANIFEST_UNSAFE_NAME; the offset is the start of the offending line
 * @see redis/src/aof.c aofLoadManifestFromFile
 */
export function parseManifest(bytes: Uint8Array, file?: string): AofManifest {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const am: AofManifest = { baseAofInfo: null, incrAofList: [], historyAofList: [] };
  const ctx = { file, phase: 'read-manifest' as const };
  if (text.length === 0) throw new FormatError('MANIFEST_BAD_LINE', 0, 'found an empty AOF manifest', ctx);
  let maxSeq = 0;
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const raw = text.slice(at, lineEnd);
    const lineAt = at;
    at = lineEnd;
    // fgets reads at most MANIFEST_MAX_LINE bytes: a longer line arrives in pieces.
    if (raw.startsWith('#') && raw.length <= MANIFEST_MAX_LINE) continue;
    if (nl < 0 || raw.length > MANIFEST_MAX_LINE) {
      throw new FormatError('MANIFEST_BAD_LINE', lineAt, nl < 0 ? 'last line does not end with \\n' : `line longer than ${MANIFEST_MAX_LINE} bytes`, ctx);
    }
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line.length === 0) throw new FormatError('MANIFEST_BAD_LINE', lineAt, 'empty line', ctx);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) {
      throw new FormatError('MANIFEST_BAD_LINE', lineAt, `invalid AOF manifest line ${JSON.stringify(line)}`, ctx);
    }
    let fileName: string | undefined;
    let fileSeq = 0;
    let fileType: string | undefined;
    for (let i = 0; i < argv.length; i += 2) {
      const k = argv[i]!.toLowerCase();
      const v = argv[i + 1]!;
      if (k === 'file') {
        if (!isSafeAofFileName(v)) {
          throw new FormatError('MANIFEST_UNSAFE_NAME', lineAt, `file name ${JSON.stringify(v)} is a path or leaves the AOF directory`, ctx);
        }
        fileName = v;
      } else if (k === 'seq') {
        fileSeq = atoll(v);
      } else if (k === 'type') {
        fileType = v[0];
      }
    }
    if (fileName === undefined || fileSeq === 0 || fileType === undefined) {
      throw new FormatError('MANIFEST_BAD_LINE', lineAt, `line lacks file, a non-zero seq or type: ${JSON.stringify(line)}`, ctx);
    }
    if (fileType === 'b') {
      if (am.baseAofInfo !== null) throw new FormatError('MANIFEST_BAD_LINE', lineAt, 'found duplicate base file information', ctx);
      am.baseAofInfo = { fileName, fileSeq, fileType };
    } else if (fileType === 'h') {
      am.historyAofList.push({ fileName, fileSeq, fileType });
    } else if (fileType === 'i') {
      if (fileSeq <= maxSeq) throw new FormatError('MANIFEST_BAD_LINE', lineAt, `found a non-monotonic sequence number ${fileSeq}`, ctx);
      am.incrAofList.push({ fileName, fileSeq, fileType });
      maxSeq = fileSeq;
    } else {
      throw new FormatError('MANIFEST_BAD_LINE', lineAt, `unknown AOF file type ${JSON.stringify(fileType)}`, ctx);
    }
  }
  const names = new Set<string>();
  for (const info of [am.baseAofInfo, ...am.historyAofList, ...am.incrAofList]) {
    if (info === null) continue;
    if (names.has(info.fileName)) throw new FormatError('MANIFEST_BAD_LINE', 0, `file ${JSON.stringify(info.fileName)} is listed twice`, ctx);
    names.add(info.fileName);
  }
  return am;
}

/** C atoll: optional whitespace and sign, then digits; stops at the first other character. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

const NEEDS_REPR = /[\\"\n\r\t\x07\b\s]|[^\x20-\x7e]/;

/** A file name as aofInfoFormat writes it: bare, or quoted like sdscatrepr when needed. */
function formatFileName(name: string): string {
  if (!NEEDS_REPR.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += '\\x' + (c & 0xff).toString(16).padStart(2, '0');
  }
  return out + '"';
}

/**
 * Serialize a manifest as Redis writes it: base, then history, then incr files, one
 * `file <name> seq <n> type <t>\n` line each.
 * @returns the manifest bytes (file names are latin1: one byte per char)
 * @see redis/src/aof.c getAofManifestAsString, aofInfoFormat
 */
export function formatManifest(am: AofManifest): Uint8Array {
  let text = '';
  for (const info of [am.baseAofInfo, ...am.historyAofList, ...am.incrAofList]) {
    if (info === null) continue;
    text += `file ${formatFileName(info.fileName)} seq ${info.fileSeq} type ${info.fileType}\n`;
  }
  return new Uint8Array(Buffer.from(text, 'latin1'));
}
