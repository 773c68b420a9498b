// Property: planRemove + writeEditedAof remove exactly the selected byte ranges. For random AOFs
// (single files and two-file multi-part AOFs, with MULTI/EXEC blocks and annotations) and random
// selectors (command name, index set, key glob through commandKeys) with first/last/all, the
// expected ranges come from testkit's expectedAofRemovals, worked out from the record spans
// independently of plan-edits.ts: a selected command goes alone; a block left with no command goes
// whole (MULTI, EXEC and any annotation between them); selecting MULTI or EXEC selects the block.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';

import { commandKeys, openAof, planRemove, writeEditedAof } from '@redis-forensics/aof';
import { aofBytes, aofRecordsArb, aofSelectorArb, aofSelects, bytesWithout, collect, expectedAofRemovals } from '@redis-forensics/testkit';

import type { AofCommandEvent, AofFileEndEvent } from '@redis-forensics/aof';
import type { AofRecordSpec, AofRemoveWhich } from '@redis-forensics/testkit';

const scratch = mkdtempSync(join(tmpdir(), 'rfx-remove-prop-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

describe('planRemove', () => {
  test.prop([aofRecordsArb({ maxUnits: 14 }), fc.option(aofRecordsArb({ maxUnits: 8 }), { nil: null, freq: 2 }), aofSelectorArb, fc.constantFrom<AofRemoveWhich>('first', 'last', 'all')], { numRuns: 250 })(
    'Random AOF and selector: the output is the input minus exactly the expected ranges, and reads back clean',
    async (records, incrRecords, sel, which) => {
      const dir = join(scratch, `run-${runs++}`);
      mkdirSync(dir, { recursive: true });
      const files: AofRecordSpec[][] = incrRecords === null ? [records] : [records, incrRecords];
      const built = files.map((f) => aofBytes(f));
      const names = incrRecords === null ? ['single.aof'] : ['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof'];
      built.forEach((b, i) => writeFileSync(join(dir, names[i]!), b.bytes));
      if (incrRecords !== null) writeFileSync(join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
      const input = incrRecords === null ? join(dir, names[0]!) : dir;

      const pick = (argv: readonly Uint8Array[], index: number): boolean => aofSelects(sel, argv, index, commandKeys);
      const removals = expectedAofRemovals(built.map((b) => b.spans), pick, which);
      const ranges = removals.flatMap((r) => r.ranges);
      const plan = await planRemove(input, (ev: AofCommandEvent) => pick(ev.argv, ev.index), which);
      expect(plan.removed.map((r) => r.index)).toEqual(removals.flatMap((r) => r.indexes));

      const out = join(dir, incrRecords === null ? 'out.aof' : 'out');
      await writeEditedAof(plan.plan, { output: out });
      built.forEach((b, i) => {
        const outFile = incrRecords === null ? out : join(out, names[i]!);
        expect(readFileSync(outFile).equals(bytesWithout(b.bytes, ranges.filter((r) => r.file === i)))).toBe(true);
      });
      if (incrRecords !== null) expect(readFileSync(join(out, 'appendonly.aof.manifest'), 'latin1')).toBe(readFileSync(join(dir, 'appendonly.aof.manifest'), 'latin1'));

      const events = await collect(openAof(out));
      const ends = events.filter((e): e is AofFileEndEvent => e.type === 'fileEnd');
      expect(ends.map((e) => [e.status, e.validUpTo])).toEqual(ends.map((e) => ['complete', e.size]));
      const removedCommands = built.reduce((n, b, i) => n + b.spans.filter((s) => s.kind === 'command' && ranges.some((r) => r.file === i && s.offset >= r.offset && s.end <= r.end)).length, 0);
      const totalCommands = built.reduce((n, b) => n + b.spans.filter((s) => s.kind === 'command').length, 0);
      expect(events.filter((e) => e.type === 'command')).toHaveLength(totalCommands - removedCommands);
      rmSync(dir, { recursive: true, force: true });
    },
  );
});
