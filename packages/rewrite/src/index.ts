export { AOF_REWRITE_ITEMS_PER_CMD, AofRewriter } from './rewrite-commands.js';
export type { RewriteArg, RewriteOptions } from './rewrite-commands.js';
export { rewriteAof } from './rewrite-aof.js';
export type { RewriteAofOptions, RewriteInputEvent, RewriteStats } from './rewrite-aof.js';
