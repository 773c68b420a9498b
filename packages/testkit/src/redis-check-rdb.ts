// redis-check-rdb as a referee: run it on a file and read its verdict, error offset and "doing".
// Output format: redis/src/redis-check-rdb.c rdbCheckError, rdbCheckInfo.

import { execFile } from 'node:child_process';

import { requireRedisTool } from './redis-server.js';

/** What redis-check-rdb said about one file. */
export interface RedisCheckRdbResult {
  /** The process exit code: 0 when the file is valid. */
  exitCode: number;
  /** True when it printed "RDB looks OK" and exited 0. */
  ok: boolean;
  /** stdout and stderr, in that order. */
  output: string;
  /** The `[offset N]` of the `--- RDB ERROR DETECTED ---` report (bytes it had read), or null. */
  errorOffset: number | null;
  /** The error line after the offset (`Unexpected EOF reading RDB file`, `RDB CRC error`, ...), or null. */
  error: string | null;
  /** `[additional info] While doing: <phase>`, or null. */
  doing: string | null;
  /** Wall time, in ms. */
  ms: number;
}

/**
 * Run `redis-check-rdb <path>` and parse its report.
 * @throws Error with the install hint when redis-check-rdb is missing
 */
export function runRedisCheckRdb(path: string): Promise<RedisCheckRdbResult> {
  const tool = requireRedisTool('redis-check-rdb');
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(tool, [path], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const exitCode = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      const afterBanner = output.split('--- RDB ERROR DETECTED ---')[1];
      const m = afterBanner === undefined ? null : /\[offset (\d+)\] ([^\n]*)/.exec(afterBanner);
      const doing = /While doing: (\S+)/.exec(output);
      resolve({
        exitCode,
        ok: exitCode === 0 && output.includes('RDB looks OK'),
        output,
        errorOffset: m === null ? null : Number(m[1]),
        error: m === null ? null : m[2]!.trim(),
        doing: doing === null ? null : doing[1]!,
        ms: performance.now() - started,
      });
    });
  });
}
