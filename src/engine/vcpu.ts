// A virtual CPU: the guest register state (target layout) and its exec-loop controls.
import type { Target } from './target.js';

/** ctl[] slots shared between the exec loop and compiled regions. */
export const CTL_BUDGET = 0; // blocks left in this time slice (a region keeps it in a local meanwhile)
export const CTL_VCPU = 1; // this vCPU's index (plugin scoreboards and callbacks use it)
export const CTL_INTERRUPT = 2; // non-zero: stop at the next block boundary (Vcpu.interrupt)
export const CTL_FAULT_PC = 3; // a cold block's `ipc`: the PC key a fault is reported at (region.ts coldSource)

export class Vcpu {
  readonly stateBuffer: ArrayBuffer;
  /** Int32 view of the target's state (registers, flags, PC key at target.pcIndex). */
  readonly state: Int32Array;
  /** Float views of the same buffer, for floating-point registers (index = byte offset / 8 or / 4). */
  readonly stateF64: Float64Array;
  readonly stateF32: Float32Array;
  readonly ctl = new Int32Array(4);

  constructor(
    readonly index: number,
    readonly target: Target,
  ) {
    this.stateBuffer = new ArrayBuffer(target.stateBytes);
    this.state = new Int32Array(this.stateBuffer);
    this.stateF64 = new Float64Array(this.stateBuffer);
    this.stateF32 = new Float32Array(this.stateBuffer);
    this.ctl[CTL_VCPU] = index;
  }

  get pc(): number {
    return this.state[this.target.pcIndex]!;
  }

  set pc(key: number) {
    this.state[this.target.pcIndex] = key | 0;
  }

  /** Stop the running region at its next block boundary (and end the slice). */
  interrupt(): void {
    this.ctl[CTL_INTERRUPT] = 1;
    this.ctl[CTL_BUDGET] = 0;
  }
}
