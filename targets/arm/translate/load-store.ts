// A32 loads and stores: LDR/STR{B,H,SB,SH,D}{T} with immediate or register offsets,
// LDM/STM in all four modes, the exclusives (LDREX*/STREX*/CLREX is in misc), SWP{B}.
//
// A faulting access must leave the registers unchanged: every loaded value goes to a temp,
// then the base is written back, then the loaded registers (so a loaded base wins, as in
// qemu-arm), and a load to pc comes last because it ends the block.
import type { Fields } from '../decode/pattern.js';
import type { ArmContext } from './context.js';
import { S } from '../cpu-state.js';
import { PAGE_SIZE } from '../../../src/memory/guest-memory.js';
import { pageReadable, pageWritable } from '../../../src/engine/memory-access.js';
import { shiftByImm, simple } from './shift.js';

type LoadFn = 'ld8' | 'ld8s' | 'ld16' | 'ld16s' | 'ld32' | 'ld32w' | 'ld16h';
type StoreFn = 'st8' | 'st16' | 'st32' | 'st32w' | 'st16h';

const INTEGER = /^-?\d+$/;

interface Address {
  /** The address the access uses (a temp or a simple expression). */
  addr: string;
  /** New base value when the form writes back, else null. */
  writeback: string | null;
}

/**
 * Offset/pre-indexed/post-indexed addressing. `offset` is the unsigned offset expression
 * (an immediate or a shifted register); P = 0 always writes back (the T forms included).
 */
function addressing(ctx: ArmContext, f: Fields, offset: string): Address {
  // a pc base reads Align(PC, 4): the same as PC in ARM state, the literal base in Thumb
  const base = ctx.regAligned(f.n!);
  const isZero = offset === '0';
  // a literal base (pc) with an immediate offset folds to the address itself
  const folded = INTEGER.test(base) && INTEGER.test(offset) ? String((f.U ? Number(base) + Number(offset) : Number(base) - Number(offset)) | 0) : null;
  const offsetAddr = isZero ? base : (folded ?? simple(ctx, `(${base} ${f.U ? '+' : '-'} ${offset}) | 0`));
  if (f.P === 1) return { addr: offsetAddr, writeback: f.W === 1 ? offsetAddr : null };
  return { addr: base, writeback: offsetAddr };
}

function immOffset(ctx: ArmContext, f: Fields): Address {
  return addressing(ctx, f, String(f.v!));
}

function regOffset(ctx: ArmContext, f: Fields): Address {
  return addressing(ctx, f, shiftByImm(ctx, f.m!, f.t ?? 0, f.i ?? 0).value);
}

function writeBack(ctx: ArmContext, n: number, a: Address): void {
  if (a.writeback !== null && a.writeback !== ctx.reg(n)) {
    if (n === 15) ctx.writePcBranch(a.writeback);
    else ctx.setReg(n, a.writeback);
  }
}

function load(ctx: ArmContext, f: Fields, a: Address, fn: LoadFn): boolean {
  const t = f.T!;
  const v = ctx.let(ctx.load(fn, a.addr));
  // with Rt = Rn the loaded value wins over the written-back base (as qemu-arm)
  if (t !== f.n) writeBack(ctx, f.n!, a);
  if (t === 15) ctx.writePcInterworking(v);
  else ctx.setReg(t, v);
  return true;
}

function store(ctx: ArmContext, f: Fields, a: Address, fn: StoreFn): boolean {
  ctx.store(fn, a.addr, ctx.reg(f.T!));
  writeBack(ctx, f.n!, a);
  return true;
}

// LDR{B}<c> Rt, [Rn{, #±imm12}]{!} / [Rn], #±imm12 ; STR{B} likewise; T forms when P = 0, W = 1
export const translateLdrImm = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, immOffset(ctx, f), 'ld32');
export const translateLdrbImm = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, immOffset(ctx, f), 'ld8');
export const translateStrImm = (ctx: ArmContext, f: Fields): boolean => store(ctx, f, immOffset(ctx, f), 'st32');
export const translateStrbImm = (ctx: ArmContext, f: Fields): boolean => store(ctx, f, immOffset(ctx, f), 'st8');
// LDR{B}<c> Rt, [Rn, ±Rm{, <shift>}]{!} / [Rn], ±Rm{, <shift>} ; STR{B} likewise
export const translateLdrReg = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, regOffset(ctx, f), 'ld32');
export const translateLdrbReg = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, regOffset(ctx, f), 'ld8');
export const translateStrReg = (ctx: ArmContext, f: Fields): boolean => store(ctx, f, regOffset(ctx, f), 'st32');
export const translateStrbReg = (ctx: ArmContext, f: Fields): boolean => store(ctx, f, regOffset(ctx, f), 'st8');
// LDRH/LDRSH/LDRSB/STRH<c> Rt, [Rn{, #±imm8}]{!} or [Rn, ±Rm]{!} and post-indexed forms
export const translateLdrhImm = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, immOffset(ctx, f), 'ld16');
export const translateLdrshImm = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, immOffset(ctx, f), 'ld16s');
export const translateLdrsbImm = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, immOffset(ctx, f), 'ld8s');
export const translateStrhImm = (ctx: ArmContext, f: Fields): boolean => store(ctx, f, immOffset(ctx, f), 'st16');
export const translateLdrhReg = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, regOffset(ctx, f), 'ld16');
export const translateLdrshReg = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, regOffset(ctx, f), 'ld16s');
export const translateLdrsbReg = (ctx: ArmContext, f: Fields): boolean => load(ctx, f, regOffset(ctx, f), 'ld8s');
export const translateStrhReg = (ctx: ArmContext, f: Fields): boolean => store(ctx, f, regOffset(ctx, f), 'st16');

/**
 * LDRD<c> Rt, Rt2, <address>: words 4-aligned. A32: Rt2 = Rt + 1 with Rt even (odd is
 * UNDEFINED, as qemu-arm); T32 encodes Rt2 in its own field (T2).
 */
/** A32 LDRD/STRD: odd Rt, or P=0 W=1 (no unprivileged doubleword form), is UNDEFINED. */
function a32PairUndefined(f: Fields): boolean {
  return f.T2 === undefined && ((f.T! & 1) !== 0 || (f.P === 0 && f.W === 1));
}

function ldrd(ctx: ArmContext, f: Fields, a: Address): boolean {
  const t = f.T!;
  const t2 = f.T2 ?? t + 1;
  if (a32PairUndefined(f)) return false;
  const addr = simple(ctx, a.addr);
  const lo = ctx.let(ctx.load('ld32w', addr));
  const hi = ctx.let(ctx.load('ld32w', `(${addr} + 4) | 0`));
  if (f.n !== t && f.n !== t2) writeBack(ctx, f.n!, a);
  ctx.setReg(t, lo);
  // Rt2 = pc (UNPREDICTABLE): qemu-arm branches to the loaded word
  if (t2 === 15) ctx.writePcBranch(hi);
  else ctx.setReg(t2, hi);
  return true;
}

/** STRD<c> Rt, Rt2, <address> */
function strd(ctx: ArmContext, f: Fields, a: Address): boolean {
  const t = f.T!;
  const t2 = f.T2 ?? t + 1;
  if (a32PairUndefined(f)) return false;
  const addr = simple(ctx, a.addr);
  ctx.store('st32w', addr, ctx.reg(t));
  ctx.store('st32w', `(${addr} + 4) | 0`, ctx.reg(t2));
  writeBack(ctx, f.n!, a);
  return true;
}

export const translateLdrdImm = (ctx: ArmContext, f: Fields): boolean => ldrd(ctx, f, immOffset(ctx, f));
export const translateLdrdReg = (ctx: ArmContext, f: Fields): boolean => ldrd(ctx, f, regOffset(ctx, f));
export const translateStrdImm = (ctx: ArmContext, f: Fields): boolean => strd(ctx, f, immOffset(ctx, f));
export const translateStrdReg = (ctx: ArmContext, f: Fields): boolean => strd(ctx, f, regOffset(ctx, f));

// ---- load/store multiple ----

function bitCount(v: number): number {
  let n = 0;
  for (; v; v &= v - 1) n++;
  return n;
}

/** Lowest address and written-back base of LDM/STM{IA,IB,DA,DB}. */
function multipleAddress(ctx: ArmContext, f: Fields, count: number): { start: string; writeback: string } {
  const base = ctx.reg(f.n!);
  const first = f.U ? (f.P ? 4 : 0) : f.P ? -4 * count : -4 * count + 4;
  const start = first === 0 ? base : ctx.let(`(${base} + ${first}) | 0`);
  return { start, writeback: `(${base} ${f.U ? '+' : '-'} ${4 * count}) | 0` };
}

function wordAddress(start: string, index: number): string {
  return index === 0 ? start : `(${start} + ${4 * index}) | 0`;
}

/**
 * Whether a register list may move through the inline fast path: a word-aligned list
 * inside one page that allows the access is one page-flag test and plain word-view
 * accesses instead of a checked call per register (memcpy/memset, PUSH/POP). Not when a
 * plugin watches this instruction's memory accesses (it sees each word through ld32w/st32w).
 */
function wholeListFastPath(ctx: ArmContext, count: number): boolean {
  const instrument = ctx.env.instrument;
  return count >= 2 && (instrument === undefined || !instrument.observesMemory(ctx.insnIndex));
}

/** JS test: the list at `start` is word-aligned, within one page, and `pageTest` holds for it. */
function samePageTest(start: string, count: number, pageTest: string): string {
  return `(${start} & 3) === 0 && (${start} & ${PAGE_SIZE - 1}) <= ${PAGE_SIZE - 4 * count} && ${pageTest}`;
}

/**
 * LDM{IA|IB|DA|DB}<c> Rn{!}, <registers>. qemu-arm raises SIGILL for an empty list, Rn = pc,
 * and (ARMv7) writeback with Rn in the list; before v7 the loaded base wins.
 */
export function translateLdm(ctx: ArmContext, f: Fields): boolean {
  const list = f.l!;
  const n = f.n!;
  const count = bitCount(list);
  if (count === 0 || n === 15) return false;
  const baseInList = (list >> n) & 1;
  if (f.W && baseInList && ctx.hasFeature('v7')) return false;
  const { start, writeback } = multipleAddress(ctx, f, count);
  const values: [number, string][] = [];
  for (let r = 0; r < 16; r++) if ((list >> r) & 1) values.push([r, ctx.tmp()]);
  const words = values.map(([, v], i) => `${v} = ${ctx.load('ld32w', wordAddress(start, i))};`).join(' ');
  if (wholeListFastPath(ctx, count)) {
    const inline = values.map(([, v], i) => `${v} = M_i32[(${start} >>> 2) + ${i}];`).join(' ');
    ctx.emit(`if (${samePageTest(start, count, pageReadable(start))}) { ${inline} } else { ${words} }`);
  } else {
    ctx.emit(words);
  }
  if (f.W && !baseInList) ctx.setReg(n, writeback);
  let pcValue: string | undefined;
  for (const [r, v] of values) {
    if (r === 15) pcValue = v;
    else ctx.setReg(r, v);
  }
  if (pcValue !== undefined) ctx.writePcInterworking(pcValue);
  return true;
}

/** STM{IA|IB|DA|DB}<c> Rn{!}, <registers>: a stored base is always its original value. */
export function translateStm(ctx: ArmContext, f: Fields): boolean {
  const list = f.l!;
  const n = f.n!;
  const count = bitCount(list);
  if (count === 0 || n === 15) return false;
  const { start, writeback } = multipleAddress(ctx, f, count);
  const stored: string[] = [];
  for (let r = 0; r < 16; r++) if ((list >> r) & 1) stored.push(ctx.reg(r));
  if (wholeListFastPath(ctx, count)) {
    const inline = stored.map((v, i) => `M_i32[(${start} >>> 2) + ${i}] = ${v};`).join(' ');
    const test = samePageTest(start, count, pageWritable(start));
    ctx.emit(`if (${test}) { ${inline} } else {`);
    stored.forEach((v, i) => ctx.store('st32w', wordAddress(start, i), v));
    ctx.emit('}');
  } else {
    stored.forEach((v, i) => ctx.store('st32w', wordAddress(start, i), v));
  }
  if (f.W) ctx.setReg(n, writeback);
  return true;
}

// ---- exclusives and swap ----

const EXCLUSIVE: Record<'w' | 'h' | 'b', { ld: LoadFn; st: StoreFn }> = {
  w: { ld: 'ld32w', st: 'st32w' },
  h: { ld: 'ld16h', st: 'st16h' },
  b: { ld: 'ld8', st: 'st8' },
};

/** [Rn] or, for T32 LDREX/STREX, [Rn, #imm] (f.v, already scaled). */
function exclusiveAddress(ctx: ArmContext, f: Fields): string {
  return f.v ? `(${ctx.reg(f.n!)} + ${f.v}) | 0` : ctx.reg(f.n!);
}

/** LDREX{B|H}<c> Rt, [Rn]: load and open the monitor on the address with the value read. */
export function translateLdrex(size: 'w' | 'h' | 'b') {
  return (ctx: ArmContext, f: Fields): boolean => {
    if (f.T === 15 || f.n === 15) return false;
    const a = ctx.let(exclusiveAddress(ctx, f));
    const v = ctx.let(ctx.load(EXCLUSIVE[size].ld, a));
    ctx.emit(`S[${S.EXCL_ADDR}] = ${a}; S[${S.EXCL_VAL}] = ${v};`);
    ctx.setReg(f.T!, v);
    return true;
  };
}

/**
 * STREX{B|H}<c> Rd, Rt, [Rn]: succeeds (Rd = 0) when the monitor holds this address and
 * memory still holds the value LDREX read (compare-and-swap, as qemu-arm), else Rd = 1.
 * The monitor is always closed.
 */
export function translateStrex(size: 'w' | 'h' | 'b') {
  return (ctx: ArmContext, f: Fields): boolean => {
    // Rd overlapping Rt or Rn is UNPREDICTABLE; qemu-arm raises SIGILL
    if (f.d === 15 || f.T === 15 || f.n === 15 || f.d === f.T || f.d === f.n) return false;
    const a = ctx.let(exclusiveAddress(ctx, f));
    const r = ctx.tmp();
    const { ld, st } = EXCLUSIVE[size];
    ctx.emit(`if (${a} === S[${S.EXCL_ADDR}] && ${ctx.load(ld, a)} === S[${S.EXCL_VAL}]) {`);
    ctx.store(st, a, ctx.reg(f.T!));
    ctx.emit(`${r} = 0; } else ${r} = 1;`);
    ctx.emit(`S[${S.EXCL_ADDR}] = -1;`);
    ctx.setReg(f.d!, r);
    return true;
  };
}

/** LDREXD<c> Rt, Rt2, [Rn]: Rt even and not lr (A32; T32 has an Rt2 field, T2); 8-aligned. */
export function translateLdrexd(ctx: ArmContext, f: Fields): boolean {
  const t = f.T!;
  const t2 = f.T2 ?? t + 1;
  if (f.T2 === undefined ? t & 1 || t === 14 : t === t2 || t === 15 || t2 === 15) return false;
  if (f.n === 15) return false;
  const a = ctx.let(ctx.reg(f.n!));
  ctx.emit(ctx.callMayFault(`if (${a} & 7) H_alignmentFault(${a}, 0);`));
  const lo = ctx.let(ctx.load('ld32w', a));
  const hi = ctx.let(ctx.load('ld32w', `(${a} + 4) | 0`));
  ctx.emit(`S[${S.EXCL_ADDR}] = ${a}; S[${S.EXCL_VAL}] = ${lo}; S[${S.EXCL_VAL_HI}] = ${hi};`);
  ctx.setReg(t, lo);
  ctx.setReg(t2, hi);
  return true;
}

/** STREXD<c> Rd, Rt, Rt2, [Rn] */
export function translateStrexd(ctx: ArmContext, f: Fields): boolean {
  const t = f.T!;
  const t2 = f.T2 ?? t + 1;
  const d = f.d!;
  if (f.T2 === undefined ? t & 1 || t === 14 : t === 15 || t2 === 15) return false;
  if (d === 15 || f.n === 15 || d === f.n || d === t || d === t2) return false;
  const a = ctx.let(ctx.reg(f.n!));
  const r = ctx.tmp();
  ctx.emit(
    `if (${a} === S[${S.EXCL_ADDR}] && ` +
      `${ctx.callMayFault(`((${a} & 7) ? H_alignmentFault(${a}, 1) : ld32w(${a}))`)} === S[${S.EXCL_VAL}] && ` +
      `ld32w((${a} + 4) | 0) === S[${S.EXCL_VAL_HI}]) {`,
  );
  ctx.store('st32w', a, ctx.reg(t));
  ctx.store('st32w', `(${a} + 4) | 0`, ctx.reg(t2));
  ctx.emit(`${r} = 0; } else ${r} = 1;`);
  ctx.emit(`S[${S.EXCL_ADDR}] = -1;`);
  ctx.setReg(d, r);
  return true;
}

/** SWP{B}<c> Rt, Rt2, [Rn]: load then store (SWP needs word alignment, as qemu-arm); Rt = Rn allowed. */
export function translateSwp(byte: boolean) {
  return (ctx: ArmContext, f: Fields): boolean => {
    if (f.T === 15 || f.m === 15 || f.n === 15) return false;
    const a = ctx.let(ctx.reg(f.n!));
    const v = ctx.let(ctx.load(byte ? 'ld8' : 'ld32w', a));
    ctx.store(byte ? 'st8' : 'st32w', a, ctx.reg(f.m!));
    ctx.setReg(f.T!, v);
    return true;
  };
}
