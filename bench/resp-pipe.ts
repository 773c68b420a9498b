// Writing generated data into a redis-server fast: RESP multibulk built into large chunks and
// streamed into `redis-cli --pipe`, plus the seeded PRNG the generators use.

import { spawn } from 'node:child_process';

import { requireRedisTool } from '@redis-forensics/testkit';

import type { Writable } from 'node:stream';
import type { RedisServerHandle } from '@redis-forensics/testkit';

const MIB = 1024 * 1024;

/** Builds RESP multibulk commands into large chunks and writes them with back-pressure. */
export class RespPipe {
  private buf: Buffer = Buffer.allocUnsafe(8 * MIB);
  private pos = 0;
  commands = 0;
  bytes = 0;

  private readonly out: Writable;

  constructor(out: Writable) {
    this.out = out;
  }

  /** Append one command; strings must be latin1/ASCII (their length is their byte length). */
  async cmd(args: readonly (string | Buffer)[]): Promise<void> {
    let need = 16;
    for (const a of args) need += a.length + 16;
    if (this.pos + need > this.buf.length) await this.flush(need);
    let p = this.pos;
    const b = this.buf;
    p += b.write(`*${args.length}\r\n`, p, 'latin1');
    for (const a of args) {
      p += b.write(`$${a.length}\r\n`, p, 'latin1');
      if (typeof a === 'string') p += b.write(a, p, 'latin1');
      else p += a.copy(b, p);
      b[p++] = 13;
      b[p++] = 10;
    }
    this.pos = p;
    this.commands++;
  }

  async flush(minNext = 0): Promise<void> {
    if (this.pos > 0) {
      const chunk = this.buf.subarray(0, this.pos);
      this.bytes += this.pos;
      if (!this.out.write(chunk)) await new Promise((r) => this.out.once('drain', r));
    }
    this.buf = Buffer.allocUnsafe(Math.max(8 * MIB, minNext));
    this.pos = 0;
  }
}

/** xorshift32: fast, deterministic. */
/** A small seeded PRNG (xorshift), so generated data is the same for a seed. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** Feed generated RESP into `redis-cli --pipe`; fails unless it reports 0 errors. */
/**
 * Run `fill` against a RespPipe feeding `redis-cli --pipe` into `server`.
 * @returns the commands and bytes sent
 * @throws Error when redis-cli reports errors or exits non-zero
 */
export async function pipeInto(server: RedisServerHandle, fill: (p: RespPipe) => Promise<void>): Promise<{ commands: number; bytes: number }> {
  const cli = spawn(requireRedisTool('redis-cli'), ['-s', server.socketPath, '--pipe', '--pipe-timeout', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  cli.stdout.on('data', (d: Buffer) => (output += d.toString()));
  cli.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number>((r) => cli.once('exit', (code) => r(code ?? 1)));
  const p = new RespPipe(cli.stdin);
  await fill(p);
  await p.flush();
  cli.stdin.end();
  const code = await exited;
  const m = /errors: (\d+), replies: (\d+)/.exec(output);
  if (code !== 0 || m === null || m[1] !== '0') throw new Error(`redis-cli --pipe failed (exit ${code}):\n${output}`);
  return { commands: p.commands, bytes: p.bytes };
}
