// A larger young generation for the commands that build a whole dataset in memory. Replaying an
// AOF allocates hundreds of millions of short-lived objects while the dataset grows in old space;
// with V8's default 16 MiB semi-space, scavenges cost a quarter of `rfx convert` on the 1 GiB
// bench AOF. 128 MiB made the replay and RDB write 20% faster (npm run bench:replay). V8 reads the
// size only when the process starts, so bin.ts starts rfx again with the flag for these commands.

/** The commands that may hold a whole dataset in memory. */
export const DATASET_COMMANDS: ReadonlySet<string> = new Set(['convert', 'rewrite', 'diff']);

/** The semi-space size given to those commands, in MiB. */
export const DATASET_SEMI_SPACE_MB = 128;

/** Set in the environment of the restarted process (so it never restarts again). */
export const RESTARTED_ENV = 'RFX_YOUNG_GENERATION_SET';

/**
 * The node flags to restart rfx with, or null to run in this process: null unless the command
 * (the first argument that is not an option) builds a dataset, and null when the semi-space was
 * already chosen (a restart, or `--max-semi-space-size` in the node flags or NODE_OPTIONS).
 * @param args rfx's arguments (process.argv without node and the script)
 * @param execArgv node's own flags (process.execArgv)
 * @param env the environment
 */
export function restartFlags(args: readonly string[], execArgv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] | null {
  const command = args.find((a) => !a.startsWith('-'));
  if (command === undefined || !DATASET_COMMANDS.has(command)) return null;
  if (env[RESTARTED_ENV] !== undefined) return null;
  const chosen = (flags: readonly string[]): boolean => flags.some((f) => f.startsWith('--max-semi-space-size'));
  if (chosen(execArgv) || chosen((env['NODE_OPTIONS'] ?? '').split(/\s+/))) return null;
  return [`--max-semi-space-size=${DATASET_SEMI_SPACE_MB}`, ...execArgv];
}
