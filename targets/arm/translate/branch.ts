// A32 branches: B, BL, BLX (immediate), BX, BLX (register), BXJ.
import type { Fields } from '../decode/pattern.js';
import type { ArmContext } from './context.js';

/** Sign-extended imm24 << 2, the byte offset of B/BL/BLX. */
export function branchOffset(imm24: number): number {
  return (imm24 << 8) >> 6;
}

/** B<c> <label> */
export function translateB(ctx: ArmContext, f: Fields): boolean {
  ctx.jump((ctx.pcValue + branchOffset(f.v!)) | 0);
  return true;
}

/** BL<c> <label>: LR = the next instruction. */
export function translateBl(ctx: ArmContext, f: Fields): boolean {
  ctx.setReg(14, String(ctx.nextKey));
  ctx.jump((ctx.pcValue + branchOffset(f.v!)) | 0);
  return true;
}

/** BLX <label> (unconditional space): call and switch to Thumb; H supplies bit 1. */
export function translateBlxImm(ctx: ArmContext, f: Fields): boolean {
  ctx.setReg(14, String(ctx.nextKey));
  ctx.jump(((ctx.pcValue + branchOffset(f.v!) + (f.H! << 1)) | 0) | 1);
  return true;
}

/** BX<c> Rm (also BXJ: no Jazelle, so it acts as BX). */
export function translateBx(ctx: ArmContext, f: Fields): boolean {
  ctx.writePcInterworking(ctx.reg(f.m!));
  return true;
}

/** BLX<c> Rm: the target is read before LR is written (BLX lr works). */
export function translateBlxReg(ctx: ArmContext, f: Fields): boolean {
  const t = ctx.let(ctx.reg(f.m!));
  ctx.setReg(14, String(ctx.nextKey));
  ctx.writePcInterworking(t);
  return true;
}
