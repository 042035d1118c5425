// Test helper: run the freshly built bundle like a user would, with an empty environment
// and the repository root as working directory.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const TESTDATA = join(ROOT, 'src', 'plugins', 'testdata');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

export function buildBundle(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export function tsqemu(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status: code ?? -1 }));
  });
}

/** A program whose executed instructions and blocks are compared with qemu-arm's. */
export interface CountedProgram {
  binary: string;
  args: string;
}

/** Why qemu-arm cannot be the reference here, or undefined when it can. */
export function qemuUnavailable(): string | undefined {
  const r = spawnSync('qemu-arm', ['-version'], { stdio: 'ignore' });
  return r.status === 0 ? undefined : 'qemu-arm not installed (apt-get install qemu-user)';
}

/**
 * qemu-arm's executed instructions (Trace lines of `-singlestep -d exec,nochain`) and blocks
 * (of `-d exec,nochain`), run exactly as tsqemu() runs a program: empty environment, the
 * repository root as cwd, stdin closed, stdout a pipe. Counted live rather than recorded,
 * because they depend on where the repository is: static glibc resolves its origin from
 * the relative program path and the working directory.
 */
export function qemuCounts(args: readonly string[]): { insns: number; blocks: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-qemu-count-'));
  try {
    const count = (flags: string[]): number => {
      const log = join(dir, 'exec.log');
      spawnSync('qemu-arm', [...flags, '-D', log, ...args], { cwd: ROOT, env: {}, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
      return (readFileSync(log, 'latin1').match(/^Trace/gm) ?? []).length;
    };
    return { insns: count(['-singlestep', '-d', 'exec,nochain']), blocks: count(['-d', 'exec,nochain']) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
