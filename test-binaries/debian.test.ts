// Debian's own dynamically linked armhf programs (coreutils, sed, grep, gawk, bc), from the
// sysroot `scripts/make-sysroot.sh --programs` builds, run under qemu-arm and tsqemu-arm
// with -L: same stdout, stderr and exit status. Skipped, with the reason printed, when the
// sysroot lacks the programs or qemu-arm is missing.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const SYSROOT = process.env.TSQEMU_SYSROOT ?? join(ROOT, '.cache', 'sysroot-armhf', 'root');
const QEMU = process.env.QEMU_ARM ?? 'qemu-arm';

const dir = mkdtempSync(join(tmpdir(), 'tsqemu-debian-'));
const bcScript = join(dir, 'calc.bc');
writeFileSync(bcScript, '2^100\nscale=20\n4*a(1)\nquit\n');
const hello = join(TB, 'src', 'hello.c');

/** [name, program in the sysroot, arguments]; stdin is five short lines. */
const CASES: [string, string, string[]][] = [
  ['ls', '/bin/ls', [join(TB, 'src')]],
  ['ls -la', '/bin/ls', ['-la', hello]],
  ['sort -r', '/usr/bin/sort', ['-r']],
  ['sha256sum', '/usr/bin/sha256sum', [hello]],
  ['date -u -d @0', '/bin/date', ['-u', '-d', '@0']],
  ['factor', '/usr/bin/factor', ['1234567', '600851475143']],
  ['seq', '/usr/bin/seq', ['1', '3', '20']],
  ['wc', '/usr/bin/wc', []],
  ['sed', '/bin/sed', ['-e', 's/an/AN/g;2d']],
  ['grep', '/bin/grep', ['-n', 'an']],
  ['grep (no match: status 1)', '/bin/grep', ['zebra']],
  ['gawk', '/usr/bin/gawk', ['{ n += length($0) } END { printf "%d %d %.6f\\n", n, NR, sqrt(2) }']],
  ['bc', '/usr/bin/bc', ['-l', bcScript]],
  ['cat of a missing file (status 1)', '/bin/cat', [join(dir, 'missing')]],
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
  if (!existsSync(join(SYSROOT, 'usr', 'bin', 'gawk'))) return `no Debian programs in ${SYSROOT} (run scripts/make-sysroot.sh --programs)`;
  if (!hasCommand(QEMU)) return `${QEMU} not installed (apt-get install qemu-user)`;
  return undefined;
}

function run(cmd: string, args: readonly string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { LC_ALL: 'C', TZ: 'UTC' }, stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status: code }));
    child.stdin.end(Buffer.from('banana\napple\ncherry\n42\nbanana split\n'));
  });
}

const reason = skipReason();
if (reason !== undefined) console.log(`skipping Debian programs: ${reason}`);

describe.skipIf(reason !== undefined)('Debian armhf programs under -L sysroot (compared with qemu-arm)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  it.concurrent.each(CASES)('%s', async (_name, program, args) => {
    const path = join(SYSROOT, program);
    const expected = await run(QEMU, ['-L', SYSROOT, path, ...args]);
    const got = await run(process.execPath, [BUNDLE, '-L', SYSROOT, path, ...args]);
    // Error messages name the program by its host path; both runs use the same one.
    expect(got).toEqual(expected);
  });
});
