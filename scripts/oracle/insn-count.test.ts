// Issue 3's instruction-count check: deterministic armhf programs run one instruction per
// block with an exec log under qemu-arm and tsqemu (scripts/oracle/compare-program.sh
// --trace); stdout, exit status, the number of executed guest instructions and the whole
// PC sequence must be the same. Both sides get the same HWCAPs (auxv.ts), an empty
// environment and the same stack layout, so glibc takes the same paths.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from 'esbuild';
import { qemuAvailable } from './qemu.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUSYBOX = process.env['BUSYBOX_ARMHF'] ?? join(ROOT, '.cache', 'busybox-armhf', 'root', 'bin', 'busybox');
const missing = qemuAvailable() ? undefined : 'qemu-arm is not on PATH (apt-get install qemu-user)';
if (missing) console.log(`insn-count: skipped, ${missing}`);

let work = '';
let launcher = '';

describe.skipIf(missing !== undefined)('executed instructions equal qemu-arm (-one-insn-per-tb -d exec)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tsqemu-insn-count-'));
    const bundle = join(work, 'tsqemu-arm.mjs');
    await build({
      entryPoints: [join(ROOT, 'src', 'main-arm.ts')], outfile: bundle, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
      banner: { js: "import { createRequire as __tsqemuCreateRequire } from 'node:module';\nconst require = __tsqemuCreateRequire(import.meta.url);" },
    });
    // a node script, not a shell wrapper: a shell would add PWD to the guest's environment
    launcher = join(work, 'tsqemu-arm');
    writeFileSync(launcher, `#!${process.execPath}\nimport(${JSON.stringify(pathToFileURL(bundle).href)});\n`);
    chmodSync(launcher, 0o755);
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const programs: [string, string, string[]][] = [
    ['hello', join(ROOT, 'test-binaries/armhf/hello'), []],
    ['thumb_it', join(ROOT, 'test-binaries/armhf/thumb_it'), []],
    ['interwork', join(ROOT, 'test-binaries/armhf/interwork'), []],
    ['setjmp_longjmp', join(ROOT, 'test-binaries/armhf/setjmp_longjmp'), []],
    ['busybox echo', BUSYBOX, ['echo', 'hi', 'there']],
  ];
  for (const [name, binary, args] of programs) {
    const skip = existsSync(binary) ? undefined : `${binary} not found`;
    test.skipIf(skip !== undefined)(`${name}${skip ? ` (${skip})` : ''}`, () => {
      const r = spawnSync(join(ROOT, 'scripts/oracle/compare-program.sh'), ['--trace', '--cpu', 'cortex-a15', '--qemu-cpu', 'cortex-a15,neon=off', binary, ...args], {
        cwd: work, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TSQEMU_ARM: launcher }, encoding: 'utf8', timeout: 300_000,
      });
      expect(r.stdout, r.stderr).toMatch(/^same stdout/m);
      expect(r.stdout, r.stderr).toMatch(/^trace: same [1-9][0-9]* instructions$/m);
      expect(r.status).toBe(0);
    }, 300_000);
  }
});
