// Timing a command the way every bench here reports it: wall seconds and peak RSS from GNU time
// (`/usr/bin/time -f '%e %M %U %S'`, Debian's `time` package, installed when missing), CPU time,
// exit code and the last lines of its output.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  wallSeconds: number;
  peakRssMb: number;
  userSeconds: number;
  sysSeconds: number;
  exitCode: number;
  outputTail: string;
}

export function ensureTimeTool(): string | undefined {
  if (existsSync('/usr/bin/time')) return '/usr/bin/time';
  try {
    console.error('bench: /usr/bin/time is missing, installing Debian\'s "time" package');
    execFileSync('apt-get', ['install', '-y', '-qq', 'time'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    console.error('bench: could not install "time"; measuring peak RSS by polling /proc/<pid>/status VmHWM');
  }
  return existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
}

/**
 * Run `cmd args` under GNU time (when available) and measure it.
 * @param tailLines how many last lines of its output to keep. Defaults to 3.
 */
export function measureCommand(cmd: string, args: string[], timeTool: string | undefined, tailLines: number = 3): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const report = join(tmpdir(), `rfx-bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
    const argv = timeTool === undefined ? [cmd, ...args] : [timeTool, '-f', '%e %M %U %S', '-o', report, cmd, ...args];
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer): void => {
      out = (out + d.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let hwmKb = 0;
    const poll = timeTool === undefined
      ? setInterval(() => {
        readFile(`/proc/${child.pid}/status`, 'utf8').then((s) => {
          const m = /VmHWM:\s+(\d+)/.exec(s);
          if (m !== null) hwmKb = Math.max(hwmKb, Number(m[1]));
        }, () => {});
      }, 25)
      : undefined;
    child.once('error', reject);
    child.once('exit', async (code) => {
      if (poll !== undefined) clearInterval(poll);
      const wall = (performance.now() - started) / 1000;
      let measured: Measured = { wallSeconds: wall, peakRssMb: hwmKb / 1024, userSeconds: NaN, sysSeconds: NaN, exitCode: code ?? 1, outputTail: out.trim().split('\n').slice(-tailLines).join(' | ') };
      if (timeTool !== undefined) {
        const line = (await readFile(report, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '';
        await rm(report, { force: true });
        const [e, m, u, s] = line.split(' ').map(Number);
        if (e !== undefined && !Number.isNaN(e)) measured = { ...measured, wallSeconds: e, peakRssMb: (m ?? 0) / 1024, userSeconds: u ?? NaN, sysSeconds: s ?? NaN };
      }
      resolve(measured);
    });
  });
}
