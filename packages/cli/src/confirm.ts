// The one question rfx asks before it writes: "Continue? [y/N]" on stderr, only when a person
// can answer (stdin is a terminal) and `--yes` was not given.

import type { CliIo } from './io.js';

/** The prompt text. */
export const CONFIRM_QUESTION = 'Continue? [y/N] ';

/** How a confirmation ended. */
export type ConfirmResult = 'yes' | 'no' | 'cannot-ask';

/**
 * Ask before writing. Never asks when `yes` is set or stdin is not a TTY (scripts and pipes
 * proceed as if `--yes` had been given); otherwise asks through `io.prompt` and accepts `y` or
 * `yes` (any case).
 * @param io terminal facts and the prompt
 * @param yes `--yes` was given
 * @returns 'yes' to go on, 'no' when declined, 'cannot-ask' when stdin is a TTY but there is no
 *   prompt to ask with
 */
export async function confirm(io: CliIo, yes: boolean): Promise<ConfirmResult> {
  if (yes || io.stdinIsTTY !== true) return 'yes';
  if (io.prompt === undefined) return 'cannot-ask';
  const answer = await io.prompt(CONFIRM_QUESTION);
  return /^\s*y(es)?\s*$/i.test(answer) ? 'yes' : 'no';
}
