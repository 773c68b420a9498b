import { readFileSync } from 'node:fs';

import { expect, it } from 'vitest';

import { renderReasonCodesDoc } from '../scripts/reason-codes-doc.js';

it('docs/reason-codes.md: matches the REASON_CODES table (run `npm run docs` after changing it)', () => {
  const onDisk = readFileSync(new URL('../docs/reason-codes.md', import.meta.url), 'utf8');
  expect(onDisk).toBe(renderReasonCodesDoc());
});
