// The arguments LMPOP, BLMPOP, ZMPOP and BZMPOP share: `numkeys key... <where> [COUNT n]`.
// Source of truth: redis/src/t_list.c mpopGenericCommand (t_zset.c zmpopGenericCommand follows it).

import { ERR, fail, isOpt, parseRangeLong, parseTimeout } from '../exec-context.js';

import type { Exec } from '../exec-context.js';

/**
 * Parse `numkeys key... <where> [COUNT n]` starting at `numkeysIdx`, in Redis's order of checks:
 * numkeys, where (by `parseWhere`), COUNT, then the timeout of the blocking forms (argv[1]).
 * @param parseWhere validates the where argument (LEFT/RIGHT, MIN/MAX) and fails on a bad one
 * @returns the keys, the parsed where, and the count (1 when COUNT is absent)
 * @throws the command's error reply (syntax, range) through {@link fail}
 */
export function parseMpopArgs<W>(
  x: Exec,
  numkeysIdx: number,
  block: boolean,
  parseWhere: (arg: string | undefined) => W,
): { keys: string[]; where: W; count: number } {
  const numkeys = parseRangeLong(x, x.argv[numkeysIdx]!, 1, Number.MAX_SAFE_INTEGER, 'numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= x.argv.length) fail(ERR.syntax);
  const where = parseWhere(x.argv[whereIdx]);
  let count = -1;
  for (let j = whereIdx + 1; j < x.argv.length; j++) {
    if (count === -1 && isOpt(x.argv[j], 'count') && j + 1 < x.argv.length) {
      count = parseRangeLong(x, x.argv[++j]!, 1, Number.MAX_SAFE_INTEGER, 'count should be greater than 0');
    } else fail(ERR.syntax);
  }
  if (block) parseTimeout(x, x.argv[1]!);
  return { keys: x.argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys), where, count: count === -1 ? 1 : count };
}
