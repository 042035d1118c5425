// The temp-move peephole: `tN = e; rD = tN;` becomes `rD = e;` only when nothing else reads tN.
import { describe, expect, it } from 'vitest';
import { fuseTempMoves } from './context.js';

describe('fuseTempMoves', () => {
  it('folds a temp that is only moved to a register', () => {
    expect(fuseTempMoves(['ipc = 4;', 't0 = ld32(r1);', 'r2 = t0;'])).toEqual(['ipc = 4;', 'r2 = ld32(r1);']);
  });
  it('keeps the temp when a later line reads it', () => {
    const lines = ['t0 = ld32(r1);', 'r2 = t0;', 'r3 = (t0 + 1) | 0;'];
    expect(fuseTempMoves(lines)).toEqual(lines);
  });
  it('does not mistake t1 for t10, nor fold a move from another temp', () => {
    expect(fuseTempMoves(['t1 = r4;', 'r2 = t1;', 'r5 = t10;'])).toEqual(['r2 = r4;', 'r5 = t10;']);
    const other = ['t0 = r1;', 'r2 = t1;'];
    expect(fuseTempMoves(other)).toEqual(other);
  });
  it('leaves lines holding several statements alone', () => {
    const lines = ['t0 = ld32w(a); t1 = ld32w(b);', 'r2 = t0;'];
    expect(fuseTempMoves(lines)).toEqual(lines);
  });
});
