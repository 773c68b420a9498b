// The package rules of STYLE.md 3, enforced over the sources (typescript-eslint's
// no-restricted-imports cannot run here: it needs TypeScript's JS API, which TypeScript 7 has not).
// - one door per package: imports of @redis-forensics/<pkg> only, never /src or /dist deep paths,
//   and no relative import leaving the package;
// - the dependency DAG: core <- resp <- aof, core <- rdb <- aof, {rdb, resp} <- keyspace,
//   {keyspace, rdb, resp, aof} <- rewrite, all <- cli; testkit only from tests;
// - every workspace package imported by src/ is declared in that package's dependencies;
// - no process.* outside packages/cli/src/bin.ts (libraries and the CLI core stay testable).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = join(ROOT, 'packages');

/** Which workspace packages each package's src/ may import. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  resp: ['core'],
  rdb: ['core'],
  aof: ['core', 'rdb', 'resp'],
  keyspace: ['core', 'rdb', 'resp'],
  rewrite: ['core', 'rdb', 'resp', 'aof', 'keyspace'],
  cli: ['core', 'rdb', 'resp', 'aof', 'keyspace', 'rewrite'],
  testkit: ['core', 'rdb', 'resp', 'aof'],
};

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) out.push((m[1] ?? m[2])!);
  return out;
}

const packages = readdirSync(PACKAGES).filter((p) => statSync(join(PACKAGES, p)).isDirectory()).sort();

describe('package boundaries', () => {
  it('Every package is in the dependency table', () => {
    for (const p of packages) expect(Object.keys(ALLOWED), `packages/${p} has no entry in ALLOWED`).toContain(p);
  });

  describe.each(packages)('packages/%s', (pkg) => {
    const src = join(PACKAGES, pkg, 'src');
    const manifest = JSON.parse(readFileSync(join(PACKAGES, pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const declared = Object.keys(manifest.dependencies ?? {});

    it('src/: only allowed workspace packages, through their one door, declared as dependencies', () => {
      for (const file of files(src)) {
        for (const spec of importsOf(file)) {
          const where = `${relative(ROOT, file)} imports '${spec}'`;
          if (spec.startsWith('@redis-forensics/')) {
            const [, name, ...rest] = spec.split('/');
            expect(rest, `${where}: deep import`).toEqual([]);
            expect(ALLOWED[pkg], `${where}: not allowed by the dependency DAG`).toContain(name);
            expect(declared, `${where}: missing from packages/${pkg}/package.json dependencies`).toContain(spec);
          } else if (spec.startsWith('.')) {
            // Within the package (its src/ or its own package.json), never into another one.
            const target = resolve(file, '..', spec);
            expect(target.startsWith(join(PACKAGES, pkg) + '/'), `${where}: relative import leaves the package`).toBe(true);
          }
        }
      }
    });

    it('tests: no deep imports into other packages', () => {
      const testDir = join(PACKAGES, pkg, 'test');
      let testFiles: string[] = [];
      try {
        testFiles = files(testDir);
      } catch {
        return;
      }
      for (const file of testFiles) {
        for (const spec of importsOf(file)) {
          const where = `${relative(ROOT, file)} imports '${spec}'`;
          if (spec.startsWith('@redis-forensics/')) expect(spec.split('/').length, `${where}: deep import`).toBe(2);
          if (spec.startsWith('.')) {
            const target = resolve(file, '..', spec);
            expect(target.startsWith(join(PACKAGES, pkg)), `${where}: relative import leaves the package`).toBe(true);
          }
        }
      }
    });

    it('src/: no process.* outside packages/cli/src/bin.ts', () => {
      if (pkg === 'testkit') return; // test infrastructure: starts servers, reads env opt-outs
      for (const file of files(src)) {
        if (file.endsWith(join('cli', 'src', 'bin.ts'))) continue;
        const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
        expect(/\bprocess\./.test(text), `${relative(ROOT, file)} uses process.*`).toBe(false);
      }
    });
  });
});
