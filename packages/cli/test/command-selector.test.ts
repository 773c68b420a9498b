import { describe, expect, it } from 'vitest';

import { commandName, compileSelector, isEmptySelector } from '../src/command-selector.js';

import type { AofCommandEvent } from '@redis-forensics/aof';

function ev(argv: string[], extra: Partial<AofCommandEvent> = {}): AofCommandEvent {
  return { type: 'command', file: 'appendonly.aof.1.incr.aof', index: 7, offset: 100, end: 130, argv: argv.map((a) => Buffer.from(a)), db: 0, time: 1_700_000_000, inMulti: false, ...extra };
}

describe('compileSelector', () => {
  it('Empty selector: accepts everything, and says it is empty', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(compileSelector({})(ev(['SET', 'k', 'v']))).toBe(true);
  });

  it('Command names: any case', () => {
    const sel = compileSelector({ commands: ['set', 'Flushall'] });
    expect(sel(ev(['SET', 'k', 'v']))).toBe(true);
    expect(sel(ev(['flushall']))).toBe(true);
    expect(sel(ev(['GET', 'k']))).toBe(false);
  });

  it('Glob on key positions only: a value that matches is not a key', () => {
    const sel = compileSelector({ match: 'user:*' });
    expect(sel(ev(['SET', 'user:1', 'x']))).toBe(true);
    expect(sel(ev(['SET', 'other', 'user:1']))).toBe(false);
    expect(sel(ev(['MSET', 'a', '1', 'user:2', '2']))).toBe(true);
    expect(sel(ev(['MSET', 'a', 'user:3']))).toBe(false);
  });

  it('Time bounds: inclusive, in ms; a command without a time never matches', () => {
    expect(compileSelector({ sinceMs: 1_700_000_000_000 })(ev(['SET', 'k', 'v']))).toBe(true);
    expect(compileSelector({ sinceMs: 1_700_000_000_001 })(ev(['SET', 'k', 'v']))).toBe(false);
    expect(compileSelector({ untilMs: 1_700_000_000_000 })(ev(['SET', 'k', 'v']))).toBe(true);
    expect(compileSelector({ untilMs: 0 })(ev(['SET', 'k', 'v'], { time: null }))).toBe(false);
    expect(compileSelector({ sinceMs: 0 })(ev(['SET', 'k', 'v'], { time: null }))).toBe(false);
  });

  it('Offset: any byte of the command; file: by name or path; index and db exactly', () => {
    expect(compileSelector({ offset: 100 })(ev(['PING']))).toBe(true);
    expect(compileSelector({ offset: 129 })(ev(['PING']))).toBe(true);
    expect(compileSelector({ offset: 130 })(ev(['PING']))).toBe(false);
    expect(compileSelector({ file: '/x/appendonly.aof.1.incr.aof' })(ev(['PING']))).toBe(true);
    expect(compileSelector({ file: 'appendonly.aof.2.incr.aof' })(ev(['PING']))).toBe(false);
    expect(compileSelector({ index: 7, dbs: [0] })(ev(['PING']))).toBe(true);
    expect(compileSelector({ index: 7, dbs: [1] })(ev(['PING']))).toBe(false);
  });

  it('commandName: upper case, empty for no argv', () => {
    expect(commandName([Buffer.from('hset')])).toBe('HSET');
    expect(commandName([])).toBe('');
  });
});
