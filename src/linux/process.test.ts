// Syscall dispatch through the ARM ABI with a hand-set vCPU state, and the exec loop running
// the kuser cmpxchg helper to an exit_group.
import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE } from '../memory/guest-memory.js';
import { KUSER_CMPXCHG } from '../../targets/arm/linux/kuser.js';
import { S } from '../../targets/arm/cpu-state.js';
import { CODE, DATA, syscallHarness } from './testing/syscall-harness.js';
import { GuestExit } from './syscalls.js';
import { EFAULT, ENOSYS } from './errno.js';


function setup() {
  return syscallHarness({ code: true });
}

describe('syscall dispatch (ARM EABI registers)', () => {
  it('pipe2, write, read move bytes through guest memory; result lands in r0', async () => {
    const { mem, vcpu, call } = setup();
    expect(call('pipe2', DATA, 0)).toBe(0);
    const [rfd, wfd] = [mem.read32(DATA), mem.read32(DATA + 4)];
    mem.poke(DATA + 0x100, Buffer.from('hello'));
    expect(call('write', wfd, DATA + 0x100, 5)).toBe(5);
    expect(vcpu.state[0]).toBe(5);
    expect(await call('read', rfd, DATA + 0x200, 16)).toBe(5);
    expect(Buffer.from(mem.u8.subarray(DATA + 0x200, DATA + 0x205)).toString()).toBe('hello');
  });
  it('a read on an empty pipe parks until a write arrives', async () => {
    const { mem, call } = setup();
    call('pipe2', DATA, 0);
    const [rfd, wfd] = [mem.read32(DATA), mem.read32(DATA + 4)];
    const pending = call('read', rfd, DATA + 0x200, 16);
    expect(pending).toBeInstanceOf(Promise);
    mem.poke(DATA + 0x100, Buffer.from('x'));
    call('write', wfd, DATA + 0x100, 1);
    expect(await pending).toBe(1);
  });
  it('bad pointers give -EFAULT, unknown numbers -ENOSYS', () => {
    const { vcpu, proc, call } = setup();
    expect(call('uname', 0x7000000)).toBe(-EFAULT);
    vcpu.state[7] = 9999;
    expect(proc.handleSyscall(vcpu)).toBe(-ENOSYS);
    expect(call('rseq', 0, 0, 0, 0)).toBe(-ENOSYS);
  });
  it('brk grows zero-filled and mmap2 places anonymous memory', () => {
    const { mem, call } = setup();
    expect(call('brk', 0)).toBe(0x30000);
    expect(call('brk', 0x32010)).toBe(0x32010);
    expect(mem.rangeHas(0x30000, 0x3000, PROT_READ | PROT_WRITE)).toBe(true);
    const a = call('mmap2', 0, 0x2000, PROT_READ | PROT_WRITE, 0x22, -1, 0) as number;
    expect(a >>> 0).toBe(0x40000000);
    expect(call('munmap', a, 0x2000)).toBe(0);
    expect(mem.isMapped(0x40000)).toBe(false);
  });
  it('set_tls writes TPIDRURO', () => {
    const { vcpu, call } = setup();
    expect(call('set_tls', 0x1234)).toBe(0);
    expect(vcpu.state[S.TPIDRURO]).toBe(0x1234);
  });
  it('exit_group throws GuestExit with the status', () => {
    const { call } = setup();
    expect(() => call('exit_group', 300)).toThrow(GuestExit);
  });
});

describe('exec loop + kuser helpers', () => {
  it('runs __kuser_cmpxchg and ends with the exit_group status', async () => {
    const { mem, proc, vcpu } = setup();
    // At CODE: mov r7, #248 ; svc #0  (exit_group(r0)), reached by the helper's bx lr.
    mem.poke(CODE, new Uint8Array(new Uint32Array([0xe3a070f8, 0xef000000]).buffer));
    mem.write32(DATA, 5);
    const st = vcpu.state;
    st[0] = 5; // oldval
    st[1] = 9; // newval
    st[2] = DATA;
    st[14] = CODE;
    st[S.pc] = KUSER_CMPXCHG;
    const status = await proc.run(vcpu);
    expect(status).toBe(0); // r0 = 0: swapped
    expect(mem.read32(DATA)).toBe(9);
  });
  it('a fault ends the process like qemu-arm (128 + SIGSEGV)', async () => {
    const { mem, proc, vcpu } = setup();
    mem.poke(CODE, new Uint8Array(new Uint32Array([0xe5900000]).buffer)); // ldr r0, [r0]
    vcpu.state[0] = 0x7000000;
    vcpu.state[S.pc] = CODE;
    expect(await proc.run(vcpu)).toBe(139);
  });
});
