// Where tsqemu follows the kernel rather than qemu-arm 7.2, checked against the kernel's
// documented behaviour (so there is no qemu-arm recording for these):
// - robust futexes: qemu-arm answers set_robust_list with ENOSYS and a thread waiting for a
//   robust mutex whose owner died hangs; the kernel marks it FUTEX_OWNER_DIED (EOWNERDEAD);
// - /proc files qemu-arm passes through from its own host process: the stat state letter,
//   /proc/self/comm after PR_SET_NAME, the /proc/self/fd listing (qemu-arm's own fds show),
//   [heap] and [vectors] in maps, /proc/cpuinfo (an x86 host's under qemu-arm 7.2);
// - Debian's python3 under -L sees its own files in /proc/self/fd.
// The qemu-comparable part of the same program is the `procfs` case of programs.test.ts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as osConstants } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const PROCFS = join(TB, 'armel', 'procfs');
const SYSROOT = process.env.TSQEMU_SYSROOT ?? join(ROOT, '.cache', 'sysroot-armhf', 'root');
const PYTHON = join(SYSROOT, 'usr', 'bin', 'python3.11');

function run(args: string[]): Promise<{ stdout: string; stderr: string; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: ROOT, env: {}, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), status: code ?? 128 + (osConstants.signals[signal!] ?? 0) }),
    );
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

describe.concurrent('kernel behaviour qemu-arm 7.2 lacks', () => {
  it('robust mutexes: the owner thread exits holding it, the next locker gets EOWNERDEAD', async () => {
    const r = await run([PROCFS, 'robust']);
    expect(r.stdout, r.stderr).toBe(
      [
        'get_robust_list: 0 len 12 head set',
        'lock after owner died: EOWNERDEAD',
        'consistent: 0',
        'unlock: 0, lock again: 0',
        "waiter woken by the owner's death: EOWNERDEAD",
        'set_robust_list with a bad size: EINVAL',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
  });

  it('/proc describes the guest process, not the emulator', async () => {
    const r = await run([PROCFS, 'kernel']);
    expect(r.stdout, r.stderr).toBe(
      [
        'stat state: R',
        'comm after PR_SET_NAME: renamed',
        'stat comm: (renamed)',
        // 3 is opendir's own fd, 7 a dup of /proc/self/exe
        'fd listing: 0 1 2 3 7',
        'heap: rw-p offset=0 name=[heap] inode=0',
        'kuser helpers: r-xp offset=0 name=[vectors] inode=0',
        'cpuinfo: CPU architecture: 7; Features has vfp: yes, idiva: yes',
        '',
      ].join('\n'),
    );
  });

  it('/proc/cpuinfo follows -cpu', async () => {
    const r = await run(['-cpu', 'cortex-a8', PROCFS, 'kernel']);
    expect(r.stdout).toMatch(/^cpuinfo: CPU architecture: 7; Features has vfp: yes, idiva: no$/m);
  });

  it.skipIf(!existsSync(PYTHON))('python3 under -L lists its own fds and names itself', async () => {
    const script = [
      "import os, sys",
      "print(sorted(os.listdir('/proc/self/fd'), key=int))",
      "print(os.path.basename(os.readlink('/proc/self/exe')))",
      "print(open('/proc/self/cmdline').read().split(chr(0))[1] == '-c', len(open('/proc/self/auxv', 'rb').read()) % 8)",
    ].join('; ');
    const r = await run(['-L', SYSROOT, PYTHON, '-c', script]);
    expect(r.stdout, r.stderr).toBe("['0', '1', '2', '3']\npython3.11\nTrue 0\n");
    expect(r.status).toBe(0);
  }, 120_000);
});
