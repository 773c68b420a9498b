// What every command handler gets from createCli: the I/O, the style, the clock, and where to
// leave its exit code (handlers never exit the process).

import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { Style } from '../render/style.js';

/** Shared by the command modules of one CLI run. */
export interface CommandContext {
  io: CliIo;
  style: Style;
  /** Time of the run in Unix ms. */
  now(): number;
  /** Record the run's exit code (the last call wins). */
  setExitCode(code: ExitCode): void;
}

/** Options every command has (declared once in cli.ts, in the "Global Options" group). */
export interface GlobalArgs {
  /** Draw a progress bar on stderr for large files (only when stderr is a TTY). */
  progress: boolean;
}
