// Differential checks of Thumb code against qemu-arm: each snippet runs under qemu-arm as a
// tiny static program and under tsqemu's harness; r0-r12, lr, sp and the APSR flags must
// agree (testing/thumb-oracle.ts). Skipped, with the reason printed, when the cross tools
// or qemu-arm are missing.
import { describe, expect, test } from 'vitest';
import { EXIT_SYSCALL } from '../../../src/engine/exits.js';
import { buildSnippet, cleanup, dumpDiff, oracleMissing, runQemu, runTsqemu, type Snippet } from '../testing/thumb-oracle.js';
import { T32_SNIPPETS, THUMB_SNIPPETS } from './thumb-snippets.js';

const missing = oracleMissing();
if (missing) console.log(`thumb-oracle: skipped: ${missing}`);

/** Register sets each snippet runs with (besides the default pattern). */
const VALUE_SETS: number[][] = [
  [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0x1f, 32, 0xff, 0x12345678, 0x8000, 0xffff0000, 3, 0xfffffffe, 0x55aa],
  [0x80000001, 0x7ffffffe, 31, 33, 0x100, 0xfedcba98, 1, 0x01020304, 0, 0xf0f0f0f0, 2, 0x7fff, 0xffff8000, 0x0f],
];
const APSRS = [0, 0xf80f0000, 0x60000000, 0x90050000];

describe.skipIf(missing !== null)('Thumb snippets agree with qemu-arm', () => {
  for (const snippet of [...THUMB_SNIPPETS, ...T32_SNIPPETS]) {
    test(snippet.name, () => {
      const variants: Snippet[] = [snippet];
      if (!snippet.regs) {
        VALUE_SETS.forEach((regs, i) => variants.push({ ...snippet, regs, apsr: snippet.apsr ?? APSRS[(i + 1) % APSRS.length]! }));
        variants.push({ ...snippet, apsr: snippet.apsr ?? APSRS[3]! });
      }
      const problems: string[] = [];
      for (const v of variants) {
        const built = buildSnippet(v);
        try {
          const want = runQemu(built);
          for (const maxInsnsPerBlock of [256, 1]) {
            const got = runTsqemu(built, { maxInsnsPerBlock });
            if (got.exit !== EXIT_SYSCALL || got.pc !== ((built.dump + 2) | 1)) {
              problems.push(`${maxInsnsPerBlock === 1 ? '[1 insn/tb] ' : ''}stopped with exit ${got.exit} at 0x${(got.pc >>> 0).toString(16)}`);
              continue;
            }
            const diff = dumpDiff(want, got);
            if (diff) problems.push(`${maxInsnsPerBlock === 1 ? '[1 insn/tb] ' : ''}${diff}`);
          }
        } finally {
          cleanup(built);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
