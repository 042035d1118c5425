// The shipped plugins are plain .mjs with JSDoc types; plugins/tsconfig.json checks them
// (strict, checkJs) against api.d.ts, so a plugin cannot drift from the API's types
// unnoticed. Nothing else type-checks them: the top-level tsconfig covers only api.d.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PLUGINS = join(ROOT, 'plugins');
const CONFIG = join(PLUGINS, 'tsconfig.json');

/** The local typescript's tsc (a devDependency), as `npx tsc` would run it. */
function tsc(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describe('plugins/tsconfig.json', () => {
  it('covers every shipped plugin, its library and the test plugins', () => {
    const r = tsc('-p', CONFIG, '--listFilesOnly');
    expect(r.status, r.output).toBe(0);
    const listed = new Set(r.output.split('\n').map((f) => resolve(ROOT, f.trim())));
    const expected = [
      ...readdirSync(PLUGINS).filter((f) => f.endsWith('.mjs')),
      ...readdirSync(join(PLUGINS, 'lib')).map((f) => `lib/${f}`),
      ...readdirSync(join(PLUGINS, 'testdata')).filter((f) => f.endsWith('.mjs')).map((f) => `testdata/${f}`),
      'api.d.ts',
    ].map((f) => join(PLUGINS, f));
    const missing = expected.filter((f) => !listed.has(f)).map((f) => relative(ROOT, f));
    expect(missing, 'files plugins/tsconfig.json does not check').toEqual([]);
  }, 60_000);

  it('type-checks without errors (npx tsc -p plugins)', () => {
    const r = tsc('-p', CONFIG, '--pretty', 'false');
    if (r.status !== 0 || r.output !== '') expect.fail(`tsc -p plugins/tsconfig.json failed (exit status ${r.status}):\n${r.output}`);
  }, 60_000);
});
