// redis-check-aof as a referee: run it on a copy (it opens its input read-write) and read its
// verdict. Output format: redis/src/redis-check-aof.c checkSingleAof, checkMultiPartAof.

import { execFile } from 'node:child_process';
import { accessSync, constants, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';

/** How to get the tool when it is missing. */
const INSTALL_HINT = 'Install it with the Redis tools (Debian/Ubuntu: apt-get install -y redis-tools, which puts it in /usr/bin), or set REDIS_CHECK_AOF to its path.';

/** The redis-check-aof binary: $REDIS_CHECK_AOF, then PATH, then /usr/bin and /usr/local/bin. */
export function requireRedisCheckAof(): string {
  const env = process.env['REDIS_CHECK_AOF'];
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'].filter((d) => d !== '');
  for (const candidate of [...(env === undefined ? [] : [env]), ...dirs.map((d) => join(d, 'redis-check-aof'))]) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(`redis-check-aof is not installed (not on PATH, nor in /usr/bin or /usr/local/bin): these tests use it as the referee. ${INSTALL_HINT}`);
}

/** What redis-check-aof said. */
export interface RedisCheckAofResult {
  exitCode: number;
  /** Exit 0 and a "valid" verdict. */
  valid: boolean;
  output: string;
}

/**
 * Run `redis-check-aof <copy>` on a copy of `path` (a file, or a multi-part directory whose
 * manifest is passed), so that the original cannot be touched.
 * @param path AOF file or appendonlydir
 * @returns exit code and output
 */
export function runRedisCheckAof(path: string): Promise<RedisCheckAofResult> {
  const tool = requireRedisCheckAof();
  const dir = mkdtempSync(join(tmpdir(), 'rfx-referee-'));
  const copy = join(dir, basename(path));
  cpSync(path, copy, { recursive: true });
  const target = statSync(copy).isDirectory() ? join(copy, 'appendonly.aof.manifest') : copy;
  return new Promise((resolve) => {
    execFile(tool, [target], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const exitCode = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      rmSync(dir, { recursive: true, force: true });
      resolve({ exitCode, valid: exitCode === 0 && /^(AOF .* is valid|All AOF files and manifest are valid)$/m.test(output), output });
    });
  });
}
