// Differential checks against qemu-arm for Thumb (and mixed ARM/Thumb) snippets.
//
// A snippet is assembled into a tiny static program: init code (sp = a 4 KiB stack in
// .bss at 0x2xxxx, every register and the APSR flags set to given values), the snippet,
// then `dump:`, which pushes r0-r12, lr, APSR and sp and writes them to stdout (64 bytes).
// qemu-arm runs the program; tsqemu runs the same .text/.data bytes through the harness
// with `svc #0` patched over `dump`, so both report the registers as they were on
// reaching `dump`. The snippet must reach `dump` in Thumb state by falling through.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S, readCpsr } from '../cpu-state.js';
import { DATA_BASE } from './run-a32.js';
import { runCode, type ThumbInit } from './run-thumb.js';

export const AS = 'arm-linux-gnueabihf-as';
export const LD = 'arm-linux-gnueabi-ld';
export const OBJCOPY = 'arm-linux-gnueabihf-objcopy';
export const NM = 'arm-linux-gnueabihf-nm';
export const QEMU = 'qemu-arm';

/** Why the oracle cannot run here, or null when all tools are installed. */
export function oracleMissing(): string | null {
  for (const tool of [AS, LD, OBJCOPY, NM, QEMU]) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} not installed (apt-get install binutils-arm-linux-gnueabihf binutils-arm-linux-gnueabi qemu-user)`;
    }
  }
  return null;
}

export interface Snippet {
  name: string;
  /** Assembly (unified syntax, Thumb state at entry). May switch sections; must end in .text. */
  body: string;
  /** r0-r12 and lr initial values (missing: a fixed pattern). */
  regs?: readonly number[];
  /** Initial APSR (N Z C V Q GE bits). */
  apsr?: number;
}

/** The registers reaching `dump`: r0-r12, lr, sp, and APSR flags (NZCVQ, GE). */
export interface DumpState {
  regs: number[];
  sp: number;
  apsr: number;
}

const APSR_MASK = 0xf80f0000;

function defaultRegs(i: number): number {
  return (0x11111111 * (i + 1) + 0x01020304 * i) >>> 0;
}

export function programSource(s: Snippet): string {
  const lines = ['.syntax unified', '.text', '.thumb', '.global _start', '.thumb_func', '_start:'];
  lines.push('  movw r0, #:lower16:stack_top', '  movt r0, #:upper16:stack_top', '  mov sp, r0');
  const apsr = (s.apsr ?? 0) >>> 0;
  lines.push(`  movw r0, #${apsr & 0xffff}`, `  movt r0, #${apsr >>> 16}`, '  msr APSR_nzcvqg, r0');
  for (let i = 0; i <= 14; i++) {
    if (i === 13) continue;
    const v = (s.regs?.[i === 14 ? 13 : i] ?? defaultRegs(i)) >>> 0;
    lines.push(`  movw r${i}, #${v & 0xffff}`, `  movt r${i}, #${v >>> 16}`);
  }
  lines.push('snippet:', s.body, '.text', '.thumb', 'dump:');
  lines.push('  push {r0-r12, lr}', '  mrs r0, APSR', '  add r1, sp, #56', '  push {r0, r1}');
  lines.push('  movs r0, #1', '  mov r1, sp', '  movs r2, #64', '  movs r7, #4', '  svc #0');
  lines.push('  movs r0, #0', '  movs r7, #1', '  svc #0', '.ltorg');
  lines.push('.bss', '.balign 8', '.space 4096', 'stack_top:', '');
  return lines.join('\n');
}

export interface BuiltSnippet {
  elf: string;
  text: Uint8Array;
  data: Uint8Array;
  dump: number;
  dir: string;
}

export function buildSnippet(s: Snippet): BuiltSnippet {
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-thumb-'));
  writeFileSync(join(dir, 'p.s'), programSource(s));
  execFileSync(AS, ['-march=armv7-a', '-mthumb', '-o', join(dir, 'p.o'), join(dir, 'p.s')], { stdio: 'pipe' });
  execFileSync(LD, ['-Ttext=0x10000', '-Tdata=0x20000', '-o', join(dir, 'p'), join(dir, 'p.o')], { stdio: 'pipe' });
  execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'p'), join(dir, 'text.bin')]);
  execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.data', join(dir, 'p'), join(dir, 'data.bin')]);
  const nm = execFileSync(NM, [join(dir, 'p')], { encoding: 'utf8' });
  const m = /^([0-9a-f]+) t dump$/m.exec(nm);
  if (!m) throw new Error(`no dump symbol in ${s.name}`);
  return {
    elf: join(dir, 'p'),
    text: new Uint8Array(readFileSync(join(dir, 'text.bin'))),
    data: new Uint8Array(readFileSync(join(dir, 'data.bin'))),
    dump: parseInt(m[1]!, 16),
    dir,
  };
}

export function runQemu(b: BuiltSnippet, cpu = 'max'): DumpState {
  const out = execFileSync(QEMU, ['-cpu', cpu, b.elf], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (out.length !== 64) throw new Error(`qemu-arm wrote ${out.length} bytes`);
  const w = (i: number) => out.readUInt32LE(i * 4);
  return { apsr: (w(0) & APSR_MASK) >>> 0, sp: w(1), regs: Array.from({ length: 14 }, (_, i) => w(2 + i)) };
}

export function runTsqemu(b: BuiltSnippet, init: ThumbInit = {}): DumpState & { exit: number; pc: number } {
  const text = b.text.slice();
  const off = b.dump - 0x10000;
  text[off] = 0x00;
  text[off + 1] = 0xdf; // svc #0
  const r = runCode(text, {
    ...init,
    setup: (mem) => {
      mem.u8.set(b.data, DATA_BASE);
      init.setup?.(mem);
    },
  });
  const st = r.state;
  return {
    exit: r.exit,
    pc: r.pc,
    apsr: (readCpsr(st) & APSR_MASK) >>> 0,
    sp: st[13]! >>> 0,
    regs: [...Array.from({ length: 13 }, (_, i) => st[i]! >>> 0), st[14]! >>> 0],
    ...(st[S.ITSTATE] ? { it: st[S.ITSTATE] } : {}),
  };
}

export function cleanup(b: BuiltSnippet): void {
  rmSync(b.dir, { recursive: true, force: true });
}

/** A readable diff of two dumps ('' when equal). */
export function dumpDiff(want: DumpState, got: DumpState): string {
  const out: string[] = [];
  const h = (v: number) => '0x' + (v >>> 0).toString(16).padStart(8, '0');
  want.regs.forEach((v, i) => {
    if (v !== got.regs[i]) out.push(`${i === 13 ? 'lr' : 'r' + i}: qemu ${h(v)} tsqemu ${h(got.regs[i]!)}`);
  });
  if (want.sp !== got.sp) out.push(`sp: qemu ${h(want.sp)} tsqemu ${h(got.sp)}`);
  if (want.apsr !== got.apsr) out.push(`apsr: qemu ${h(want.apsr)} tsqemu ${h(got.apsr)}`);
  return out.join('; ');
}
