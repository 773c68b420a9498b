// Bundle the rfx CLI into one executable ESM file: packages/cli/dist/rfx.js.
// esbuild resolves the workspace packages through the "@redis-forensics/source" condition, so no
// library has to be built first; yargs, chalk, cli-table3 and cli-progress are bundled in.
// Run from the repository root: `npm run build`.

import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(cliDir, 'dist', 'rfx.js');

// Bundled CommonJS dependencies (cli-table3, cli-progress, ...) call `require` for Node built-ins;
// an ES module has none, so the banner gives the bundle one.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __rfxCreateRequire } from 'node:module';",
  'const require = __rfxCreateRequire(import.meta.url);',
].join('\n');

await mkdir(dirname(outfile), { recursive: true });
const result = await build({
  entryPoints: [join(cliDir, 'src', 'bin.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@redis-forensics/source'],
  banner: { js: banner },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
await chmod(outfile, 0o755);

const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(`built ${relative(process.cwd(), outfile)} (${(bytes / 1024).toFixed(0)} KiB with source map)\n`);
