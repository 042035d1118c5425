// Thumb disassembly checked against GNU objdump: every instruction of the differential
// snippets (thumb-snippets.ts) is assembled, disassembled by objdump -d and by the T16/T32
// tables, and the texts compared after normalising whitespace, dropping "@"/";" comments
// and printing branch targets as absolute addresses (objdump's "<symbol+off>" dropped).
// IT conditions come from objdump's own output (an IT instruction sets them for the next
// instructions). Skipped, with the reason printed, when the cross tools are missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { T32_SNIPPETS, THUMB_SNIPPETS } from './thumb-snippets.js';
import { decodeThumb, isThumb32 } from './thumb-block.js';
import { advanceIt, itCondition } from './it.js';
import { oracleMissing } from '../testing/thumb-oracle.js';

const missing = oracleMissing();
if (missing) console.log(`thumb-disasm: skipped: ${missing}`);

function normalise(text: string): string {
  return text
    .replace(/\s*[@;].*$/, '')
    .replace(/\b([0-9a-f]+) <[^>]*>/g, (_, a: string) => '0x' + a.padStart(8, '0'))
    .replace(/\s+/g, ' ')
    .trim();
}

export function compareWithObjdump(source: string): { total: number; diffs: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-tdis-'));
  try {
    writeFileSync(join(dir, 'a.s'), source);
    execFileSync('arm-linux-gnueabihf-as', ['-march=armv7-a', '-mthumb', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    const out = execFileSync('arm-linux-gnueabihf-objdump', ['-d', join(dir, 'a.o')], { encoding: 'utf8' });
    const diffs: string[] = [];
    let total = 0;
    let it = 0;
    for (const line of out.split('\n')) {
      const m = /^\s+([0-9a-f]+):\s+([0-9a-f]{4})(?: ([0-9a-f]{4}))?\s+(.*)$/.exec(line);
      if (!m) continue;
      const pc = parseInt(m[1]!, 16);
      const hw1 = parseInt(m[2]!, 16);
      const size = m[3] ? 4 : 2;
      const want = normalise(m[4]!);
      if ((size === 4) !== isThumb32(hw1) || want.startsWith('.') || m[4]!.includes('UNDEFINED')) {
        it = 0; // data in the code (literal pools, tables)
        continue;
      }
      const insn = size === 4 ? ((hw1 << 16) | parseInt(m[3]!, 16)) >>> 0 : hw1;
      const hit = decodeThumb(insn, size, () => true);
      const info = it & 15 ? { pc, thumb: true, itCond: itCondition(it) } : { pc, thumb: true };
      const got = normalise(hit ? hit.row.disasm(hit.fields, info) : 'undefined');
      total++;
      if (want !== got) diffs.push(`${m[2]}${m[3] ? ' ' + m[3] : ''}: objdump "${want}", tables "${got}"`);
      it = hit?.row.name === 'IT' && (insn & 15) !== 0 ? insn & 0xff : advanceIt(it);
    }
    return { total, diffs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(missing !== null)('Thumb disassembly agrees with objdump', () => {
  test('every instruction of the differential snippets', () => {
    const source = ['.syntax unified', '.thumb', '.arch_extension idiv', ...[...THUMB_SNIPPETS, ...T32_SNIPPETS].map((s) => s.body + '\nb.w 9f\n.ltorg\n9:'), ''].join('\n');
    const { total, diffs } = compareWithObjdump(source);
    if (diffs.length) console.log(diffs.join('\n'));
    expect(total).toBeGreaterThan(400);
    expect(diffs).toEqual([]);
  });
});

describe('Thumb disassembly comments', () => {
  // objdump: "str r2, [sp, #72]\t@ 0x48" — the comment follows the closing bracket
  test.each([
    [0x9212, 'r2, [sp, #72]\t@ 0x48'],
    [0x9b12, 'r3, [sp, #72]\t@ 0x48'],
    [0x6fc8, 'r0, [r1, #124]\t@ 0x7c'],
    [0x6848, 'r0, [r1, #4]'],
  ])('%s', (insn, operands) => {
    const hit = decodeThumb(insn, 2, () => true)!;
    expect(hit.row.disasm(hit.fields, { pc: 0x10000, thumb: true })).toContain(operands);
  });
});
