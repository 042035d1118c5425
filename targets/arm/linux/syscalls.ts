// ARM private syscalls (__ARM_NR_BASE + n): set_tls, get_tls, cacheflush, breakpoint.
import type { SyscallTable } from '../../../src/linux/syscalls.js';
import { EINVAL } from '../../../src/linux/errno.js';
import { SIGTRAP, TRAP_BRKPT } from '../../../src/linux/signals.js';
import { forceSignal } from '../../../src/linux/signal-delivery.js';
import { S } from '../cpu-state.js';

export const armPrivateSyscalls: SyscallTable = {
  set_tls: (ctx, value) => {
    ctx.vcpu.state[S.TPIDRURO] = value | 0;
    return 0;
  },
  get_tls: (ctx) => ctx.vcpu.state[S.TPIDRURO]!,
  cacheflush: (ctx, start, end) => {
    const s = start >>> 0;
    const e = end >>> 0;
    if (e < s) return -EINVAL;
    ctx.proc.engine.invalidate(s, e - s);
    return 0;
  },
  breakpoint: (ctx) => {
    forceSignal(ctx.proc, ctx.thread, { signo: SIGTRAP, code: TRAP_BRKPT, addr: ctx.abi.signals.stackPointer(ctx.vcpu.state) });
    return 0;
  },
};
