// Thumb IT blocks: the IT instruction, the IT state machine, and the Thumb translation
// context that keeps S[ITSTATE] right at every exit.
//
// The IT state is CPSR.IT[7:0] (as cpu-state.ts packs it): IT[7:4] is the condition of the
// current instruction, IT[3:0] is non-zero inside an IT block and 0b1000 at its last
// instruction. The block translator knows the state of every instruction at translation
// time; at run time S[ITSTATE] matters only where a block is left mid-IT (an SVC, a fault,
// the block size limit), and then the next block's key carries it (index.ts blockKey):
//   - a block starting outside an IT block sees S[ITSTATE] = 0;
//   - inside an IT block, S[ITSTATE] is written before each instruction (so a fault
//     reports it), and cleared once the block completes;
//   - an exit to the middle of an IT block leaves the region (EXIT_NEXT) instead of
//     jumping to a region successor, since the next key is not the plain PC.
import type { Fields } from '../decode/pattern.js';
import { EXIT_NEXT, EXIT_SYSCALL } from '../../../src/engine/exits.js';
import { S } from '../cpu-state.js';
import { ArmContext, lit } from './context.js';

/** The IT state after an instruction executed at state `it`. */
export function advanceIt(it: number): number {
  if ((it & 7) === 0) return 0;
  return (it & 0xe0) | ((it << 1) & 0x1f);
}

/** Condition of the current instruction of IT state `it` (14 = always outside IT). */
export function itCondition(it: number): number {
  return it & 15 ? it >> 4 : 14;
}

/** "t"/"e" suffix letters of IT<x><y><z> from firstcond and mask. */
export function itSuffix(firstcond: number, mask: number): string {
  let s = '';
  const trailing = mask & -mask;
  for (let bit = 8; bit > trailing; bit >>= 1) s += ((mask & bit) !== 0) === ((firstcond & 1) !== 0) ? 't' : 'e';
  return s;
}

export class ThumbContext extends ArmContext {
  /** IT state at this instruction (0 outside IT blocks). */
  it = 0;
  /** IT state for the next instruction (the IT instruction sets it; else advanceIt(it)). */
  itNext = 0;
  /** The block was entered mid-IT (its key is beyond int32): every exit leaves the region. */
  leaveRegion = false;
  /**
   * The translator ended the block only on one path (B<c>, CBZ/CBNZ): the block translator
   * adds the fall-through to the next instruction.
   */
  fallsThrough = false;

  constructor(...args: ConstructorParameters<typeof ArmContext>) {
    super(...args);
    this.thumb = true;
  }

  /** Inside an IT block (T16 data processing then does not set flags). */
  get inIt(): boolean {
    return (this.it & 15) !== 0;
  }

  /** `S[ITSTATE] = 0;` when this instruction may have left a stale non-zero IT state. */
  private clearIt(): string {
    return this.it ? `S[${S.ITSTATE}] = 0; ` : '';
  }

  /** A branch ends any IT block: the target runs outside it. */
  override jump(key: number): void {
    if (this.leaveRegion) {
      this.emit(`${this.clearIt()}pc = ${lit(key)}; exit = ${EXIT_NEXT}; break dispatch;`);
    } else {
      this.successors.push(key | 0);
      this.emit(`${this.clearIt()}pc = ${lit(key)}; continue dispatch;`);
    }
    this.ended = true;
  }

  override jumpKey(keyExpr: string): void {
    const tail = this.leaveRegion ? `exit = ${EXIT_NEXT}; break dispatch;` : 'continue dispatch;';
    this.emit(`${this.clearIt()}pc = ${keyExpr}; ${tail}`);
    this.ended = true;
  }

  /** SVC, possibly inside an IT block: the syscall returns to the next instruction's IT state. */
  override exitSyscall(): void {
    if (this.it) this.emit(`S[${S.ITSTATE}] = ${this.itNext};`);
    this.exitWith(EXIT_SYSCALL, this.nextKey);
  }
}

/** IT{<x>{<y>{<z>}}} <firstcond>: the next 1-4 instructions are conditional. */
export function translateIt(ctx: ThumbContext, f: Fields): boolean {
  // firstcond 1111, or AL with an "else" slot, is UNPREDICTABLE; so is IT inside an IT block
  if (f.c === 15 || ctx.inIt) return false;
  if (f.c === 14 && (f.m! & 7) !== 0 && itSuffix(14, f.m!).includes('e')) return false;
  ctx.itNext = (f.c! << 4) | f.m!;
  return true;
}
