// Real redis-server as the AOF oracle: start a server that loads a prepared AOF (multi-part
// directory or a legacy single file), feed raw RESP into a server as a client would, wait for
// BGREWRITEAOF, and compare datasets with DEBUG DIGEST.

import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { requireRedisTool, startRedisServer } from './redis-server.js';

import type { RedisServerHandle, StartRedisServerOptions } from './redis-server.js';

/** Options of {@link startRedisServerOnAof}. */
export interface StartOnAofOptions {
  /** `aof-load-truncated`. Defaults to false: a truncated tail makes the server refuse to start. */
  loadTruncated?: boolean;
  /** `appendfilename`. Defaults to `appendonly.aof`. */
  appendfilename?: string;
  /** `appenddirname`. Defaults to `appendonlydir`. */
  appenddirname?: string;
  /** More configuration, after the AOF settings. Defaults to none. */
  config?: StartRedisServerOptions['config'];
}

/**
 * Start redis-server with `--dir dir --appendonly yes`, so it loads what `dir` holds: the
 * multi-part AOF in `dir/<appenddirname>`, or a legacy single file `dir/<appendfilename>` (which
 * Redis 7 moves into a new directory and loads as the base). The server may append to the AOF;
 * pass a copy. `dir` is not removed by `stop()`.
 * @throws Error with the server's log when it refuses the AOF and exits
 */
export function startRedisServerOnAof(dir: string, options: StartOnAofOptions = {}): Promise<RedisServerHandle> {
  return startRedisServer({
    config: [
      ['dir', dir],
      ['appendonly', 'yes'],
      ['appendfilename', options.appendfilename ?? 'appendonly.aof'],
      ['appenddirname', options.appenddirname ?? 'appendonlydir'],
      ['aof-load-truncated', options.loadTruncated === true ? 'yes' : 'no'],
      ['auto-aof-rewrite-percentage', 0],
      ...(options.config ?? []),
    ],
  });
}

/** Log lines in which the server reports a problem with the AOF it loaded (empty when clean). */
export function aofLoadProblems(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => /Bad file format|Unexpected end of file|short read|Truncating the AOF|Revert incomplete|truncated|Unrecoverable error|not exist|Fatal|Unknown command/i.test(l));
}

/** Whether the log says the dataset was loaded from the AOF. */
export function loadedFromAof(log: string): boolean {
  return /DB loaded from (append only file|base file|incr file)/.test(log);
}

/** `DEBUG DIGEST` of the whole dataset (40 hex digits; all zeros when empty). */
export async function serverDigest(server: RedisServerHandle): Promise<string> {
  return ((await server.call('DEBUG', 'DIGEST')) as Buffer).toString('latin1');
}

/** Total keys over every db, from INFO keyspace. */
export async function serverKeyCount(server: RedisServerHandle): Promise<number> {
  const info = ((await server.call('INFO', 'keyspace')) as Buffer).toString('latin1');
  let n = 0;
  for (const m of info.matchAll(/keys=(\d+)/g)) n += Number(m[1]);
  return n;
}

/**
 * Send raw RESP commands (an AOF's bytes, without annotations) to the server as a client, through
 * `redis-cli --pipe`, so the server executes exactly those commands.
 * @returns the number of replies
 * @throws Error when redis-cli reports any error reply
 */
export function pipeRespIntoServer(server: RedisServerHandle, bytes: Uint8Array): Promise<number> {
  const cli = spawn(requireRedisTool('redis-cli'), ['-s', server.socketPath, '--pipe'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  cli.stdout.on('data', (d: Buffer) => (output += d.toString()));
  cli.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    cli.once('error', reject);
    cli.once('exit', (code) => {
      const m = /errors: (\d+), replies: (\d+)/.exec(output);
      if (code !== 0 || m === null || m[1] !== '0') reject(new Error(`redis-cli --pipe failed (exit ${code}):\n${output}`));
      else resolve(Number(m[2]));
    });
    cli.stdin.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

/** Run BGREWRITEAOF and wait until the rewrite is done and its base file is in the manifest. */
export async function rewriteAofAndWait(server: RedisServerHandle, timeoutMs: number = 20_000): Promise<void> {
  await server.call('BGREWRITEAOF');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = ((await server.call('INFO', 'persistence')) as Buffer).toString('latin1');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info) && /aof_last_bgrewrite_status:ok/.test(info)) return;
    if (Date.now() > deadline) throw new Error(`BGREWRITEAOF did not finish within ${timeoutMs} ms:\n${info}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The AOF directory of a server started with the default `appenddirname`. */
export function aofDirOf(server: RedisServerHandle, appenddirname: string = 'appendonlydir'): string {
  return join(server.dir, appenddirname);
}
