// Decode-table checks for A32, T16 and T32 (the VFP rows are part of A32 and, with the
// condition fixed to AL, of T32):
//   - no row is shadowed: some encoding of every row decodes to that row (T16 exhaustively,
//     A32/T32 by sampling each row's own pattern);
//   - no two rows of equal specificity match the same encoding (an accidental overlap that
//     only table order would resolve);
//   - every encoding no row decodes reaches the one SIGILL path (EXIT_UNDEFINED), and so do
//     encodings the ARM manual lists as UNDEFINED.
// The differential oracle (scripts/oracle, the UNDECODED rows) checks the same SIGILL
// verdicts against qemu-arm.
import { describe, expect, test } from 'vitest';
import type { CompiledRow, Decoder } from './pattern.js';
import { a32Decoder, a32Unconditional } from './a32.js';
import { t16Decoder } from './t16.js';
import { t32Decoder } from './t32.js';
import { arm } from '../index.js';
import { runA32 } from '../testing/run-a32.js';
import { runThumb, t32 } from '../testing/run-thumb.js';
import { EXIT_UNDEFINED } from '../../../src/engine/exits.js';

const max = arm.cpuModels.find((m) => m.name === 'max')!;
const has = (f: string) => max.features.has(f);

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0;
}

/** A random instance of a row's pattern; A32 conditional rows get a condition other than 1111. */
function instance<C>(row: CompiledRow<C>, rand: () => number, conditional: boolean): number {
  const widthMask = row.width === 16 ? 0xffff : 0xffffffff;
  let insn = (((rand() & widthMask) & ~row.mask) | row.value) >>> 0;
  if (conditional && insn >>> 28 === 0xf) insn = (insn & 0x0fffffff) | ((rand() % 15) << 28);
  return insn >>> 0;
}

/** Rows (available on 'max') that none of `samples` random instances decodes to. */
function unreachedRows<C>(decoder: Decoder<C>, samples: number, conditional: boolean): string[] {
  const rand = lcg(2024);
  const out: string[] = [];
  for (const row of decoder.rows) {
    if (row.feature !== undefined && !has(row.feature)) continue;
    let hit = false;
    for (let i = 0; i < samples && !hit; i++) hit = decoder.decode(instance(row, rand, conditional), has)?.row === row;
    if (!hit) out.push(`${row.name} ${row.pattern}`);
  }
  return out;
}

/** Pairs of rows with the same specificity that both match some sampled encoding. */
function equalSpecificityOverlaps<C>(decoder: Decoder<C>, samples: number, conditional: boolean): string[] {
  const rand = lcg(99);
  const out = new Set<string>();
  for (const row of decoder.rows) {
    for (let i = 0; i < samples; i++) {
      const insn = instance(row, rand, conditional);
      for (const other of decoder.rows) {
        if (other === row || other.specificity !== row.specificity) continue;
        if (((insn & other.mask) >>> 0) === other.value) out.add([row.name, other.name].sort().join(' / '));
      }
    }
  }
  return [...out];
}

describe('no shadowed rows', () => {
  test('T16: every row decodes at least one halfword (exhaustive)', () => {
    const reached = new Set<CompiledRow<unknown>>();
    for (let h = 0; h < 0xe800; h++) {
      const hit = t16Decoder.decode(h, has);
      if (hit) reached.add(hit.row as CompiledRow<unknown>);
    }
    const missing = t16Decoder.rows.filter((r) => (r.feature === undefined || has(r.feature)) && !reached.has(r as CompiledRow<unknown>));
    expect(missing.map((r) => r.name)).toEqual([]);
  });
  test('A32 conditional, A32 unconditional, T32: every row decodes some instance of its pattern', () => {
    expect(unreachedRows(a32Decoder, 4000, true)).toEqual([]);
    expect(unreachedRows(a32Unconditional, 4000, false)).toEqual([]);
    expect(unreachedRows(t32Decoder, 4000, false)).toEqual([]);
  });
  test('rows of equal specificity do not overlap (table order never decides)', () => {
    expect(equalSpecificityOverlaps(t16Decoder, 200, false)).toEqual([]);
    expect(equalSpecificityOverlaps(a32Decoder, 200, true)).toEqual([]);
    expect(equalSpecificityOverlaps(a32Unconditional, 200, false)).toEqual([]);
    expect(equalSpecificityOverlaps(t32Decoder, 200, false)).toEqual([]);
  });
});

describe('unallocated encodings reach SIGILL', () => {
  test('every T16 halfword no row decodes is UNDEFINED', () => {
    const bad: string[] = [];
    for (let h = 0; h < 0xe800; h++) {
      if (t16Decoder.decode(h, has)) continue;
      if (runThumb([h]).exit !== EXIT_UNDEFINED) bad.push(h.toString(16));
    }
    expect(bad).toEqual([]);
  });
  test('random A32 and T32 words no row decodes are UNDEFINED', () => {
    const rand = lcg(7);
    const bad: string[] = [];
    let a32Count = 0;
    let t32Count = 0;
    while (a32Count < 400) {
      const w = ((rand() & 0x0fffffff) | (rand() % 2 ? 0xe0000000 : 0xf0000000)) >>> 0;
      if ((w >>> 28 === 0xf ? a32Unconditional : a32Decoder).decode(w, has)) continue;
      a32Count++;
      if (runA32([w]).exit !== EXIT_UNDEFINED) bad.push(`A32 ${w.toString(16)}`);
    }
    while (t32Count < 400) {
      const w = (((0xe800 + (rand() % 0x1800)) << 16) | (rand() & 0xffff)) >>> 0;
      if (t32Decoder.decode(w, has)) continue;
      t32Count++;
      if (runThumb(t32(w)).exit !== EXIT_UNDEFINED) bad.push(`T32 ${w.toString(16)}`);
    }
    expect(bad).toEqual([]);
  });
  test.each([
    ['A32 UDF', [0xe7f000f0]],
    ['A32 parallel add/subtract op1 = 00', [0xe6000010]],
    ['A32 multiply op 0101 (between UMAAL and MLS)', [0xe0500090]],
    ['A32 Advanced SIMD element load/store (no NEON)', [0xf4200000]],
    ['A32 Advanced SIMD data processing (no NEON)', [0xf2000000]],
    ['T16 unallocated miscellaneous 1011 1000', [0xb800]],
    ['T16 unallocated miscellaneous 1011 0111', [0xb700]],
    ['T16 UDF', [0xde00]],
    ['T32 UDF.W', t32(0xf7f0a000)],
    ['T32 Advanced SIMD data processing (no NEON)', t32(0xef000000)],
  ] as [string, number[]][])('%s', (_name, code) => {
    const thumb = !(code.length === 1 && code[0]! > 0xffff);
    expect((thumb ? runThumb(code) : runA32(code)).exit).toBe(EXIT_UNDEFINED);
  });
});
