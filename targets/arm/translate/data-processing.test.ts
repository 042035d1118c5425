// Data-processing: every ALU op over a grid of edge values, checked against a BigInt
// reference model written from the architecture pseudocode; shifter operands incl. RRX,
// LSR/ASR #32 and register shifts by 0/1-31/32/>32 with carry-out; hand-picked edges;
// conditional execution; MOVW/MOVT; pc as operand and destination.
import { describe, expect, test } from 'vitest';
import { CODE_BASE, flagString, runA32 } from '../testing/run-a32.js';
import { EXIT_SYSCALL, EXIT_UNDEFINED } from '../../../src/engine/exits.js';

const OPS = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];
const AL = 0xe0000000;
/** Rn field: MOV and MVN encode Rn as 0000. */
const rnFor = (op: number, n: number) => (op === 13 || op === 15 ? 0 : n);

/** <op>{S} rd, rn, rm, <type> #imm5 */
function dpReg(op: number, s: number, rd: number, rn: number, rm: number, type = 0, imm5 = 0): number {
  return (AL | (op << 21) | (s << 20) | (rn << 16) | (rd << 12) | (imm5 << 7) | (type << 5) | rm) >>> 0;
}
/** <op>{S} rd, rn, rm, <type> rs */
function dpRsr(op: number, s: number, rd: number, rn: number, rm: number, type: number, rs: number): number {
  return (AL | (op << 21) | (s << 20) | (rn << 16) | (rd << 12) | (rs << 8) | (type << 5) | 0x10 | rm) >>> 0;
}
/** <op>{S} rd, rn, #(imm8 ror 2*rot) */
function dpImm(op: number, s: number, rd: number, rn: number, rot: number, imm8: number): number {
  return (AL | (1 << 25) | (op << 21) | (s << 20) | (rn << 16) | (rd << 12) | (rot << 8) | imm8) >>> 0;
}

interface Flags { N: boolean; Z: boolean; C: boolean; V: boolean }
const M32 = 0xffffffffn;
const u = (v: number) => BigInt(v >>> 0);

/** Reference: AddWithCarry and the logical ops, on unsigned BigInts. */
function reference(op: number, a: number, b: number, shC: boolean, f: Flags): { result: number; flags: Flags } {
  const add = (x: bigint, y: bigint, c: bigint) => {
    const unsigned = x + y + c;
    const sx = x >= 0x80000000n ? x - 0x100000000n : x;
    const sy = y >= 0x80000000n ? y - 0x100000000n : y;
    const signed = sx + sy + c;
    const r = unsigned & M32;
    const sr = r >= 0x80000000n ? r - 0x100000000n : r;
    return { r, C: unsigned !== r, V: signed !== sr };
  };
  const A = u(a);
  const B = u(b);
  const cin = f.C ? 1n : 0n;
  let r: bigint;
  let C = f.C;
  let V = f.V;
  const arith = (x: bigint, y: bigint, c: bigint) => { const o = add(x, y, c); C = o.C; V = o.V; return o.r; };
  switch (OPS[op]) {
    case 'and': case 'tst': r = A & B; C = shC; break;
    case 'eor': case 'teq': r = A ^ B; C = shC; break;
    case 'orr': r = A | B; C = shC; break;
    case 'bic': r = A & ~B & M32; C = shC; break;
    case 'mov': r = B; C = shC; break;
    case 'mvn': r = ~B & M32; C = shC; break;
    case 'add': case 'cmn': r = arith(A, B, 0n); break;
    case 'adc': r = arith(A, B, cin); break;
    case 'sub': case 'cmp': r = arith(A, ~B & M32, 1n); break;
    case 'sbc': r = arith(A, ~B & M32, cin); break;
    case 'rsb': r = arith(B, ~A & M32, 1n); break;
    default: r = arith(B, ~A & M32, cin); break; // rsc
  }
  return { result: Number(r) | 0, flags: { N: r >= 0x80000000n, Z: r === 0n, C, V } };
}

function fs(f: Flags): string {
  return (f.N ? 'N' : '-') + (f.Z ? 'Z' : '-') + (f.C ? 'C' : '-') + (f.V ? 'V' : '-');
}

const EDGES = [0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe, 0x12345678, 0xf0f0f0f0];

describe('ALU ops against the reference model (register operand, S set)', () => {
  for (let op = 0; op < 16; op++) {
    test(OPS[op]!, () => {
      for (const a of EDGES) for (const b of EDGES) for (const c of [false, true]) for (const v of [false, true]) {
        const flagsIn = { N: false, Z: false, C: c, V: v };
        const r = runA32([dpReg(op, 1, 0, rnFor(op, 1), 2)], { regs: { 0: 0x5a5a5a5a, 1: a, 2: b }, flags: flagsIn });
        expect(r.exit).toBe(EXIT_SYSCALL);
        const ref = reference(op, a, b, c, flagsIn);
        const compare = op >= 8 && op <= 11;
        const ctxt = `${OPS[op]}s a=${a.toString(16)} b=${b.toString(16)} C=${c} V=${v}`;
        expect(r.state[0], ctxt).toBe(compare ? 0x5a5a5a5a : ref.result);
        expect(flagString(r.state), ctxt).toBe(fs(ref.flags));
      }
    });
  }

  test('without S the flags are untouched', () => {
    for (let op = 0; op < 16; op++) {
      if (op >= 8 && op <= 11) continue;
      const r = runA32([dpReg(op, 0, 0, rnFor(op, 1), 2)], { regs: { 1: 0x80000000, 2: 0x80000000 }, flags: { N: false, Z: true, C: true, V: false } });
      expect(flagString(r.state)).toBe('-ZC-');
      expect(r.state[0]).toBe(reference(op, 0x80000000, 0x80000000, true, { N: false, Z: true, C: true, V: false }).result);
    }
  });
});

describe('carry and overflow edges', () => {
  const cases: [string, number, Record<number, number>, { C?: boolean }, number, string][] = [
    ['adds 0x7fffffff + 1', 0xe0910002, { 1: 0x7fffffff, 2: 1 }, {}, 0x80000000 | 0, 'N--V'],
    ['subs 0x80000000 - 1', 0xe0510002, { 1: 0x80000000, 2: 1 }, {}, 0x7fffffff, '--CV'],
    ['subs 0 - 0', 0xe0510002, { 1: 0, 2: 0 }, {}, 0, '-ZC-'],
    ['subs 0 - 1', 0xe0510002, { 1: 0, 2: 1 }, {}, -1, 'N---'],
    ['adds 0xffffffff + 1', 0xe0910002, { 1: -1, 2: 1 }, {}, 0, '-ZC-'],
    ['adcs 0xffffffff + 0 + C', 0xe0b10002, { 1: -1, 2: 0 }, { C: true }, 0, '-ZC-'],
    ['adcs 0x7fffffff + 0 + C', 0xe0b10002, { 1: 0x7fffffff, 2: 0 }, { C: true }, 0x80000000 | 0, 'N--V'],
    ['sbcs 0 - 0 - !C (C clear)', 0xe0d10002, { 1: 0, 2: 0 }, { C: false }, -1, 'N---'],
    ['sbcs 0 - 0 - !C (C set)', 0xe0d10002, { 1: 0, 2: 0 }, { C: true }, 0, '-ZC-'],
    ['sbcs 0x80000000 - 0 - 1', 0xe0d10002, { 1: 0x80000000, 2: 0 }, { C: false }, 0x7fffffff, '--CV'],
    ['rsbs 0 - r1', 0xe0710002, { 1: 1, 2: 0 }, {}, -1, 'N---'],
    ['rscs r2 - r1 - !C', 0xe0f10002, { 1: 1, 2: 1 }, { C: false }, -1, 'N---'],
    ['subs r0, r0, r0', 0xe0500000, { 0: 1234 }, {}, 0, '-ZC-'],
  ];
  test.each(cases)('%s', (_name, word, regs, flags, result, nzcv) => {
    const r = runA32([word], { regs, flags });
    expect(r.state[0]).toBe(result);
    expect(flagString(r.state)).toBe(nzcv);
  });

  test('64-bit add and subtract chains (adds/adc, subs/sbc)', () => {
    // r1:r0 = 0x00000001_ffffffff + 0x00000000_00000001
    let r = runA32([0xe0900002, 0xe0a11003], { regs: { 0: -1, 1: 1, 2: 1, 3: 0 } }); // adds r0,r0,r2; adc r1,r1,r3
    expect([r.state[0], r.state[1]]).toEqual([0, 2]);
    // r1:r0 = 0x00000002_00000000 - 1
    r = runA32([0xe0500002, 0xe0c11003], { regs: { 0: 0, 1: 2, 2: 1, 3: 0 } }); // subs r0,r0,r2; sbc r1,r1,r3
    expect([r.state[0], r.state[1]]).toEqual([-1, 1]);
  });
});

describe('shifter operands', () => {
  // movs r0, r1, <shift>: result and C; flags in: C set unless noted
  const imm: [string, number, number, number, boolean][] = [
    ['lsl #0 keeps C', dpReg(13, 1, 0, 0, 1, 0, 0), 0x80000001, 0x80000001 | 0, true],
    ['lsl #1', dpReg(13, 1, 0, 0, 1, 0, 1), 0x80000001, 2, true],
    ['lsl #31', dpReg(13, 1, 0, 0, 1, 0, 31), 3, 0x80000000 | 0, true],
    ['lsr #1', dpReg(13, 1, 0, 0, 1, 1, 1), 3, 1, true],
    ['lsr #32', dpReg(13, 1, 0, 0, 1, 1, 0), 0x80000000, 0, true],
    ['lsr #32 bit31 clear', dpReg(13, 1, 0, 0, 1, 1, 0), 0x7fffffff, 0, false],
    ['asr #1', dpReg(13, 1, 0, 0, 1, 2, 1), 0x80000002, 0xc0000001 | 0, false],
    ['asr #32 negative', dpReg(13, 1, 0, 0, 1, 2, 0), 0x80000000, -1, true],
    ['asr #32 positive', dpReg(13, 1, 0, 0, 1, 2, 0), 0x7fffffff, 0, false],
    ['ror #4', dpReg(13, 1, 0, 0, 1, 3, 4), 0x12345678, 0x81234567 | 0, true],
    ['ror #8', dpReg(13, 1, 0, 0, 1, 3, 8), 0x12345678, 0x78123456, false],
  ];
  test.each(imm)('imm %s', (_n, word, value, result, carry) => {
    const r = runA32([word], { regs: { 1: value }, flags: { C: true } });
    expect(r.state[0]).toBe(result);
    expect(r.state[18]).toBe(carry ? 1 : 0); // S.CF
  });

  test('rrx shifts C in and bit 0 out', () => {
    let r = runA32([dpReg(13, 1, 0, 0, 1, 3, 0)], { regs: { 1: 3 }, flags: { C: true } });
    expect(r.state[0]).toBe(0x80000001 | 0);
    expect(flagString(r.state)).toBe('N-C-');
    r = runA32([dpReg(13, 1, 0, 0, 1, 3, 0)], { regs: { 1: 2 }, flags: { C: false } });
    expect(r.state[0]).toBe(1);
    expect(flagString(r.state)).toBe('----');
    // rrx as the second operand of an arithmetic op reads the old C
    r = runA32([dpReg(4, 1, 0, 2, 1, 3, 0)], { regs: { 1: 0, 2: 0x80000000 }, flags: { C: true } });
    expect(r.state[0]).toBe(0);
    expect(flagString(r.state)).toBe('-ZCV');
  });

  // movs r0, r1, <type> r2 with amounts 0, 1, 31, 32, 33, 255, 256 (bottom byte 0)
  const reg: [number, number, number, number, boolean][] = [
    // type, value, amount, result, C (C in = 1)
    [0, 0x80000001, 0, 0x80000001 | 0, true],
    [0, 0x80000001, 256, 0x80000001 | 0, true],
    [0, 0x80000001, 1, 2, true],
    [0, 0x00000003, 31, 0x80000000 | 0, true],
    [0, 0x00000001, 32, 0, true],
    [0, 0x00000002, 32, 0, false],
    [0, 0xffffffff, 33, 0, false],
    [0, 0xffffffff, 255, 0, false],
    [1, 0x80000001, 0, 0x80000001 | 0, true],
    [1, 0x00000003, 1, 1, true],
    [1, 0x80000000, 31, 1, false],
    [1, 0x80000000, 32, 0, true],
    [1, 0x7fffffff, 32, 0, false],
    [1, 0xffffffff, 33, 0, false],
    [2, 0x80000000, 0, 0x80000000 | 0, true],
    [2, 0x80000000, 31, -1, false],
    [2, 0x80000000, 32, -1, true],
    [2, 0x7fffffff, 32, 0, false],
    [2, 0x80000000, 200, -1, true],
    [3, 0x12345678, 0, 0x12345678, true],
    [3, 0x12345678, 4, 0x81234567 | 0, true],
    [3, 0x12345678, 32, 0x12345678, false],
    [3, 0x92345678, 32, 0x92345678 | 0, true],
    [3, 0x12345678, 36, 0x81234567 | 0, true],
  ];
  test.each(reg)('reg type %i value %s by %i', (type, value, amount, result, carry) => {
    const r = runA32([dpRsr(13, 1, 0, 0, 1, type, 2)], { regs: { 1: value, 2: amount | 0x1200 }, flags: { C: true } });
    expect(r.state[0]).toBe(result);
    expect(r.state[18]).toBe(carry ? 1 : 0);
  });

  test('register shift with the amount register equal to the destination', () => {
    const r = runA32([dpRsr(4, 0, 2, 1, 1, 0, 2)], { regs: { 1: 3, 2: 4 } }); // add r2, r1, r1, lsl r2
    expect(r.state[2]).toBe(3 + 48);
  });

  test('immediate operand carry: rotation 0 keeps C, otherwise bit 31', () => {
    let r = runA32([dpImm(0, 1, 0, 1, 0, 0xff)], { regs: { 1: -1 }, flags: { C: true } }); // ands r0, r1, #255
    expect([r.state[0], flagString(r.state)]).toEqual([255, '--C-']);
    r = runA32([dpImm(0, 1, 0, 1, 2, 0xf)], { regs: { 1: -1 }, flags: { C: false } }); // ands r0, r1, #0xf0000000
    expect([r.state[0], flagString(r.state)]).toEqual([0xf0000000 | 0, 'N-C-']);
    r = runA32([dpImm(0, 1, 0, 1, 4, 0xf)], { regs: { 1: -1 }, flags: { C: true } }); // ands r0, r1, #0x0f000000
    expect([r.state[0], flagString(r.state)]).toEqual([0x0f000000, '----']);
  });

  test('logical ops leave V alone', () => {
    const r = runA32([dpReg(12, 1, 0, 1, 2)], { regs: { 1: 0, 2: 0 }, flags: { V: true } });
    expect(flagString(r.state)).toBe('-Z-V');
  });
});

describe('pc as operand and destination', () => {
  test('reading pc gives the instruction address + 8', () => {
    const r = runA32([0xe1a00000, 0xe28f0000, 0xe081000f], { regs: { 1: 1 } }); // nop; add r0, pc, #0; add r0, r1, pc
    expect(r.state[0]).toBe(1 + CODE_BASE + 8 + 8);
  });

  test('add pc, pc, #4 branches (skipping one instruction)', () => {
    const r = runA32([0xe28ff000, 0xe3a00001, 0xe3a00002, 0xe3a01003], {}); // add pc, pc, #0; mov r0,#1; mov r0,#2; mov r1,#3
    expect([r.state[0], r.state[1]]).toEqual([2, 3]);
  });

  test('mov pc, rX interworks: bit 0 selects Thumb', () => {
    // a Thumb `svc #0` at the target stops the run just past it, still in Thumb state
    const r = runA32([0xe1a0f001], { regs: { 1: CODE_BASE + 0x101 }, setup: (m) => { m.u16[(CODE_BASE + 0x100) >>> 1] = 0xdf00; } });
    expect(r.state[15]).toBe(CODE_BASE + 0x103);
  });

  test('movs pc, lr (exception return) is UNDEFINED in user mode', () => {
    const r = runA32([0xe1b0f00e], { regs: { 14: CODE_BASE + 4 } });
    expect(r.exit).toBe(EXIT_UNDEFINED);
    expect(r.pc).toBe(CODE_BASE);
  });
});

describe('MOVW / MOVT', () => {
  test('build a 32-bit constant', () => {
    const r = runA32([0xe30a0bcd, 0xe3480765]); // movw r0, #0xabcd; movt r0, #0x8765
    expect(r.state[0]! >>> 0).toBe(0x8765abcd);
  });
  test('UNDEFINED on ARMv5', () => {
    expect(runA32([0xe30a0bcd], { cpu: 'arm926' }).exit).toBe(EXIT_UNDEFINED);
  });
});

describe('conditional execution', () => {
  // mov<cond> r0, #1 with each flag combination; the expected truth table per condition
  const combos: Flags[] = [];
  for (let i = 0; i < 16; i++) combos.push({ N: !!(i & 8), Z: !!(i & 4), C: !!(i & 2), V: !!(i & 1) });
  const holds = (c: number, f: Flags): boolean => {
    const base = [f.Z, f.C, f.N, f.V, f.C && !f.Z, f.N === f.V, !f.Z && f.N === f.V][c >> 1]!;
    return c & 1 ? !base : base;
  };
  for (let c = 0; c < 14; c++) {
    const name = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'][c]!;
    test(name, () => {
      let taken = 0;
      for (const f of combos) {
        const r = runA32([(((c << 28) | 0x03a00001) >>> 0)], { flags: f }); // mov<c> r0, #1
        expect(r.state[0], `${name} with ${fs(f)}`).toBe(holds(c, f) ? 1 : 0);
        taken += r.state[0]!;
      }
      expect(taken).toBeGreaterThan(0);
      expect(taken).toBeLessThan(16);
    });
  }

  test('flags set by one instruction steer the next in the same block', () => {
    // cmp r1, r2; movgt r0, #1; movle r0, #2
    const r = runA32([0xe1510002, 0xc3a00001, 0xd3a00002], { regs: { 1: -1, 2: 1 } });
    expect(r.state[0]).toBe(2);
  });
});
