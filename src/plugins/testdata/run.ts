// Test helper: run the freshly built bundle like a user would, with an empty environment
// and the repository root as working directory.
import { execFileSync, spawn } from 'node:child_process';
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

export interface QemuCount {
  binary: string;
  args: string;
  insns: number;
  blocks: number;
}
