#!/usr/bin/env node
// Bundle each target's entry (src/main-<target>.ts) with esbuild, so start-up reads one
// file instead of resolving hundreds of modules. Run by `npm install` ("prepare"),
// `npm run build` and the tests. Per target:
//   dist/tsqemu-<target>.js        ESM bundle (the tests and `node dist/...` run it)
//   dist/tsqemu-<target>.cjs       the same program as a script, which V8 can cache compiled
//   dist/tsqemu-<target>.cjs.cache V8's code cache of it, made by running test-binaries/armhf/hello:
//                                  bin/tsqemu-<target> starts from it (bin/launch.mjs)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = ['arm'];
/** A program whose run compiles the code every run needs (loader, Linux layer, both instruction sets). */
const WARM_UP = join(root, 'test-binaries', 'armhf', 'hello');

/** Write atomically: test files build concurrently while others run the bundle. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

const common = (target) => ({
  write: false,
  entryPoints: [join(root, 'src', `main-${target}.ts`)],
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});

try {
  const results = await Promise.all(
    targets.flatMap((target) => [
      build({
        ...common(target),
        outfile: join(root, 'dist', `tsqemu-${target}.js`),
        format: 'esm',
        sourcemap: 'linked',
        // elfy is CommonJS and calls require('assert'); give the ESM bundle a require().
        banner: { js: "import { createRequire as __tsqemuCreateRequire } from 'node:module';\nconst require = __tsqemuCreateRequire(import.meta.url);" },
      }),
      build({
        ...common(target),
        outfile: join(root, 'dist', `tsqemu-${target}.cjs`),
        format: 'cjs',
        // bin/launch.mjs passes the script's own URL (plugins/ is found from it)
        define: { 'import.meta.url': '__tsqemuScriptUrl' },
      }),
    ]),
  );
  for (const file of results.flatMap((r) => r.outputFiles)) {
    // The script's first line names its build: V8 checks a code cache against the
    // source's length only, so the launcher matches cache and script by this hash.
    const stamp = file.path.endsWith('.cjs') ? `// tsqemu build ${createHash('sha256').update(file.contents).digest('hex').slice(0, 16)}\n` : '';
    writeAtomically(file.path, stamp ? Buffer.concat([Buffer.from(stamp), file.contents]) : file.contents);
  }
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}

for (const target of targets) {
  const cache = join(root, 'dist', `tsqemu-${target}.cjs.cache`);
  // (an old cache is replaced by rename, never removed first: others may be starting from it;
  // one left from another build does not match the new script's stamp and goes unused)
  if (!existsSync(WARM_UP)) continue;
  // The launcher writes the code cache when the run ends, with every function it compiled.
  const tmp = `${cache}.${process.pid}.tmp`;
  const r = spawnSync(process.execPath, [join(root, 'bin', `tsqemu-${target}`), WARM_UP], { env: { ...process.env, TSQEMU_WRITE_CODE_CACHE: tmp }, stdio: 'ignore', timeout: 60_000 });
  if (r.status === 0 && existsSync(tmp)) renameSync(tmp, cache);
  else rmSync(tmp, { force: true }); // no new cache: the launcher compiles as it goes
}
