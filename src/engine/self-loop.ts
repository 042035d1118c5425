// A block that branches back to itself (the inner loop of most hot code: a copy, a search,
// a checksum) becomes a JS loop of its own inside its `case`: the back-edge skips the
// region's dispatcher (budget check and `switch (pc)`), and V8 optimises it as the loop it
// is. Each iteration still spends one block of the slice budget, and an interrupt (a write
// to translated code, a signal) still stops it at the next iteration, as the dispatcher
// would: the region keeps the budget in a local and the interrupt flag in ctl.
//
// Plugin counters: the adds a block starts with (`A1_0 += 4;`, inline ops counting blocks
// or instructions) run once per iteration. In a self-loop they are taken out of the body:
// the budget already counts iterations, so one multiply-add per counter when the loop is
// left (a `finally`, so faults and exits of every kind count) gives the same totals, and
// the loop itself runs as fast as without the plugin.
import type { TranslatedBlock } from './target.js';
import { CTL_INTERRUPT } from './vcpu.js';

/** The region local an inline counter lives in while a region runs (plugins name them so). */
export function counterLocal(board: number, field: number): string {
  return `A${board}_${field}`;
}

const COUNTER_ADD = /^(A\d+_\d+) \+= (\d+);$/;
/** Code that wants the counters up to date mid-block (a plugin callback): no hoisting then. */
const WANTS_COUNTERS = 'REGION_EPILOGUE';

/** The block's code with its back-edges turned into `continue` of a loop around it. */
export function selfLoop(block: TranslatedBlock): string {
  const key = block.key | 0;
  const backEdge = `pc = ${key}; continue dispatch;`;
  if (!block.code.includes(backEdge)) return block.code;
  const label = `loop_${(block.key >>> 0).toString(16)}`;
  const lines = block.code.split('\n');
  const adds: [string, string][] = [];
  if (!block.code.includes(WANTS_COUNTERS)) {
    for (const line of lines) {
      const m = COUNTER_ADD.exec(line.trim());
      if (!m) break;
      adds.push([m[1]!, m[2]!]);
    }
  }
  if (adds.length === 0) {
    const again = `if (--budget >= 0 && ctl[${CTL_INTERRUPT}] === 0) continue ${label}; pc = ${key}; break dispatch;`;
    return `${label}: for (;;) {\n${block.code.split(backEdge).join(again)}\n}`;
  }
  // Iterations started = entry budget - budget + 1 on every way out: the back-edge spends
  // budget only when it starts another iteration.
  const body = lines.slice(adds.length).join('\n');
  const again = `if (budget > 0 && ctl[${CTL_INTERRUPT}] === 0) { --budget; continue ${label}; } pc = ${key}; break dispatch;`;
  const settle = adds.map(([name, imm]) => `${name} += ${imm} * iterations;`).join(' ');
  return [
    `const entryBudget = budget;`,
    `try {`,
    `${label}: for (;;) {`,
    body.split(backEdge).join(again),
    `}`,
    `} finally { const iterations = entryBudget - budget + 1; ${settle} }`,
  ].join('\n');
}
