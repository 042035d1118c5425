// A32 multiply class: every row against a BigInt reference model on edge values, flags,
// Q saturation, PC destinations, feature gates and disassembly.
// Edge cases below marked "qemu" were checked against qemu-arm 7.2.
import { describe, expect, it } from 'vitest';
import { compilePattern, extractFields } from '../decode/pattern.js';
import { multiplyRows } from '../decode/a32-multiply.js';
import { a32Decoder } from '../decode/a32.js';
import { S } from '../cpu-state.js';
import { CODE_BASE, flagString, runA32 } from '../testing/run-a32.js';
import { EXIT_UNDEFINED } from '../../../src/engine/exits.js';
import { H_smulh, H_umulh } from './helpers-media.js';

/** Encode an instruction of this class from its row name and field values (cond AL). */
function enc(name: string, fields: Record<string, number>): number {
  const row = multiplyRows.find((r) => r.name === name);
  if (!row) throw new Error(`no row ${name}`);
  const c = compilePattern(row);
  let w = c.value;
  for (const spec of c.fieldSpecs) {
    const v = spec.name === 'c' ? (fields['c'] ?? 14) : (fields[spec.name] ?? 0);
    spec.bits.forEach((bit, i) => {
      if ((v >>> (spec.bits.length - 1 - i)) & 1) w |= 1 << bit;
    });
  }
  return w >>> 0;
}

const EDGES = [0, 1, -1, 0x7fffffff, 0x80000000 | 0, 0x8000, 0x7fff, 0xffff, 0x80008000 | 0, 0x7fff7fff, 0x12345678, 0xfedcba98 | 0];
const u = (v: number) => BigInt(v >>> 0);
const s = (v: number) => BigInt(v | 0);
const lo32 = (v: bigint) => Number(BigInt.asIntN(32, v));
const hi32 = (v: bigint) => Number(BigInt.asIntN(32, v >> 32n));
const h = (v: number, top: number) => (top ? v >> 16 : (v << 16) >> 16);

function run(word: number, regs: Record<number, number>, flags: NonNullable<Parameters<typeof runA32>[1]>['flags'] = {}) {
  const r = runA32([word], { regs, flags });
  expect(r.exit).not.toBe(EXIT_UNDEFINED);
  return r.state;
}

describe('64-bit product helpers', () => {
  it('match BigInt on edges and random values', () => {
    const vals = [...EDGES];
    let x = 0x1234567;
    for (let i = 0; i < 300; i++) vals.push((x = (Math.imul(x, 1664525) + 1013904223) | 0));
    for (const a of vals)
      for (const b of vals.slice(0, 40)) {
        expect(H_umulh(a, b)).toBe(hi32(u(a) * u(b)));
        expect(H_smulh(a, b)).toBe(hi32(s(a) * s(b)));
      }
  });
});

describe('MUL, MLA, MLS', () => {
  it('MUL wraps to 32 bits; MULS sets N and Z only', () => {
    for (const a of EDGES)
      for (const b of EDGES) {
        const st = run(enc('MUL', { d: 0, n: 1, m: 2 }), { 1: a, 2: b });
        expect(st[0]).toBe(Math.imul(a, b));
      }
    let st = run(enc('MUL', { S: 1, d: 0, n: 1, m: 2 }), { 1: 0x10000, 2: 0x10000 }, { C: true, V: true, N: true });
    expect(st[0]).toBe(0);
    expect(flagString(st)).toBe('-ZCV');
    st = run(enc('MUL', { S: 1, d: 0, n: 1, m: 2 }), { 1: -3, 2: 5 });
    expect(flagString(st)).toBe('N---');
  });
  it('MLA / MLAS and MLS', () => {
    for (const a of EDGES)
      for (const b of EDGES) {
        expect(run(enc('MLA', { d: 0, a: 3, n: 1, m: 2 }), { 1: a, 2: b, 3: 0x7fffffff })[0]).toBe((Math.imul(a, b) + 0x7fffffff) | 0);
        expect(run(enc('MLS', { d: 0, a: 3, n: 1, m: 2 }), { 1: a, 2: b, 3: 5 })[0]).toBe((5 - Math.imul(a, b)) | 0);
      }
    const st = run(enc('MLA', { S: 1, d: 3, a: 3, n: 1, m: 2 }), { 1: 2, 2: 3, 3: -6 }, { C: true });
    expect(st[3]).toBe(0);
    expect(flagString(st)).toBe('-ZC-');
  });
  it('MLS is UNDEFINED before v6T2 (arm926, arm1136)', () => {
    for (const cpu of ['arm926', 'arm1136']) expect(runA32([enc('MLS', { d: 0, a: 3, n: 1, m: 2 })], { cpu }).exit).toBe(EXIT_UNDEFINED);
  });
});

describe('long multiplies', () => {
  const cases: [string, (n: number, m: number, lo: number, hi: number) => bigint][] = [
    ['UMULL', (n, m) => u(n) * u(m)],
    ['UMLAL', (n, m, lo, hi) => u(n) * u(m) + ((u(hi) << 32n) | u(lo))],
    ['SMULL', (n, m) => s(n) * s(m)],
    ['SMLAL', (n, m, lo, hi) => s(n) * s(m) + ((s(hi) << 32n) | u(lo))],
    ['UMAAL', (n, m, lo, hi) => u(n) * u(m) + u(lo) + u(hi)],
  ];
  for (const [name, model] of cases) {
    it(`${name} matches the 64-bit model, carries across the halves`, () => {
      for (const n of EDGES)
        for (const m of EDGES)
          for (const [lo, hi] of [[0, 0], [-1, -1], [-1, 0x7fffffff], [0x80000000 | 0, 1]] as const) {
            const st = run(enc(name, { a: 3, d: 4, n: 1, m: 2 }), { 1: n, 2: m, 3: lo, 4: hi });
            const want = model(n, m, lo, hi);
            expect([st[3], st[4]]).toEqual([lo32(want), hi32(want)]);
          }
    });
  }
  it('S forms: N and Z from all 64 bits, C and V unchanged (qemu)', () => {
    let st = run(enc('UMULL', { S: 1, a: 0, d: 1, n: 2, m: 3 }), { 2: -1, 3: -1 }, { Z: true, C: true });
    expect([st[0], st[1]]).toEqual([1, -2]);
    expect(flagString(st)).toBe('N-C-');
    st = run(enc('SMULL', { S: 1, a: 0, d: 1, n: 2, m: 3 }), { 2: 0x10000, 3: 0x10000 }, { V: true });
    expect([st[0], st[1]]).toEqual([0, 1]);
    expect(flagString(st)).toBe('---V');
    st = run(enc('SMLAL', { S: 1, a: 0, d: 1, n: 2, m: 3 }), { 0: 1, 1: 0, 2: -1, 3: 1 });
    expect([st[0], st[1]]).toEqual([0, 0]);
    expect(flagString(st)).toBe('-Z--');
  });
  it('RdLo == RdHi: the high word wins', () => {
    const st = run(enc('UMULL', { a: 0, d: 0, n: 2, m: 3 }), { 2: 0x10000, 3: 0x30000 });
    expect(st[0]).toBe(3);
  });
  it('UMAAL is UNDEFINED on ARMv5TE', () => {
    expect(runA32([enc('UMAAL', { a: 0, d: 1, n: 2, m: 3 })], { cpu: 'arm926' }).exit).toBe(EXIT_UNDEFINED);
  });
});

describe('v5TE halfword multiplies', () => {
  it('SMULxy and SMLAxy with Q on overflow (sticky)', () => {
    for (const x of [0, 1])
      for (const y of [0, 1])
        for (const n of EDGES)
          for (const m of EDGES) {
            const p = (h(n, x) * h(m, y)) | 0;
            expect(run(enc('SMULxy', { x, y, d: 0, n: 1, m: 2 }), { 1: n, 2: m })[0]).toBe(p);
            const st = run(enc('SMLAxy', { x, y, d: 0, a: 3, n: 1, m: 2 }), { 1: n, 2: m, 3: 0x7fff0000 });
            expect(st[0]).toBe((p + 0x7fff0000) | 0);
            expect(st[S.QF]).toBe(p + 0x7fff0000 > 0x7fffffff ? 1 : 0);
          }
    // sticky: no overflow leaves Q set
    expect(run(enc('SMLAxy', { d: 0, a: 3, n: 1, m: 2 }), { 1: 2, 2: 3, 3: 4 }, { Q: true })[S.QF]).toBe(1);
  });
  it('SMULWy / SMLAWy: (Rn * Rm.half) >> 16, Q on accumulate overflow', () => {
    for (const y of [0, 1])
      for (const n of EDGES)
        for (const m of EDGES) {
          const p = Number((s(n) * BigInt(h(m, y))) >> 16n) | 0;
          expect(run(enc('SMULWy', { y, d: 0, n: 1, m: 2 }), { 1: n, 2: m })[0]).toBe(p);
          const st = run(enc('SMLAWy', { y, d: 0, a: 3, n: 1, m: 2 }), { 1: n, 2: m, 3: 0x80000000 | 0 });
          expect(st[0]).toBe((p - 0x80000000) | 0);
          expect(st[S.QF]).toBe(p < 0 ? 1 : 0);
        }
  });
  it('SMLALxy adds the signed product into 64 bits', () => {
    for (const x of [0, 1])
      for (const y of [0, 1])
        for (const n of EDGES)
          for (const [lo, hi] of [[-1, 0], [0, 0], [0x7fffffff, -1]] as const) {
            const st = run(enc('SMLALxy', { x, y, a: 3, d: 4, n: 1, m: 2 }), { 1: n, 2: 0x80007fff | 0, 3: lo, 4: hi });
            const want = BigInt(h(n, x) * h(0x80007fff | 0, y)) + ((s(hi) << 32n) | u(lo));
            expect([st[3], st[4]]).toEqual([lo32(want), hi32(want)]);
          }
  });
  it('works on ARMv5TE', () => {
    expect(runA32([enc('SMULxy', { d: 0, n: 1, m: 2 })], { cpu: 'arm926', regs: { 1: 3, 2: 4 } }).state[0]).toBe(12);
  });
});

describe('v6 dual multiplies', () => {
  const dual = (n: number, m: number, x: number, sub: boolean) => {
    const mm = x ? ((m >>> 16) | (m << 16)) : m;
    return sub ? h(n, 0) * h(mm, 0) - h(n, 1) * h(mm, 1) : h(n, 0) * h(mm, 0) + h(n, 1) * h(mm, 1);
  };
  it('SMUAD/SMUSD/SMLAD/SMLSD (X) with Q from the exact sum', () => {
    for (const x of [0, 1])
      for (const n of EDGES)
        for (const m of EDGES) {
          for (const [name, sub] of [['SMUAD', false], ['SMUSD', true]] as const) {
            const st = run(enc(name, { x, d: 0, n: 1, m: 2 }), { 1: n, 2: m });
            const v = dual(n, m, x, sub);
            expect(st[0]).toBe(v | 0);
            expect(st[S.QF]).toBe(v !== (v | 0) ? 1 : 0);
          }
          for (const [name, sub] of [['SMLAD', false], ['SMLSD', true]] as const) {
            const st = run(enc(name, { x, d: 0, a: 3, n: 1, m: 2 }), { 1: n, 2: m, 3: -2 });
            const v = dual(n, m, x, sub) - 2;
            expect(st[0]).toBe(v | 0);
            expect(st[S.QF]).toBe(v !== (v | 0) ? 1 : 0);
          }
        }
  });
  it('SMLAD: Q only when the whole sum overflows (qemu)', () => {
    // 0x8000 * 0x8000 twice = 2^31: overflows alone, but Ra = -1 brings it back
    let st = run(enc('SMLAD', { d: 0, a: 3, n: 1, m: 2 }), { 1: 0x80008000 | 0, 2: 0x80008000 | 0, 3: -1 });
    expect([st[0], st[S.QF]]).toEqual([0x7fffffff, 0]);
    st = run(enc('SMUAD', { d: 0, n: 1, m: 2 }), { 1: 0x80008000 | 0, 2: 0x80008000 | 0 });
    expect([st[0], st[S.QF]]).toEqual([0x80000000 | 0, 1]);
  });
  it('SMLALD/SMLSLD (X) into 64 bits', () => {
    for (const x of [0, 1])
      for (const n of EDGES)
        for (const m of EDGES)
          for (const [name, sub] of [['SMLALD', false], ['SMLSLD', true]] as const) {
            const st = run(enc(name, { x, a: 3, d: 4, n: 1, m: 2 }), { 1: n, 2: m, 3: -1, 4: 0x7fffffff });
            const want = BigInt(dual(n, m, x, sub)) + ((0x7fffffffn << 32n) | 0xffffffffn);
            expect([st[3], st[4]]).toEqual([lo32(want), hi32(want)]);
          }
  });
  it('SMMUL/SMMLA/SMMLS with and without rounding', () => {
    for (const r of [0, 1])
      for (const n of EDGES)
        for (const m of EDGES) {
          const p = s(n) * s(m);
          const rnd = r ? 0x80000000n : 0n;
          expect(run(enc('SMMUL', { x: r, d: 0, n: 1, m: 2 }), { 1: n, 2: m })[0]).toBe(hi32(p + rnd));
          expect(run(enc('SMMLA', { x: r, d: 0, a: 3, n: 1, m: 2 }), { 1: n, 2: m, 3: 0x7fffffff })[0]).toBe(hi32((0x7fffffffn << 32n) + p + rnd));
          expect(run(enc('SMMLS', { x: r, d: 0, a: 3, n: 1, m: 2 }), { 1: n, 2: m, 3: 5 })[0]).toBe(hi32((5n << 32n) - p + rnd));
        }
  });
  it('SMMULR rounds half up', () => {
    // 0x40000000 * 2 = 2^31: high word 0, rounding makes it 1
    expect(run(enc('SMMUL', { x: 1, d: 0, n: 1, m: 2 }), { 1: 0x40000000, 2: 2 })[0]).toBe(1);
    expect(run(enc('SMMUL', { x: 0, d: 0, n: 1, m: 2 }), { 1: 0x40000000, 2: 2 })[0]).toBe(0);
    expect(run(enc('SMMUL', { x: 1, d: 0, n: 1, m: 2 }), { 1: 0x40000000, 2: -2 })[0]).toBe(0);
  });
  it('are UNDEFINED on ARMv5TE', () => {
    for (const name of ['SMUAD', 'SMLALD', 'SMMUL']) expect(runA32([enc(name, { d: 0, n: 1, m: 2 })], { cpu: 'arm926' }).exit).toBe(EXIT_UNDEFINED);
  });
});

describe('SDIV, UDIV', () => {
  it('divide, truncating; by zero gives 0; INT_MIN / -1 = INT_MIN', () => {
    for (const n of EDGES)
      for (const m of EDGES) {
        const sq = m === 0 ? 0 : Number(BigInt.asIntN(32, s(n) / s(m)));
        const uq = m === 0 ? 0 : Number(BigInt.asIntN(32, u(n) / u(m)));
        expect(run(enc('SDIV', { d: 0, n: 1, m: 2 }), { 1: n, 2: m })[0]).toBe(sq);
        expect(run(enc('UDIV', { d: 0, n: 1, m: 2 }), { 1: n, 2: m })[0]).toBe(uq);
      }
    expect(run(enc('SDIV', { d: 0, n: 1, m: 2 }), { 1: 0x80000000 | 0, 2: -1 })[0]).toBe(0x80000000 | 0);
    expect(run(enc('SDIV', { d: 0, n: 1, m: 2 }), { 1: -7, 2: 2 })[0]).toBe(-3);
  });
  it('need the idiv feature (qemu: SIGILL on cortex-a9 and arm926)', () => {
    for (const cpu of ['cortex-a9', 'arm926', 'arm1136']) {
      expect(runA32([enc('SDIV', { d: 0, n: 1, m: 2 })], { cpu }).exit).toBe(EXIT_UNDEFINED);
      expect(runA32([enc('UDIV', { d: 0, n: 1, m: 2 })], { cpu }).exit).toBe(EXIT_UNDEFINED);
    }
    expect(runA32([enc('SDIV', { d: 0, n: 1, m: 2 })], { cpu: 'cortex-a15', regs: { 1: 9, 2: 3 } }).state[0]).toBe(3);
  });
});

describe('encoding details', () => {
  it('Rd = PC branches with bits [1:0] cleared, no interworking (qemu)', () => {
    const target = CODE_BASE + 8;
    // mul pc, r0, r1 ; (skipped) ; svc
    const r = runA32([enc('MUL', { d: 15, n: 0, m: 1 }), 0xe3a0202a /* mov r2, #42: skipped */], { regs: { 0: target + 1, 1: 1 } });
    expect(r.state[2]).toBe(0);
    expect(r.pc & 1).toBe(0);
    // umull pc, r5, r0, r1: the high word is still written
    const r2 = runA32([enc('UMULL', { a: 15, d: 5, n: 0, m: 1 }), 0xe3a0202a], { regs: { 0: target + 3, 1: 1, 5: 77 } });
    expect(r2.state[2]).toBe(0);
    expect(r2.state[5]).toBe(0);
  });
  it('should-be-zero bits set are UNDEFINED (qemu)', () => {
    expect(runA32([enc('MUL', { d: 0, n: 2, m: 1 }) | 0x1000]).exit).toBe(EXIT_UNDEFINED);
    expect(runA32([enc('SMULxy', { d: 0, n: 2, m: 1 }) | 0x1000]).exit).toBe(EXIT_UNDEFINED);
    expect(runA32([enc('SDIV', { d: 0, n: 2, m: 1 }) & ~0x1000]).exit).toBe(EXIT_UNDEFINED);
  });
  it('unallocated multiply encodings are UNDEFINED', () => {
    // 0000 0101 / 0000 0111 ... 1001, v6 multiply op1 = 010, 110, 111
    for (const w of [0xe0500291, 0xe0700291, 0xe720f211, 0xe760f211, 0xe7700211]) expect(runA32([w]).exit).toBe(EXIT_UNDEFINED);
  });
  it('condition codes skip the instruction', () => {
    const w = (enc('SMLAL', { a: 0, d: 1, n: 2, m: 3 }) & 0x0fffffff) | 0x00000000; // eq
    expect(runA32([w], { regs: { 2: 5, 3: 5 } }).state[0]).toBe(0);
    expect(runA32([w], { regs: { 2: 5, 3: 5 }, flags: { Z: true } }).state[0]).toBe(25);
  });
});

describe('disassembly', () => {
  const dis = (w: number) => {
    const hit = a32Decoder.decode(w)!;
    return hit.row.disasm(hit.fields, { pc: 0, thumb: false }).replace(/\s+/g, ' ');
  };
  it('prints objdump syntax (checked against arm-linux-gnueabi-objdump)', () => {
    const cases: [number, string][] = [
      [0x00100291, 'mulseq r0, r1, r2'],
      [0x00f10392, 'smlalseq r0, r1, r2, r3'],
      [0x016002c1, 'smulbteq r0, r1, r2'],
      [0xe750f231, 'smmulr r0, r1, r2'],
      [0xe75032f1, 'smmlsr r0, r1, r2, r3'],
      [0xe700f231, 'smuadx r0, r1, r2'],
      [0xe710f211, 'sdiv r0, r1, r2'],
      [0xe0410392, 'umaal r0, r1, r2, r3'],
      [0xe12032c1, 'smlawt r0, r1, r2, r3'],
      [0xe7410332, 'smlaldx r0, r1, r2, r3'],
      [0xe0843695, 'umull r3, r4, r5, r6'],
      [0xe00b0c9a, 'mul fp, sl, ip'],
    ];
    for (const [w, text] of cases) expect(dis(w)).toBe(text);
  });
  it('every row decodes to itself (no shadowing inside the class)', () => {
    for (const row of multiplyRows) {
      const w = enc(row.name, { d: 1, a: 2, n: 3, m: 4 });
      const hit = a32Decoder.decode(w)!;
      expect(hit.row.name).toBe(row.name);
      expect(extractFields(hit.row, w)['d']).toBe(1);
    }
  });
});
