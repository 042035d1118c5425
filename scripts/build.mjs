#!/usr/bin/env node
// Bundle each target's entry (src/main-<target>.ts) into dist/tsqemu-<target>.js with
// esbuild: one ESM file for Node 20, so start-up reads one file instead of resolving
// hundreds of modules. Run by `npm install` ("prepare"), `npm run build` and the tests.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = ['arm'];

try {
  const results = await Promise.all(
  targets.map((target) =>
    build({
      // Written below with a rename: test files build concurrently while others run the bundle,
      // and a reader must never see a half-written file.
      write: false,
      entryPoints: [join(root, 'src', `main-${target}.ts`)],
      outfile: join(root, 'dist', `tsqemu-${target}.js`),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
      // elfy is CommonJS and calls require('assert'); give the ESM bundle a require().
      banner: { js: "import { createRequire as __tsqemuCreateRequire } from 'node:module';\nconst require = __tsqemuCreateRequire(import.meta.url);" },
    }),
  ),
  );
  for (const file of results.flatMap((r) => r.outputFiles)) {
    mkdirSync(dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}
