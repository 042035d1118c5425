// A32 miscellaneous instructions: SVC, BKPT, UDF, hints and barriers, MRS/MSR on the APSR,
// the user-mode CP15 registers (TLS registers, CP15 barriers), CLZ, CPS, SETEND, CLREX.
import type { Fields } from '../decode/pattern.js';
import type { ArmContext } from './context.js';
import { S } from '../cpu-state.js';

/** The instruction the Linux kernel reserves as the ARM-state breakpoint (SIGTRAP). */
export const LINUX_ARM_BREAKPOINT = 0xe7f001f0;

/** SVC<c> #<imm24>: EABI Linux ignores the immediate; the number is in r7. */
export function translateSvc(ctx: ArmContext): boolean {
  ctx.exitSyscall();
  return true;
}

/** BKPT #<imm16>: SIGTRAP. */
export function translateBkpt(ctx: ArmContext): boolean {
  ctx.exitBreakpoint();
  return true;
}

/** UDF #<imm16>: SIGILL, except the Linux breakpoint encoding, which traps (as qemu-arm). */
export function translateUdf(ctx: ArmContext): boolean {
  if (ctx.insn >>> 0 !== LINUX_ARM_BREAKPOINT) return false;
  ctx.exitBreakpoint();
  return true;
}

/** NOP, YIELD, WFE, WFI, SEV, DBG, DMB, DSB, ISB, PLD, PLI, CPS (user mode), CP15 barriers. */
export function translateNop(): boolean {
  return true;
}

/** CLREX: open the exclusive monitor. */
export function translateClrex(ctx: ArmContext): boolean {
  ctx.emit(`S[${S.EXCL_ADDR}] = -1;`);
  return true;
}

/** SETEND <endian>: little-endian is a no-op; big-endian data accesses are not supported. */
/** CPSR.E, the data-endianness bit. */
const CPSR_E = 1 << 9;

/** SETEND LE is a no-op; SETEND BE (big-endian data) is unsupported and raises SIGILL. */
export function translateSetend(_ctx: ArmContext, f: Fields): boolean {
  return f.E === 0;
}

/** CLZ<c> Rd, Rm */
export function translateClz(ctx: ArmContext, f: Fields): boolean {
  if (f.d === 15) return false;
  ctx.setReg(f.d!, `Math.clz32(${ctx.reg(f.m!)})`);
  return true;
}

/**
 * The APSR/CPSR value MRS reads in user mode: N Z C V Q GE from the flags plus E A I F and
 * the mode (0x10) from CPSR_OTHER; the execution-state bits (T, IT, J) read as zero.
 */
export function apsrExpr(): string {
  return (
    `(NF & -2147483648) | (ZF === 0 ? 1073741824 : 0) | (CF << 29) | ((VF >>> 31) << 28)` +
    ` | (S[${S.QF}] << 27) | (S[${S.GE}] << 16) | (S[${S.CPSR_OTHER}] & 991)`
  );
}

/** MRS<c> Rd, APSR (R = 1, the SPSR, is UNDEFINED in user mode). */
export function translateMrs(ctx: ArmContext, f: Fields): boolean {
  if (f.R === 1 || f.d === 15) return false;
  ctx.setReg(f.d!, apsrExpr());
  return true;
}

/**
 * Write the PSR fields a user-mode MSR may change. Mask bit 3 (f) writes N Z C V Q, bit 2
 * (s) writes GE. The c field (mode, A I F) is ignored as in user mode. The x field holds
 * CPSR.E: clearing it is a no-op, setting it (big-endian data, which qemu-arm supports and
 * tsqemu does not) raises SIGILL rather than silently running little-endian; README
 * "Limitations" says so.
 */
function writePsr(ctx: ArmContext, value: string, mask: number): void {
  if (mask & 8) {
    ctx.emit(`NF = ${value}; ZF = ~${value} & 1073741824; CF = (${value} >>> 29) & 1; VF = ${value} << 3;`);
    ctx.emit(`S[${S.QF}] = (${value} >>> 27) & 1;`);
  }
  if (mask & 4) ctx.emit(`S[${S.GE}] = (${value} >>> 16) & 15;`);
}

/** MSR<c> CPSR_<fields>, #<const> */
export function translateMsrImm(ctx: ArmContext, f: Fields): boolean {
  if (f.R === 1) return false;
  const v = f.r === 0 ? f.v! : ((f.v! >>> (f.r! * 2)) | (f.v! << (32 - f.r! * 2))) | 0;
  if (f.m! & 2 && v & CPSR_E) return false;
  writePsr(ctx, `(${v | 0})`, f.m!);
  return true;
}

/** MSR<c> CPSR_<fields>, Rn */
export function translateMsrReg(ctx: ArmContext, f: Fields): boolean {
  if (f.R === 1 || f.n === 15) return false;
  if (f.m! & 2) ctx.exitUndefinedIf(`${ctx.reg(f.n!)} & ${CPSR_E}`);
  writePsr(ctx, ctx.reg(f.n!), f.m!);
  return true;
}

/** MRC<c> p15, 0, Rt, c13, c0, {2|3}: TPIDRURW / TPIDRURO. Rt = pc sets N Z C V. */
export function mrcTls(field: 'TPIDRURO' | 'TPIDRURW') {
  return (ctx: ArmContext, f: Fields): boolean => {
    const value = `S[${S[field]}]`;
    if (f.t === 15) {
      const t = ctx.let(value);
      ctx.emit(`NF = ${t}; ZF = ~${t} & 1073741824; CF = (${t} >>> 29) & 1; VF = ${t} << 3;`);
    } else {
      ctx.setReg(f.t!, value);
    }
    return true;
  };
}

/** MCR<c> p15, 0, Rt, c13, c0, 2: write TPIDRURW (TPIDRURO is read-only in user mode). */
export function translateMcrTpidrurw(ctx: ArmContext, f: Fields): boolean {
  ctx.emit(`S[${S.TPIDRURW}] = ${ctx.reg(f.t!)};`);
  return true;
}
