// Whole-program tests: run every case of test-binaries/cases.json under the freshly built
// bundle (dist/tsqemu-arm.js) and compare stdout and exit status with what qemu-arm
// produced (test-binaries/expected/<name>.json). Cases run like
// scripts/build-test-binaries.sh records them: `env -i <case env>`, the repository root
// as working directory, the binary by absolute path, stdin from /dev/null.
// Then the command line's refusals: each bad input gives one line on stderr and status 1.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as osConstants } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeElf } from '../src/loader/test-elf.js';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const CASE_TIMEOUT_MS = 120_000;

interface Case {
  name: string;
  binary: string;
  args: string[];
  env: Record<string, string>;
  tags?: string[];
}

interface Expected {
  stdout: string;
  exitStatus: number;
}

interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status; a death by signal counts as 128 + signal number, like a shell. */
  status: number;
}

function runTsqemu(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: CASE_TIMEOUT_MS });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const status = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : -1);
      resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status });
    });
  });
}

function loadCases(): Case[] {
  const file = join(TB, 'cases.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] }).cases;
}

beforeAll(() => {
  // Never test a stale bundle.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

/** Tags of features still being built: their cases are skipped with the reason printed. */
const PENDING_TAGS: Record<string, string> = {
};

function pendingReason(c: Case): string | undefined {
  const tag = c.tags?.find((t) => PENDING_TAGS[t] !== undefined);
  return tag === undefined ? undefined : PENDING_TAGS[tag];
}

describe.concurrent('guest programs (expected output from qemu-arm)', () => {
  const cases = loadCases();
  it.skipIf(cases.length > 0)('no test-binaries/cases.json yet', () => {});
  for (const c of cases) {
    const reason = pendingReason(c);
    if (reason !== undefined) {
      console.log(`skipping ${c.name}: ${reason}`);
      it.skip(`${c.name} (skipped: ${reason})`, () => {});
      continue;
    }
    it(c.name, { timeout: CASE_TIMEOUT_MS + 10_000 }, async () => {
      const expectedFile = join(TB, 'expected', `${c.name}.json`);
      expect(existsSync(expectedFile), `${expectedFile} (run scripts/build-test-binaries.sh)`).toBe(true);
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
      const r = await runTsqemu([join(TB, c.binary), ...c.args], c.env);
      expect({ stdout: r.stdout, exitStatus: r.status }, `stderr: ${r.stderr.slice(0, 2000)}`).toEqual({ stdout: expected.stdout, exitStatus: expected.exitStatus });
    });
  }
});

describe.concurrent('command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-cli-'));
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not a program\n');
  const truncated = join(dir, 'truncated');
  const hello = join(TB, 'armel', 'hello');
  const elf = existsSync(hello) ? readFileSync(hello) : makeElf({ segments: [{ vaddr: 0x10000, flags: 5, data: Buffer.alloc(0x3000, 1) }] });
  writeFileSync(truncated, elf.subarray(0, 0x1100));
  const dynamic = join(dir, 'dynamic');
  writeFileSync(dynamic, makeElf({ segments: [{ vaddr: 0x10000, flags: 5, data: Buffer.alloc(16) }], interpreter: '/lib/ld-linux-armhf.so.3' }));

  const refusals: [string, string[], RegExp][] = [
    ['missing file', [join(dir, 'missing')], /^tsqemu-arm: .*missing: No such file or directory$/],
    ['directory', [dir], /^tsqemu-arm: .*: Is a directory$/],
    ['text file', [text], /^tsqemu-arm: .*notes\.txt: Exec format error \(not an ELF file\)$/],
    ['x86-64 ELF', ['/bin/true'], /^tsqemu-arm: \/bin\/true: Invalid ELF image for this architecture \(64-bit ELF/],
    ['truncated ELF', [truncated], /^tsqemu-arm: .*truncated: Invalid ELF image for this architecture \(truncated/],
    ['dynamic executable without -L', [dynamic], /^tsqemu-arm: Could not open ELF interpreter '\/lib\/ld-linux-armhf\.so\.3': No such file or directory \(.*-L or QEMU_LD_PREFIX\)$/],
    ['unknown option', ['-bogus', 'prog'], /^tsqemu-arm: unknown option 'bogus'$/],
    ['unknown double-dash option', ['--bogus'], /^tsqemu-arm: unknown option 'bogus'$/],
    ['missing option argument', ['-L'], /^tsqemu-arm: missing argument for option 'L'$/],
    ['no program', ['-strace'], /^tsqemu-arm: no user program specified$/],
    ['bad CPU model', ['-cpu', 'pentium', 'prog'], /^tsqemu-arm: unable to find CPU model 'pentium'$/],
    ['bad log item', ['-d', 'nonsense', 'prog'], /^tsqemu-arm: unknown log item 'nonsense'/],
    ['bad stack size', ['-s', 'lots', 'prog'], /^tsqemu-arm: invalid stack size 'lots'$/],
    ['bad seed', ['-seed', 'x', 'prog'], /^tsqemu-arm: cannot initialize crypto: Invalid seed number: x$/],
    ['unwritable log file', ['-D', join(dir, 'no', 'such', 'log'), '/bin/true'], /^tsqemu-arm: Error opening logfile .*: No such file or directory$/],
    ['unsupported option', ['-g', '1234', 'prog'], /^tsqemu-arm: option '-g' is not supported yet$/],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses: ${what}`, async () => {
      const r = await runTsqemu(args);
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(1);
    });
  }

  // glibc reads its thread pointer through the kuser helper, whose MRC must work on every
  // model: ARMv5 (arm926) and ARMv6 (arm1136) included, as under qemu-arm -cpu <model>
  for (const model of ['arm926', 'arm1136', 'cortex-a8']) {
    it(`runs armel programs with -cpu ${model}`, async () => {
      for (const program of ['hello', 'threads']) {
        const r = await runTsqemu(['-cpu', model, join(TB, 'armel', program)]);
        const expected = JSON.parse(readFileSync(join(TB, 'expected', `${program}.json`), 'utf8')) as { stdout: string; exitStatus: number };
        expect(r.stdout).toBe(expected.stdout);
        expect(r.status).toBe(expected.exitStatus);
      }
    });
  }

  it('-d jit reports what translation cost, after the guest output', async () => {
    const r = await runTsqemu(['-d', 'jit', join(TB, 'armel', 'hello')]);
    expect(r.stdout).toBe('Hello, world!\n');
    const m = /^JIT: (\d+) blocks translated, (\d+) regions compiled \((\d+) of several blocks\), (\d+) chars of JS; codegen [\d.]+ ms, V8 compile [\d.]+ ms, of [\d.]+ ms since start\n$/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [blocks, regions, multi, chars] = m!.slice(1).map(Number) as [number, number, number, number];
    expect(blocks).toBeGreaterThan(100);
    expect(regions).toBeGreaterThanOrEqual(blocks - 100);
    expect(multi).toBeLessThan(regions);
    expect(chars).toBeGreaterThan(regions * 100);
  });

  it('prints help and version with status 0', async () => {
    const help = await runTsqemu(['-h']);
    expect(help.status).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('usage: tsqemu-arm [options] program [arguments...]');
    const version = await runTsqemu(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^tsqemu-arm version \d+\.\d+\.\d+/);
  });

  it('lists CPU models and log items (status 1, like qemu-arm)', async () => {
    const cpus = await runTsqemu(['-cpu', 'help']);
    expect(cpus.stdout).toMatch(/^Available CPUs:\n/);
    expect(cpus.stdout).toContain('cortex-a15');
    expect(cpus.status).toBe(1);
    const items = await runTsqemu(['-d', 'help']);
    expect(items.stdout).toMatch(/^Log items \(comma separated\):\n/);
    expect(items.stdout).toContain('in_asm');
    expect(items.status).toBe(1);
  });

  it('reads QEMU_* variables', async () => {
    const r = await runTsqemu([], { QEMU_VERSION: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^tsqemu-arm version/);
  });
});
