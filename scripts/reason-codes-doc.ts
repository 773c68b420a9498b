// Writes docs/reason-codes.md from the REASON_CODES table (the table is the source of truth).
// Run with `npm run docs`; test/reason-codes-doc.test.ts fails when the file is stale.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { REASON_CODES } from '@redis-forensics/core';

/** The markdown text of docs/reason-codes.md. */
export function renderReasonCodesDoc(): string {
  const lines = [
    '# Reason codes',
    '',
    'Every `FormatError` carries one of these codes, an absolute byte offset and, when known, the',
    'phase (redis-check-rdb\'s "doing") and the key. `rfx explain <CODE>` prints the same text.',
    'This file is generated from `packages/core/src/reason-codes.ts` by `npm run docs`.',
    '',
    '| code | meaning |',
    '| --- | --- |',
  ];
  for (const [code, text] of Object.entries(REASON_CODES)) lines.push(`| \`${code}\` | ${text.replace(/\|/g, '\\|')} |`);
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/reason-codes.md', import.meta.url), renderReasonCodesDoc());
}
