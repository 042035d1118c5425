// Why a compiled region returned to the exec loop. The region has already written every
// cached register back to the state array and stored the next (or faulting) PC key.
export const EXIT_NEXT = 0; // budget used up, or a jump to code outside the region
export const EXIT_SYSCALL = 1; // state PC is the instruction after the syscall instruction
export const EXIT_FAULT = 2; // state PC is the faulting instruction; details in GuestMemory.lastFault
export const EXIT_UNDEFINED = 3; // undefined/unallocated instruction at state PC: SIGILL
export const EXIT_BREAKPOINT = 4; // BKPT or equivalent at state PC: SIGTRAP
export const EXIT_HALT = 5; // the target asked to stop (e.g. a mode it cannot run yet); reason in ExecControl

export type ExitCode = number;

export const exitNames: Record<number, string> = {
  [EXIT_NEXT]: 'next',
  [EXIT_SYSCALL]: 'syscall',
  [EXIT_FAULT]: 'fault',
  [EXIT_UNDEFINED]: 'undefined',
  [EXIT_BREAKPOINT]: 'breakpoint',
  [EXIT_HALT]: 'halt',
};
