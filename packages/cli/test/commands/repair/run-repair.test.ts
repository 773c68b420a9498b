import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { copyAof, corpusAof, corpusAofCases, removeScratch } from '../../aof-corpus.js';
import { runCli } from '../../run-cli.js';

/** Every file of a path with its bytes. */
function snapshot(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!statSync(path).isDirectory()) out.set('', readFileSync(path));
  else for (const f of readdirSync(path).sort()) out.set(f, readFileSync(join(path, f)));
  return out;
}

const truncatedCases = corpusAofCases().filter((c) => c.name === 'aof-truncated' || c.name === 'aof-truncated-multi');

/** A corrupt copy of 6.2.16 aof-flushall: a '$' in the middle overwritten. */
function corruptCopy(): { path: string; at: number } {
  const path = copyAof(corpusAof('6.2.16', 'aof-flushall').path);
  const bytes = readFileSync(path);
  const at = bytes.indexOf('$8\r\nFLUSHALL');
  bytes[at] = 0x21; // '!'
  writeFileSync(path, bytes);
  return { path, at };
}

describe('rfx repair', () => {
  afterAll(removeScratch);

  it('Corpus: truncated cases in both layouts', () => {
    expect(truncatedCases.filter((c) => c.multiPart).length).toBeGreaterThanOrEqual(4);
    expect(truncatedCases.filter((c) => !c.multiPart).length).toBeGreaterThanOrEqual(4);
  });

  it.each(truncatedCases.map((c) => [`${c.version}/${c.name}`, c] as const))(
    '%s: the output passes rfx check, keeps a byte-identical prefix, the input is untouched',
    async (_l, c) => {
      const input = snapshot(c.path);
      const out = join(copyAof(c.path), '..', c.multiPart ? 'out.aofdir' : 'out.aof');
      const run = await runCli(['repair', c.path, '-o', out]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('cut the truncated tail of ');
      expect(run.stdout).toContain('partial command "RPUSH" key "s:list"');
      expect(run.stdout).toContain(`wrote ${out}: `);
      expect((await runCli(['check', out])).exitCode).toBe(0);
      const output = snapshot(out);
      expect(snapshot(c.path)).toEqual(input);
      expect([...output.keys()]).toEqual([...input.keys()]);
      const file = c.multiPart ? c.meta.truncated!.file.split('/').at(-1)! : '';
      for (const [name, bytes] of output) {
        const original = input.get(name)!;
        if (name === file) {
          expect(bytes.length).toBeLessThan(original.length);
          expect(bytes.equals(original.subarray(0, bytes.length))).toBe(true);
        } else {
          expect(bytes.equals(original)).toBe(true);
        }
      }
    },
  );

  it('--dry-run: says what would be cut and writes nothing', async () => {
    const c = corpusAof('7.4.1', 'aof-truncated');
    const out = join(copyAof(c.path), '..', 'dry.aofdir');
    const run = await runCli(['repair', c.path, '-o', out, '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('cut the truncated tail of appendonly.aof.1.incr.aof: 69 bytes, offset 25,079 to the end (25,148)');
    expect(run.stdout).toContain('dry run: nothing written');
    expect(existsSync(out)).toBe(false);
    const noOutput = await runCli(['repair', c.path, '--dry-run']);
    expect(noOutput.exitCode).toBe(0);
  });

  it('Existing output: refused without --force (exit 73, untouched), replaced with --force', async () => {
    const c = corpusAof('6.2.16', 'aof-truncated');
    const out = join(copyAof(c.path), '..', 'exists.aof');
    writeFileSync(out, 'keep me');
    const refused = await runCli(['repair', c.path, '-o', out]);
    expect(refused.exitCode).toBe(73);
    expect(refused.stderr).toBe(`rfx: ${out} already exists; nothing was written (use --force to overwrite it)\n`);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await runCli(['repair', c.path, '-o', out, '--force']);
    expect(forced.exitCode).toBe(0);
    expect((await runCli(['check', out])).exitCode).toBe(0);
  });

  it('Existing output directory (multi-part): refused without --force, exit 73', async () => {
    const c = corpusAof('7.4.1', 'aof-truncated');
    const out = join(copyAof(c.path), '..', 'exists.aofdir');
    cpSync(c.path, out, { recursive: true });
    const refused = await runCli(['repair', c.path, '-o', out]);
    expect(refused.exitCode).toBe(73);
    expect(snapshot(out)).toEqual(snapshot(c.path));
  });

  it('--in-place with --backup-suffix: the file is cut, the backup holds the original', async () => {
    const path = copyAof(corpusAof('6.2.16', 'aof-truncated').path);
    const original = readFileSync(path);
    const run = await runCli(['repair', path, '--in-place', '--backup-suffix', '.bak']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`backup ${path}.bak`);
    expect(readFileSync(`${path}.bak`).equals(original)).toBe(true);
    expect(readFileSync(path).equals(original.subarray(0, 25079))).toBe(true);
    // Once repaired there is nothing left to do.
    const again = await runCli(['repair', path, '--in-place']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^nothing to repair: .* is complete/);
  });

  it('--in-place on a multi-part AOF: only the truncated incr file changes', async () => {
    const dir = copyAof(corpusAof('7.4.1', 'aof-truncated-multi').path);
    const before = snapshot(dir);
    const run = await runCli(['repair', dir, '--in-place', '--yes']);
    expect(run.exitCode).toBe(0);
    const after = snapshot(dir);
    expect(after.get('appendonly.aof.manifest')).toEqual(before.get('appendonly.aof.manifest'));
    expect(after.get('appendonly.aof.1.base.aof')).toEqual(before.get('appendonly.aof.1.base.aof'));
    expect(after.get('appendonly.aof.1.incr.aof')!.equals(before.get('appendonly.aof.1.incr.aof')!.subarray(0, 25056))).toBe(true);
  });

  it('Complete AOF: nothing to do, exit 0, nothing written', async () => {
    const c = corpusAof('7.4.1', 'aof-plain');
    const out = join(copyAof(c.path), '..', 'none.aofdir');
    const run = await runCli(['repair', c.path, '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`nothing to repair: ${c.path} is complete (every file ends with a whole command, ok_up_to = size); nothing written\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('Output options: -o is required unless --in-place or --dry-run; -o and --in-place exclude each other (exit 64)', async () => {
    const c = corpusAof('6.2.16', 'aof-truncated');
    const none = await runCli(['repair', c.path]);
    expect(none.exitCode).toBe(64);
    expect(none.stderr).toContain('Say where to write: -o OUT');
    expect((await runCli(['repair', c.path, '-o', '/tmp/x', '--in-place'])).exitCode).toBe(64);
    expect((await runCli(['repair', c.path, '-o', '/tmp/x', '--backup-suffix', '.bak'])).exitCode).toBe(64);
  });

  it('Truncation in a non-last file: refused with an explanation, exit 65, nothing written', async () => {
    const dir = copyAof(corpusAof('7.4.1', 'aof-truncated').path);
    writeFileSync(join(dir, 'appendonly.aof.2.incr.aof'), '*1\r\n$4\r\nPING\r\n');
    writeFileSync(join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    const out = join(dir, '..', 'out.aofdir');
    const run = await runCli(['repair', dir, '-o', out]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout).toMatch(/^refused: appendonly\.aof\.1\.incr\.aof is truncated but it is not the last file; nothing written\n/);
    expect(run.stdout).toContain('only the last one may end early');
    expect(existsSync(out)).toBe(false);
  });

  it('Corruption mid-file: refused by default with what --salvage would do, exit 65', async () => {
    const { path, at } = corruptCopy();
    const out = join(dirname(path), 'out.aof');
    const run = await runCli(['repair', path, '-o', out]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout).toMatch(/^refused: .* is corrupt; nothing written\n/);
    expect(run.stdout).toContain(`RESP_BAD_PREFIX at offset ${at}`);
    expect(run.stdout).toContain('With --salvage, rfx skips 1 corrupt region');
    expect(existsSync(out)).toBe(false);
  });

  it('--salvage: every skipped region listed with a hexdump; the output is the input minus that region', async () => {
    const { path, at } = corruptCopy();
    const input = readFileSync(path);
    const out = join(dirname(path), 'salvaged.aof');
    const run = await runCli(['repair', path, '--salvage', '-o', out]);
    expect(run.exitCode).toBe(0);
    const m = /skip 1 corrupt region \((\d+) bytes\), each up to the next command start:\n {2}1\. \S+ offset ([\d,]+), (\d+) bytes: RESP_BAD_PREFIX/.exec(run.stdout);
    expect(m).not.toBeNull();
    const start = Number(m![2]!.replaceAll(',', ''));
    const length = Number(m![3]);
    expect(start).toBeLessThanOrEqual(at);
    expect(start + length).toBeGreaterThan(at);
    expect(run.stdout).toMatch(/\n {5}[0-9a-f]{8}: /); // the hexdump of the region
    const output = readFileSync(out);
    expect(output.equals(Buffer.concat([input.subarray(0, start), input.subarray(start + length)]))).toBe(true);
    expect((await runCli(['check', out])).exitCode).toBe(0);
  });

  it('Prompt: asked on a terminal without --yes; "n" aborts (exit 1), "y" writes; --yes never asks', async () => {
    const c = corpusAof('6.2.16', 'aof-truncated');
    const dir = dirname(copyAof(c.path));
    const no = await runCli(['repair', c.path, '-o', join(dir, 'n.aof')], { stdinIsTTY: true, answer: 'n' });
    expect(no.prompts).toEqual(['Continue? [y/N] ']);
    expect(no.exitCode).toBe(1);
    expect(no.stderr).toBe('rfx: aborted; nothing written\n');
    expect(existsSync(join(dir, 'n.aof'))).toBe(false);
    const yes = await runCli(['repair', c.path, '-o', join(dir, 'y.aof')], { stdinIsTTY: true, answer: 'y' });
    expect(yes.exitCode).toBe(0);
    expect(existsSync(join(dir, 'y.aof'))).toBe(true);
    const flag = await runCli(['repair', c.path, '-o', join(dir, 'f.aof'), '--yes'], { stdinIsTTY: true, answer: 'n' });
    expect(flag.prompts).toEqual([]);
    expect(flag.exitCode).toBe(0);
    const piped = await runCli(['repair', c.path, '-o', join(dir, 'p.aof')], { stdinIsTTY: false, answer: 'n' });
    expect(piped.prompts).toEqual([]);
    expect(piped.exitCode).toBe(0);
  });
});
