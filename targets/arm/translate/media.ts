// A32 media instructions other than parallel add/subtract and saturation: extend (+add),
// byte/bit reversal, bitfields, halfword packing, SEL and USAD8/USADA8.
import type { ArmContext } from './context.js';
import { writeRd } from './multiply.js';

/** Rm rotated right by 8 * rot bits (rot 0..3). */
function rotated(ctx: ArmContext, m: number, rot: number): string {
  const rm = ctx.reg(m);
  if (rot === 0) return rm;
  return `((${rm} >>> ${rot * 8}) | (${rm} << ${32 - rot * 8}))`;
}

export type ExtendOp = 'sxtb' | 'sxth' | 'uxtb' | 'uxth' | 'sxtb16' | 'uxtb16';

// SXTB/SXTH/UXTB/UXTH/SXTB16/UXTB16<c> <Rd>, <Rm>{, ROR #<rot>}
// SXTAB/SXTAH/UXTAB/UXTAH/SXTAB16/UXTAB16<c> <Rd>, <Rn>, <Rm>{, ROR #<rot>}  (n = 15: no add)
export function extend(ctx: ArmContext, kind: ExtendOp, d: number, n: number, m: number, rot: number): boolean {
  const v = ctx.let(rotated(ctx, m, rot));
  let ext: string;
  switch (kind) {
    case 'sxtb':
      ext = `(${v} << 24 >> 24)`;
      break;
    case 'sxth':
      ext = `(${v} << 16 >> 16)`;
      break;
    case 'uxtb':
      ext = `(${v} & 255)`;
      break;
    case 'uxth':
      ext = `(${v} & 65535)`;
      break;
    case 'sxtb16':
    case 'uxtb16': {
      const signed = kind === 'sxtb16';
      const low = signed ? `(${v} << 24 >> 24)` : `(${v} & 255)`;
      const high = signed ? `(${v} << 8 >> 24)` : `((${v} >>> 16) & 255)`;
      if (n === 15) {
        writeRd(ctx, d, ctx.let(`(${low} & 65535) | (${high} << 16)`));
      } else {
        // halfword-wise add into Rn
        const rn = ctx.reg(n);
        writeRd(ctx, d, ctx.let(`((${rn} + ${low}) & 65535) | (((${rn} >>> 16) + ${high}) << 16)`));
      }
      return true;
    }
  }
  writeRd(ctx, d, ctx.let(n === 15 ? ext : `(${ctx.reg(n)} + ${ext}) | 0`));
  return true;
}

// REV/REV16/REVSH<c> <Rd>, <Rm>     RBIT<c> <Rd>, <Rm>
export function reverse(ctx: ArmContext, kind: 'rev' | 'rev16' | 'revsh' | 'rbit', d: number, m: number): boolean {
  const v = ctx.let(ctx.reg(m));
  let expr: string;
  switch (kind) {
    case 'rev':
      expr = `(${v} << 24) | ((${v} & 0xff00) << 8) | ((${v} >>> 8) & 0xff00) | (${v} >>> 24)`;
      break;
    case 'rev16':
      expr = `((${v} & 0x00ff00ff) << 8) | ((${v} >>> 8) & 0x00ff00ff)`;
      break;
    case 'revsh':
      expr = `(${v} << 24 >> 16) | ((${v} >>> 8) & 255)`;
      break;
    case 'rbit':
      expr = `H_rbit(${v})`;
      break;
  }
  writeRd(ctx, d, ctx.let(expr));
  return true;
}

// UBFX/SBFX<c> <Rd>, <Rn>, #<lsb>, #<width>   (lsb + width > 32: qemu-arm UNDEFs, so do we)
export function bitfieldExtract(ctx: ArmContext, signed: boolean, d: number, n: number, lsb: number, widthm1: number): boolean {
  const width = widthm1 + 1;
  if (lsb + width > 32) return false;
  const rn = ctx.reg(n);
  const top = 32 - lsb - width;
  const expr = signed ? `(${rn} << ${top}) >> ${32 - width}` : `(${rn} << ${top}) >>> ${32 - width}`;
  writeRd(ctx, d, ctx.let(`(${expr}) | 0`));
  return true;
}

// BFI<c> <Rd>, <Rn>, #<lsb>, #<width>    BFC<c> <Rd>, #<lsb>, #<width> (n = 15)
// msb < lsb is UNPREDICTABLE: qemu-arm UNDEFs, so do we.
export function bitfieldInsert(ctx: ArmContext, d: number, n: number, lsb: number, msb: number): boolean {
  if (msb < lsb) return false;
  const width = msb - lsb + 1;
  const mask = (width === 32 ? -1 : ((1 << width) - 1) << lsb) | 0;
  const rd = ctx.reg(d);
  const insert = n === 15 ? '0' : `((${ctx.reg(n)} << ${lsb}) & ${mask})`;
  writeRd(ctx, d, ctx.let(`(${rd} & ${~mask}) | ${insert}`));
  return true;
}

// PKHBT<c> <Rd>, <Rn>, <Rm>{, LSL #<imm>}    PKHTB<c> <Rd>, <Rn>, <Rm>{, ASR #<imm>} (0: ASR #32)
export function pack(ctx: ArmContext, tb: number, d: number, n: number, m: number, amount: number): boolean {
  const rn = ctx.reg(n);
  const rm = ctx.reg(m);
  const expr = tb
    ? `(${rn} & -65536) | ((${rm} >> ${amount === 0 ? 31 : amount}) & 65535)`
    : `(${rn} & 65535) | ((${rm} << ${amount}) & -65536)`;
  writeRd(ctx, d, ctx.let(expr));
  return true;
}

// SEL<c> <Rd>, <Rn>, <Rm>: byte i from Rn if GE[i], else from Rm
export function sel(ctx: ArmContext, d: number, n: number, m: number): boolean {
  const mask = ctx.let(`H_geMask(S[${ctx.s('GE')}])`);
  writeRd(ctx, d, ctx.let(`(${ctx.reg(n)} & ${mask}) | (${ctx.reg(m)} & ~${mask})`));
  return true;
}

// USAD8<c> <Rd>, <Rn>, <Rm>     USADA8<c> <Rd>, <Rn>, <Rm>, <Ra> (a = 15: no accumulate)
export function usad8(ctx: ArmContext, d: number, n: number, m: number, a: number): boolean {
  const sum = `H_usad8(${ctx.reg(n)}, ${ctx.reg(m)})`;
  writeRd(ctx, d, ctx.let(a === 15 ? sum : `(${sum} + ${ctx.reg(a)}) | 0`));
  return true;
}
