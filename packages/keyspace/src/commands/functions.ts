// FUNCTION LOAD / DELETE / FLUSH / RESTORE on the keyspace's library map. The library code is
// kept, not run: the metadata line is validated as Redis does, but errors only Lua would find
// (syntax, no function registered, a function name used by another library) are not detected.
// Source of truth: redis/src/functions.c (functionExtractLibMetaData, functionsCreateWithLibraryCtx,
// functionRestoreCommand), redis/src/rdb.c rdbFunctionLoad.

import { ByteWindow, crc64 } from '@redis-forensics/core';
import { RDB_OPCODE_FUNCTION2, RDB_OPCODE_FUNCTION_PRE_GA, readStringObject } from '@redis-forensics/rdb';

import { bytesToLatin1, latin1ToBytes } from '../byte-string.js';
import { ERR, fail, isOpt } from '../exec-context.js';
import { OK } from '../reply.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { FunctionLibrary } from '../keyspace.js';
import type { Reply } from '../reply.js';

/** sdssplitargs for the shebang line (quotes and escapes as redis-cli parses them). */
function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let cur = '';
    let inq = false;
    let insq = false;
    for (;;) {
      const c = line[i];
      if (inq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] !== undefined) {
          const n = line[++i]!;
          cur += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === 'b' ? '\b' : n === 'a' ? '\x07' : n;
        } else if (c === '"') {
          if (line[i + 1] !== undefined && !/\s/.test(line[i + 1]!)) return null;
          inq = false;
          i++;
          break;
        } else cur += c;
      } else if (insq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === "'") {
          cur += "'";
          i++;
        } else if (c === "'") {
          if (line[i + 1] !== undefined && !/\s/.test(line[i + 1]!)) return null;
          insq = false;
          i++;
          break;
        } else cur += c;
      } else if (c === undefined || /\s/.test(c)) break;
      else if (c === '"') inq = true;
      else if (c === "'") insq = true;
      else cur += c;
      i++;
    }
    out.push(cur);
  }
  return out;
}

/**
 * Parse a library's `#!<engine> name=<name>` line and check what Redis checks before running it.
 * @see redis/src/functions.c functionExtractLibMetaData, functionsVerifyName
 */
export function parseLibraryMetadata(code: string): FunctionLibrary {
  if (!code.startsWith('#!')) fail('ERR Missing library metadata');
  const nl = code.indexOf('\n');
  if (nl === -1) fail('ERR Invalid library metadata');
  const parts = splitArgs(code.slice(0, nl));
  if (parts === null || parts.length === 0) fail('ERR Invalid library metadata');
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) fail('ERR Invalid metadata value, name argument was given multiple times');
      name = part.slice(5);
      continue;
    }
    fail(`ERR Invalid metadata value given: ${part}`);
  }
  if (name === null) fail('ERR Library name was not given');
  if (engine.toLowerCase() !== 'lua') fail(`ERR Engine '${engine}' not found`);
  if (name.length === 0 || !/^[A-Za-z0-9_]+$/.test(name)) {
    fail('ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
  }
  return { name, engine: 'LUA', code };
}

/** @see redis/src/functions.c functionLoadCommand */
function functionLoad(x: Exec): Reply {
  let replace = false;
  let i = 2;
  for (; i < x.argv.length - 1; i++) {
    if (isOpt(x.argv[i], 'replace')) replace = true;
    else fail(`ERR Unknown option given: ${x.argv[i]}`);
  }
  if (i !== x.argv.length - 1) fail('ERR Function code is missing');
  const lib = parseLibraryMetadata(x.argv[i]!);
  if (x.ks.functions.has(lib.name) && !replace) fail(`ERR Library '${lib.name}' already exists`);
  x.ks.functions.set(lib.name, lib);
  return lib.name;
}

/**
 * Decode a FUNCTION DUMP payload: FUNCTION2 records (opcode 245, then the code as an RDB string),
 * then the RDB version (u16le) and CRC64 (u64le).
 * @returns the libraries, or null when the payload is malformed
 * @see redis/src/functions.c functionRestoreCommand; redis/src/cluster.c verifyDumpPayload
 */
export function decodeFunctionDump(payload: Uint8Array): FunctionLibrary[] | null {
  if (payload.byteLength < 10) return null;
  const footer = payload.byteLength - 10;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const stored = view.getBigUint64(footer + 2, true);
  if (stored !== 0n && crc64(payload.subarray(0, footer + 2)) !== stored) return null;
  const libs: FunctionLibrary[] = [];
  let pos = 0;
  const body = payload.subarray(0, footer);
  try {
    while (pos < body.byteLength) {
      const op = body[pos++]!;
      if (op !== RDB_OPCODE_FUNCTION2 && op !== RDB_OPCODE_FUNCTION_PRE_GA) return null;
      const { value, next } = readStringAt(body, pos);
      pos = next;
      libs.push({ name: '', engine: 'LUA', code: bytesToLatin1(value) });
    }
  } catch {
    return null;
  }
  return libs;
}

/** One RDB string at `pos` of a complete buffer. */
function readStringAt(buf: Uint8Array, pos: number): { value: Uint8Array; next: number } {
  const w = new ByteWindow();
  w.reset(buf, 0, pos);
  const value = readStringObject(w, { maxStringBytes: 512 * 1024 * 1024, fileSize: buf.byteLength, version: 10 });
  return { value: value.slice(), next: w.position };
}

/** @see redis/src/functions.c functionRestoreCommand */
function functionRestore(x: Exec): Reply {
  let policy: 'append' | 'replace' | 'flush' = 'append';
  if (x.argv.length > 4) fail(ERR.syntax);
  if (x.argv.length === 4) {
    const p = x.argv[3]!.toLowerCase();
    if (p !== 'append' && p !== 'replace' && p !== 'flush') fail('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
    policy = p;
  }
  const libs = decodeFunctionDump(latin1ToBytes(x.argv[2]!));
  if (libs === null) fail('ERR payload version or checksum are wrong');
  const parsed = libs.map((l) => parseLibraryMetadata(l.code));
  if (policy === 'append') {
    for (const l of parsed) if (x.ks.functions.has(l.name)) fail(`ERR Library ${l.name} already exists`);
  }
  if (policy === 'flush') x.ks.functions.clear();
  for (const l of parsed) x.ks.functions.set(l.name, l);
  return OK;
}

/** FUNCTION <subcommand>: the writing subcommands; LIST, DUMP, STATS, KILL, HELP change nothing. */
function functionCommand(x: Exec): Reply {
  const sub = x.argv[1]!.toLowerCase();
  switch (sub) {
    case 'load':
      if (x.argv.length < 3) fail(`ERR wrong number of arguments for 'function|load' command`);
      return functionLoad(x);
    case 'delete':
      if (x.argv.length !== 3) fail(`ERR wrong number of arguments for 'function|delete' command`);
      if (!x.ks.functions.delete(x.argv[2]!)) fail('ERR Library not found');
      return OK;
    case 'flush':
      if (x.argv.length > 3) fail(`ERR wrong number of arguments for 'function|flush' command`);
      if (x.argv.length === 3 && !isOpt(x.argv[2], 'async') && !isOpt(x.argv[2], 'sync')) {
        fail('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
      }
      x.ks.functions.clear();
      return OK;
    case 'restore':
      if (x.argv.length < 3) fail(`ERR wrong number of arguments for 'function|restore' command`);
      return functionRestore(x);
    case 'list':
    case 'dump':
    case 'stats':
    case 'kill':
    case 'help':
      return null;
    default:
      fail(`ERR unknown subcommand '${x.argv[1]}'. Try FUNCTION HELP.`);
  }
}

/** Function commands by lowercase name, with Redis's arity. */
export const FUNCTION_COMMANDS: CommandTable = {
  function: { arity: -2, fn: functionCommand },
};
