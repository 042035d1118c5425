// Dynamically linked armhf programs: the test-binaries sources are compiled at test time
// with arm-linux-gnueabihf-gcc (Debian's defaults: PIE, Thumb-2, hard-float, glibc shared
// objects), then run under qemu-arm and under tsqemu-arm with `-L <sysroot>`, where the
// sysroot is built from Debian's armhf packages by scripts/make-sysroot.sh. The two must
// print the same stdout and end with the same status. Without the sysroot, qemu-arm or the
// compiler the cases are skipped with the reason printed.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const SYSROOT = process.env.TSQEMU_SYSROOT ?? join(ROOT, '.cache', 'sysroot-armhf', 'root');
const CC = process.env.ARMHF_CC ?? 'arm-linux-gnueabihf-gcc';
const QEMU = process.env.QEMU_ARM ?? 'qemu-arm';

interface DynCase {
  name: string;
  /** Source in test-binaries/src. */
  source: string;
  args?: string[];
  env?: Record<string, string>;
  /** Extra compiler flags. */
  cflags?: string[];
}

/** Programs whose output does not depend on the emulator (no addresses, no timing). */
const CASES: DynCase[] = [
  { name: 'hello', source: 'hello.c' },
  { name: 'argv_env', source: 'argv_env.c', args: ['a', 'b c', 'd'], env: { TSQEMU_TEST_VAR: '42' } },
  { name: 'printf_formats', source: 'printf_formats.c' },
  { name: 'qsort_strings', source: 'qsort_strings.c' },
  { name: 'malloc_churn', source: 'malloc_churn.c' },
  { name: 'softfloat', source: 'softfloat.c' },
  { name: 'fileio', source: 'fileio.c' },
  { name: 'setjmp_longjmp', source: 'setjmp_longjmp.c' },
  // signals.c raises SIGILL with an ARM-state `udf` word: build it as ARM code.
  { name: 'signals', source: 'signals.c', cflags: ['-marm'] },
  { name: 'signals2', source: 'signals2.c' },
  { name: 'threads', source: 'threads.c' },
  { name: 'threads2', source: 'threads2.c' },
];

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function skipReason(): string | undefined {
  if (!existsSync(join(SYSROOT, 'lib', 'ld-linux-armhf.so.3'))) return `no armhf sysroot at ${SYSROOT} (run scripts/make-sysroot.sh)`;
  if (!hasCommand(QEMU)) return `${QEMU} not installed (apt-get install qemu-user)`;
  if (!hasCommand(CC)) return `${CC} not installed (apt-get install gcc-arm-linux-gnueabihf)`;
  return undefined;
}

interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

function run(cmd: string, args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status: code }));
  });
}

const reason = skipReason();
if (reason !== undefined) console.log(`skipping dynamically linked programs: ${reason}`);

describe.skipIf(reason !== undefined)('dynamically linked armhf programs under -L sysroot (compared with qemu-arm)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-dyn-'));

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    for (const c of CASES) {
      execFileSync(CC, ['-O2', '-pthread', ...(c.cflags ?? []), '-o', join(dir, c.name), join(TB, 'src', c.source), '-lm'], { stdio: 'inherit' });
    }
  }, 120_000);

  it.concurrent.each(CASES)('$name', async (c) => {
    const args = [join(dir, c.name), ...(c.args ?? [])];
    const env = c.env ?? {};
    const expected = await run(QEMU, ['-L', SYSROOT, ...args], env);
    const got = await run(process.execPath, [BUNDLE, '-L', SYSROOT, ...args], env);
    expect({ stdout: got.stdout, status: got.status }, got.stderr.slice(0, 2000)).toEqual({ stdout: expected.stdout, status: expected.status });
  });

  it('QEMU_LD_PREFIX works like -L', async () => {
    const got = await run(process.execPath, [BUNDLE, join(dir, 'hello')], { QEMU_LD_PREFIX: SYSROOT });
    expect(got).toEqual({ stdout: 'Hello, world!\n', stderr: '', status: 0 });
  });

  it('a missing interpreter is one line naming it and -L, status 1', async () => {
    const got = await run(process.execPath, [BUNDLE, join(dir, 'hello')], {});
    expect(got.stdout).toBe('');
    expect(got.stderr).toBe(
      "tsqemu-arm: Could not open ELF interpreter '/lib/ld-linux-armhf.so.3': No such file or directory (dynamically linked program: give the directory holding the target's libraries with -L or QEMU_LD_PREFIX)\n",
    );
    expect(got.status).toBe(1);
    const wrong = await run(process.execPath, [BUNDLE, '-L', dir, join(dir, 'hello')], {});
    expect(wrong.stderr).toBe(`tsqemu-arm: Could not open ELF interpreter '/lib/ld-linux-armhf.so.3' under -L prefix '${dir}': No such file or directory\n`);
    expect(wrong.status).toBe(1);
  });
});
