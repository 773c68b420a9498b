// Text for `rfx rewrite`: the replay, then what was written with the figures before and after.

import { formatBytes, formatCount, formatCountOf } from '../../render/units.js';
import { replaySummaryLines } from '../../render/replay-summary.js';

import type { Style } from '../../render/style.js';
import type { RewritePlan, RewriteResult } from './run-rewrite.js';

/** What the output is, in words. */
function outputKind(plan: RewritePlan): string {
  const forWhom = `for Redis ${plan.target.version.replace(/\.0$/, '')}${plan.targetFrom === 'option' ? '' : ' (from the input; --redis-version to change)'}`;
  if (plan.multiPart) {
    return `multi-part AOF ${forWhom}: ${plan.preamble ? `base RDB (version ${plan.target.rdbVersion}, ${plan.target.preambleAux} 1)` : 'base AOF'}, an empty incr file, manifest`;
  }
  return plan.preamble ? `AOF with an RDB preamble (RDB version ${plan.target.rdbVersion}, ${plan.target.preambleAux} 1) ${forWhom}` : `AOF ${forWhom}`;
}

/**
 * The replay, before anything is written.
 * @param plan what planRewrite returned
 * @param style colours
 * @returns text ending with a newline
 */
export function renderRewritePlan(plan: RewritePlan, style: Style): string {
  return replaySummaryLines(plan.dataset, plan.path, style).join('\n') + '\n';
}

function change(before: number, after: number): string {
  if (before === 0) return after === 0 ? '0%' : '-';
  const pct = ((after - before) / before) * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/**
 * What was written, and the commands and bytes before (the input) and after (the rewrite).
 * @param plan what planRewrite returned
 * @param result what writeRewrite returned
 * @param style colours
 * @returns text ending with a newline
 */
export function renderRewriteResult(plan: RewritePlan, result: RewriteResult, style: Style): string {
  const lines: string[] = [];
  lines.push(result.output === null ? `${style.dim('dry run:')} ${outputKind(plan)}` : `${style.good('wrote')} ${result.output}: ${outputKind(plan)}`);
  const rdb = plan.preamble ? ` + RDB (${formatCountOf(plan.keys, 'key')})` : '';
  const b = plan.before;
  const a = result.after;
  lines.push(
    style.table(
      ['', 'commands', 'bytes', 'files'],
      [
        ['before', formatCount(b.commands), `${formatCount(b.bytes)} (${formatBytes(b.bytes)})`, formatCount(b.files)],
        ['after', `${formatCount(a.commands)}${rdb}`, `${formatCount(a.bytes)} (${formatBytes(a.bytes)})`, formatCount(result.files.filter((f) => f.kind !== 'manifest').length)],
        ['change', plan.preamble ? '-' : change(b.commands, a.commands), change(b.bytes, a.bytes), ''],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  );
  if (plan.multiPart) for (const f of result.files) lines.push(`  ${f.path}  ${formatCountOf(f.bytes, 'byte')}`);
  if (result.output === null) lines.push(`${style.dim('dry run:')} nothing written`);
  return lines.join('\n') + '\n';
}

/**
 * One warning line for stderr.
 * @param message what the rewrite could not express
 * @param style colours
 */
export function renderRewriteWarning(message: string, style: Style): string {
  return `rfx rewrite: ${style.warn('warning:')} ${message}\n`;
}
