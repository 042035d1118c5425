// The kuser helper page (Documentation/arm/kernel_user_helpers.rst): the kernel maps
// 0xffff0000-0xffff0fff readable and executable in every process, with small routines at
// fixed addresses near its top that user space calls with `blx`. Each routine here is
// straight-line ARM code (conditional execution, no branches until the final `bx lr`), so
// it translates to ONE block; blocks run atomically with respect to other vCPUs, which is
// what makes cmpxchg atomic.
import type { GuestMemory } from '../../../src/memory/guest-memory.js';
import { PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';

export const KUSER_PAGE = 0xffff0000;
export const KUSER_HELPER_VERSION = 0xffff0ffc;
export const KUSER_GET_TLS = 0xffff0fe0;
export const KUSER_CMPXCHG = 0xffff0fc0;
export const KUSER_MEMORY_BARRIER = 0xffff0fa0;
export const KUSER_CMPXCHG64 = 0xffff0f60;
/**
 * The kernel's signal-return trampolines, where pre-3.11 kernels kept them in this page
 * (KERN_SIGRETURN_CODE): a handler installed without SA_RESTORER returns here. Index
 * (thumb << 1) + (SA_SIGINFO ? 3 : 0) words from the start, + 1 for Thumb.
 */
export const SIGRETURN_CODES = 0xffff0500;
const NR_SIGRETURN = 119;
const NR_RT_SIGRETURN = 173;
const SIGRETURN_WORDS = [
  0xe3a07000 | NR_SIGRETURN, // mov  r7, #__NR_sigreturn
  0xef000000, //               svc  #0
  0xdf002700 | NR_SIGRETURN, // Thumb: movs r7, #__NR_sigreturn; svc #0
  0xe3a07000 | NR_RT_SIGRETURN, // mov r7, #__NR_rt_sigreturn
  0xef000000, //               svc  #0
  0xdf002700 | NR_RT_SIGRETURN, // Thumb: movs r7, #__NR_rt_sigreturn; svc #0
];

/**
 * qemu-arm runs each helper (0xffff0f60 up) as one emulated step at its entry address, so
 * only the entry is a guest instruction to plugins (counts, traces); the rest of its body is not.
 */
export function isKuserHelperBody(address: number): boolean {
  const a = address >>> 0;
  return a >= KUSER_CMPXCHG64 && a !== KUSER_GET_TLS && a !== KUSER_CMPXCHG && a !== KUSER_MEMORY_BARRIER && a !== KUSER_CMPXCHG64;
}

/** True for addresses in the kuser helper page (the kernel's code, not the program's). */
export function inKuserPage(address: number): boolean {
  return address >>> 12 === KUSER_PAGE >>> 12;
}

/** Number of helpers (the kernel's value: one per 32-byte slot from 0xffff0f60). */
export const KUSER_VERSION = 5;

const BX_LR = 0xe12fff1e;

/** int __kuser_cmpxchg(int oldval, int newval, volatile int *ptr): r0 = 0 and C set on success. */
const CMPXCHG = [
  0xe5923000, // ldr    r3, [r2]
  0xe0533000, // subs   r3, r3, r0        ; Z when *ptr == oldval
  0x05821000, // streq  r1, [r2]
  0xe2730000, // rsbs   r0, r3, #0        ; r0 = 0, C = 1 exactly when equal
  BX_LR,
];

/** void *__kuser_get_tls(void): r0 = TPIDRURO. */
const GET_TLS = [
  0xee1d0f70, // mrc    p15, 0, r0, c13, c0, 3
  BX_LR,
];

/** void __kuser_memory_barrier(void): nothing to order inside one JS thread. */
const MEMORY_BARRIER = [BX_LR];

/**
 * int __kuser_cmpxchg64(const int64_t *oldval, const int64_t *newval, volatile int64_t *ptr):
 * r0 = 0 and C set on success; r3, ip and flags clobbered, r4-r7 saved on the stack.
 */
const CMPXCHG64 = [
  0xe92d00f0, // push   {r4, r5, r6, r7}
  0xe8900030, // ldm    r0, {r4, r5}      ; expected
  0xe89200c0, // ldm    r2, {r6, r7}      ; current
  0xe0563004, // subs   r3, r6, r4
  0x00573005, // subseq r3, r7, r5
  0x08910030, // ldmeq  r1, {r4, r5}      ; new value
  0x08820030, // stmeq  r2, {r4, r5}
  0xe2730000, // rsbs   r0, r3, #0
  0xe8bd00f0, // pop    {r4, r5, r6, r7}
  BX_LR,
];

function put(mem: GuestMemory, address: number, words: readonly number[]): void {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  mem.poke(address, bytes);
}

/** Map the kuser page read+exec and write the helpers into it. */
export function mapKuserPage(mem: GuestMemory): void {
  mem.unmap(KUSER_PAGE, 0x1000);
  put(mem, KUSER_CMPXCHG64, CMPXCHG64);
  put(mem, KUSER_MEMORY_BARRIER, MEMORY_BARRIER);
  put(mem, KUSER_CMPXCHG, CMPXCHG);
  put(mem, KUSER_GET_TLS, GET_TLS);
  put(mem, KUSER_HELPER_VERSION, [KUSER_VERSION]);
  put(mem, SIGRETURN_CODES, SIGRETURN_WORDS);
  mem.protect(KUSER_PAGE, 0x1000, PROT_READ | PROT_EXEC);
  mem.mappings.set(KUSER_PAGE, KUSER_PAGE + 0x1000, { offset: 0, name: '[vectors]' });
}
