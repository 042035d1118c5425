// Syscalls with no better home: getrandom, and the ones glibc probes that we answer simply.
import type { SyscallTable } from '../syscalls.js';
import { EINVAL } from '../errno.js';
import { writableView, wroteGuest } from '../guest-buffers.js';

const GRND_NONBLOCK = 1;
const GRND_RANDOM = 2;
const GRND_INSECURE = 4;

export const miscSyscalls: SyscallTable = {
  getrandom: (ctx, buf, length, flags) => {
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -EINVAL;
    const n = Math.min(length >>> 0, 0x2000000);
    const view = writableView(ctx.mem, buf, n);
    ctx.proc.random.fill(view);
    wroteGuest(ctx.mem, buf, n);
    return n;
  },
  sync: () => 0,
  syncfs: () => 0,
};
