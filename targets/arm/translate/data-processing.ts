// A32 data-processing: the 16 ALU operations over three operand shapes (rotated
// immediate, register shifted by immediate, register shifted by register), plus MOVW/MOVT.
// One worker, aluOp(), does the operation for every shape; flags are computed inline in
// the cheap encoding of cpu-state.ts (NF/VF bit 31, Z is ZF === 0, CF 0/1).
import type { Fields } from '../decode/pattern.js';
import type { ArmContext } from './context.js';
import { expandImm, shiftByImm, shiftByReg, simple, type ShiftedOperand } from './shift.js';
import { branchTableTargets } from './jump-tables.js';

/** ALU opcodes as encoded in bits 24:21. */
export const AluOp = {
  AND: 0, EOR: 1, SUB: 2, RSB: 3, ADD: 4, ADC: 5, SBC: 6, RSC: 7,
  TST: 8, TEQ: 9, CMP: 10, CMN: 11, ORR: 12, MOV: 13, BIC: 14, MVN: 15,
} as const;
export type AluOp = (typeof AluOp)[keyof typeof AluOp];

export const ALU_MNEMONICS = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'] as const;

/** TST TEQ CMP CMN: flags only, no Rd. */
export function isCompare(op: number): boolean {
  return op >= AluOp.TST && op <= AluOp.CMN;
}

/** MOV MVN: no Rn. */
export function isMove(op: number): boolean {
  return op === AluOp.MOV || op === AluOp.MVN;
}

/** Logical operations take C from the shifter and leave V alone. */
function isLogical(op: number): boolean {
  return op === AluOp.AND || op === AluOp.EOR || op === AluOp.TST || op === AluOp.TEQ || op >= AluOp.ORR;
}

/**
 * <op>{S}<c> Rd, Rn, <operand2>. `s` requests the flag update (always set for compares).
 * Rd = pc with S is the exception-return form: UNPREDICTABLE in user mode, and qemu-arm
 * raises SIGILL, so it is UNDEFINED here too.
 */
export function aluOp(ctx: ArmContext, op: AluOp, s: boolean, d: number, n: number, b: ShiftedOperand): boolean {
  const compare = isCompare(op);
  if (s && d === 15 && !compare) return false;
  const a = isMove(op) ? '0' : ctx.reg(n);
  if (isLogical(op)) {
    const expr = logicalExpr(op, a, b.value);
    if (!s) {
      ctx.setRegOrPc(d, expr);
      return true;
    }
    const t = ctx.let(expr);
    if (b.carry !== null) ctx.setCarry(b.carry);
    ctx.setNZ(t);
    if (!compare) ctx.setRegOrPc(d, t);
    return true;
  }
  // arithmetic: operands in the order the subtraction/addition uses them
  const reverse = op === AluOp.RSB || op === AluOp.RSC;
  let x = reverse ? b.value : a;
  let y = reverse ? a : b.value;
  const kind = op === AluOp.ADD || op === AluOp.CMN ? 'add' : op === AluOp.ADC ? 'adc' : op === AluOp.SBC || op === AluOp.RSC ? 'sbc' : 'sub';
  if (!s) {
    const expr =
      kind === 'add' ? `(${x} + ${y}) | 0`
      : kind === 'adc' ? `(${x} + ${y} + CF) | 0`
      : kind === 'sub' ? `(${x} - ${y}) | 0`
      : `(${x} - ${y} - (CF ^ 1)) | 0`;
    ctx.setRegOrPc(d, expr);
    return true;
  }
  x = simple(ctx, x);
  y = simple(ctx, y);
  let t: string;
  switch (kind) {
    case 'add':
      t = ctx.let(`(${x} + ${y}) | 0`);
      ctx.setCarry(`(${t} >>> 0) < (${x} >>> 0) ? 1 : 0`);
      ctx.emit(`VF = (${x} ^ ${t}) & (${y} ^ ${t});`);
      break;
    case 'adc': {
      const wide = ctx.let(`(${x} >>> 0) + (${y} >>> 0) + CF`);
      t = ctx.let(`${wide} | 0`);
      ctx.setCarry(`${wide} > 4294967295 ? 1 : 0`);
      ctx.emit(`VF = (${x} ^ ${t}) & (${y} ^ ${t});`);
      break;
    }
    case 'sub':
      t = ctx.let(`(${x} - ${y}) | 0`);
      ctx.setCarry(`(${x} >>> 0) >= (${y} >>> 0) ? 1 : 0`);
      ctx.emit(`VF = (${x} ^ ${y}) & (${x} ^ ${t});`);
      break;
    default: {
      const wide = ctx.let(`(${x} >>> 0) - (${y} >>> 0) - (CF ^ 1)`);
      t = ctx.let(`${wide} | 0`);
      ctx.setCarry(`${wide} >= 0 ? 1 : 0`);
      ctx.emit(`VF = (${x} ^ ${y}) & (${x} ^ ${t});`);
    }
  }
  ctx.setNZ(t);
  if (!compare) ctx.setRegOrPc(d, t);
  return true;
}

function logicalExpr(op: AluOp, a: string, b: string): string {
  switch (op) {
    case AluOp.AND:
    case AluOp.TST:
      return `${a} & ${b}`;
    case AluOp.EOR:
    case AluOp.TEQ:
      return `${a} ^ ${b}`;
    case AluOp.ORR:
      return `${a} | ${b}`;
    case AluOp.BIC:
      return `${a} & ~${b}`;
    case AluOp.MOV:
      return b;
    default:
      return `~${b}`;
  }
}

// ---- one translator per operand shape; the opcode is bound by the table ----

/** <op>{S}<c> Rd, Rn, #<const> */
export function aluImm(op: AluOp) {
  return (ctx: ArmContext, f: Fields): boolean => aluOp(ctx, op, isCompare(op) || f.S === 1, f.d ?? 0, f.n ?? 0, expandImm(f.r!, f.v!));
}

/** <op>{S}<c> Rd, Rn, Rm{, <shift> #<n>} */
export function aluReg(op: AluOp) {
  return (ctx: ArmContext, f: Fields): boolean => {
    // ADD pc, pc, Rm, LSL #2: a switch's branch table follows (jump-tables.ts)
    if (op === AluOp.ADD && f.d === 15 && f.n === 15 && f.S !== 1 && f.t === 0 && f.i === 2 && !ctx.thumb) ctx.successors.push(...branchTableTargets(ctx));
    return aluOp(ctx, op, isCompare(op) || f.S === 1, f.d ?? 0, f.n ?? 0, shiftByImm(ctx, f.m!, f.t!, f.i!));
  };
}

/** <op>{S}<c> Rd, Rn, Rm, <shift> Rs */
export function aluRsr(op: AluOp) {
  return (ctx: ArmContext, f: Fields): boolean => aluOp(ctx, op, isCompare(op) || f.S === 1, f.d ?? 0, f.n ?? 0, shiftByReg(ctx, f.m!, f.t!, f.s!));
}

/** MOVW<c> Rd, #<imm16> (a write to pc branches, as qemu-arm does for this UNPREDICTABLE case) */
export function translateMovw(ctx: ArmContext, f: Fields): boolean {
  if (f.d === 15) ctx.writePcBranch(String(f.v! | 0));
  else ctx.setReg(f.d!, String(f.v! | 0));
  return true;
}

/** MOVT<c> Rd, #<imm16> */
export function translateMovt(ctx: ArmContext, f: Fields): boolean {
  const expr = `(${ctx.reg(f.d!)} & 65535) | ${(f.v! << 16) | 0}`;
  if (f.d === 15) ctx.writePcBranch(expr);
  else ctx.setReg(f.d!, expr);
  return true;
}
