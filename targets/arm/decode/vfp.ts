// VFP encodings (VFPv2/v3/v4): one row per encoding, shared by A32 and T32. The patterns
// carry A32's cccc condition field; T32 matches the same rows with cccc = 1110 (its VFP
// instructions are the A32 words with the condition replaced by 1110).
// Field letters: c cond; D:d, N:n, M:m register numbers (split as in the manual: a single
// is Vx:X, a double X:Vx); z = 1 double precision; o op bit; t, u core registers; i imm.
// SBZ/SBO bits are fixed in the patterns (qemu-arm raises SIGILL when they are wrong).
import type { DisasmInfo, Fields, InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { cond, op, reg, target } from '../disasm/format.js';
import * as v from '../translate/vfp.js';
import { dReg, sReg } from '../translate/vfp.js';

type Row = InsnRow<ArmContext>;

// ---- operand printers ----

const sName = (n: number) => `s${n}`;
const dName = (n: number) => `d${n}`;

/** The register named by fields X (one bit) and x (four bits) at the row's precision. */
function vreg(f: Fields, x: string, X: string, double = f.z === 1): string {
  return double ? dName(dReg(f[X] ?? 0, f[x] ?? 0)) : sName(sReg(f[x] ?? 0, f[X] ?? 0));
}

const dt = (f: Fields) => (f.z ? '.f64' : '.f32');

function three(name: string | ((f: Fields) => string)) {
  return (f: Fields): string => {
    const m = typeof name === 'string' ? name : name(f);
    return op(`${m}${cond(f.c)}${dt(f)}`, `${vreg(f, 'd', 'D')}, ${vreg(f, 'n', 'N')}, ${vreg(f, 'm', 'M')}`);
  };
}

function two(name: string) {
  return (f: Fields): string => op(`${name}${cond(f.c)}${dt(f)}`, `${vreg(f, 'd', 'D')}, ${vreg(f, 'm', 'M')}`);
}

/** A float immediate as objdump comments it ("1.0", "-0.125"). */
function floatText(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

function vmovImmText(f: Fields): string {
  const imm8 = (f.h! << 4) | f.l!;
  const bits = v.vfpExpandImm(imm8, f.z === 1);
  const value = f.z ? new Float64Array(new Int32Array([0, bits]).buffer)[0]! : new Float32Array(new Int32Array([bits]).buffer)[0]!;
  return op(`vmov${cond(f.c)}${dt(f)}`, `${vreg(f, 'd', 'D')}, #${imm8}\t@ 0x${(bits >>> 0).toString(16).padStart(8, '0')} ${floatText(value)}`);
}

function vldrText(f: Fields, info: DisasmInfo): string {
  const name = (f.L ? 'vldr' : 'vstr') + cond(f.c);
  const off = 4 * f.i!;
  const base = reg(f.n!);
  const addr = off === 0 && f.U ? `[${base}]` : `[${base}, #${f.U ? '' : '-'}${off}]`;
  let text = `${vreg(f, 'd', 'D')}, ${addr}`;
  if (f.n === 15) {
    const pc = info.thumb ? (info.pc + 4) & ~3 : info.pc + 8;
    text += `\t@ ${target(pc + (f.U ? off : -off))}`;
  }
  return op(name, text);
}

function vldmText(f: Fields): string {
  const { first, count } = v.vldmRegs(f);
  const name = (r: number) => (f.z ? dName(r) : sName(r));
  const list = count <= 1 ? `{${name(first)}}` : `{${name(first)}-${name(first + count - 1)}}`;
  const x = f.z && f.i! & 1 ? 'x' : '';
  if (f.n === 13 && f.W && !x && ((f.L && !f.P && f.U) || (!f.L && f.P && !f.U))) {
    return op((f.L ? 'vpop' : 'vpush') + cond(f.c), list);
  }
  const mode = f.P ? 'db' : 'ia';
  const mnemonic = x ? (f.L ? 'fldm' : 'fstm') + mode + 'x' : (f.L ? 'vldm' : 'vstm') + mode;
  return op(mnemonic + cond(f.c), `${reg(f.n!)}${f.W ? '!' : ''}, ${list}`);
}

const SYS_REGS: Record<number, string> = { 0: 'fpsid', 1: 'fpscr', 6: 'mvfr1', 7: 'mvfr0', 8: 'fpexc' };
const sysReg = (r: number) => SYS_REGS[r] ?? `<impl def 0x${r.toString(16)}>`;

function cvtIntText(f: Fields): string {
  const from = f.s ? 's32' : 'u32';
  const d = vreg(f, 'd', 'D');
  const m = vreg(f, 'm', 'M', false);
  return op(`vcvt${cond(f.c)}${dt(f)}.${from}`, `${d}, ${m}`);
}

function cvtToIntText(f: Fields): string {
  const to = f.s ? 's32' : 'u32';
  return op(`vcvt${f.r ? '' : 'r'}${cond(f.c)}.${to}${dt(f)}`, `${vreg(f, 'd', 'D', false)}, ${vreg(f, 'm', 'M')}`);
}

function cvtFixedText(f: Fields): string {
  const fixed = `${f.U ? 'u' : 's'}${f.x ? 32 : 16}`;
  const types = f.o ? `.${fixed}${dt(f)}` : `${dt(f)}.${fixed}`;
  const d = vreg(f, 'd', 'D');
  return op(`vcvt${cond(f.c)}${types}`, `${d}, ${d}, #${v.fixedFbits(f)}`);
}

function cvtPrecisionText(f: Fields): string {
  const types = f.z ? '.f32.f64' : '.f64.f32';
  return op(`vcvt${cond(f.c)}${types}`, `${vreg(f, 'd', 'D', !f.z)}, ${vreg(f, 'm', 'M')}`);
}

function cvtHalfText(f: Fields): string {
  const types = f.o ? '.f16.f32' : '.f32.f16';
  return op(`vcvt${f.T ? 't' : 'b'}${cond(f.c)}${types}`, `${vreg(f, 'd', 'D', false)}, ${vreg(f, 'm', 'M', false)}`);
}

function cmpText(f: Fields, zero: boolean): string {
  const m = zero ? '#0.0' : vreg(f, 'm', 'M');
  return op(`vcmp${f.E ? 'e' : ''}${cond(f.c)}${dt(f)}`, `${vreg(f, 'd', 'D')}, ${m}`);
}

export const vfpRows: Row[] = [
  // ---- three-register data processing ----
  { name: 'VMLA_VMLS', pattern: 'cccc 1110 0D00 nnnn dddd 101z NoM0 mmmm', translate: v.translateVmla,
    disasm: three((f) => (f.o ? 'vmls' : 'vmla')), feature: 'vfp' },
  { name: 'VNMLA_VNMLS', pattern: 'cccc 1110 0D01 nnnn dddd 101z NoM0 mmmm', translate: v.translateVnmla,
    disasm: three((f) => (f.o ? 'vnmla' : 'vnmls')), feature: 'vfp' },
  { name: 'VMUL', pattern: 'cccc 1110 0D10 nnnn dddd 101z N0M0 mmmm', translate: v.translateVmul, disasm: three('vmul'), feature: 'vfp' },
  { name: 'VNMUL', pattern: 'cccc 1110 0D10 nnnn dddd 101z N1M0 mmmm', translate: v.translateVnmul, disasm: three('vnmul'), feature: 'vfp' },
  { name: 'VADD', pattern: 'cccc 1110 0D11 nnnn dddd 101z N0M0 mmmm', translate: v.translateVadd, disasm: three('vadd'), feature: 'vfp' },
  { name: 'VSUB', pattern: 'cccc 1110 0D11 nnnn dddd 101z N1M0 mmmm', translate: v.translateVsub, disasm: three('vsub'), feature: 'vfp' },
  { name: 'VDIV', pattern: 'cccc 1110 1D00 nnnn dddd 101z N0M0 mmmm', translate: v.translateVdiv, disasm: three('vdiv'), feature: 'vfp' },
  { name: 'VFNMA_VFNMS', pattern: 'cccc 1110 1D01 nnnn dddd 101z NoM0 mmmm', translate: v.translateVfnma,
    disasm: three((f) => (f.o ? 'vfnma' : 'vfnms')), feature: 'vfp4' },
  { name: 'VFMA_VFMS', pattern: 'cccc 1110 1D10 nnnn dddd 101z NoM0 mmmm', translate: v.translateVfma,
    disasm: three((f) => (f.o ? 'vfms' : 'vfma')), feature: 'vfp4' },
  // ---- other data processing (opc1 = 1D11) ----
  { name: 'VMOV_imm', pattern: 'cccc 1110 1D11 hhhh dddd 101z 0000 llll', translate: v.translateVmovImm, disasm: vmovImmText, feature: 'vfp3' },
  { name: 'VMOV_reg', pattern: 'cccc 1110 1D11 0000 dddd 101z 01M0 mmmm', translate: v.translateVmovReg, disasm: two('vmov'), feature: 'vfp' },
  { name: 'VABS', pattern: 'cccc 1110 1D11 0000 dddd 101z 11M0 mmmm', translate: v.translateVabs, disasm: two('vabs'), feature: 'vfp' },
  { name: 'VNEG', pattern: 'cccc 1110 1D11 0001 dddd 101z 01M0 mmmm', translate: v.translateVneg, disasm: two('vneg'), feature: 'vfp' },
  { name: 'VSQRT', pattern: 'cccc 1110 1D11 0001 dddd 101z 11M0 mmmm', translate: v.translateVsqrt, disasm: two('vsqrt'), feature: 'vfp' },
  { name: 'VCVT_half', pattern: 'cccc 1110 1D11 001o dddd 1010 T1M0 mmmm', translate: v.translateVcvtHalf, disasm: cvtHalfText, feature: 'fp16' },
  { name: 'VCMP', pattern: 'cccc 1110 1D11 0100 dddd 101z E1M0 mmmm', translate: v.translateVcmp, disasm: (f) => cmpText(f, false), feature: 'vfp' },
  { name: 'VCMP_zero', pattern: 'cccc 1110 1D11 0101 dddd 101z E100 0000', translate: v.translateVcmpZero, disasm: (f) => cmpText(f, true), feature: 'vfp' },
  { name: 'VCVT_precision', pattern: 'cccc 1110 1D11 0111 dddd 101z 11M0 mmmm', translate: v.translateVcvtPrecision, disasm: cvtPrecisionText, feature: 'vfp' },
  { name: 'VCVT_from_int', pattern: 'cccc 1110 1D11 1000 dddd 101z s1M0 mmmm', translate: v.translateVcvtFromInt, disasm: cvtIntText, feature: 'vfp' },
  { name: 'VCVT_fixed', pattern: 'cccc 1110 1D11 1o1U dddd 101z x1j0 iiii', translate: v.translateVcvtFixed, disasm: cvtFixedText, feature: 'vfp3' },
  { name: 'VCVT_to_int', pattern: 'cccc 1110 1D11 110s dddd 101z r1M0 mmmm', translate: v.translateVcvtToInt, disasm: cvtToIntText, feature: 'vfp' },
  // ---- transfers between core and VFP registers ----
  { name: 'VMOV_single', pattern: 'cccc 1110 000o nnnn tttt 1010 N001 0000', translate: v.translateVmovSingle,
    disasm: (f) => op(`vmov${cond(f.c)}`, f.o ? `${reg(f.t!)}, ${vreg(f, 'n', 'N', false)}` : `${vreg(f, 'n', 'N', false)}, ${reg(f.t!)}`), feature: 'vfp' },
  { name: 'VMOV_two_singles', pattern: 'cccc 1100 010o uuuu tttt 1010 00M1 mmmm', translate: v.translateVmovTwoSingles,
    disasm: (f) => {
      const m = sReg(f.m!, f.M!);
      const vs = `${sName(m)}, ${sName(m + 1)}`;
      const rs = `${reg(f.t!)}, ${reg(f.u!)}`;
      return op(`vmov${cond(f.c)}`, f.o ? `${rs}, ${vs}` : `${vs}, ${rs}`);
    }, feature: 'vfp' },
  { name: 'VMOV_double', pattern: 'cccc 1100 010o uuuu tttt 1011 00M1 mmmm', translate: v.translateVmovDouble,
    disasm: (f) => {
      const d = dName(dReg(f.M!, f.m!));
      const rs = `${reg(f.t!)}, ${reg(f.u!)}`;
      return op(`vmov${cond(f.c)}`, f.o ? `${rs}, ${d}` : `${d}, ${rs}`);
    }, feature: 'vfp' },
  { name: 'VMOV_to_scalar', pattern: 'cccc 1110 00x0 dddd tttt 1011 D001 0000', translate: v.translateVmovToScalar,
    disasm: (f) => op(`vmov${cond(f.c)}.32`, `${dName(dReg(f.D!, f.d!))}[${f.x}], ${reg(f.t!)}`), feature: 'vfp' },
  { name: 'VMOV_from_scalar', pattern: 'cccc 1110 00x1 nnnn tttt 1011 N001 0000', translate: v.translateVmovFromScalar,
    disasm: (f) => op(`vmov${cond(f.c)}.32`, `${reg(f.t!)}, ${dName(dReg(f.N!, f.n!))}[${f.x}]`), feature: 'vfp' },
  { name: 'VMSR', pattern: 'cccc 1110 1110 rrrr tttt 1010 0001 0000', translate: v.translateVmsr,
    disasm: (f) => op(`vmsr${cond(f.c)}`, `${sysReg(f.r!)}, ${reg(f.t!)}`), feature: 'vfp' },
  { name: 'VMRS', pattern: 'cccc 1110 1111 rrrr tttt 1010 0001 0000', translate: v.translateVmrs,
    disasm: (f) => op(`vmrs${cond(f.c)}`, `${f.t === 15 && f.r === 1 ? 'APSR_nzcv' : reg(f.t!)}, ${sysReg(f.r!)}`), feature: 'vfp' },
  // ---- loads and stores ----
  { name: 'VLDR_VSTR', pattern: 'cccc 1101 UD0L nnnn dddd 101z iiii iiii', translate: v.translateVldr, disasm: vldrText, feature: 'vfp' },
  { name: 'VLDM_VSTM', pattern: 'cccc 110P UDWL nnnn dddd 101z iiii iiii', translate: v.translateVldm, disasm: vldmText, feature: 'vfp' },
];
