// Starts a target's bundle from V8's code cache: the bytecode of every function a run
// needs is read instead of compiled (a static hello 30 ms sooner). The cache is made at
// build time (scripts/build.mjs); V8 ignores one that does not match this node or this
// script. Without the script build, the ESM bundle runs.
import vm from 'node:vm';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Run dist/tsqemu-<target>: from its code cache, or as an ES module. */
export async function launch(target) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const file = join(dist, `tsqemu-${target}.cjs`);
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    // no script build: the ES module below
  }
  if (source === undefined) {
    await import(pathToFileURL(join(dist, `tsqemu-${target}.js`)).href);
    return;
  }
  // "// tsqemu build <hash>": the cache starts with the same line when made from this script
  const stamp = source.slice(0, source.indexOf('\n') + 1);
  const writeCache = process.env.TSQEMU_WRITE_CODE_CACHE;
  let cachedData;
  try {
    const cache = writeCache ? undefined : readFileSync(`${file}.cache`);
    if (stamp.startsWith('// tsqemu build ') && cache?.subarray(0, stamp.length).toString('latin1') === stamp) cachedData = cache.subarray(stamp.length);
  } catch {
    // no cache yet: compile as we go
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __tsqemuScriptUrl) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  // plugins are ES modules: a script from a code cache cannot import() (src/plugins/import-module.ts)
  globalThis[Symbol.for('tsqemu.importModule')] = (url) => import(url);
  if (writeCache) {
    delete process.env.TSQEMU_WRITE_CODE_CACHE; // not passed on to the guest
    process.on('exit', () => writeFileSync(writeCache, Buffer.concat([Buffer.from(stamp, 'latin1'), script.createCachedData()])));
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dist, pathToFileURL(file).href);
}
