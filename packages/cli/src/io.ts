// The CLI's only view of the outside world. bin.ts builds one from `process`; tests build one
// from in-memory streams, so every command runs in-process with captured output.

/** The streams, terminal facts and environment a command may use. */
export interface CliIo {
  /** Machine output (JSONL, RESP, reports). Nothing else is written here. */
  stdout: NodeJS.WritableStream;
  /** Diagnostics, warnings and the progress bar. */
  stderr: NodeJS.WritableStream;
  /** Whether stdout is a terminal: colour is used only then. */
  isTTY: boolean;
  /** Whether stderr is a terminal: the progress bar is drawn only then. Defaults to false. */
  stderrIsTTY?: boolean;
  /** Colour depth the terminal supports (chalk levels): 0 none, 1 basic, 2 256, 3 truecolor. */
  colorLevel: 0 | 1 | 2 | 3;
  /** Terminal width for help text, in columns. Defaults to 80. */
  columns?: number | undefined;
  /** Environment variables (`NO_COLOR`, `RFX_DEBUG`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Current time in Unix ms, to tell already-expired keys. Defaults to `Date.now`. */
  now?: () => number;
  /**
   * Whether stdin is a terminal: commands that write ask "Continue? [y/N]" only then (and only
   * without `--yes`). Defaults to false (never ask).
   */
  stdinIsTTY?: boolean;
  /**
   * Ask a question on stderr and read one line of answer (bin.ts: readline on stdin; tests:
   * a canned answer). Without it, a command that needs to ask refuses and says to pass `--yes`.
   */
  prompt?: ((question: string) => Promise<string>) | undefined;
}

/**
 * The colour level to render with: `io.colorLevel` when stdout is a TTY and `NO_COLOR` is unset
 * or empty (https://no-color.org), else 0.
 * @param io the CLI's I/O description
 * @returns a chalk level, 0 meaning no escape codes at all
 */
export function effectiveColorLevel(io: CliIo): 0 | 1 | 2 | 3 {
  const noColor = io.env['NO_COLOR'];
  if (!io.isTTY || (noColor !== undefined && noColor !== '')) return 0;
  return io.colorLevel;
}
