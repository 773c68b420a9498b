// A throw-away redis-server for integration tests, fixtures and the bench: loopback-free (unix
// socket only, `--port 0`), private temp dir, no persistence unless asked (STYLE.md 9.5).

import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { Redis } from 'ioredis';

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /**
   * Extra configuration, as `[name, value]` pairs passed as `--name value` after the defaults
   * (later ones win, so they may override a default such as `appendonly`). Defaults to none.
   */
  config?: ReadonlyArray<readonly [string, string | number]>;
  /** Raw extra arguments appended last. Defaults to none. */
  args?: readonly string[];
  /** How long to wait for PING to answer, in ms. Defaults to 20000. */
  startTimeoutMs?: number;
  /** Path of the redis-server binary. Defaults to the one found by {@link findRedisTool}. */
  binary?: string;
}

/** A running server started by {@link startRedisServer}. */
export interface RedisServerHandle {
  /** The unix socket the server listens on (`<dir>/redis.sock`). */
  readonly socketPath: string;
  /** The server's private working directory (`--dir`); removed by {@link RedisServerHandle.stop}. */
  readonly dir: string;
  /** Where `SAVE` writes: `<dir>/dump.rdb`. */
  readonly rdbPath: string;
  /** The redis-server process id (its parent is a watchdog shell that kills it if we die). */
  readonly pid: number;
  /** The server version, e.g. `7.0.15`. */
  readonly version: string;
  /** The full argument list the server was started with (without the binary). */
  readonly argv: readonly string[];
  /** An ioredis client connected over the unix socket, db 0, no reconnects. */
  readonly client: Redis;
  /**
   * Send one command and return the reply with every bulk string as a `Buffer` (ioredis
   * `callBuffer`), so binary keys and values survive.
   */
  call(command: string, ...args: (string | number | Buffer | Uint8Array)[]): Promise<unknown>;
  /** Run `SAVE` and return {@link RedisServerHandle.rdbPath}. */
  save(): Promise<string>;
  /** What the server printed so far (its log goes to stdout), for error messages. */
  log(): string;
  /** `SHUTDOWN NOSAVE`, then SIGKILL if it does not exit in time; removes {@link RedisServerHandle.dir}. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'Install Debian\'s package: `apt-get install -y redis-server` (it provides redis-server, redis-cli, ' +
  'redis-check-rdb and redis-check-aof; `.ci/run` does this on CI). To run the unit tests only, use ' +
  '`npm run test:unit`; to skip the server tests deliberately, set RFX_SKIP_SERVER_TESTS=1.';

/** Extra places Debian and source builds put the tools, searched after PATH. */
const FALLBACK_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/usr/local/sbin'];

/**
 * Find a Redis executable (`redis-server`, `redis-cli`, `redis-check-rdb`, `redis-check-aof`) on
 * PATH, then in /usr/bin, /usr/local/bin, /usr/sbin and /usr/local/sbin.
 * @returns the absolute path, or undefined when it is not installed
 */
export function findRedisTool(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== ''), ...FALLBACK_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Like {@link findRedisTool}, but throws when the tool is missing.
 * @throws Error whose message says how to install it (`apt-get install -y redis-server`)
 */
export function requireRedisTool(name: string): string {
  const path = findRedisTool(name);
  if (path === undefined) {
    throw new Error(`${name} is not installed (not on PATH, nor in ${FALLBACK_DIRS.join(', ')}). ${INSTALL_HINT}`);
  }
  return path;
}

/**
 * The version of the installed redis-server, from `redis-server --version` (`v=7.0.15` -> `7.0.15`).
 * @throws Error with the install hint when redis-server is missing
 */
export function redisServerVersion(binary: string = requireRedisTool('redis-server')): string {
  const out = execFileSync(binary, ['--version'], { encoding: 'utf8' });
  const m = /v=(\d+\.\d+\.\d+)/.exec(out) ?? /version (\d+\.\d+\.\d+)/.exec(out);
  if (m === null) throw new Error(`cannot find a version in ${JSON.stringify(out.trim())}`);
  return m[1]!;
}

/** Compare dotted versions numerically: negative when `a < b`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Start a private redis-server: `--port 0 --unixsocket <tmp>/redis.sock --unixsocketperm 700
 * --dir <tmp> --save '' --appendonly no --daemonize no` (plus `--enable-debug-command local` from
 * 7.0, so DEBUG works over the socket) and the extra config, then wait until PING answers.
 * @throws Error with the install hint when redis-server is missing; Error with the server's log
 *   when it exits or does not answer in time
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = options.binary ?? requireRedisTool('redis-server');
  const version = redisServerVersion(binary);
  const dir = await mkdtemp(join(tmpdir(), 'rfx-redis-'));
  const socketPath = join(dir, 'redis.sock');
  const argv: string[] = [
    '--port', '0',
    '--unixsocket', socketPath,
    '--unixsocketperm', '700',
    '--dir', dir,
    '--dbfilename', 'dump.rdb',
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--logfile', '',
  ];
  if (compareVersions(version, '7.0.0') >= 0) argv.push('--enable-debug-command', 'local');
  for (const [name, value] of options.config ?? []) argv.push(`--${name}`, String(value));
  argv.push(...(options.args ?? []));

  // The server runs under a tiny sh watchdog that holds our end of a pipe: when this process dies
  // for any reason (a test worker killed on timeout, SIGKILL), the pipe closes and the watchdog
  // kills the server and removes its dir, so no server outlives its test run. Background jobs of
  // a non-interactive sh get /dev/null as stdin, hence the dup to fd 3.
  const watchdog =
    'exec 3<&0; "$@" </dev/null & srv=$!; ' +
    '{ read -r _ <&3; kill -9 "$srv" 2>/dev/null; rm -rf "$RFX_REDIS_DIR"; } & dog=$!; ' +
    'wait "$srv"; rc=$?; kill "$dog" 2>/dev/null; exit "$rc"';
  const child = spawn('/bin/sh', ['-c', watchdog, 'rfx-redis-watchdog', binary, ...argv], {
    cwd: dir,
    env: { ...process.env, RFX_REDIS_DIR: dir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let logText = '';
  const append = (b: Buffer): void => {
    logText += b.toString('utf8');
    if (logText.length > 64 * 1024) logText = logText.slice(-64 * 1024);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  /** Closing the watchdog's pipe kills the server; the watchdog then exits. */
  const kill = (): void => {
    child.stdin?.end();
  };
  const cleanup = async (): Promise<void> => {
    if (exited === undefined) {
      kill();
      await exitPromise;
    }
    await rm(dir, { recursive: true, force: true });
  };

  // Wait until the socket answers PING (the server may still be loading a dump).
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  for (;;) {
    if (exited !== undefined) {
      await cleanup();
      throw new Error(`redis-server exited (${exited.code ?? exited.signal}) before answering PING; argv: ${argv.join(' ')}\n${logText}`);
    }
    const err = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 0, undefined))]);
    if (err !== undefined) {
      await cleanup();
      throw new Error(`cannot start ${binary}: ${err.message}. ${INSTALL_HINT}`);
    }
    if (existsSync(socketPath) && (await pingSocket(socketPath))) break;
    if (Date.now() > deadline) {
      await cleanup();
      throw new Error(`redis-server did not answer PING within ${options.startTimeoutMs ?? 20_000} ms\n${logText}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }

  const client = new Redis({
    path: socketPath,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableAutoPipelining: false,
    // RESP2, as the corpus oracles were read: flat arrays, scores and XINFO as the server prints them.
    protocol: 2,
  });
  client.on('error', () => {
    // Errors reach the pending commands' promises; a closed socket after SHUTDOWN is expected.
  });
  let serverPid: number;
  try {
    await client.connect();
    const serverInfo = ((await client.callBuffer('INFO', 'server')) as Buffer).toString();
    serverPid = Number(/process_id:(\d+)/.exec(serverInfo)?.[1] ?? child.pid);
  } catch (e) {
    client.disconnect();
    await cleanup();
    throw new Error(`cannot talk to redis-server over ${socketPath}: ${(e as Error).message}\n${logText}`, { cause: e });
  }

  let stopped = false;
  const handle: RedisServerHandle = {
    socketPath,
    dir,
    rdbPath: join(dir, 'dump.rdb'),
    pid: serverPid,
    version,
    argv,
    client,
    call: (command, ...args) =>
      client.callBuffer(
        command,
        ...args.map((a) => (a instanceof Uint8Array && !Buffer.isBuffer(a) ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : a)),
      ),
    async save() {
      await client.call('SAVE');
      return join(dir, 'dump.rdb');
    },
    log: () => logText,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (exited === undefined) {
        try {
          await client.call('SHUTDOWN', 'NOSAVE');
        } catch {
          // The server closes the connection instead of replying.
        }
        const timer = setTimeout(kill, 5_000);
        await exitPromise;
        clearTimeout(timer);
      }
      client.disconnect();
      await cleanup();
    },
  };
  return handle;
}

/** One raw PING over the socket; true when `+PONG` comes back. */
function pingSocket(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(socketPath);
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1_000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    sock.on('connect', () => sock.write('PING\r\n'));
  });
}

/** Whether the developer opted out of the real-server tests with `RFX_SKIP_SERVER_TESTS=1`. */
export function serverTestsSkipped(): boolean {
  return process.env['RFX_SKIP_SERVER_TESTS'] === '1';
}

/**
 * Run `fn` with a server started by `start`, always stopping it (also when `fn` throws).
 * @param start e.g. `() => startRedisServer({ dir })`
 * @returns what `fn` returns
 */
export async function withServer<T>(start: () => Promise<RedisServerHandle>, fn: (server: RedisServerHandle) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
