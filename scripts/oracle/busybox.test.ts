// Debian's busybox-static:armhf (a static Thumb-2 + VFP program nobody here wrote) under
// tsqemu and under qemu-arm: each applet's stdout and exit status must be the same.
// The binary comes from scripts/fetch-busybox.sh armhf (cached in .cache/, or named by
// BUSYBOX_ARMHF); without it, or without qemu-arm, the test is skipped with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from 'esbuild';
import { qemuAvailable } from './qemu.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUSYBOX = process.env['BUSYBOX_ARMHF'] ?? join(ROOT, '.cache', 'busybox-armhf', 'root', 'bin', 'busybox');
/** Same HWCAPs on both sides (auxv.ts), so glibc picks the same routines. */
const QEMU_CPU = 'cortex-a15,neon=off';
const TSQEMU_CPU = 'cortex-a15';

const missing = !existsSync(BUSYBOX)
  ? `${BUSYBOX} not found (run scripts/fetch-busybox.sh armhf)`
  : !qemuAvailable() ? 'qemu-arm is not on PATH (apt-get install qemu-user)' : undefined;
if (missing) console.log(`busybox: skipped, ${missing}`);

let work = '';
let bundle = '';

interface Run {
  stdout: Buffer;
  status: number | null;
  signal: string | null;
  stderr: string;
}

function run(which: 'qemu' | 'tsqemu', args: readonly string[], input?: Buffer): Run {
  const cmd = which === 'qemu' ? 'qemu-arm' : process.execPath;
  const argv = which === 'qemu' ? ['-cpu', QEMU_CPU, BUSYBOX, ...args] : [bundle, '-cpu', TSQEMU_CPU, BUSYBOX, ...args];
  const r = spawnSync(cmd, argv, { cwd: work, env: { PATH: '/bin:/usr/bin', LC_ALL: 'C' }, input: input ?? Buffer.alloc(0), maxBuffer: 1 << 26, timeout: 120_000 });
  return { stdout: r.stdout, status: r.status, signal: r.signal, stderr: r.stderr.toString('utf8') };
}

/** Run one applet under both; the outputs must match (and the tsqemu one is returned). */
function same(args: readonly string[], input?: Buffer): Run {
  const q = run('qemu', args, input);
  const t = run('tsqemu', args, input);
  expect({ status: t.status, signal: t.signal }, `tsqemu stderr: ${t.stderr}`).toEqual({ status: q.status, signal: q.signal });
  expect(t.stdout.toString('latin1')).toBe(q.stdout.toString('latin1'));
  return t;
}

describe.skipIf(missing !== undefined)('busybox-static:armhf applets vs qemu-arm', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tsqemu-busybox-'));
    bundle = join(work, 'tsqemu-arm.mjs');
    await build({
      entryPoints: [join(ROOT, 'src', 'main-arm.ts')], outfile: bundle, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
      banner: { js: "import { createRequire as __tsqemuCreateRequire } from 'node:module';\nconst require = __tsqemuCreateRequire(import.meta.url);" },
    });
    const lines = Array.from({ length: 3000 }, (_, i) => `${(i * 7919) % 3001} line ${i} ${(i * 0.37).toFixed(3)}`);
    writeFileSync(join(work, 'data.txt'), lines.join('\n') + '\n');
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test.each([
    ['echo', ['echo', 'hello', 'world', '-n']],
    ['seq', ['seq', '-w', '1', '7', '200']],
    ['seq with floats', ['seq', '0.5', '0.25', '4']],
    ['sort -n', ['sort', '-n', 'data.txt']],
    ['sort -r -k3', ['sort', '-r', '-k3', 'data.txt']],
    ['md5sum', ['md5sum', 'data.txt']],
    ['sha256sum', ['sha256sum', 'data.txt']],
    ['wc', ['wc', 'data.txt']],
    ['sed', ['sed', '-n', '-e', 's/\\([0-9]*\\) line \\([0-9]*5\\)/\\2:\\1/p', 'data.txt']],
    ['awk with floats', ['awk', '{ s += $4 * 1.5; q += $1 / 7 } END { printf("%.6f %.10g %e %d\\n", s, q, s / q, s) }', 'data.txt']],
    ['awk harmonic series', ['awk', 'BEGIN { for (i = 1; i <= 20000; i++) h += 1 / i; printf("%.15f %g %a\\n", h, h * 1e300 * 1e10, h) }']],
    ['an unknown applet fails the same way', ['no-such-applet']],
  ] as [string, string[]][])('%s', (_name, args) => {
    same(args);
  }, 120_000);

  test('gzip -c | gunzip -c round trip', () => {
    const gz = same(['gzip', '-c', 'data.txt']).stdout;
    const back = same(['gunzip', '-c'], gz).stdout;
    expect(back.toString('latin1')).toBe(run('tsqemu', ['cat', 'data.txt']).stdout.toString('latin1'));
  }, 120_000);
});
