// busybox sh (Debian's busybox-static:armhf) running pipelines, subshells, command
// substitution and loops: every `|` and `$(...)` is a fork, every external applet a
// fork + exec of busybox itself. Output and exit status are compared with qemu-arm. The
// binary comes from scripts/fetch-busybox.sh armhf (or BUSYBOX_ARMHF); without it, or
// without qemu-arm, the test is skipped with the reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const BUSYBOX = process.env['BUSYBOX_ARMHF'] ?? join(ROOT, '.cache', 'busybox-armhf', 'root', 'bin', 'busybox');

const SCRIPTS: string[] = [
  'seq 1 100 | sort -r | head -3',
  'x=$(echo sub); echo "[$x]"; echo $(echo $(echo nested))',
  'for i in 1 2 3; do echo $i | sed s/^/n/; done; false; echo "status $?"',
  '(exit 5); echo $?; sh -c "exit 7"; echo $?',
  'echo a | (read v; echo got $v)',
  'i=0; while [ $i -lt 20 ]; do i=$((i+1)); echo $i; done | wc -l',
  'seq 1 2000 | md5sum; echo abc | tr a-c x-z',
  'ls /nonexistent-dir; echo "ls status $?"',
  'exit 3',
  '{ (echo bg1) & (seq 2 3) & wait; echo "waited $?"; } | sort; sleep 5 & kill $!; wait $!; echo "killed $?"',
  'cat > here.txt <<EOF\none $((1+1))\ntwo\nEOF\nwhile read a b; do echo "<$a|$b>"; done < here.txt; echo extra >> here.txt; wc -l < here.txt; exec 3> fd3.txt; echo fd3 >&3; exec 3>&-; cat fd3.txt; rm here.txt fd3.txt; ls',
  'set -e; f() { return 4; }; f || echo "f $?"; echo $(( $(seq 1 10 | tr "\\n" +)0 )); set -- a "b c" d; echo $#; for a in "$@"; do echo "[$a]"; done; false; echo unreachable',
];

function hasQemu(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v qemu-arm'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = !existsSync(BUSYBOX) ? `${BUSYBOX} not found (run scripts/fetch-busybox.sh armhf)` : !hasQemu() ? 'qemu-arm not installed' : undefined;
if (missing) console.log(`busybox sh: skipped, ${missing}`);

function run(cmd: string, args: string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { cwd, env: { PATH: '/usr/bin:/bin' }, encoding: 'latin1', timeout: 120_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/**
 * ash prints "Terminated" for a killed background job only when it happens to reap the job
 * before `wait` does: a race under qemu-arm as under tsqemu (seen both ways under load), so
 * that notice line is left out of the comparison; `wait`'s status (143) still is compared.
 */
function jobNotices(r: { stdout: string; stderr: string; status: number | null }): typeof r {
  return { ...r, stderr: r.stderr.replace(/^Terminated\n/gm, '') };
}

describe.skipIf(missing !== undefined)('busybox sh: fork, exec, pipes, wait (compared with qemu-arm)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  it.concurrent.each(SCRIPTS)('sh -c %s', async (script) => {
    // each script in its own empty directory (some write files there)
    const work = mkdtempSync(join(tmpdir(), 'tsqemu-sh-'));
    const expected = jobNotices(run('qemu-arm', [BUSYBOX, 'sh', '-c', script], work));
    const got = jobNotices(run(process.execPath, [BUNDLE, BUSYBOX, 'sh', '-c', script], work));
    rmSync(work, { recursive: true, force: true });
    expect(got).toEqual(expected);
  });
});
