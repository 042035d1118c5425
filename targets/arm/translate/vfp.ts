// VFP translators (VFPv2/v3/v4, D16 or D32), shared by A32 and T32: the T32 encodings are the
// A32 ones with cond = 1110, so nothing here depends on the instruction set except PC reads.
// Register moves, loads and stores and sign-bit operations are emitted inline on the raw
// words of the register file; everything that rounds or raises flags calls a V_* helper,
// behind an inline fast path (vfp-fast.ts) for the common case of round-to-nearest.
//
// Register file in the state array: s<n> = S[B + n]; d<n> = S[B + 2n] (low word),
// S[B + 2n + 1] (high word). Field letters: D:d, N:n, M:m register numbers (split as the
// manual does), z = 1 for double precision.
import type { Fields } from '../decode/pattern.js';
import type { ArmContext } from './context.js';
import { lit } from './context.js';
import { EXIT_UNDEFINED } from '../../../src/engine/exits.js';
import { pageReadable, pageWritable } from '../../../src/engine/memory-access.js';
import { S as ST, VFP_OFFSET } from '../cpu-state.js';
import { VOP } from './helpers-vfp.js';

const B = VFP_OFFSET / 4;
const FPSCR = ST.FPSCR;
/** FPSCR.Len and FPSCR.Stride. */
const LEN_STRIDE = 0x370000;

/** Single-precision register number Vx:X. */
export function sReg(v: number, x: number): number {
  return (v << 1) | x;
}

/** Double-precision register number X:Vx. */
export function dReg(x: number, v: number): number {
  return (x << 4) | v;
}

/** S[...] index expressions of a single register and of the two words of a double. */
const sw = (n: number) => `S[${B + n}]`;
const dlo = (n: number) => `S[${B + 2 * n}]`;
const dhi = (n: number) => `S[${B + 2 * n + 1}]`;

/** Register numbers of an instruction's operands for its precision. */
function regs(f: Fields): { d: number; n: number; m: number } {
  if (f.z) return { d: dReg(f.D ?? 0, f.d ?? 0), n: dReg(f.N ?? 0, f.n ?? 0), m: dReg(f.M ?? 0, f.m ?? 0) };
  return { d: sReg(f.d ?? 0, f.D ?? 0), n: sReg(f.n ?? 0, f.N ?? 0), m: sReg(f.m ?? 0, f.M ?? 0) };
}

/** d16-d31 exist only with the D32 register file. */
function d32ok(ctx: ArmContext, f: Fields, ...names: ('D' | 'N' | 'M')[]): boolean {
  if (!f.z || ctx.hasFeature('vfpd32')) return true;
  return names.every((x) => !f[x]);
}

/**
 * Short vectors (FPSCR.Len/Stride != 0) are not supported by the ARMv7 models:
 * the instructions that would iterate are UNDEFINED then (as qemu-arm's cortex-a9/max).
 */
function checkScalar(ctx: ArmContext): void {
  ctx.emit(`if (S[${FPSCR}] & ${LEN_STRIDE}) { pc = ${lit(ctx.pc | (ctx.thumb ? 1 : 0))}; exit = ${EXIT_UNDEFINED}; break dispatch; }`);
}

// ---- data processing ----

/**
 * FPSCR bits that rule out the fast paths of vfp-fast.ts: Len/Stride, RMode (not
 * round-to-nearest), FZ.
 */
const FAST_PATH_BLOCKERS = LEN_STRIDE | 0x00c00000 | 0x01000000;
/** FPSCR.FZ: comparisons flush subnormal operands. */
const FPSCR_FZ = 0x01000000;

/** The register file view of a precision in generated code, and a register's index in it. */
function fpView(z: number): string {
  return z ? 'D' : 'F';
}
function fpIndex(z: number, n: number): number {
  return z ? B / 2 + n : B + n;
}

/**
 * The fast-path call of each VOP that rounds in one or two plain IEEE steps (fused
 * multiply-add always takes the helper): a vfp-fast.ts entry that returns 0 when it
 * cannot decide.
 */
function fastCall(op: number, z: number, d: number, n: number, m: number): string | undefined {
  const size = z ? '64' : '32';
  const args = `S, ${fpView(z)}, ${fpIndex(z, d)}, ${fpIndex(z, n)}, ${fpIndex(z, m)}`;
  switch (op) {
    case VOP.ADD: return `VF_add${size}r(${args}, 0)`;
    case VOP.SUB: return `VF_add${size}r(${args}, 1)`;
    case VOP.MUL: return `VF_mul${size}r(${args})`;
    case VOP.DIV: return `VF_div${size}r(${args})`;
    case VOP.MLA: return `VF_mac${size}r(${args}, 0, 0)`;
    case VOP.MLS: return `VF_mac${size}r(${args}, 0, 1)`;
    case VOP.NMLA: return `VF_mac${size}r(${args}, 1, 1)`;
    case VOP.NMLS: return `VF_mac${size}r(${args}, 1, 0)`;
    default: return undefined; // VNMUL (rare) and the fused forms
  }
}

/** `fast` (a vfp-fast.ts call) behind the FPSCR mode test, with `slow` as the fallback. */
function emitWithFastPath(ctx: ArmContext, fast: string, slow: string): void {
  ctx.emit(`if ((S[${FPSCR}] & ${FAST_PATH_BLOCKERS}) !== 0 || ${fast} === 0) {`);
  checkScalar(ctx);
  ctx.emit(`${slow}; }`);
}

/** One VOP for both precisions: V_s3 / V_d3, behind the fast path where there is one. */
function threeOp(op: number) {
  return (ctx: ArmContext, f: Fields): boolean => {
    if (!d32ok(ctx, f, 'D', 'N', 'M')) return false;
    const r = regs(f);
    const slow = `${f.z ? 'V_d3' : 'V_s3'}(S, ${op}, ${r.d}, ${r.n}, ${r.m})`;
    const fast = fastCall(op, f.z!, r.d, r.n, r.m);
    if (fast === undefined) {
      checkScalar(ctx);
      ctx.emit(`${slow};`);
    } else {
      emitWithFastPath(ctx, fast, slow);
    }
    return true;
  };
}

// V{N}ML{A,S}<c>.F32 Sd, Sn, Sm / .F64 Dd, Dn, Dm
export const translateVmla = (ctx: ArmContext, f: Fields) => threeOp(f.o ? VOP.MLS : VOP.MLA)(ctx, f);
export const translateVnmla = (ctx: ArmContext, f: Fields) => threeOp(f.o ? VOP.NMLA : VOP.NMLS)(ctx, f);
// VMUL / VNMUL / VADD / VSUB / VDIV
export const translateVmul = threeOp(VOP.MUL);
export const translateVnmul = threeOp(VOP.NMUL);
export const translateVadd = threeOp(VOP.ADD);
export const translateVsub = threeOp(VOP.SUB);
export const translateVdiv = threeOp(VOP.DIV);
// VF{N}M{A,S}<c>.F32 Sd, Sn, Sm (fused)
export const translateVfnma = (ctx: ArmContext, f: Fields) => threeOp(f.o ? VOP.FNMA : VOP.FNMS)(ctx, f);
export const translateVfma = (ctx: ArmContext, f: Fields) => threeOp(f.o ? VOP.FMS : VOP.FMA)(ctx, f);

/** VFPExpandImm: the 8-bit immediate as a single (or the high word of a double). */
export function vfpExpandImm(imm8: number, double: boolean): number {
  const a = (imm8 >> 7) & 1;
  const b = (imm8 >> 6) & 1;
  const cdefgh = imm8 & 0x3f;
  if (double) return ((a << 31) | ((b ^ 1) << 30) | ((b ? 0xff : 0) << 22) | (cdefgh << 16)) | 0;
  return ((a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | (cdefgh << 19)) | 0;
}

// VMOV<c>.F32 Sd, #imm / VMOV<c>.F64 Dd, #imm
export function translateVmovImm(ctx: ArmContext, f: Fields): boolean {
  if (!d32ok(ctx, f, 'D')) return false;
  const { d } = regs(f);
  const imm8 = (f.h! << 4) | f.l!;
  checkScalar(ctx);
  if (f.z) {
    ctx.emit(`${dlo(d)} = 0; ${dhi(d)} = ${lit(vfpExpandImm(imm8, true))};`);
  } else {
    ctx.emit(`${sw(d)} = ${lit(vfpExpandImm(imm8, false))};`);
  }
  return true;
}

/** VMOV (register), VABS, VNEG: bit operations on the sign, never signalling. */
function signOp(kind: 'mov' | 'abs' | 'neg') {
  const fn = (x: string) => (kind === 'mov' ? x : kind === 'abs' ? `${x} & 0x7fffffff` : `${x} ^ -2147483648`);
  return (ctx: ArmContext, f: Fields): boolean => {
    if (!d32ok(ctx, f, 'D', 'M')) return false;
    const { d, m } = regs(f);
    checkScalar(ctx);
    if (f.z) ctx.emit(`${dlo(d)} = ${dlo(m)}; ${dhi(d)} = ${fn(dhi(m))};`);
    else ctx.emit(`${sw(d)} = ${fn(sw(m))};`);
    return true;
  };
}

export const translateVmovReg = signOp('mov');
export const translateVabs = signOp('abs');
export const translateVneg = signOp('neg');

// VSQRT<c>.F32 Sd, Sm
export function translateVsqrt(ctx: ArmContext, f: Fields): boolean {
  if (!d32ok(ctx, f, 'D', 'M')) return false;
  const { d, m } = regs(f);
  const fast = `VF_sqrt${f.z ? '64' : '32'}r(S, ${fpView(f.z!)}, ${fpIndex(f.z!, d)}, ${fpIndex(f.z!, m)})`;
  emitWithFastPath(ctx, fast, `${f.z ? 'V_dsqrt' : 'V_ssqrt'}(S, ${d}, ${m})`);
  return true;
}

// VCMP{E}<c>.F32 Sd, Sm / VCMP{E}<c>.F32 Sd, #0.0
export function translateVcmp(ctx: ArmContext, f: Fields): boolean {
  if (!d32ok(ctx, f, 'D', 'M')) return false;
  const { d, m } = regs(f);
  ctx.emit(`if ((S[${FPSCR}] & ${FPSCR_FZ}) !== 0 || VF_cmp${f.z ? '64' : '32'}r(S, ${fpView(f.z!)}, ${fpIndex(f.z!, d)}, ${fpIndex(f.z!, m)}, 0) === 0) ${f.z ? 'V_dcmp' : 'V_scmp'}(S, ${d}, ${m}, ${f.E}, 0);`);
  return true;
}

export function translateVcmpZero(ctx: ArmContext, f: Fields): boolean {
  if (!d32ok(ctx, f, 'D')) return false;
  const { d } = regs(f);
  ctx.emit(`if ((S[${FPSCR}] & ${FPSCR_FZ}) !== 0 || VF_cmp${f.z ? '64' : '32'}r(S, ${fpView(f.z!)}, ${fpIndex(f.z!, d)}, 0, 1) === 0) ${f.z ? 'V_dcmp' : 'V_scmp'}(S, ${d}, 0, ${f.E}, 1);`);
  return true;
}

// VCVT<c>.F64.F32 Dd, Sm / VCVT<c>.F32.F64 Sd, Dm
export function translateVcvtPrecision(ctx: ArmContext, f: Fields): boolean {
  if (f.z) {
    // Sd <- Dm
    if (f.M && !ctx.hasFeature('vfpd32')) return false;
    ctx.emit(`V_cvt_sd(S, ${sReg(f.d!, f.D!)}, ${dReg(f.M!, f.m!)});`);
  } else {
    if (f.D && !ctx.hasFeature('vfpd32')) return false;
    ctx.emit(`V_cvt_ds(S, ${dReg(f.D!, f.d!)}, ${sReg(f.m!, f.M!)});`);
  }
  return true;
}

// VCVT{B,T}<c>.F32.F16 Sd, Sm / VCVT{B,T}<c>.F16.F32 Sd, Sm
export function translateVcvtHalf(ctx: ArmContext, f: Fields): boolean {
  const d = sReg(f.d!, f.D!);
  const m = sReg(f.m!, f.M!);
  ctx.emit(`${f.o ? 'V_cvt_f16_f32' : 'V_cvt_f32_f16'}(S, ${d}, ${m}, ${f.T});`);
  return true;
}

// VCVT<c>.F32.{S,U}32 Sd, Sm / VCVT<c>.F64.{S,U}32 Dd, Sm
export function translateVcvtFromInt(ctx: ArmContext, f: Fields): boolean {
  const m = sReg(f.m!, f.M!);
  if (f.z) {
    if (f.D && !ctx.hasFeature('vfpd32')) return false;
    ctx.emit(`V_cvt_d_int(S, ${dReg(f.D!, f.d!)}, ${m}, ${f.s ? 0 : 1});`);
  } else {
    ctx.emit(`V_cvt_s_int(S, ${sReg(f.d!, f.D!)}, ${m}, ${f.s ? 0 : 1});`);
  }
  return true;
}

// VCVT{R}<c>.{S,U}32.F32 Sd, Sm / VCVT{R}<c>.{S,U}32.F64 Sd, Dm
export function translateVcvtToInt(ctx: ArmContext, f: Fields): boolean {
  const d = sReg(f.d!, f.D!);
  if (f.z) {
    if (f.M && !ctx.hasFeature('vfpd32')) return false;
    ctx.emit(`V_cvt_int_d(S, ${d}, ${dReg(f.M!, f.m!)}, ${f.s ? 0 : 1}, ${f.r});`);
  } else {
    ctx.emit(`V_cvt_int_s(S, ${d}, ${sReg(f.m!, f.M!)}, ${f.s ? 0 : 1}, ${f.r});`);
  }
  return true;
}

/** Fraction bits of a fixed-point VCVT: size - imm4:i (fields i = imm4, j = i). */
export function fixedFbits(f: Fields): number {
  return (f.x ? 32 : 16) - ((f.i! << 1) | f.j!);
}

// VCVT<c>.<Td>.F32 Sd, Sd, #fbits and back (Td = S16, U16, S32, U32)
export function translateVcvtFixed(ctx: ArmContext, f: Fields): boolean {
  const size = f.x ? 32 : 16;
  const fbits = fixedFbits(f);
  if (fbits < 0) return false; // UNPREDICTABLE for 16-bit with imm > 16
  const d = regs(f).d;
  if (!d32ok(ctx, f, 'D')) return false;
  const unsigned = f.U ? 1 : 0;
  const fn = f.o ? (f.z ? 'V_cvt_fixed_d' : 'V_cvt_fixed_s') : f.z ? 'V_cvt_d_fixed' : 'V_cvt_s_fixed';
  ctx.emit(`${fn}(S, ${d}, ${unsigned}, ${size}, ${fbits});`);
  return true;
}

// ---- register transfers ----

// VMOV<c> Sn, Rt / VMOV<c> Rt, Sn
export function translateVmovSingle(ctx: ArmContext, f: Fields): boolean {
  if (f.t === 15) return false;
  const n = sReg(f.n!, f.N!);
  if (f.o) ctx.setReg(f.t!, sw(n));
  else ctx.emit(`${sw(n)} = ${ctx.reg(f.t!)};`);
  return true;
}

// VMOV<c> Sm, Sm1, Rt, Rt2 / VMOV<c> Rt, Rt2, Sm, Sm1
export function translateVmovTwoSingles(ctx: ArmContext, f: Fields): boolean {
  const m = sReg(f.m!, f.M!);
  if (f.t === 15 || f.u === 15 || m === 31) return false;
  if (f.o) {
    if (f.t === f.u) return false;
    ctx.setReg(f.t!, sw(m));
    ctx.setReg(f.u!, sw(m + 1));
  } else {
    ctx.emit(`${sw(m)} = ${ctx.reg(f.t!)}; ${sw(m + 1)} = ${ctx.reg(f.u!)};`);
  }
  return true;
}

// VMOV<c> Dm, Rt, Rt2 / VMOV<c> Rt, Rt2, Dm
export function translateVmovDouble(ctx: ArmContext, f: Fields): boolean {
  const m = dReg(f.M!, f.m!);
  if (f.t === 15 || f.u === 15) return false;
  if (f.M && !ctx.hasFeature('vfpd32')) return false;
  if (f.o) {
    if (f.t === f.u) return false;
    ctx.setReg(f.t!, dlo(m));
    ctx.setReg(f.u!, dhi(m));
  } else {
    ctx.emit(`${dlo(m)} = ${ctx.reg(f.t!)}; ${dhi(m)} = ${ctx.reg(f.u!)};`);
  }
  return true;
}

// VMOV<c>.32 Dd[x], Rt
export function translateVmovToScalar(ctx: ArmContext, f: Fields): boolean {
  if (f.t === 15) return false;
  if (f.D && !ctx.hasFeature('vfpd32')) return false;
  const d = dReg(f.D!, f.d!);
  ctx.emit(`S[${B + 2 * d + f.x!}] = ${ctx.reg(f.t!)};`);
  return true;
}

// VMOV<c>.32 Rt, Dn[x]
export function translateVmovFromScalar(ctx: ArmContext, f: Fields): boolean {
  if (f.t === 15) return false;
  if (f.N && !ctx.hasFeature('vfpd32')) return false;
  const n = dReg(f.N!, f.n!);
  ctx.setReg(f.t!, `S[${B + 2 * n + f.x!}]`);
  return true;
}

/**
 * FPSCR bits a write keeps: NZCV, AHP, DN, FZ, RMode, Stride, Len and the cumulative flags;
 * QC (bit 27) is an Advanced SIMD flag and reads as zero without NEON (qemu-arm
 * -cpu cortex-a15,neon=off drops it too), so no tsqemu model keeps it yet.
 */
function fpscrMask(ctx: ArmContext): number {
  return ctx.hasFeature('neon') ? 0xfff7009f | 0 : 0xf7f7009f | 0;
}

/** FPSID of the VFPv2 models (readable from user mode before VFPv3). */
const FPSID_VFP2 = 0x410120b4;

// VMSR<c> FPSCR, Rt
export function translateVmsr(ctx: ArmContext, f: Fields): boolean {
  if (f.r !== 1 || f.t === 15) return false; // FPEXC/FPSID/MVFR are privileged
  ctx.emit(`S[${FPSCR}] = ${ctx.reg(f.t!)} & ${fpscrMask(ctx)};`);
  return true;
}

// VMRS<c> Rt, FPSCR / VMRS<c> APSR_nzcv, FPSCR
export function translateVmrs(ctx: ArmContext, f: Fields): boolean {
  if (f.r === 0 && !ctx.hasFeature('vfp3')) {
    if (f.t === 15) return false;
    ctx.setReg(f.t!, lit(FPSID_VFP2));
    return true;
  }
  if (f.r !== 1) return false;
  if (f.t === 15) {
    const v = ctx.let(`S[${FPSCR}]`);
    ctx.emit(`NF = ${v}; ZF = ~${v} & 0x40000000; CF = (${v} >>> 29) & 1; VF = ${v} << 3;`);
  } else {
    ctx.setReg(f.t!, `S[${FPSCR}]`);
  }
  return true;
}

// ---- loads and stores ----

// VLDR<c> Sd, [Rn, #+-imm] / VSTR<c> Dd, [Rn, #+-imm]
export function translateVldr(ctx: ArmContext, f: Fields): boolean {
  if (!d32ok(ctx, f, 'D')) return false;
  const { d } = regs(f);
  const off = (f.U ? 4 : -4) * f.i!;
  const base = ctx.regAligned(f.n!);
  const a = ctx.let(off === 0 ? base : `(${base} + ${lit(off)}) | 0`);
  if (f.z && doublewordHelpers(ctx)) {
    emitDoubleword(ctx, f.L === 1, fpIndex(1, d), a);
  } else if (f.z) {
    ctx.doubleword(f.L === 1, a, dlo(d), dhi(d));
  } else if (f.L) {
    ctx.emit(`${sw(d)} = ${ctx.load('ld32w', a)};`);
  } else {
    ctx.store('st32w', a, sw(d));
  }
  return true;
}

/**
 * Whether D-register transfers may use vfp-memory.ts's one-call doubleword helpers: not when
 * a plugin instruments this instruction's memory accesses; then ctx.doubleword makes two
 * word accesses that plugins see as one 8-byte access. (Instruction or block counting alone
 * keeps the fast path.)
 */
function doublewordHelpers(ctx: ArmContext): boolean {
  const instrument = ctx.env.instrument;
  return instrument === undefined || !instrument.observesMemory(ctx.insnIndex);
}

/**
 * One D register from/to the doubleword at `address`: the 8-aligned fast case of
 * vfp-memory.ts inline (page-flag byte, guest memory's Float64 view, NaNs excluded), the
 * helper call for everything else; V8 does not reliably inline the helper into a region.
 */
function emitDoubleword(ctx: ArmContext, load: boolean, index: number, address: string): void {
  const a = ctx.tmp();
  const v = ctx.tmp();
  ctx.emit(`${a} = (${address}) >>> 0;`);
  const call = ctx.callMayFault(`${load ? 'VM_ld64' : 'VM_st64'}(S, D, ${index}, ${a} | 0);`);
  if (load) {
    ctx.emit(`if ((${a} & 7) === 0 && ${pageReadable(a)} && (${v} = VM_f64[${a} >>> 3]) === ${v}) D[${index}] = ${v}; else ${call}`);
  } else {
    ctx.emit(`if ((${a} & 7) === 0 && ${pageWritable(a)} && (${v} = D[${index}]) === ${v}) VM_f64[${a} >>> 3] = ${v}; else ${call}`);
  }
}

/** Registers a VLDM/VSTM moves: first register, count (in registers of its size). */
export function vldmRegs(f: Fields): { first: number; count: number } {
  if (f.z) return { first: dReg(f.D!, f.d!), count: f.i! >> 1 };
  return { first: sReg(f.d!, f.D!), count: f.i! };
}

// VLDM{IA,DB}<c> Rn{!}, <list> / VSTM{IA,DB}<c> Rn{!}, <list> (VPUSH, VPOP)
export function translateVldm(ctx: ArmContext, f: Fields): boolean {
  const P = f.P!;
  const U = f.U!;
  const W = f.W!;
  if (P === U) return false; // P=U=0 is VMOV (two registers), P=U=1 undefined
  if (P && !W) return false; // VLDR/VSTR
  if (W && f.n === 15) return false;
  const { first, count } = vldmRegs(f);
  const limit = f.z ? 16 : 32;
  if (count === 0 || count > limit || first + count > 32) return false;
  if (f.z && first + count > 16 && !ctx.hasFeature('vfpd32')) return false;
  const bytes = 4 * f.i!; // FLDMX/FSTMX (odd imm8 for doubles) write back the extra word
  const rn = ctx.regAligned(f.n!);
  const a = ctx.let(U ? rn : `(${rn} - ${bytes}) | 0`);
  const words = f.z ? 2 * count : count;
  const wordIndex = (k: number) => (f.z ? B + 2 * first + k : B + first + k);
  const addr = (k: number) => (k === 0 ? a : `(${a} + ${4 * k}) | 0`);
  if (f.z && doublewordHelpers(ctx)) {
    for (let k = 0; k < count; k++) emitDoubleword(ctx, f.L === 1, fpIndex(1, first + k), addr(2 * k));
  } else if (f.z) {
    for (let k = 0; k < count; k++) ctx.doubleword(f.L === 1, addr(2 * k), `S[${wordIndex(2 * k)}]`, `S[${wordIndex(2 * k + 1)}]`);
  } else {
    for (let k = 0; k < words; k++) {
      if (f.L) ctx.emit(`S[${wordIndex(k)}] = ${ctx.load('ld32w', addr(k))};`);
      else ctx.store('st32w', addr(k), `S[${wordIndex(k)}]`);
    }
  }
  if (W) ctx.setReg(f.n!, U ? `(${ctx.reg(f.n!)} + ${bytes}) | 0` : a);
  return true;
}
