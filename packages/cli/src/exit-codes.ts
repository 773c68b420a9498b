// Exit codes, from BSD sysexits.h: the contract between rfx and the scripts that run it.

/** Success. */
export const EX_OK = 0;
/** A write command was declined at its "Continue? [y/N]" prompt: nothing was written. */
export const EX_ABORTED = 1;
/** `rfx diff`: the two datasets differ (like diff(1) and cmp(1)). */
export const EX_DIFFERENT = 1;
/** The command line was wrong: unknown command or option, missing argument, bad value. */
export const EX_USAGE = 64;
/** The input file was read but its bytes are not valid (a {@link FormatError}). */
export const EX_DATAERR = 65;
/** The input file does not exist or cannot be opened (ENOENT, EACCES, EISDIR). */
export const EX_NOINPUT = 66;
/** An internal error: a bug in rfx, not a problem with the input. */
export const EX_SOFTWARE = 70;
/** The output cannot be created: it already exists (and --force was not given). */
export const EX_CANTCREAT = 73;
/** Reading the input or writing the output failed at the operating-system level. */
export const EX_IOERR = 74;

/** Every exit code rfx can return. */
export type ExitCode =
  | typeof EX_OK
  | typeof EX_ABORTED
  | typeof EX_USAGE
  | typeof EX_DATAERR
  | typeof EX_NOINPUT
  | typeof EX_SOFTWARE
  | typeof EX_CANTCREAT
  | typeof EX_IOERR;
