// redis-check-aof as a referee: run it and read its `AOF analyzed:` verdict for each file. It opens
// its input read-write (fopen "r+"), so callers pass a copy. Output format:
// redis/src/redis-check-aof.c checkSingleAof, checkMultiPartAof.

import { execFile } from 'node:child_process';

import { requireRedisTool } from './redis-server.js';

/** One `AOF analyzed: filename=..., size=..., ok_up_to=..., ok_up_to_line=..., diff=...` line. */
export interface RedisCheckAofVerdict {
  filename: string;
  size: number;
  okUpTo: number;
  okUpToLine: number;
  diff: number;
}

/** What redis-check-aof said. */
export interface RedisCheckAofResult {
  /** The process exit code: 0 when every file is valid. */
  exitCode: number;
  /** Exit 0 and "is valid" / "All AOF files and manifest are valid". */
  valid: boolean;
  /** stdout and stderr, in that order. */
  output: string;
  /** Every `AOF analyzed:` line, in output order (one per file checked). */
  verdicts: RedisCheckAofVerdict[];
}

/** Parse every `AOF analyzed:` line of redis-check-aof's output. */
export function parseRedisCheckAofOutput(output: string): RedisCheckAofVerdict[] {
  const out: RedisCheckAofVerdict[] = [];
  const re = /AOF analyzed: filename=(.*?), size=(\d+), ok_up_to=(\d+), ok_up_to_line=(\d+), diff=(\d+)/g;
  for (const m of output.matchAll(re)) {
    out.push({ filename: m[1]!, size: Number(m[2]), okUpTo: Number(m[3]), okUpToLine: Number(m[4]), diff: Number(m[5]) });
  }
  return out;
}

/**
 * Run `redis-check-aof [args] <path>` on `path` itself (a plain AOF file or a manifest); pass a copy,
 * since the tool opens its input read-write. Without `--fix` it writes nothing.
 * @throws Error with the install hint when redis-check-aof is missing
 */
export function runRedisCheckAof(path: string, args: readonly string[] = []): Promise<RedisCheckAofResult> {
  const tool = requireRedisTool('redis-check-aof');
  return new Promise((resolve) => {
    execFile(tool, [...args, path], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const exitCode = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({
        exitCode,
        valid: exitCode === 0 && /(^AOF .* is valid$|^All AOF files and manifest are valid$)/m.test(output),
        output,
        verdicts: parseRedisCheckAofOutput(output),
      });
    });
  });
}
