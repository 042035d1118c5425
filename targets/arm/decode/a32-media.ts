// A32 media encodings: one row per encoding (name, pattern, translator, disassembly), plus
// the v5TE saturating add/subtract (QADD...) that live in the miscellaneous space.
// Fields: d = Rd, n = Rn, m = Rm, a = Ra, r = rotation, i = shift/immediate, t = shift type
// or PKH tb bit, w = width/msb/saturate field, l = lsb. Should-be-zero/one bits are fixed
// in the patterns: qemu-arm treats other values as UNDEFINED, and so do we.
import type { Fields, InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { cond, imm, op, reg } from '../disasm/format.js';
import { PARALLEL_KINDS, PARALLEL_OPS, parallel } from '../translate/parallel.js';
import { qaddsub, ssat, ssat16 } from '../translate/saturate.js';
import { bitfieldExtract, bitfieldInsert, extend, pack, reverse, sel, usad8, type ExtendOp } from '../translate/media.js';

interface MediaArgs {
  c: number;
  d: number;
  n: number;
  m: number;
  a: number;
  r: number;
  i: number;
  t: number;
  w: number;
  l: number;
}

function args(f: Fields): MediaArgs {
  const g = (k: string) => f[k] ?? 0;
  return { c: g('c'), d: g('d'), n: g('n'), m: g('m'), a: g('a'), r: g('r'), i: g('i'), t: g('t'), w: g('w'), l: g('l') };
}

function row(
  name: string,
  pattern: string,
  translate: (ctx: ArmContext, a: MediaArgs) => boolean,
  disasm: (a: MediaArgs, c: string) => string,
  feature: string,
): InsnRow<ArmContext> {
  return {
    name,
    pattern,
    translate: (ctx, f) => translate(ctx, args(f)),
    disasm: (f) => {
      const a = args(f);
      return disasm(a, cond(a.c));
    },
    feature,
  };
}

const ror = (rot: number) => (rot === 0 ? '' : `, ror #${rot * 8}`);

// ---- parallel add/subtract: cccc 0110 0kkk nnnn dddd 1111 ooo1 mmmm ----

function parallelRows(): InsnRow<ArmContext>[] {
  const rows: InsnRow<ArmContext>[] = [];
  PARALLEL_KINDS.forEach((kind, k) => {
    if (kind === undefined) return;
    PARALLEL_OPS.forEach((o, i) => {
      if (o === undefined) return;
      const bits = (v: number, w: number) => v.toString(2).padStart(w, '0');
      const mnemonic = kind + o.name;
      rows.push(
        row(
          mnemonic.toUpperCase(),
          `cccc 0110 0${bits(k, 3)} nnnn dddd 1111 ${bits(i, 3)}1 mmmm`,
          (ctx, a) => parallel(ctx, kind, o, a.d, a.n, a.m),
          (a, c) => op(mnemonic + c, `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}`),
          'v6',
        ),
      );
    });
  });
  return rows;
}

// ---- extend and extend-add: cccc 0110 1ooo nnnn dddd rr00 0111 mmmm ----

function extendRows(): InsnRow<ArmContext>[] {
  const ops: [string, ExtendOp, string][] = [
    ['000', 'sxtb16', 'sxtab16'],
    ['010', 'sxtb', 'sxtab'],
    ['011', 'sxth', 'sxtah'],
    ['100', 'uxtb16', 'uxtab16'],
    ['110', 'uxtb', 'uxtab'],
    ['111', 'uxth', 'uxtah'],
  ];
  return ops.flatMap(([o, kind, addName]) => [
    row(
      kind.toUpperCase(),
      `cccc 0110 1${o} 1111 dddd rr00 0111 mmmm`,
      (ctx, a) => extend(ctx, kind, a.d, 15, a.m, a.r),
      (a, c) => op(kind + c, `${reg(a.d)}, ${reg(a.m)}${ror(a.r)}`),
      'v6',
    ),
    row(
      addName.toUpperCase(),
      `cccc 0110 1${o} nnnn dddd rr00 0111 mmmm`,
      (ctx, a) => extend(ctx, kind, a.d, a.n, a.m, a.r),
      (a, c) => op(addName + c, `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}${ror(a.r)}`),
      'v6',
    ),
  ]);
}

/** Shift operand of SSAT/USAT: ", lsl #n" / ", asr #n" (asr field 0 is asr #32). */
function satShift(a: MediaArgs): string {
  if (a.t) return `, asr #${a.i === 0 ? 32 : a.i}`;
  return a.i === 0 ? '' : `, lsl #${a.i}`;
}

const dm = (name: string) => (a: MediaArgs, c: string) => op(name + c, `${reg(a.d)}, ${reg(a.m)}`);
const dnm = (name: string) => (a: MediaArgs, c: string) => op(name + c, `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}`);
/** QADD and friends print <Rd>, <Rm>, <Rn>. */
const dmn = (name: string) => (a: MediaArgs, c: string) => op(name + c, `${reg(a.d)}, ${reg(a.m)}, ${reg(a.n)}`);

export const mediaRows: InsnRow<ArmContext>[] = [
  ...parallelRows(),
  ...extendRows(),

  // ---- pack, select, saturate, reverse: cccc 0110 1xxx ----
  row('PKHBT', 'cccc 0110 1000 nnnn dddd iiii i001 mmmm', (ctx, a) => pack(ctx, 0, a.d, a.n, a.m, a.i),
    (a, c) => op('pkhbt' + c, `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}${a.i ? `, lsl #${a.i}` : ''}`), 'v6'),
  row('PKHTB', 'cccc 0110 1000 nnnn dddd iiii i101 mmmm', (ctx, a) => pack(ctx, 1, a.d, a.n, a.m, a.i),
    (a, c) => op('pkhtb' + c, `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}, asr #${a.i === 0 ? 32 : a.i}`), 'v6'),
  row('SEL', 'cccc 0110 1000 nnnn dddd 1111 1011 mmmm', (ctx, a) => sel(ctx, a.d, a.n, a.m), dnm('sel'), 'v6'),
  row('SSAT', 'cccc 0110 101w wwww dddd iiii it01 nnnn', (ctx, a) => ssat(ctx, false, a.d, a.w, a.n, a.t, a.i),
    (a, c) => op('ssat' + c, `${reg(a.d)}, ${imm(a.w + 1)}, ${reg(a.n)}${satShift(a)}`), 'v6'),
  row('USAT', 'cccc 0110 111w wwww dddd iiii it01 nnnn', (ctx, a) => ssat(ctx, true, a.d, a.w, a.n, a.t, a.i),
    (a, c) => op('usat' + c, `${reg(a.d)}, ${imm(a.w)}, ${reg(a.n)}${satShift(a)}`), 'v6'),
  row('SSAT16', 'cccc 0110 1010 wwww dddd 1111 0011 nnnn', (ctx, a) => ssat16(ctx, false, a.d, a.w, a.n),
    (a, c) => op('ssat16' + c, `${reg(a.d)}, ${imm(a.w + 1)}, ${reg(a.n)}`), 'v6'),
  row('USAT16', 'cccc 0110 1110 wwww dddd 1111 0011 nnnn', (ctx, a) => ssat16(ctx, true, a.d, a.w, a.n),
    (a, c) => op('usat16' + c, `${reg(a.d)}, ${imm(a.w)}, ${reg(a.n)}`), 'v6'),
  row('REV', 'cccc 0110 1011 1111 dddd 1111 0011 mmmm', (ctx, a) => reverse(ctx, 'rev', a.d, a.m), dm('rev'), 'v6'),
  row('REV16', 'cccc 0110 1011 1111 dddd 1111 1011 mmmm', (ctx, a) => reverse(ctx, 'rev16', a.d, a.m), dm('rev16'), 'v6'),
  row('RBIT', 'cccc 0110 1111 1111 dddd 1111 0011 mmmm', (ctx, a) => reverse(ctx, 'rbit', a.d, a.m), dm('rbit'), 'v6t2'),
  row('REVSH', 'cccc 0110 1111 1111 dddd 1111 1011 mmmm', (ctx, a) => reverse(ctx, 'revsh', a.d, a.m), dm('revsh'), 'v6'),

  // ---- USAD8, bitfields: cccc 0111 1xxx ----
  row('USADA8', 'cccc 0111 1000 dddd aaaa mmmm 0001 nnnn', (ctx, a) => usad8(ctx, a.d, a.n, a.m, a.a),
    (a, c) => op('usada8' + c, `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}, ${reg(a.a)}`), 'v6'),
  row('USAD8', 'cccc 0111 1000 dddd 1111 mmmm 0001 nnnn', (ctx, a) => usad8(ctx, a.d, a.n, a.m, 15), dnm('usad8'), 'v6'),
  row('SBFX', 'cccc 0111 101w wwww dddd llll l101 nnnn', (ctx, a) => bitfieldExtract(ctx, true, a.d, a.n, a.l, a.w),
    (a, c) => op('sbfx' + c, `${reg(a.d)}, ${reg(a.n)}, ${imm(a.l)}, ${imm(a.w + 1)}`), 'v6t2'),
  row('UBFX', 'cccc 0111 111w wwww dddd llll l101 nnnn', (ctx, a) => bitfieldExtract(ctx, false, a.d, a.n, a.l, a.w),
    (a, c) => op('ubfx' + c, `${reg(a.d)}, ${reg(a.n)}, ${imm(a.l)}, ${imm(a.w + 1)}`), 'v6t2'),
  row('BFI', 'cccc 0111 110w wwww dddd llll l001 nnnn', (ctx, a) => bitfieldInsert(ctx, a.d, a.n, a.l, a.w),
    (a, c) => op('bfi' + c, `${reg(a.d)}, ${reg(a.n)}, ${imm(a.l)}, ${imm(a.w - a.l + 1)}`), 'v6t2'),
  row('BFC', 'cccc 0111 110w wwww dddd llll l001 1111', (ctx, a) => bitfieldInsert(ctx, a.d, 15, a.l, a.w),
    (a, c) => op('bfc' + c, `${reg(a.d)}, ${imm(a.l)}, ${imm(a.w - a.l + 1)}`), 'v6t2'),

  // ---- v5TE saturating add/subtract: cccc 0001 0oo0 nnnn dddd 0000 0101 mmmm ----
  row('QADD', 'cccc 0001 0000 nnnn dddd 0000 0101 mmmm', (ctx, a) => qaddsub(ctx, false, false, a.d, a.m, a.n), dmn('qadd'), 'v5te'),
  row('QSUB', 'cccc 0001 0010 nnnn dddd 0000 0101 mmmm', (ctx, a) => qaddsub(ctx, true, false, a.d, a.m, a.n), dmn('qsub'), 'v5te'),
  row('QDADD', 'cccc 0001 0100 nnnn dddd 0000 0101 mmmm', (ctx, a) => qaddsub(ctx, false, true, a.d, a.m, a.n), dmn('qdadd'), 'v5te'),
  row('QDSUB', 'cccc 0001 0110 nnnn dddd 0000 0101 mmmm', (ctx, a) => qaddsub(ctx, true, true, a.d, a.m, a.n), dmn('qdsub'), 'v5te'),
];
