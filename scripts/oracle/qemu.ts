// Run a test program under the reference qemu-arm and collect its stdout and fate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How a program ended: normally with an exit status, or killed by a signal. */
export interface ProgramResult {
  stdout: Uint8Array;
  exitStatus: number | null;
  /** Signal name ('SIGSEGV', ...) when the program was killed. */
  signal: string | null;
  stderr: string;
}

/** The qemu CPU matching tsqemu's default 'max' (ARMv7-A + idiv, no v8 extras). */
export const QEMU_CPU = process.env['ORACLE_QEMU_CPU'] ?? 'cortex-a15,neon=off';

export function qemuAvailable(qemu = 'qemu-arm'): boolean {
  const r = spawnSync(qemu, ['-version'], { encoding: 'utf8' });
  return r.status === 0;
}

let workDir: string | undefined;

function tempFile(name: string): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'tsqemu-oracle-'));
  return join(workDir, name);
}

export function cleanupTemp(): void {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

let counter = 0;

export function runQemu(elf: Uint8Array, cpu = QEMU_CPU, qemu = 'qemu-arm'): ProgramResult {
  const path = tempFile(`prog${counter++}.elf`);
  writeFileSync(path, elf);
  chmodSync(path, 0o755);
  const r = spawnSync(qemu, ['-cpu', cpu, path], { maxBuffer: 1 << 28, timeout: 60000 });
  rmSync(path, { force: true });
  if (r.error) throw r.error;
  return {
    stdout: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength),
    exitStatus: r.status,
    signal: r.signal,
    stderr: r.stderr.toString('utf8'),
  };
}
