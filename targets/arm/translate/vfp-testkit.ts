// Test support for the VFP class: encode rows by name, run instruction words on tsqemu with
// a given VFP state, and run the same words under qemu-arm (the oracle) in one assembled
// program per batch of cases. Used by vfp*.test.ts only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePattern } from '../decode/pattern.js';
import { vfpRows } from '../decode/vfp.js';
import { a32Decoder } from '../decode/a32.js';
import { S, readCpsr } from '../cpu-state.js';
import { runA32, VFP_WORD0 } from '../testing/run-a32.js';

/** Encode a VFP row by name with cond AL (fields absent are 0). */
export function enc(name: string, fields: Record<string, number>): number {
  const row = vfpRows.find((r) => r.name === name);
  if (!row) throw new Error(`no VFP row ${name}`);
  const c = compilePattern(row);
  let w = c.value;
  for (const spec of c.fieldSpecs) {
    const v = spec.name === 'c' ? (fields['c'] ?? 14) : (fields[spec.name] ?? 0);
    spec.bits.forEach((bit, i) => {
      if ((v >>> (spec.bits.length - 1 - i)) & 1) w |= 1 << bit;
    });
  }
  return w >>> 0;
}

/** Fields of register operand x (d, n or m) for a single or double register number. */
export function sf(x: 'd' | 'n' | 'm', r: number): Record<string, number> {
  return { [x]: r >> 1, [x.toUpperCase()]: r & 1 };
}
export function df(x: 'd' | 'n' | 'm', r: number): Record<string, number> {
  return { [x]: r & 15, [x.toUpperCase()]: r >> 4 };
}

/** One instruction-level case: words to run, 64 VFP register words, FPSCR, r0-r11, NZCV. */
export interface VfpCase {
  words: number[];
  vfp: number[];
  fpscr: number;
  regs?: number[];
  nzcv?: number;
}

/** Result of a case as 78 words: r0-r11, APSR (NZCV only), FPSCR, 64 VFP words. */
export type CaseResult = Int32Array;

const RESULT_WORDS = 78;

export function runTsqemu(c: VfpCase, cpu = 'cortex-a15'): { exit: number; result: CaseResult } {
  const regs: Record<number, number> = {};
  (c.regs ?? []).forEach((v, i) => (regs[i] = v));
  const n = c.nzcv ?? 0;
  const r = runA32(c.words, {
    cpu,
    regs,
    flags: { N: !!(n & 8), Z: !!(n & 4), C: !!(n & 2), V: !!(n & 1) },
    vfp: { words: c.vfp, fpscr: c.fpscr },
  });
  const out = new Int32Array(RESULT_WORDS);
  for (let i = 0; i < 12; i++) out[i] = r.state[i]!;
  out[12] = readCpsr(r.state) & 0xf0000000;
  out[13] = r.state[S.FPSCR]!;
  for (let i = 0; i < 64; i++) out[14 + i] = r.state[VFP_WORD0 + i]!;
  return { exit: r.exit, result: out };
}

/** Why the oracle cannot run here, or undefined when it can. */
export function oracleUnavailable(): string | undefined {
  for (const tool of ['qemu-arm', 'arm-linux-gnueabi-as', 'arm-linux-gnueabi-ld']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
    } catch {
      return `${tool} not found`;
    }
  }
  return undefined;
}

const hex = (v: number) => '0x' + (v >>> 0).toString(16);

/** qemu's name for a tsqemu model: NEON off where qemu's model has it (tsqemu has no NEON). */
function qemuCpuName(cpu: string): string {
  return /^(cortex-a(7|8|9|15)|max)$/.test(cpu) ? `${cpu},neon=off` : cpu;
}

/** Run all cases under qemu-arm (one program); results in case order. */
export function runQemu(cases: readonly VfpCase[], cpu = 'cortex-a15'): CaseResult[] {
  const lines: string[] = [
    '.syntax unified', '.arm', '.fpu vfpv4', '.text', '.global _start',
    'load:', '  ldr r0, [r12, #256]', '  vmsr fpscr, r0', '  ldr r0, [r12, #260]', '  msr APSR_nzcvq, r0',
    '  mov r1, r12', '  vldmia r1!, {d0-d15}', '  vldmia r1, {d16-d31}', '  add r0, r12, #264', '  ldmia r0, {r0-r11}', '  bx lr',
    'save:', '  stmia r12, {r0-r11}', '  mrs r0, APSR', '  str r0, [r12, #48]', '  vmrs r0, fpscr', '  str r0, [r12, #52]',
    '  add r1, r12, #56', '  vstmia r1!, {d0-d15}', '  vstmia r1, {d16-d31}',
    '  mov r0, #1', '  mov r1, r12', `  mov r2, #${RESULT_WORDS * 4}`, '  mov r7, #4', '  svc 0', '  bx lr',
    '_start:',
  ];
  const data: string[] = ['.data', '.balign 8', 'outbuf: .space ' + RESULT_WORDS * 4];
  cases.forEach((c, i) => {
    lines.push(`  movw r12, #:lower16:in${i}`, `  movt r12, #:upper16:in${i}`, '  bl load');
    lines.push('  movw r12, #:lower16:outbuf', '  movt r12, #:upper16:outbuf');
    for (const w of c.words) lines.push(`  .inst ${hex(w)}`);
    lines.push('  bl save');
    const words = [...c.vfp, ...new Array(64 - c.vfp.length).fill(0), c.fpscr, (c.nzcv ?? 0) << 28];
    const regs = c.regs ?? [];
    for (let r = 0; r < 12; r++) words.push(regs[r] ?? 0);
    data.push('.balign 8', `in${i}: .word ${words.map(hex).join(', ')}`);
  });
  lines.push('  mov r0, #0', '  mov r7, #1', '  svc 0');
  for (const line of data) lines.push(line);
  lines.push('');
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-vfp-'));
  try {
    writeFileSync(join(dir, 't.S'), lines.join('\n'));
    execFileSync('arm-linux-gnueabi-as', ['-march=armv7-a', '-mfpu=vfpv4', '-o', join(dir, 't.o'), join(dir, 't.S')], { stdio: 'pipe' });
    execFileSync('arm-linux-gnueabi-ld', ['-o', join(dir, 't'), join(dir, 't.o')], { stdio: 'pipe' });
    const out = execFileSync('qemu-arm', ['-cpu', qemuCpuName(cpu), join(dir, 't')], { maxBuffer: 1 << 28 });
    const all = new Int32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
    const results: CaseResult[] = [];
    for (let i = 0; i < cases.length; i++) {
      const r = all.slice(i * RESULT_WORDS, (i + 1) * RESULT_WORDS);
      r[12] = r[12]! & 0xf0000000;
      results.push(r);
    }
    if (results.length !== cases.length || all.length !== cases.length * RESULT_WORDS) throw new Error(`qemu-arm wrote ${all.length} words for ${cases.length} cases`);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Disassembly of the words of a case. */
export function disasmWords(words: readonly number[]): string {
  return words.map((w) => a32Decoder.decode(w)?.row.disasm(a32Decoder.decode(w)!.fields, { pc: 0, thumb: false }) ?? hex(w)).join('; ');
}

const SLOT_NAMES = [...Array.from({ length: 12 }, (_, i) => `r${i}`), 'apsr', 'fpscr', ...Array.from({ length: 64 }, (_, i) => `w${i}`)];

/** Differences between two results as "name: want X got Y" items. */
export function diff(want: CaseResult, got: CaseResult): string[] {
  const out: string[] = [];
  for (let i = 0; i < RESULT_WORDS; i++) if (want[i] !== got[i]) out.push(`${SLOT_NAMES[i]}: want ${hex(want[i]!)} got ${hex(got[i]!)}`);
  return out;
}

/** Compare every case with the oracle; returns human-readable mismatch reports. */
export function compareWithQemu(cases: readonly VfpCase[], cpu = 'cortex-a15'): { mismatches: string[]; count: number } {
  const want = runQemu(cases, cpu);
  const mismatches: string[] = [];
  cases.forEach((c, i) => {
    const got = runTsqemu(c, cpu).result;
    const d = diff(want[i]!, got);
    if (d.length > 0) {
      const inputs = c.vfp.slice(0, 6).map(hex).join(' ');
      mismatches.push(`#${i} ${disasmWords(c.words)} fpscr=${hex(c.fpscr)} in=[${inputs}] :: ${d.join(', ')}`);
    }
  });
  return { mismatches, count: cases.length };
}

// ---- value generators (deterministic) ----

export class Rng {
  constructor(private s = 0x2545f491) {}
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
}

export const F32_EDGES = [
  0, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0x3f000000, 0xbf000000, 0xbfc00000, 0x7f7fffff, 0xff7fffff,
  0x00800000, 0x80800000, 0x007fffff, 0x807fffff, 0x00000001, 0x80000001, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
  0x7fc12345, 0x7f800001, 0xff812345, 0x7fbfffff, 0x4f000000, 0xcf000000, 0x4f800000, 0x4effffff, 0xcf000001, 0x3f800001,
  0x40400000, 0x3eaaaaab, 0x33800000, 0x00400000, 0x3f7fffff, 0x4b800000, 0x4b7fffff, 0x477fe000, 0x477ff000, 0x38800000, 0x33000000,
].map((x) => x | 0);

/** f64 edges as [hi, lo]. */
export const F64_EDGES: [number, number][] = (
  [
    [0, 0], [0x80000000, 0], [0x3ff00000, 0], [0xbff00000, 0], [0x3ff80000, 0], [0x40040000, 0], [0x3fe00000, 0], [0xbfe00000, 0],
    [0x7fefffff, 0xffffffff], [0xffefffff, 0xffffffff], [0x00100000, 0], [0x80100000, 0], [0x000fffff, 0xffffffff], [0, 1], [0x80000000, 1],
    [0x7ff00000, 0], [0xfff00000, 0], [0x7ff80000, 0], [0xfff80000, 0], [0x7ff81234, 0x5678], [0x7ff00000, 1], [0xfff41234, 0x9abc],
    [0x41e00000, 0], [0xc1e00000, 0], [0x41f00000, 0], [0x41dfffff, 0xffc00000], [0xc1e00000, 0x00200000], [0x3ff00000, 1],
    [0x40080000, 0], [0x3fd55555, 0x55555555], [0x47efffff, 0xe0000000], [0x47efffff, 0xf0000000], [0x36a00000, 0], [0x380fffff, 0xf0000000],
    [0x3810000, 0], [0x36900000, 0], [0x3ca00000, 0], [0x7fe00000, 0],
  ] as [number, number][]
).map(([h, l]) => [h | 0, l | 0]);

/** A random float32 with an interesting exponent. */
export function randF32(r: Rng): number {
  const sign = r.below(2) << 31;
  const k = r.below(8);
  let exp: number;
  if (k === 0) exp = r.below(256);
  else if (k === 1) exp = r.below(3); // denormal/tiny
  else if (k === 2) exp = 250 + r.below(5); // huge
  else if (k === 3) exp = 0x67 + r.below(8); // near 2^-24
  else exp = 110 + r.below(40);
  let mant = r.next() & 0x7fffff;
  if (r.below(3) === 0) mant &= ~((1 << r.below(23)) - 1); // fewer set bits: exact results and ties
  if (exp === 255 && r.below(2)) exp = 254;
  return sign | (exp << 23) | mant;
}

export function randF64(r: Rng): [number, number] {
  const sign = r.below(2) << 31;
  const k = r.below(8);
  let exp: number;
  if (k === 0) exp = r.below(2048);
  else if (k === 1) exp = r.below(3);
  else if (k === 2) exp = 2040 + r.below(7);
  else if (k === 3) exp = 1023 - 1022 - 52 + 1023 + r.below(4) - 1023; // near the smallest subnormal scale
  else exp = 1000 + r.below(48);
  exp = Math.max(0, Math.min(2047, exp));
  let hi = r.next() & 0xfffff;
  let lo = r.next() | 0;
  if (r.below(3) === 0) {
    const z = r.below(52);
    if (z < 32) lo &= ~((2 ** z - 1) | 0);
    else {
      lo = 0;
      hi &= ~((1 << (z - 32)) - 1);
    }
  }
  if (exp === 2047 && r.below(2)) exp = 2046;
  return [sign | (exp << 20) | hi, lo];
}

/** FPSCR values covering the rounding modes, FZ and DN (flags clear). */
export const FPSCR_MODES = [0, 0x400000, 0x800000, 0xc00000, 0x1000000, 0x2000000, 0x1c00000, 0x3400000, 0x2800000];
