// VFP unit tests that always run (no oracle needed): disassembly against GNU objdump,
// the decode table, hand-checked arithmetic/rounding/NaN/flag cases, conversions at the
// edges, loads and stores, register transfers, feature gates and UNDEFINED encodings.
// Values marked "qemu" were checked against qemu-arm 7.2 -cpu cortex-a15.
import { describe, expect, it } from 'vitest';
import { a32Decoder } from '../decode/a32.js';
import { compilePattern, extractFields, matches } from '../decode/pattern.js';
import { vfpRows } from '../decode/vfp.js';
import { EXIT_FAULT, EXIT_SYSCALL, EXIT_UNDEFINED } from '../../../src/engine/exits.js';
import { S } from '../cpu-state.js';
import { DATA_BASE, VFP_WORD0, flagString, runA32 } from '../testing/run-a32.js';
import { df, enc, sf } from './vfp-testkit.js';

const OBJDUMP: [number, string][] = [
  [0xeea00a81, 'vfma.f32 s0, s1, s2'],
  [0xeea10b42, 'vfms.f64 d0, d1, d2'],
  [0xee900ac1, 'vfnma.f32 s0, s1, s2'],
  [0xee900a81, 'vfnms.f32 s0, s1, s2'],
  [0xee100ac1, 'vnmla.f32 s0, s1, s2'],
  [0xee100a81, 'vnmls.f32 s0, s1, s2'],
  [0xed2d8b10, 'vpush {d8-d15}'],
  [0xecbd8b10, 'vpop {d8-d15}'],
  [0xecb00a04, 'vldmia r0!, {s0-s3}'],
  [0xec900b08, 'vldmia r0, {d0-d3}'],
  [0xed214b02, 'vstmdb r1!, {d4}'],
  [0xed908b04, 'vldr d8, [r0, #16]'],
  [0xed500a04, 'vldr s1, [r0, #-16]'],
  [0xec510b10, 'vmov r0, r1, d0'],
  [0xec432b11, 'vmov d1, r2, r3'],
  [0xec510a31, 'vmov r0, r1, s3, s4'],
  [0xec410a31, 'vmov s3, s4, r0, r1'],
  [0xee122a90, 'vmov r2, s5'],
  [0xee022a90, 'vmov s5, r2'],
  [0xee234b10, 'vmov.32 d3[1], r4'],
  [0xee114b90, 'vmov.32 r4, d17[0]'],
  [0xeeb70a00, 'vmov.f32 s0, #112'],
  [0xeebc0b00, 'vmov.f64 d0, #192'],
  [0xeeb00a60, 'vmov.f32 s0, s1'],
  [0xeebd0bc1, 'vcvt.s32.f64 s0, d1'],
  [0xeebd0b41, 'vcvtr.s32.f64 s0, d1'],
  [0xeebc0ae0, 'vcvt.u32.f32 s0, s1'],
  [0xeeb80be0, 'vcvt.f64.s32 d0, s1'],
  [0xeeb80a60, 'vcvt.f32.u32 s0, s1'],
  [0xeeb70ae0, 'vcvt.f64.f32 d0, s1'],
  [0xeeb70bc1, 'vcvt.f32.f64 s0, d1'],
  [0xeebe0a66, 'vcvt.s16.f32 s0, s0, #3'],
  [0xeebf0bc0, 'vcvt.u32.f64 d0, d0, #32'],
  [0xeeba0aef, 'vcvt.f32.s32 s0, s0, #1'],
  [0xeeb20a60, 'vcvtb.f32.f16 s0, s1'],
  [0xeeb30ae0, 'vcvtt.f16.f32 s0, s1'],
  [0xeeb40a60, 'vcmp.f32 s0, s1'],
  [0xeeb40bc1, 'vcmpe.f64 d0, d1'],
  [0xeeb50a40, 'vcmp.f32 s0, #0.0'],
  [0xeeb50bc0, 'vcmpe.f64 d0, #0.0'],
  [0xeef1fa10, 'vmrs APSR_nzcv, fpscr'],
  [0xeef10a10, 'vmrs r0, fpscr'],
  [0xeee10a10, 'vmsr fpscr, r0'],
  [0xeef81a10, 'vmrs r1, fpexc'],
  [0xeef01a10, 'vmrs r1, fpsid'],
  [0xeef71a10, 'vmrs r1, mvfr0'],
  [0xeef61a10, 'vmrs r1, mvfr1'],
  [0xeee81a10, 'vmsr fpexc, r1'],
  [0xeeb10bc1, 'vsqrt.f64 d0, d1'],
  [0xeeb00ae0, 'vabs.f32 s0, s1'],
  [0xeeb10b41, 'vneg.f64 d0, d1'],
  [0xee800a81, 'vdiv.f32 s0, s1, s2'],
  [0xee210b42, 'vnmul.f64 d0, d1, d2'],
  [0x0e300a81, 'vaddeq.f32 s0, s1, s2'],
  [0xee710bef, 'vsub.f64 d16, d17, d31'],
  [0xee000a81, 'vmla.f32 s0, s1, s2'],
  [0xee000ac1, 'vmls.f32 s0, s1, s2'],
  [0xee60fa81, 'vmul.f32 s31, s1, s2'],
  [0xed300a04, 'vldmdb r0!, {s0-s3}'],
  [0xecad0b02, 'vstmia sp!, {d0}'],
  [0xec9d0b02, 'vldmia sp, {d0}'],
  [0x0eb20a60, 'vcvtbeq.f32.f16 s0, s1'],
  [0x0ebd0b41, 'vcvtreq.s32.f64 s0, d1'],
  [0x0eba0aef, 'vcvteq.f32.s32 s0, s0, #1'],
  [0x0c510b10, 'vmoveq r0, r1, d0'],
  [0x0e114b90, 'vmoveq.32 r4, d17[0]'],
  [0x0d908b00, 'vldreq d8, [r0]'],
  [0x0d2d0a02, 'vpusheq {s0-s1}'],
  [0x0ef1fa10, 'vmrseq APSR_nzcv, fpscr'],
  [0x0ee10a10, 'vmsreq fpscr, r0'],
  [0x0ebf0a08, 'vmoveq.f32 s0, #248'],
  [0xeeb40a08, 'vmov.f32 s0, #72'],
  [0xeeb30b0f, 'vmov.f64 d0, #63'],
  [0xecf10b20, 'vldmia r1!, {d16-d31}'],
  [0xed000b00, 'vstr d0, [r0, #-0]'],
  [0x0eb50ac0, 'vcmpeeq.f32 s0, #0.0'],
  [0x0ea10b02, 'vfmaeq.f64 d0, d1, d2'],
  [0xed601a03, 'vstmdb r0!, {s3-s5}'],
  [0xeeb65b00, 'vmov.f64 d5, #96'],
  [0xeef21acf, 'vcvtt.f32.f16 s3, s30'],
  [0xeef31a4f, 'vcvtb.f16.f32 s3, s30'],
  [0xeebf3b40, 'vcvt.u16.f64 d3, d3, #16'],
  [0xeebb3bef, 'vcvt.f64.u32 d3, d3, #1'],
  [0xeefd2ac3, 'vcvt.s32.f32 s5, s6'],
  [0xeef82ac3, 'vcvt.f32.s32 s5, s6'],
  [0xeef42ac3, 'vcmpe.f32 s5, s6'],
  [0xee165b47, 'vnmla.f64 d5, d6, d7'],
  [0x1c454a30, 'vmovne s1, s2, r4, r5'],
  [0xecd2fa01, 'vldmia r2, {s31}'],
];

function disasm(word: number): string {
  const hit = a32Decoder.decode(word >>> 0);
  if (!hit) return '(undefined)';
  return hit.row.disasm(hit.fields, { pc: 0x10000, thumb: false }).replace(/\s*@.*$/, '').replace(/\s+/g, ' ');
}

describe('VFP disassembly', () => {
  it.each(OBJDUMP)('%s', (word, text) => {
    expect(disasm(word)).toBe(text);
  });

  it('comments immediates and literal addresses', () => {
    const hit = a32Decoder.decode(0xeeb70a00)!;
    expect(hit.row.disasm(hit.fields, { pc: 0, thumb: false })).toMatch(/#112\t@ 0x3f800000 1\.0$/);
    const lit = a32Decoder.decode(0xed9f0a02)!; // vldr s0, [pc, #8]
    expect(lit.row.disasm(lit.fields, { pc: 0x10000, thumb: false })).toMatch(/\[pc, #8\]\t@ 0x00010010$/);
  });
});

describe('VFP decode table', () => {
  it('no row is shadowed by a more specific one for all of its encodings', () => {
    const rows = vfpRows.map((r) => compilePattern(r));
    for (const row of rows) {
      // the row's own value with field bits set randomly must decode to the row itself (or a
      // more specific row overlapping on purpose: VMOV/VLDR inside VLDM's space)
      const w = row.value;
      const hit = a32Decoder.decode(w | 0xe0000000);
      expect(hit, row.name).toBeDefined();
      if (hit!.row.name !== row.name) expect(['VLDM_VSTM'], `${row.name} -> ${hit!.row.name}`).toContain(row.name);
    }
  });

  it('rows are reachable with cond = 1110 (as T32 will use them)', () => {
    for (const row of vfpRows) {
      const c = compilePattern(row);
      expect(matches(c, (c.value | 0xe0000000) >>> 0), row.name).toBe(true);
      expect(extractFields(c, (c.value | 0xe0000000) >>> 0)['c']).toBe(14);
    }
  });
});

// ---- helpers for running instructions ----

const f2b = (x: number) => new Int32Array(new Float32Array([x]).buffer)[0]!;
const b2f = (b: number) => new Float32Array(new Int32Array([b]).buffer)[0]!;
const d2w = (x: number) => {
  const w = new Int32Array(new Float64Array([x]).buffer);
  return [w[0]!, w[1]!];
};
const w2d = (lo: number, hi: number) => new Float64Array(new Int32Array([lo, hi]).buffer)[0]!;
const hex = (v: number) => '0x' + (v >>> 0).toString(16).padStart(8, '0');

const RN = 0;
const RP = 0x400000;
const RM = 0x800000;
const RZ = 0xc00000;
const FZ = 0x1000000;
const DN = 0x2000000;
const IOC = 1;
const DZC = 2;
const OFC = 4;
const UFC = 8;
const IXC = 16;
const IDC = 128;

/** Run one single-precision op s0 = s1 op s2 (s0 is also the accumulator). */
function s3(name: string, extra: Record<string, number>, acc: number, a: number, b: number, fpscr = 0) {
  const r = runA32([enc(name, { ...extra, ...sf('d', 0), ...sf('n', 1), ...sf('m', 2) })], { vfp: { words: [acc, a, b], fpscr } });
  expect(r.exit).toBe(EXIT_SYSCALL);
  return { bits: r.state[VFP_WORD0]!, fpscr: r.state[S.FPSCR]! };
}

/** d0 = d1 op d2 on doubles given as numbers (d0 also the accumulator). */
function d3(name: string, extra: Record<string, number>, acc: number, a: number, b: number, fpscr = 0) {
  const r = runA32([enc(name, { ...extra, z: 1, ...df('d', 0), ...df('n', 1), ...df('m', 2) })], {
    vfp: { words: [...d2w(acc), ...d2w(a), ...d2w(b)], fpscr },
  });
  expect(r.exit).toBe(EXIT_SYSCALL);
  return { value: w2d(r.state[VFP_WORD0]!, r.state[VFP_WORD0 + 1]!), lo: r.state[VFP_WORD0]!, hi: r.state[VFP_WORD0 + 1]!, fpscr: r.state[S.FPSCR]! };
}

describe('VFP arithmetic', () => {
  it('VADD.F32 rounds 1 + 2^-24 (a tie) and 1 + 3*2^-25 in every mode', () => {
    const one = 0x3f800000;
    const tie = f2b(2 ** -24);
    expect(s3('VADD', {}, 0, one, tie, RN)).toEqual({ bits: one, fpscr: RN | IXC });
    expect(s3('VADD', {}, 0, one, tie, RP).bits).toBe(one + 1);
    expect(s3('VADD', {}, 0, one, tie, RM).bits).toBe(one);
    expect(s3('VADD', {}, 0, one, tie, RZ).bits).toBe(one);
    expect(s3('VADD', {}, 0, one | 0x80000000, tie | 0x80000000, RM).bits).toBe((one + 1) | 0x80000000);
    expect(s3('VADD', {}, 0, one, f2b(3 * 2 ** -25), RN).bits).toBe(one + 1);
  });

  it('exact zero sums are +0, except -0 when rounding toward minus infinity', () => {
    expect(s3('VSUB', {}, 0, one(), one(), RN).bits).toBe(0);
    expect(s3('VSUB', {}, 0, one(), one(), RM).bits).toBe(0x80000000 | 0);
    expect(s3('VADD', {}, 0, 0x80000000 | 0, 0x80000000 | 0, RN).bits).toBe(0x80000000 | 0);
    expect(s3('VADD', {}, 0, 0, 0x80000000 | 0, RN).bits).toBe(0);
  });

  it('overflow gives infinity or the largest finite value by mode (OFC, IXC)', () => {
    const max = 0x7f7fffff;
    const two = 0x40000000;
    expect(s3('VMUL', {}, 0, max, two, RN)).toEqual({ bits: 0x7f800000, fpscr: RN | OFC | IXC });
    expect(s3('VMUL', {}, 0, max, two, RZ).bits).toBe(max);
    expect(s3('VMUL', {}, 0, max, two, RP).bits).toBe(0x7f800000);
    expect(s3('VMUL', {}, 0, max, two, RM).bits).toBe(max);
    expect(s3('VMUL', {}, 0, max | 0x80000000, two, RM).bits).toBe(0xff800000 | 0);
    expect(d3('VMUL', {}, 0, Number.MAX_VALUE, 2, RZ).value).toBe(Number.MAX_VALUE);
  });

  it('underflow: tininess before rounding, UFC only when inexact; FZ flushes with UFC alone', () => {
    const minNormal = 0x00800000;
    expect(s3('VMUL', {}, 0, minNormal, 0x3f000000)).toEqual({ bits: 0x00400000, fpscr: 0 }); // exact subnormal
    expect(s3('VMUL', {}, 0, 0x00800003, 0x3f000000)).toEqual({ bits: 0x00400002, fpscr: UFC | IXC }); // tie to even
    // 0x007fffff.8 rounds up to the smallest normal but was tiny before rounding (qemu)
    expect(s3('VMUL', {}, 0, 0x00ffffff, 0x3f000000)).toEqual({ bits: 0x00800000, fpscr: UFC | IXC });
    expect(s3('VMUL', {}, 0, minNormal, 0x3f000000, FZ)).toEqual({ bits: 0, fpscr: FZ | UFC });
    // FZ: denormal inputs are zero (IDC)
    expect(s3('VADD', {}, 0, 0x00000001, 0x3f800000, FZ)).toEqual({ bits: 0x3f800000, fpscr: FZ | IDC });
  });

  it('NaN propagation: first signalling NaN quietened, else first quiet NaN; DN', () => {
    const snan = 0x7f800001;
    const qnan = 0x7fc00002;
    expect(s3('VADD', {}, 0, snan, qnan)).toEqual({ bits: 0x7fc00001, fpscr: IOC });
    expect(s3('VADD', {}, 0, qnan, snan)).toEqual({ bits: 0x7fc00001, fpscr: IOC });
    expect(s3('VADD', {}, 0, qnan, 0xffc00005 | 0)).toEqual({ bits: qnan, fpscr: 0 });
    expect(s3('VSUB', {}, 0, 0x3f800000, 0xffc00005 | 0).bits).toBe(0xffc00005 | 0); // no sign flip
    expect(s3('VADD', {}, 0, snan, 0x3f800000, DN)).toEqual({ bits: 0x7fc00000, fpscr: DN | IOC });
    // VMLS negates the product NaN (FPNeg before the add)
    expect(s3('VMLA_VMLS', { o: 1 }, 0x3f800000, qnan, 0x3f800000).bits).toBe(qnan | 0x80000000);
    // fused: the addend is checked first; (inf * 0) + qNaN is invalid
    expect(s3('VFMA_VFMS', { o: 0 }, qnan, snan, 0x3f800000)).toEqual({ bits: 0x7fc00001, fpscr: IOC });
    expect(s3('VFMA_VFMS', { o: 0 }, qnan, 0x7f800000, 0)).toEqual({ bits: 0x7fc00000, fpscr: IOC });
  });

  it('invalid operations and division by zero', () => {
    expect(s3('VADD', {}, 0, 0x7f800000, 0xff800000 | 0)).toEqual({ bits: 0x7fc00000, fpscr: IOC });
    expect(s3('VMUL', {}, 0, 0x7f800000, 0)).toEqual({ bits: 0x7fc00000, fpscr: IOC });
    expect(s3('VDIV', {}, 0, 0, 0)).toEqual({ bits: 0x7fc00000, fpscr: IOC });
    expect(s3('VDIV', {}, 0, 0xbf800000 | 0, 0)).toEqual({ bits: 0xff800000 | 0, fpscr: DZC });
    const r = runA32([enc('VSQRT', { ...sf('d', 0), ...sf('m', 1) })], { vfp: { words: [0, 0xbf800000 | 0] } });
    expect([r.state[VFP_WORD0], r.state[S.FPSCR]]).toEqual([0x7fc00000, IOC]);
  });

  it('VDIV and VSQRT are correctly rounded in double precision', () => {
    expect(d3('VDIV', {}, 0, 1, 3).value).toBe(1 / 3);
    expect(d3('VDIV', {}, 0, 1, 3, RP).value).toBe(1 / 3 + 2 ** -54);
    expect(d3('VDIV', {}, 0, 1, 3, RZ).value).toBe(1 / 3);
    expect(d3('VDIV', {}, 0, 2, 3, RZ).value).toBe(2 / 3);
    expect(d3('VDIV', {}, 0, 2, 3, RP).value).toBe(2 / 3 + 2 ** -53);
    expect(d3('VDIV', {}, 0, -2, 3, RM).value).toBe(-2 / 3 - 2 ** -53);
    const r = runA32([enc('VSQRT', { z: 1, ...df('d', 0), ...df('m', 1) })], { vfp: { words: [0, 0, ...d2w(2)], fpscr: RM } });
    expect(w2d(r.state[VFP_WORD0]!, r.state[VFP_WORD0 + 1]!)).toBe(Math.SQRT2 - 2 ** -52); // RN(sqrt 2) is above it
    expect(r.state[S.FPSCR]).toBe(RM | IXC);
  });

  it('fused multiply-add rounds once (f64: 2^-104 survives; f32: no double rounding)', () => {
    const a = 1 + 2 ** -52;
    expect(d3('VFMA_VFMS', { o: 0 }, -(1 + 2 ** -51), a, a).value).toBe(2 ** -104);
    expect(d3('VMLA_VMLS', { o: 0 }, -(1 + 2 ** -51), a, a).value).toBe(0); // unfused
    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 is a tie in single precision; + 2^-70 must round up
    expect(s3('VFMA_VFMS', { o: 0 }, f2b(2 ** -70), 0x3f800800, 0x3f800800).bits).toBe(0x3f801001);
    expect(s3('VMLA_VMLS', { o: 0 }, f2b(2 ** -70), 0x3f800800, 0x3f800800).bits).toBe(0x3f801000);
    // VFNMS: -d + n*m; VFNMA: -d - n*m; VFMS: d - n*m
    expect(b2f(s3('VFNMA_VFNMS', { o: 0 }, f2b(1), f2b(2), f2b(3)).bits)).toBe(5);
    expect(b2f(s3('VFNMA_VFNMS', { o: 1 }, f2b(1), f2b(2), f2b(3)).bits)).toBe(-7);
    expect(b2f(s3('VFMA_VFMS', { o: 1 }, f2b(1), f2b(2), f2b(3)).bits)).toBe(-5);
    expect(b2f(s3('VNMLA_VNMLS', { o: 1 }, f2b(1), f2b(2), f2b(3)).bits)).toBe(-7);
    expect(b2f(s3('VNMLA_VNMLS', { o: 0 }, f2b(1), f2b(2), f2b(3)).bits)).toBe(5);
    expect(b2f(s3('VNMUL', {}, 0, f2b(2), f2b(3)).bits)).toBe(-6);
  });

  it('VNEG, VABS and VMOV keep signalling NaN bits and never raise flags', () => {
    const snan = 0x7f812345;
    for (const [name, want] of [['VNEG', snan ^ 0x80000000], ['VABS', snan], ['VMOV_reg', snan]] as const) {
      const r = runA32([enc(name, { ...sf('d', 0), ...sf('m', 1) })], { vfp: { words: [0, snan], fpscr: FZ } });
      expect([hex(r.state[VFP_WORD0]!), r.state[S.FPSCR]]).toEqual([hex(want), FZ]);
    }
    const r = runA32([enc('VNEG', { z: 1, ...df('d', 0), ...df('m', 1) })], { vfp: { words: [0, 0, 1, 0x7ff00000] } });
    expect([r.state[VFP_WORD0], r.state[VFP_WORD0 + 1]]).toEqual([1, 0xfff00000 | 0]);
  });
});

function one(): number {
  return 0x3f800000;
}

describe('VCMP and VMRS APSR_nzcv', () => {
  const vmrs = enc('VMRS', { r: 1, t: 15 });
  function cmp(a: number, b: number, E = 0, fpscr = 0) {
    const r = runA32([enc('VCMP', { E, ...sf('d', 0), ...sf('m', 1) }), vmrs], { vfp: { words: [a, b], fpscr } });
    return [flagString(r.state), (r.state[S.FPSCR]! >>> 28).toString(2).padStart(4, '0'), r.state[S.FPSCR]! & 0xff];
  }
  it('less, equal, greater, unordered', () => {
    expect(cmp(f2b(1), f2b(2))).toEqual(['N---', '1000', 0]);
    expect(cmp(f2b(2), f2b(2))).toEqual(['-ZC-', '0110', 0]);
    expect(cmp(0, 0x80000000 | 0)).toEqual(['-ZC-', '0110', 0]);
    expect(cmp(f2b(3), f2b(2))).toEqual(['--C-', '0010', 0]);
    expect(cmp(0x7fc00000, f2b(2))).toEqual(['--CV', '0011', 0]);
  });
  it('VCMP signals only signalling NaNs; VCMPE any NaN', () => {
    expect(cmp(0x7fc00000, 0)[2]).toBe(0);
    expect(cmp(0x7f800001, 0)[2]).toBe(IOC);
    expect(cmp(0x7fc00000, 0, 1)[2]).toBe(IOC);
  });
  it('compares with zero and in double precision', () => {
    const r = runA32([enc('VCMP_zero', { z: 1, ...df('d', 17) }), vmrs], { vfp: { words: [...new Array(34).fill(0), ...d2w(-1)] } });
    expect(flagString(r.state)).toBe('N---');
  });
});

describe('VCVT', () => {
  function toInt(x: number, signed: boolean, roundZero: boolean, fpscr = 0) {
    const r = runA32([enc('VCVT_to_int', { s: signed ? 1 : 0, r: roundZero ? 1 : 0, ...sf('d', 0), ...sf('m', 1) })], { vfp: { words: [0, f2b(x)], fpscr } });
    return [r.state[VFP_WORD0]!, r.state[S.FPSCR]! & 0xff];
  }
  it('rounds 2.5, -2.5, 1.5, -0.5 per mode (VCVTR) and toward zero (VCVT)', () => {
    const modes = [RN, RP, RM, RZ];
    expect(modes.map((m) => toInt(2.5, true, false, m)[0])).toEqual([2, 3, 2, 2]);
    expect(modes.map((m) => toInt(-2.5, true, false, m)[0])).toEqual([-2, -2, -3, -2]);
    expect(modes.map((m) => toInt(1.5, true, false, m)[0])).toEqual([2, 2, 1, 1]);
    expect(toInt(-2.5, true, true, RP)).toEqual([-2, IXC]);
    expect(toInt(-0.5, false, false, RN)).toEqual([0, IXC]); // rounds to -0: in range
    expect(toInt(-0.75, false, false, RN)).toEqual([0, IOC]); // rounds to -1: saturates
  });
  it('saturates with IOC (no IXC); NaN converts to 0', () => {
    expect(toInt(2 ** 31, true, true)).toEqual([0x7fffffff, IOC]);
    expect(toInt(-(2 ** 31), true, true)).toEqual([-0x80000000, 0]);
    expect(toInt(2 ** 32, false, true)).toEqual([-1, IOC]);
    expect(toInt(-1, false, true)).toEqual([0, IOC]);
    expect(toInt(-Infinity, true, true)).toEqual([-0x80000000, IOC]);
    expect(toInt(NaN, true, true)).toEqual([0, IOC]);
  });
  it('integer to float rounds per FPSCR; fixed point rounds to nearest (qemu)', () => {
    const conv = (fields: Record<string, number>, v: number, fpscr: number) => {
      const r = runA32([enc(fields['fixed'] ? 'VCVT_fixed' : 'VCVT_from_int', fields)], { vfp: { words: [v, v], fpscr } });
      return [hex(r.state[VFP_WORD0]!), r.state[S.FPSCR]! & 0xff];
    };
    expect(conv({ s: 1, ...sf('d', 0), ...sf('m', 1) }, 0x01000001, RN)).toEqual([hex(0x4b800000), IXC]);
    expect(conv({ s: 1, ...sf('d', 0), ...sf('m', 1) }, 0x01000001, RP)).toEqual([hex(0x4b800001), IXC]);
    // vcvt.f32.s32 s0, s0, #1 of 0x01000003: 8388609.5 rounds to nearest even even in RZ
    expect(conv({ fixed: 1, o: 0, x: 1, i: 15, j: 1, ...sf('d', 0) }, 0x01000003, RZ)).toEqual([hex(0x4b000002), IXC]);
  });
  it('float to fixed point: 16-bit results saturate and sign-extend', () => {
    const r = runA32([enc('VCVT_fixed', { o: 1, x: 0, U: 0, i: 6, j: 1, ...sf('d', 0) })], { vfp: { words: [f2b(-1e6)] } }); // vcvt.s16.f32 s0, s0, #3
    expect([r.state[VFP_WORD0], r.state[S.FPSCR]]).toEqual([-0x8000, IOC]);
    const d = runA32([enc('VCVT_fixed', { z: 1, o: 1, x: 1, U: 0, i: 15, j: 1, ...df('d', 0) })], { vfp: { words: d2w(-2.75) } }); // #1
    expect([d.state[VFP_WORD0], d.state[VFP_WORD0 + 1], d.state[S.FPSCR]]).toEqual([-5, -1, IXC]);
  });
  it('single <-> double keeps NaN payloads (quietened) and rounds per mode', () => {
    const r = runA32([enc('VCVT_precision', { ...df('d', 0), ...sf('m', 2) })], { vfp: { words: [0, 0, 0x7f812345] } });
    expect([hex(r.state[VFP_WORD0 + 1]!), hex(r.state[VFP_WORD0]!), r.state[S.FPSCR]]).toEqual([hex(0x7ff82468), hex(0xa0000000), IOC]);
    const n = runA32([enc('VCVT_precision', { z: 1, ...sf('d', 0), ...df('m', 1) })], { vfp: { words: [0, 0, ...d2w(1 / 3)], fpscr: RP } });
    expect([hex(n.state[VFP_WORD0]!), n.state[S.FPSCR]! & 0xff]).toEqual([hex(0x3eaaaaab), IXC]);
  });
  it('half precision: VCVTB/VCVTT both ways, AHP', () => {
    const run = (fields: Record<string, number>, words: number[], fpscr = 0) => {
      const r = runA32([enc('VCVT_half', { ...fields, ...sf('d', 0), ...sf('m', 1) })], { vfp: { words, fpscr } });
      return [hex(r.state[VFP_WORD0]!), r.state[S.FPSCR]! & 0xff];
    };
    expect(run({ o: 0, T: 1 }, [0, 0x3c000000])).toEqual([hex(0x3f800000), 0]);
    expect(run({ o: 0, T: 0 }, [0, 0x00000001])).toEqual([hex(0x33800000), 0]); // smallest subnormal
    expect(run({ o: 1, T: 0 }, [0x12345678, f2b(65520)])).toEqual([hex(0x12347c00), OFC | IXC]);
    expect(run({ o: 1, T: 1 }, [0x12345678, f2b(1)])).toEqual([hex(0x3c005678), 0]);
    expect(run({ o: 1, T: 0 }, [0, f2b(65520)], 0x4000000)).toEqual([hex(0x7c00), IXC]); // AHP: 2^16 is finite
    expect(run({ o: 1, T: 0 }, [0, f2b(131072)], 0x4000000)).toEqual([hex(0x7fff), IOC]); // AHP overflow
    expect(run({ o: 1, T: 0 }, [0, 0x7f800000], 0x4000000)).toEqual([hex(0x7fff), IOC]);
    expect(run({ o: 0, T: 0 }, [0, 0x7c00], 0x4000000)).toEqual([hex(0x47800000), 0]); // AHP: 65536
  });
});

describe('VFP loads, stores and transfers', () => {
  it('VLDR/VSTR single and double, with sNaN bits intact', () => {
    const words = [enc('VLDR_VSTR', { L: 1, U: 1, n: 0, i: 1, ...sf('d', 5) }), enc('VLDR_VSTR', { L: 1, U: 1, z: 1, n: 0, i: 2, ...df('d', 20) }),
      enc('VLDR_VSTR', { L: 0, U: 0, n: 1, i: 1, ...sf('d', 5) }), enc('VLDR_VSTR', { L: 0, U: 1, z: 1, n: 1, i: 0, ...df('d', 20) })];
    const r = runA32(words, {
      regs: { 0: DATA_BASE, 1: DATA_BASE + 0x104 },
      setup: (mem) => {
        mem.u32[(DATA_BASE >>> 2) + 1] = 0x7f800001;
        mem.u32[(DATA_BASE >>> 2) + 2] = 0x11111111;
        mem.u32[(DATA_BASE >>> 2) + 3] = 0x7ff00000;
      },
    });
    expect(r.exit).toBe(EXIT_SYSCALL);
    expect(hex(r.state[VFP_WORD0 + 5]!)).toBe(hex(0x7f800001));
    expect([hex(r.state[VFP_WORD0 + 40]!), hex(r.state[VFP_WORD0 + 41]!)]).toEqual([hex(0x11111111), hex(0x7ff00000)]);
    expect(hex(r.mem.u32[(DATA_BASE + 0x100) >>> 2]!)).toBe(hex(0x7f800001));
    expect(hex(r.mem.u32[(DATA_BASE + 0x108) >>> 2]!)).toBe(hex(0x7ff00000));
  });

  it('VLDR needs word alignment', () => {
    const r = runA32([enc('VLDR_VSTR', { L: 1, U: 1, n: 0, i: 0, ...sf('d', 0) })], { regs: { 0: DATA_BASE + 2 } });
    expect(r.exit).toBe(EXIT_FAULT);
  });

  it('VPUSH/VPOP and VLDMIA/VSTMDB with writeback', () => {
    const vpush = 0xed2d8b04; // vpush {d8-d9}
    const vpop = 0xecbd0b04; // vpop {d0-d1}
    const words = Array.from({ length: 64 }, (_, i) => i + 1);
    const r = runA32([vpush, vpop], { vfp: { words } });
    expect(r.state[13]).toBe(0x20000 + 0x10000 - 256);
    expect(Array.from(r.state.slice(VFP_WORD0, VFP_WORD0 + 4))).toEqual([17, 18, 19, 20]);
    const m = runA32([0xed601a03, 0xecb00a03], { regs: { 0: DATA_BASE + 64 }, vfp: { words } }); // vstmdb r0!, {s3-s5}; vldmia r0!, {s0-s2}
    expect(m.state[0]).toBe(DATA_BASE + 64);
    expect(Array.from(m.state.slice(VFP_WORD0, VFP_WORD0 + 3))).toEqual([4, 5, 6]);
    // fstmdbx-style odd count writes back the extra word (fldmiax r0!, {d0-d1})
    const x = runA32([0xecb00b05], { regs: { 0: DATA_BASE } });
    expect(x.state[0]).toBe(DATA_BASE + 20);
  });

  it('VMOV between core and VFP registers (all forms)', () => {
    const words = Array.from({ length: 64 }, (_, i) => 0x100 + i);
    const r = runA32([0xec510b10, 0xee122a90, 0xee114b90, 0xec543a31, 0xec476b11, 0xee239b10, 0xee0a4a90], { regs: { 6: 0x66, 7: 0x77, 9: 0x99, 4: 0x44 }, vfp: { words } });
    // vmov r0, r1, d0; vmov r2, s5; vmov.32 r4, d17[0]; vmov r3, r4, s3, s4; vmov d1, r6, r7; vmov.32 d3[1], r9; vmov s21, r4
    expect([r.state[0], r.state[1], r.state[2], r.state[3], r.state[4]]).toEqual([0x100, 0x101, 0x105, 0x103, 0x104]);
    expect([r.state[VFP_WORD0 + 2], r.state[VFP_WORD0 + 3], r.state[VFP_WORD0 + 7], r.state[VFP_WORD0 + 21]]).toEqual([0x66, 0x77, 0x99, 0x104]);
  });

  it('VMOV immediate expands imm8 (VFPExpandImm)', () => {
    const r = runA32([0xeeb70a00, 0xeebc0b00], {}); // vmov.f32 s0, #1.0; vmov.f64 d0, #-0.125 (overwrites)
    expect([b2f(r.state[VFP_WORD0]!), w2d(r.state[VFP_WORD0]!, r.state[VFP_WORD0 + 1]!)]).toEqual([0, -0.125]);
    const s = runA32([0xeeb70a00]);
    expect(b2f(s.state[VFP_WORD0]!)).toBe(1);
  });

  it('VMSR/VMRS FPSCR keep the implemented bits; QC needs NEON (qemu cortex-a15,neon=off: 0xf7f7009f)', () => {
    // oracle bug: tsqemu kept FPSCR.QC (bit 27) on models without Advanced SIMD
    const r = runA32([0xeee10a10, 0xeef11a10], { regs: { 0: -1 } });
    expect(hex(r.state[1]!)).toBe(hex(0xf7f7009f));
    const max = runA32([0xeee10a10, 0xeef11a10], { regs: { 0: 0x08000000 }, cpu: 'max' });
    expect(max.state[1]).toBe(0);
    const v2 = runA32([0xeee10a10, 0xeef11a10], { regs: { 0: -1 }, cpu: 'arm1136' });
    expect(hex(v2.state[1]!)).toBe(hex(0xf7f7009f));
  });
});

describe('VFP UNDEFINED encodings and feature gates', () => {
  const undef = (words: number[], cpu = 'cortex-a15', fpscr = 0) => runA32(words, { cpu, vfp: { fpscr } }).exit === EXIT_UNDEFINED;
  it('system registers other than FPSCR are privileged with VFPv3 (qemu: SIGILL)', () => {
    expect(undef([0xeef81a10])).toBe(true); // vmrs r1, fpexc
    expect(undef([0xeef01a10])).toBe(true); // vmrs r1, fpsid
    expect(undef([0xeef71a10])).toBe(true); // vmrs r1, mvfr0
    expect(undef([0xeee81a10])).toBe(true); // vmsr fpexc, r1
    expect(undef([0xeef01a10], 'arm1136')).toBe(false); // VFPv2: FPSID readable
  });
  it('short vectors (FPSCR.Len != 0) make data processing UNDEFINED (qemu cortex-a9/max)', () => {
    expect(undef([0xee300a81], 'max', 0x10000)).toBe(true); // vadd.f32
    expect(undef([0xeeb70a00], 'max', 0x100000)).toBe(true); // vmov.f32 #1.0 with Stride
    expect(undef([0xeeb40a60], 'max', 0x10000)).toBe(false); // vcmp is scalar-only
  });
  it('feature gates: VFPv4, VFPv3, D32, half precision, no VFP', () => {
    expect(undef([0xeea00a81], 'cortex-a9')).toBe(true); // vfma
    expect(undef([0xeea00a81], 'cortex-a15')).toBe(false);
    expect(undef([0xeeb70a00], 'arm1136')).toBe(true); // vmov imm is VFPv3
    expect(undef([0xee710bef], 'arm1136')).toBe(true); // vsub.f64 d16, d17, d31
    expect(undef([0xeeb20a60], 'cortex-a8')).toBe(true); // vcvtb
    expect(undef([0xee300a81], 'arm926')).toBe(true);
  });
  it('UNPREDICTABLE forms are UNDEFINED: empty lists, writeback to PC, Rt = PC', () => {
    expect(undef([0xecb00a00])).toBe(true); // vldmia r0!, {} (count 0)
    expect(undef([0xecbf0a01])).toBe(true); // vldmia pc!, {s0}
    expect(undef([0xee10fa10])).toBe(true); // vmov pc, s0
    expect(undef([0xec900b22])).toBe(true); // vldmia r0, 17 doubles
  });
});
