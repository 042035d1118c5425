// Host signals reach the guest: Ctrl-C (SIGINT) sent to the emulator runs the guest's SIGINT
// handler even inside a pure busy loop, and SIGTERM takes the guest's default action (the
// emulator ends with 128 + 15). The same steps run under qemu-arm when it is installed; both
// must give the same output and status.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const PROGRAM = join(TB, 'armel', 'host_signals');

/** Run the program, sending SIGINT when it prints "ready" and SIGTERM when it prints "waiting". */
function drive(cmd: string, args: string[]): Promise<{ stdout: string; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 });
    let stdout = '';
    const sent = new Set<string>();
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString('latin1');
      for (const [line, sig] of [['ready\n', 'SIGINT'], ['waiting\n', 'SIGTERM']] as const) {
        if (stdout.includes(line) && !sent.has(sig)) {
          sent.add(sig);
          // give the guest time to enter its loop / pause()
          setTimeout(() => child.kill(sig), 100);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ stdout, status: code ?? 128 + (signal ? constants.signals[signal] : 0) }));
  });
}

function hasQemu(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v qemu-arm'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!existsSync(PROGRAM))('host signals forwarded to the guest', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  const expected = { stdout: 'ready\nSIGINT handled in a busy loop\nwaiting\n', status: 128 + 15 };

  it('SIGINT runs the handler, SIGTERM ends the guest with 143', async () => {
    expect(await drive(process.execPath, [BUNDLE, PROGRAM])).toEqual(expected);
  });

  it.skipIf(!hasQemu())('qemu-arm behaves the same', async () => {
    expect(await drive('qemu-arm', [PROGRAM])).toEqual(expected);
  });
});
