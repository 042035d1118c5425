// A32 multiply encodings: one row per encoding (name, pattern, translator, disassembly).
// Fields: d = Rd (RdHi), a = Ra (RdLo), n = Rn, m = Rm, S = set flags, x/y = half selects
// (x is also the X swap / R round bit of the v6 multiplies). Should-be-zero/one bits are
// fixed in the patterns: qemu-arm treats other values as UNDEFINED, and so do we.
import type { Fields, InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { cond, op, reg } from '../disasm/format.js';
import * as M from '../translate/multiply.js';
import { mulArgs, type MulArgs } from '../translate/multiply.js';

type Translate = (ctx: ArmContext, a: MulArgs) => boolean;
type Show = (a: MulArgs) => string;

function row(name: string, pattern: string, translate: Translate, mnemonic: (a: MulArgs) => string, operands: Show, feature?: string): InsnRow<ArmContext> {
  const r: InsnRow<ArmContext> = {
    name,
    pattern,
    translate: (ctx, f) => translate(ctx, mulArgs(f)),
    disasm: (f: Fields) => {
      const a = mulArgs(f);
      return op(mnemonic(a) + cond(f['c']), operands(a));
    },
  };
  if (feature !== undefined) r.feature = feature;
  return r;
}

const s = (base: string) => (a: MulArgs) => base + (a.s ? 's' : '');
const fixed = (base: string) => () => base;
const bt = (v: number) => (v ? 't' : 'b');
const xs = (base: string, suffix: string) => (a: MulArgs) => base + (a.x ? suffix : '');

const dnm: Show = (a) => `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}`;
const dnma: Show = (a) => `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}, ${reg(a.a)}`;
/** <RdLo>, <RdHi>, <Rn>, <Rm> */
const lhnm: Show = (a) => `${reg(a.a)}, ${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}`;

export const multiplyRows: InsnRow<ArmContext>[] = [
  // ---- multiply and multiply-accumulate (op 0000 xxxx ... 1001) ----
  row('MUL', 'cccc 0000 000S dddd 0000 mmmm 1001 nnnn', (c, a) => M.mulAcc(c, a, 'none'), s('mul'), dnm),
  row('MLA', 'cccc 0000 001S dddd aaaa mmmm 1001 nnnn', (c, a) => M.mulAcc(c, a, 'add'), s('mla'), dnma),
  row('UMAAL', 'cccc 0000 0100 dddd aaaa mmmm 1001 nnnn', M.umaal, fixed('umaal'), lhnm, 'v6'),
  row('MLS', 'cccc 0000 0110 dddd aaaa mmmm 1001 nnnn', (c, a) => M.mulAcc(c, a, 'sub'), fixed('mls'), dnma, 'v6t2'),
  row('UMULL', 'cccc 0000 100S dddd aaaa mmmm 1001 nnnn', (c, a) => M.mulLong(c, a, false, false), s('umull'), lhnm),
  row('UMLAL', 'cccc 0000 101S dddd aaaa mmmm 1001 nnnn', (c, a) => M.mulLong(c, a, false, true), s('umlal'), lhnm),
  row('SMULL', 'cccc 0000 110S dddd aaaa mmmm 1001 nnnn', (c, a) => M.mulLong(c, a, true, false), s('smull'), lhnm),
  row('SMLAL', 'cccc 0000 111S dddd aaaa mmmm 1001 nnnn', (c, a) => M.mulLong(c, a, true, true), s('smlal'), lhnm),

  // ---- v5TE halfword multiplies (op 0001 0xx0 ... 1yx0) ----
  row('SMLAxy', 'cccc 0001 0000 dddd aaaa mmmm 1yx0 nnnn', (c, a) => M.smulxy(c, a, true), (a) => `smla${bt(a.x)}${bt(a.y)}`, dnma, 'v5te'),
  row('SMLAWy', 'cccc 0001 0010 dddd aaaa mmmm 1y00 nnnn', (c, a) => M.smulwy(c, a, true), (a) => `smlaw${bt(a.y)}`, dnma, 'v5te'),
  row('SMULWy', 'cccc 0001 0010 dddd 0000 mmmm 1y10 nnnn', (c, a) => M.smulwy(c, a, false), (a) => `smulw${bt(a.y)}`, dnm, 'v5te'),
  row('SMLALxy', 'cccc 0001 0100 dddd aaaa mmmm 1yx0 nnnn', M.smlalxy, (a) => `smlal${bt(a.x)}${bt(a.y)}`, lhnm, 'v5te'),
  row('SMULxy', 'cccc 0001 0110 dddd 0000 mmmm 1yx0 nnnn', (c, a) => M.smulxy(c, a, false), (a) => `smul${bt(a.x)}${bt(a.y)}`, dnm, 'v5te'),

  // ---- v6 signed multiplies, divide (op 0111 0xxx) ----
  row('SMLAD', 'cccc 0111 0000 dddd aaaa mmmm 00x1 nnnn', (c, a) => M.smlad(c, a, false, true), xs('smlad', 'x'), dnma, 'v6'),
  row('SMUAD', 'cccc 0111 0000 dddd 1111 mmmm 00x1 nnnn', (c, a) => M.smlad(c, a, false, false), xs('smuad', 'x'), dnm, 'v6'),
  row('SMLSD', 'cccc 0111 0000 dddd aaaa mmmm 01x1 nnnn', (c, a) => M.smlad(c, a, true, true), xs('smlsd', 'x'), dnma, 'v6'),
  row('SMUSD', 'cccc 0111 0000 dddd 1111 mmmm 01x1 nnnn', (c, a) => M.smlad(c, a, true, false), xs('smusd', 'x'), dnm, 'v6'),
  row('SDIV', 'cccc 0111 0001 dddd 1111 mmmm 0001 nnnn', (c, a) => M.divide(c, a, true), fixed('sdiv'), dnm, 'idiv'),
  row('UDIV', 'cccc 0111 0011 dddd 1111 mmmm 0001 nnnn', (c, a) => M.divide(c, a, false), fixed('udiv'), dnm, 'idiv'),
  row('SMLALD', 'cccc 0111 0100 dddd aaaa mmmm 00x1 nnnn', (c, a) => M.smlald(c, a, false), xs('smlald', 'x'), lhnm, 'v6'),
  row('SMLSLD', 'cccc 0111 0100 dddd aaaa mmmm 01x1 nnnn', (c, a) => M.smlald(c, a, true), xs('smlsld', 'x'), lhnm, 'v6'),
  row('SMMLA', 'cccc 0111 0101 dddd aaaa mmmm 00x1 nnnn', (c, a) => M.smmla(c, a, 'add'), xs('smmla', 'r'), dnma, 'v6'),
  row('SMMUL', 'cccc 0111 0101 dddd 1111 mmmm 00x1 nnnn', (c, a) => M.smmla(c, a, 'mul'), xs('smmul', 'r'), dnm, 'v6'),
  row('SMMLS', 'cccc 0111 0101 dddd aaaa mmmm 11x1 nnnn', (c, a) => M.smmla(c, a, 'sub'), xs('smmls', 'r'), dnma, 'v6'),
];
