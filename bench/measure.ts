// Timing a command the way every bench here reports it: wall seconds and peak RSS from GNU time
// (`/usr/bin/time -f '%e %M %U %S'`, Debian's `time` package, installed when missing), CPU time,
// exit code and the last lines of its output.

import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  wallSeconds: number;
  peakRssMb: number;
  userSeconds: number;
  sysSeconds: number;
  exitCode: number;
  outputTail: string;
  /** The last 8000 characters of its stdout and stderr. */
  output: string;
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

/** A running measured command. */
export interface MeasuredProcess {
  pid: number;
  /** performance.now() at spawn. */
  started: number;
  /** Settles when it exits. */
  done: Promise<Measured>;
  kill(): void;
}

/**
 * Spawn `cmd args` under GNU time (or with /proc VmHWM polling when time is missing) and measure
 * it; the handle lets a bench talk to the process (a server) while it runs.
 * @param tailLines how many last lines of output go into `outputTail`. Defaults to 3.
 */
export function startMeasured(cmd: string, args: string[], timeTool: string | undefined, tailLines: number = 3): MeasuredProcess {
  const report = join(tmpdir(), `rfx-bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const argv = timeTool === undefined ? [cmd, ...args] : [timeTool, '-f', '%e %M %U %S', '-o', report, cmd, ...args];
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let hwmKb = 0;
  // The process and its children: `rfx convert` runs again in a child node (young-generation.ts).
  const sample = async (pid: number): Promise<void> => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const m = /VmHWM:\s+(\d+)/.exec(status);
    if (m !== null) hwmKb = Math.max(hwmKb, Number(m[1]));
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
    for (const c of children.split(' ').filter((x) => x !== '')) await sample(Number(c));
  };
  const poll = timeTool === undefined
    ? setInterval(() => {
      void sample(child.pid!);
    }, 25)
    : undefined;
  const done = new Promise<Measured>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', async (code) => {
      if (poll !== undefined) clearInterval(poll);
      const wall = (performance.now() - started) / 1000;
      const output = out.trim();
      let measured: Measured = { wallSeconds: wall, peakRssMb: hwmKb / 1024, userSeconds: NaN, sysSeconds: NaN, exitCode: code ?? 1, output, outputTail: output.split('\n').slice(-tailLines).join(' | ') };
      if (timeTool !== undefined) {
        const line = (await readFile(report, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '';
        await rm(report, { force: true });
        const [e, m, u, s] = line.split(' ').map(Number);
        if (e !== undefined && !Number.isNaN(e)) measured = { ...measured, wallSeconds: e, peakRssMb: (m ?? 0) / 1024, userSeconds: u ?? NaN, sysSeconds: s ?? NaN };
      }
      resolve(measured);
    });
  });
  return { pid: child.pid!, started, done, kill: () => child.kill('SIGKILL') };
}

/** {@link startMeasured}, awaited. */
export function measureCommand(cmd: string, args: string[], timeTool: string | undefined, tailLines: number = 3): Promise<Measured> {
  return startMeasured(cmd, args, timeTool, tailLines).done;
}

/** The median of a non-empty list. */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Read a file, or every file of a directory, once, so the measured runs read from the page cache. */
export async function warmPageCache(path: string): Promise<void> {
  const files = (await stat(path)).isDirectory() ? (await readdir(path)).map((n) => join(path, n)) : [path];
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      const s = createReadStream(f, { highWaterMark: 4 * 1024 * 1024 });
      s.on('data', () => {});
      s.once('end', resolve);
      s.once('error', reject);
    });
  }
}

/** Several runs of one side of a bench, summarised for the results table. */
export interface RunSummary {
  /** Median wall time in s. */
  wall: number;
  /** Largest peak RSS in MB. */
  rss: number;
  /** Median CPU time (user + sys) in s. */
  cpu: number;
  /** Every run's wall time, `a / b / c`. */
  runs: string;
  /** Every run exited 0. */
  ok: boolean;
}

/** Summarise measured runs: median wall and CPU time, max peak RSS. */
export function summarizeRuns(ms: readonly Measured[]): RunSummary {
  return {
    wall: median(ms.map((m) => m.wallSeconds)),
    rss: Math.max(...ms.map((m) => m.peakRssMb)),
    cpu: median(ms.map((m) => m.userSeconds + m.sysSeconds)),
    runs: ms.map((m) => m.wallSeconds.toFixed(2)).join(' / '),
    ok: ms.every((m) => m.exitCode === 0),
  };
}

/** File name -> size in bytes for every file of `dir` (names sorted): what a cached bench input is checked against. */
export async function dirSizes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const n of (await readdir(dir)).sort()) out[n] = (await stat(join(dir, n))).size;
  return out;
}
