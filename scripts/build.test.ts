// The build's script form and code cache, and bin/tsqemu-arm starting from them.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(__dirname, '..');
const HELLO = join(ROOT, 'test-binaries', 'armhf', 'hello');
const run = (entry: string, args: string[]) => spawnSync(process.execPath, [entry, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

describe('build', () => {
  test('the script and its code cache carry the same build stamp', () => {
    const script = readFileSync(join(ROOT, 'dist', 'tsqemu-arm.cjs'), 'latin1');
    const stamp = /^\/\/ tsqemu build [0-9a-f]{16}\n/.exec(script)?.[0];
    expect(stamp).toBeDefined();
    const cache = readFileSync(join(ROOT, 'dist', 'tsqemu-arm.cjs.cache'));
    expect(cache.subarray(0, stamp!.length).toString('latin1')).toBe(stamp);
    expect(cache.length).toBeGreaterThan(100_000); // the functions a hello run compiled
  });
});

describe('bin/tsqemu-arm', () => {
  const BIN = join(ROOT, 'bin', 'tsqemu-arm');
  test('runs a program as the ESM bundle does, output and status', () => {
    const r = run(BIN, [HELLO]);
    expect(r.stdout).toBe('Hello, world!\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const failing = run(BIN, [join(ROOT, 'test-binaries', 'armel', 'exit_code'), '42']);
    expect(failing.status).toBe(run(join(ROOT, 'dist', 'tsqemu-arm.js'), [join(ROOT, 'test-binaries', 'armel', 'exit_code'), '42']).status);
  });

  test('loads plugins (ES modules) from the cached script', () => {
    const viaBin = run(BIN, ['-plugin', 'insn', HELLO]);
    const viaModule = run(join(ROOT, 'dist', 'tsqemu-arm.js'), ['-plugin', 'insn', HELLO]);
    expect(viaBin.stderr).toMatch(/^total insns: \d+$/m);
    expect(viaBin.stderr).toBe(viaModule.stderr);
    expect(run(BIN, ['-plugin', './nope.mjs', HELLO]).stderr).toMatch(/^tsqemu-arm: plugin \.\/nope\.mjs: cannot find/);
  });

  test('a cache from another build of the same length is not used', () => {
    // V8 alone would take it: it checks only the source's length. The other build differs
    // in a constant the run prints (VERSION, set when the script's top level runs).
    const dir = mkdtempSync(join(tmpdir(), 'tsqemu-launch-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'dist'));
    for (const f of ['bin/tsqemu-arm', 'bin/launch.mjs', 'dist/tsqemu-arm.cjs.cache']) copyFileSync(join(ROOT, f), join(dir, f));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const script = readFileSync(join(ROOT, 'dist', 'tsqemu-arm.cjs'), 'latin1');
    expect(script).toContain('var VERSION = "0.1.0";');
    const other = script.replace(/^\/\/ tsqemu build [0-9a-f]{16}/, '// tsqemu build 0123456789abcdef').replace('var VERSION = "0.1.0";', 'var VERSION = "9.9.9";');
    expect(other.length).toBe(script.length);
    writeFileSync(join(dir, 'dist', 'tsqemu-arm.cjs'), other, 'latin1');
    const r = run(join(dir, 'bin', 'tsqemu-arm'), ['-version']);
    rmSync(dir, { recursive: true, force: true });
    expect(r.stdout).toMatch(/^tsqemu-arm version 9\.9\.9 /);
    expect(r.status).toBe(0);
  });
});
