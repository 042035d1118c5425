// A block that branches back to itself (the inner loop of most hot code: a copy, a search,
// a checksum) becomes a JS loop of its own inside its `case`: the back-edge skips the
// region's dispatcher (budget check and `switch (pc)`), and V8 optimises it as the loop it
// is. Each iteration still spends one block of the slice budget, and an interrupt (a write
// to translated code, a signal) still stops it at the next iteration, as the dispatcher
// would: the region keeps the budget in a local and the interrupt flag in ctl.
import type { TranslatedBlock } from './target.js';
import { CTL_INTERRUPT } from './vcpu.js';

/** The block's code with its back-edges turned into `continue` of a loop around it. */
export function selfLoop(block: TranslatedBlock): string {
  const key = block.key | 0;
  const backEdge = `pc = ${key}; continue dispatch;`;
  if (!block.code.includes(backEdge)) return block.code;
  const label = `loop_${(block.key >>> 0).toString(16)}`;
  const again = `if (--budget >= 0 && ctl[${CTL_INTERRUPT}] === 0) continue ${label}; pc = ${key}; break dispatch;`;
  return `${label}: for (;;) {\n${block.code.split(backEdge).join(again)}\n}`;
}

/** The region local an inline counter lives in while a region runs (plugins name them so). */
export function counterLocal(board: number, field: number): string {
  return `A${board}_${field}`;
}
