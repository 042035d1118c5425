// Child processes running ARM programs. qemu-arm hands an exec'd ARM program to the host
// kernel, which runs it only where binfmt_misc is set up; tsqemu-arm runs it itself in a
// host child process, so this case has no qemu-arm recording: the expected output is what
// the kernel documents (posix_spawn's pid is the one waitpid returns, exit statuses pass
// through, a missing program is ENOENT in the child). spawn_host_echo in cases.json covers
// the same program spawning a host binary, compared with qemu-arm.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const SPAWN = join(TB, 'armel', 'spawn');

describe.skipIf(!existsSync(SPAWN))('child processes running ARM programs', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  it('posix_spawn of an ARM program: its output through a pipe, waitpid, vfork, ENOENT', () => {
    const r = spawnSync(process.execPath, [BUNDLE, SPAWN, join(TB, 'armel', 'hello')], { env: {}, encoding: 'latin1', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'posix_spawn: rc=0 child said: Hello, world!\n' +
        'waitpid: same pid 1, exited 1, code 0\n' +
        'vfork: same pid 1, exited 1, code 7\n' +
        'execve of a missing file: child exit 42 (42 = ENOENT)\n' +
        'waitpid with no children: -1 ECHILD; SIGCHLD seen: yes\n',
    );
    expect(r.status).toBe(0);
  });

  it("-follow-exec: the exec'd program runs with the same plugin, each process logging to its own -D file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsqemu-follow-'));
    const hello = join(TB, 'armel', 'hello');
    const run = (extra: string[]) => spawnSync(process.execPath, [BUNDLE, ...extra, SPAWN, hello], { env: {}, encoding: 'latin1', timeout: 60_000 });
    const r = run(['-follow-exec', '-plugin', 'insn', '-D', join(dir, 'insn-%d.log')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('child said: Hello, world!');
    const logs = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1'));
    // the parent and the one child that execs (posix_spawn of hello); vfork+_exit does not exec
    expect(logs).toHaveLength(2);
    const alone = spawnSync(process.execPath, [BUNDLE, '-plugin', 'insn', hello], { env: {}, encoding: 'latin1', timeout: 60_000 });
    const helloTotal = /total insns: (\d+)/.exec(alone.stderr)![1];
    const totals = logs.map((l) => /total insns: (\d+)/.exec(l)![1]);
    expect(totals).toContain(helloTotal);
    // without -follow-exec the child runs as under qemu-arm: no plugin, no log of its own
    const dir2 = mkdtempSync(join(tmpdir(), 'tsqemu-follow-'));
    expect(run(['-plugin', 'insn', '-D', join(dir2, 'insn-%d.log')]).status).toBe(0);
    expect(readdirSync(dir2)).toHaveLength(1);
  });
});
