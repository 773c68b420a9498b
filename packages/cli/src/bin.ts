// The `rfx` executable: the only file that touches `process`.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { constants } from 'node:os';

import { supportsColor } from 'chalk';

import { EX_IOERR, EX_SOFTWARE } from './exit-codes.js';
import { main } from './main.js';
import { RESTARTED_ENV, restartFlags } from './young-generation.js';

import type { CliIo } from './io.js';

const flags = restartFlags(process.argv.slice(2), process.execArgv, process.env);
if (flags !== null) restart(flags);
else run();

/**
 * Run rfx again in a node with `flags` (see young-generation.ts), sharing stdin/stdout/stderr, and
 * exit as it exits. Signals sent to this process are passed on; a terminal's Ctrl-C reaches both.
 */
function restart(flags: string[]): void {
  const child = spawn(process.execPath, [...flags, process.argv[1]!, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [RESTARTED_ENV]: '1' },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, forward);
  child.on('error', (error) => {
    process.stderr.write(`rfx: cannot start ${process.execPath}: ${error.message}\n`);
    process.exitCode = EX_SOFTWARE;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
  });
}

function run(): void {
  // A reader that goes away (`rfx dump x | head`) makes stdout emit EPIPE; the output sink reports
  // it to the command, which stops. Late errors after that must not crash the process.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = EX_IOERR;
  });

  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    colorLevel: supportsColor === false ? 0 : supportsColor.level,
    columns: process.stdout.columns,
    env: process.env,
    stdinIsTTY: process.stdin.isTTY === true,
    // "Continue? [y/N]": the question on stderr, one line of answer from stdin.
    prompt: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };

  main(process.argv.slice(2), io).then(
    (code) => {
      // A late stdout error (above) outranks a clean finish.
      if (process.exitCode !== EX_IOERR) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`rfx: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EX_SOFTWARE;
    },
  );
}
