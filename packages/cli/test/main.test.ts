import { describe, expect, it } from 'vitest';

import { FormatError } from '@redis-forensics/core';

import { describeFailure } from '../src/failure.js';
import { corpusFile } from './corpus.js';
import { runCli } from './run-cli.js';

describe('main', () => {
  it('No arguments: help on stderr, exit 64', async () => {
    const run = await runCli([]);
    expect(run.exitCode).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rfx <command> [options]');
    expect(run.stderr).toMatch(/rfx: Name a command: inspect, dump, check, explain, log, repair, remove, undo-flushall, truncate, rewrite, convert or diff\nRun "rfx --help" for usage\.\n$/);
  });

  it('--help: help on stdout, exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    for (const c of ['inspect <file>', 'dump <file>', 'check <file>', 'explain [code]', 'Global Options:', 'Exit codes:']) {
      expect(run.stdout).toContain(c);
    }
  });

  it('Command --help: that command\'s options on stdout', async () => {
    const run = await runCli(['dump', '--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('--format');
    expect(run.stdout).toContain('--match');
    expect(run.stdout).not.toContain('--part-bytes'); // hidden testing option
  });

  it('--version: the package version on stdout', async () => {
    const run = await runCli(['--version']);
    expect(run).toMatchObject({ exitCode: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('Unknown command: suggestion, exit 64', async () => {
    const run = await runCli(['chek', 'x.rdb']);
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toBe('rfx: Did you mean check?\nRun "rfx --help" for usage.\n');
  });

  it('Unknown option: exit 64 with a pointer to the command help', async () => {
    const run = await runCli(['check', corpusFile('7.4.1', 'rdb-lfu.rdb'), '--bogus']);
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toBe('rfx: Unknown argument: bogus\nRun "rfx check --help" for usage.\n');
  });

  it('Missing file argument: exit 64', async () => {
    const run = await runCli(['inspect']);
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('Not enough non-option arguments');
  });

  it('Bad --format choice: exit 64', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-lfu.rdb'), '--format', 'xml']);
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('Invalid values');
  });
});

describe('describeFailure', () => {
  it('FormatError: exit 65, message and explanation, no stack', () => {
    const f = describeFailure(new FormatError('RDB_BAD_MAGIC', 0, 'header is "XXXX"', { file: 'a.rdb', phase: 'read-header' }));
    expect(f).toEqual({
      exitCode: 65,
      message: 'a.rdb: RDB_BAD_MAGIC at offset 0 (0x0) while read-header: header is "XXXX"\n  RDB_BAD_MAGIC: file does not start with "REDIS" (or Valkey\'s "VALKEY") (rfx explain RDB_BAD_MAGIC)',
    });
  });

  it('EACCES: exit 66', () => {
    const e = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', syscall: 'open', path: '/x.rdb' });
    expect(describeFailure(e)).toEqual({ exitCode: 66, message: 'cannot open /x.rdb: permission denied (EACCES)' });
  });

  it('EIO: exit 74, one line', () => {
    const e = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' });
    expect(describeFailure(e)).toEqual({ exitCode: 74, message: 'read failed: EIO: i/o error, read' });
  });

  it('EPIPE: exit 0, silent (the reader of stdout went away)', () => {
    expect(describeFailure(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toEqual({ exitCode: 0, message: '' });
  });

  it('V8\'s Map size limit (a db of more than 2^24 keys in a keyspace): exit 70, saying which limit and what streams instead', () => {
    let thrown: unknown;
    try {
      const m = new Map<number, number>();
      for (let i = 0; ; i++) m.set(i, i);
    } catch (e) {
      thrown = e;
    }
    const f = describeFailure(thrown);
    expect(f.exitCode).toBe(70);
    expect(f.message).toContain('more than 16,777,216 keys or members');
    expect(f.message).toContain('RDB -> RDB and RDB -> AOF conversions stream');
    expect(f.message).not.toContain('internal error');
  });

  it('Anything else: exit 70, one line, stack only when debugging', () => {
    expect(describeFailure(new TypeError('x is undefined'))).toEqual({ exitCode: 70, message: 'internal error: x is undefined' });
    expect(describeFailure(new TypeError('x is undefined'), true).message).toMatch(/^internal error: x is undefined\nTypeError: x is undefined\n\s+at /);
  });
});
