// The ARM Linux signal frame (arch/arm/kernel/signal.c, asm/ucontext.h, asm/sigcontext.h):
//
//   struct sigframe    { struct ucontext uc; unsigned long retcode[2]; }        752 bytes
//   struct rt_sigframe { struct siginfo info; struct sigframe sig; }            880 bytes
//   struct ucontext    { uc_flags, uc_link, stack_t uc_stack (12),
//                        struct sigcontext uc_mcontext (21 words),
//                        sigset_t uc_sigmask (padded to 128 bytes),
//                        unsigned long uc_regspace[128] (8-aligned) }          744 bytes
//
// uc_regspace holds the VFP save area (magic VFP_MAGIC, size 288: d0-d31, fpscr, fpexc,
// fpinst, fpinst2) followed by a zero end marker. Handlers without SA_SIGINFO get the
// sigframe and return through sigreturn; SA_SIGINFO handlers get the rt_sigframe (r1 =
// &info, r2 = &uc) and return through rt_sigreturn. Without SA_RESTORER the return address
// is the kernel's trampoline: ARM or Thumb code (matching the handler's state) at
// SIGRETURN_CODES in the vectors page.
import type { RestoredSignalFrame, SignalFrameRequest, TargetSignals } from '../../../src/linux/abi.js';
import type { Vcpu } from '../../../src/engine/vcpu.js';
import type { GuestMemory } from '../../../src/memory/guest-memory.js';
import { PROT_READ, PROT_WRITE } from '../../../src/memory/guest-memory.js';
import { SA_RESTORER, SA_SIGINFO, SIGINFO_SIZE, SS_ONSTACK, type SigSet } from '../../../src/linux/signals.js';
import { S, VFP_OFFSET, readCpsr, writeCpsrFlags } from '../cpu-state.js';
import { SIGRETURN_CODES } from './kuser.js';

const UC_FLAGS = 0;
const UC_LINK = 4;
const UC_STACK = 8;
const UC_MCONTEXT = 20;
const UC_SIGMASK = 104;
const UC_REGSPACE = 232;
const UCONTEXT_SIZE = UC_REGSPACE + 128 * 4;
const SIGFRAME_SIZE = UCONTEXT_SIZE + 8;
const RT_SIGFRAME_SIZE = SIGINFO_SIZE + SIGFRAME_SIZE;

/** struct sigcontext: trap_no, error_code, oldmask, r0-r10, fp, ip, sp, lr, pc, cpsr, fault_address. */
const SC_OLDMASK = 8;
const SC_R0 = 12;
const SC_PC = SC_R0 + 15 * 4;
const SC_CPSR = SC_PC + 4;

/** Set in a non-rt frame's uc_flags: a value sigcontext.trap_no never has. */
const SIGFRAME_UC_FLAGS = 0x5ac3c35a;

export const VFP_MAGIC = 0x56465001;
/** sizeof(struct vfp_sigframe): magic, size, user_vfp (264 with padding), user_vfp_exc (12), padding. */
export const VFP_STORAGE_SIZE = 288;
const VFP_FPREGS = 8;
const VFP_FPSCR = VFP_FPREGS + 32 * 8;
const VFP_FPEXC = VFP_FPSCR + 8;

/** CPSR bits the kernel clears on handler entry: N Z C V Q, J and IT[1:0] (PSR_f), and E. */
const PSR_F = 0xff000000;
const PSR_E = 1 << 9;
const PSR_T = 1 << 5;

function frameLayout(rt: boolean): { size: number; uc: number } {
  return rt ? { size: RT_SIGFRAME_SIZE, uc: SIGINFO_SIZE } : { size: SIGFRAME_SIZE, uc: 0 };
}

/** The VFP register file as raw bytes (NaN payloads survive a round trip). */
function vfpBytes(vcpu: Vcpu): Uint8Array {
  return new Uint8Array(vcpu.stateBuffer, VFP_OFFSET, 32 * 8);
}

function setupFrame(mem: GuestMemory, vcpu: Vcpu, req: SignalFrameRequest): boolean {
  const st = vcpu.state;
  const rt = (req.flags & SA_SIGINFO) !== 0;
  const { size, uc } = frameLayout(rt);
  const frame = ((req.sp - size) & ~7) >>> 0;
  if (req.sp - size < 0 || !mem.rangeHas(frame, size, PROT_WRITE)) return false;

  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const put = (off: number, v: number) => view.setUint32(off, v >>> 0, true);
  if (rt) bytes.set(req.info, 0);
  put(uc + UC_FLAGS, rt ? 0 : SIGFRAME_UC_FLAGS);
  put(uc + UC_LINK, 0);
  if (rt) {
    put(uc + UC_STACK, req.altStack.sp);
    put(uc + UC_STACK + 4, req.altStack.flags);
    put(uc + UC_STACK + 8, req.altStack.size);
  }
  const sc = uc + UC_MCONTEXT;
  // trap_no, error_code and fault_address stay 0, as qemu-arm leaves them.
  put(sc + SC_OLDMASK, req.mask[0]);
  for (let r = 0; r < 15; r++) put(sc + SC_R0 + r * 4, st[r]!);
  put(sc + SC_PC, st[S.pc]! & ~1);
  put(sc + SC_CPSR, readCpsr(st));
  put(uc + UC_SIGMASK, req.mask[0]);
  put(uc + UC_SIGMASK + 4, req.mask[1]);
  const vfp = uc + UC_REGSPACE;
  put(vfp, VFP_MAGIC);
  put(vfp + 4, VFP_STORAGE_SIZE);
  bytes.set(vfpBytes(vcpu), vfp + VFP_FPREGS);
  put(vfp + VFP_FPSCR, st[S.FPSCR]!);
  put(vfp + VFP_FPEXC, st[S.FPEXC]!);
  put(vfp + VFP_STORAGE_SIZE, 0); // end marker
  mem.writeBytes(frame, bytes);

  // Enter the handler: Thumb if its address has bit 0 set, IT state cleared.
  const thumb = req.handler & 1;
  let retcode: number;
  if (req.flags & SA_RESTORER) retcode = req.restorer;
  else retcode = SIGRETURN_CODES + (((thumb << 1) + (rt ? 3 : 0)) << 2) + thumb;
  const cpsr = readCpsr(st) & ~(PSR_F | PSR_E);
  writeCpsrFlags(st, cpsr, PSR_F);
  st[S.ITSTATE] = 0;
  st[0] = req.sig;
  if (rt) {
    st[1] = frame;
    st[2] = frame + uc;
  }
  st[13] = frame | 0;
  st[14] = retcode | 0;
  st[S.pc] = req.handler | 0;
  return true;
}

function restoreFrame(mem: GuestMemory, vcpu: Vcpu, rt: boolean): RestoredSignalFrame | null {
  const st = vcpu.state;
  const frame = st[13]! >>> 0;
  const { size, uc } = frameLayout(rt);
  // The kernel refuses a frame that is not where it put one (8-aligned) or not readable.
  if (frame & 7 || !mem.rangeHas(frame, size, PROT_READ)) return null;
  const b = mem.readBytes(frame, size);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const get = (off: number) => view.getUint32(off, true);
  const sc = uc + UC_MCONTEXT;
  const cpsr = get(sc + SC_CPSR);
  for (let r = 0; r < 15; r++) st[r] = get(sc + SC_R0 + r * 4) | 0;
  st[S.pc] = (get(sc + SC_PC) & ~1) | (cpsr & PSR_T ? 1 : 0);
  writeCpsrFlags(st, cpsr, 0xf80f0000);
  st[S.ITSTATE] = (((cpsr >>> 25) & 3) | (((cpsr >>> 10) & 0x3f) << 2)) & 0xff;
  const vfp = uc + UC_REGSPACE;
  if (get(vfp) === VFP_MAGIC && get(vfp + 4) === VFP_STORAGE_SIZE) {
    vfpBytes(vcpu).set(b.subarray(vfp + VFP_FPREGS, vfp + VFP_FPREGS + 32 * 8));
    st[S.FPSCR] = get(vfp + VFP_FPSCR) | 0;
  }
  const mask: SigSet = [get(uc + UC_SIGMASK), get(uc + UC_SIGMASK + 4)];
  if (!rt) return { mask };
  return { mask, altStack: { sp: get(uc + UC_STACK), flags: get(uc + UC_STACK + 4) & ~SS_ONSTACK, size: get(uc + UC_STACK + 8) } };
}

export const armSignals: TargetSignals = {
  stackPointer: (st) => st[13]! >>> 0,
  setStackPointer: (st, sp) => {
    st[13] = sp | 0;
  },
  setupFrame,
  restoreFrame,
  restartSyscall: (st, origArg0) => {
    // PC is past the SVC: 2 bytes back in Thumb state, 4 in ARM state.
    const pc = st[S.pc]!;
    st[S.pc] = pc - (pc & 1 ? 2 : 4);
    st[0] = origArg0;
  },
};
