// A command-line mistake, thrown out of yargs's parse or out of a command handler: exit 64.

/** A command-line mistake (unknown command or option, missing or bad argument): exit 64. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Help text of the command that was being parsed ('' when not known). */
  readonly help: string;

  /**
   * @param message what was wrong, in yargs's words
   * @param help usage text to show with it
   */
  constructor(message: string, help: string) {
    super(message);
    this.help = help;
  }
}
