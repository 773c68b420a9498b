// In-process runner for CLI tests (wrangler's runWrangler, lerna's exitProcess(false) runner):
// main(argv, io) with captured stdout/stderr and colour level 0 unless asked otherwise.

import { Buffer } from 'node:buffer';
import { Writable } from 'node:stream';

import { main } from '../src/main.js';

import type { CliIo } from '../src/io.js';

/** Time used by CLI tests (2027-01-15T08:00:00Z): after the corpus was made, before its TTLs. */
export const TEST_NOW = 1_800_000_000_000;

/** A Writable that keeps everything written to it. */
export class CaptureStream extends Writable {
  readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
    callback();
  }

  /** Everything written, as bytes. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Everything written, decoded as UTF-8. */
  text(): string {
    return this.bytes().toString('utf8');
  }
}

/** What one in-process run produced. */
export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
  /** Questions asked through the prompt. */
  prompts: string[];
}

/** Overrides of the test I/O. */
export interface RunCliOptions {
  env?: Record<string, string>;
  now?: number;
  isTTY?: boolean;
  colorLevel?: 0 | 1 | 2 | 3;
  /** Whether stdin is a terminal (write commands ask "Continue? [y/N]" then). Defaults to false. */
  stdinIsTTY?: boolean;
  /** The answer typed at the prompt; the questions asked are collected in the run's `prompts`. */
  answer?: string;
}

/**
 * Run `rfx argv` in-process.
 * @param argv arguments after `rfx`
 * @param options environment, clock and terminal overrides
 * @returns exit code and captured output
 */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const stdout = new CaptureStream();
  const stderr = new CaptureStream();
  const now = options.now ?? TEST_NOW;
  const io: CliIo = {
    stdout,
    stderr,
    isTTY: options.isTTY ?? false,
    stderrIsTTY: false,
    colorLevel: options.colorLevel ?? 0,
    env: options.env ?? {},
    now: () => now,
    columns: 100,
    stdinIsTTY: options.stdinIsTTY ?? false,
    prompt: async (question) => {
      prompts.push(question);
      return options.answer ?? '';
    },
  };
  const prompts: string[] = [];
  const exitCode = await main(argv, io);
  return { exitCode, stdout: stdout.text(), stderr: stderr.text(), stdoutBytes: stdout.bytes(), prompts };
}
