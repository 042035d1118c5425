// Event files and sockets through the syscall layer (ARM EABI registers, no guest code):
// blocking reads park and never consume once a signal abandoned them, epoll's edge- and
// level-triggered reporting, select's bitmaps, SCM_RIGHTS between two fds of one process.
import { describe, expect, it } from 'vitest';
import { DATA, syscallHarness } from '../testing/syscall-harness.js';
import { sendToThread } from '../signal-delivery.js';
import { SIGUSR1, SI_USER } from '../signals.js';
import { EAGAIN, EINTR } from '../errno.js';


function setup() {
  const { mem, proc, vcpu, call } = syscallHarness();
  const u64 = (addr: number, v: bigint) => mem.poke(addr, new Uint8Array(new BigUint64Array([v]).buffer));
  const readU64 = (addr: number) => new DataView(mem.u8.buffer, addr, 8).getBigUint64(0, true);
  return { mem, proc, vcpu, call, u64, readU64 };
}

describe('event files through the syscall layer', () => {
  it('an eventfd read abandoned for a signal leaves the counter to the next read', async () => {
    const { proc, vcpu, call, u64, readU64 } = setup();
    const fd = call('eventfd2', 0, 0) as number;
    const pending = call('read', fd, DATA, 8);
    expect(pending).toBeInstanceOf(Promise);
    sendToThread(proc, proc.threadOf(vcpu), { signo: SIGUSR1, code: SI_USER });
    expect(await pending).toBe(-EINTR);
    proc.threadOf(vcpu).signals.pending.take(SIGUSR1);
    u64(DATA + 8, 5n);
    expect(call('write', fd, DATA + 8, 8)).toBe(8);
    expect(call('read', fd, DATA, 8)).toBe(8);
    expect(readU64(DATA)).toBe(5n);
  });
  it('epoll: level-triggered items come back, edge-triggered ones once per write, in wake order', async () => {
    const { mem, call, u64 } = setup();
    const ep = call('epoll_create1', 0) as number;
    const a = call('eventfd2', 0, 0x800) as number;
    const b = call('eventfd2', 0, 0x800) as number;
    // struct epoll_event: events at 0, data at 8 (16 bytes on EABI)
    mem.write32(DATA, 1); // EPOLLIN
    mem.write32(DATA + 8, 0xaa);
    expect(call('epoll_ctl', ep, 1, a, DATA)).toBe(0);
    mem.write32(DATA, (1 | 0x80000000) >>> 0); // EPOLLIN | EPOLLET
    mem.write32(DATA + 8, 0xbb);
    expect(call('epoll_ctl', ep, 1, b, DATA)).toBe(0);
    u64(DATA + 0x100, 1n);
    call('write', b, DATA + 0x100, 8);
    call('write', a, DATA + 0x100, 8);
    expect(await call('epoll_wait', ep, DATA + 0x200, 4, 0)).toBe(2);
    expect([mem.read32(DATA + 0x208), mem.read32(DATA + 0x218)]).toEqual([0xbb, 0xaa]);
    expect(await call('epoll_wait', ep, DATA + 0x200, 4, 0)).toBe(1);
    expect(mem.read32(DATA + 0x208)).toBe(0xaa);
    call('read', a, DATA + 0x100, 8);
    expect(await call('epoll_wait', ep, DATA + 0x200, 4, 0)).toBe(0);
    // a blocked epoll_wait wakes at the next write
    const waiting = call('epoll_wait', ep, DATA + 0x200, 4, -1);
    expect(waiting).toBeInstanceOf(Promise);
    call('write', b, DATA + 0x100, 8);
    expect(await waiting).toBe(1);
    expect(mem.read32(DATA + 0x208)).toBe(0xbb);
  });
  it('select sets the bits of ready fds only', async () => {
    const { mem, call } = setup();
    call('pipe2', DATA, 0);
    const [r, w] = [mem.read32(DATA), mem.read32(DATA + 4)];
    mem.write32(DATA + 0x10, (1 << r) | (1 << w)); // readfds
    mem.write32(DATA + 0x20, 1 << w); // writefds
    mem.write32(DATA + 0x30, 0); // timeval {0, 0}
    mem.write32(DATA + 0x34, 0);
    expect(await call('_newselect', w + 1, DATA + 0x10, DATA + 0x20, 0, DATA + 0x30)).toBe(1);
    expect(mem.read32(DATA + 0x10)).toBe(0); // nothing to read; the write end is not readable
    expect(mem.read32(DATA + 0x20)).toBe(1 << w);
    mem.poke(DATA + 0x40, Uint8Array.of(1));
    call('write', w, DATA + 0x40, 1);
    mem.write32(DATA + 0x10, (1 << r) | (1 << w));
    mem.write32(DATA + 0x20, 1 << w);
    expect(await call('_newselect', w + 1, DATA + 0x10, DATA + 0x20, 0, DATA + 0x30)).toBe(2);
    expect(mem.read32(DATA + 0x10)).toBe(1 << r);
  });
  it('SCM_RIGHTS passes an open file to a new fd; nonblocking sockets say EAGAIN', async () => {
    const { mem, call, proc } = setup();
    expect(call('socketpair', 1, 1 | 0x800, 0, DATA)).toBe(0);
    const [s0, s1] = [mem.read32(DATA), mem.read32(DATA + 4)];
    call('pipe2', DATA + 8, 0);
    const pr = mem.read32(DATA + 8);
    // msghdr at 0x100: iov at 0x140 (one byte at 0x180), control at 0x160 (cmsg with one fd)
    mem.poke(DATA + 0x180, Uint8Array.of(0x58));
    mem.write32(DATA + 0x140, DATA + 0x180);
    mem.write32(DATA + 0x144, 1);
    mem.write32(DATA + 0x160, 16);
    mem.write32(DATA + 0x164, 1); // SOL_SOCKET
    mem.write32(DATA + 0x168, 1); // SCM_RIGHTS
    mem.write32(DATA + 0x16c, pr);
    [0, 0, DATA + 0x140, 1, DATA + 0x160, 16, 0].forEach((v, i) => mem.write32(DATA + 0x100 + i * 4, v));
    expect(await call('sendmsg', s0, DATA + 0x100, 0)).toBe(1);
    mem.write32(DATA + 0x16c, 0);
    expect(await call('recvmsg', s1, DATA + 0x100, 0)).toBe(1);
    const got = mem.read32(DATA + 0x16c);
    expect(got).not.toBe(pr);
    expect(proc.fds.get(got)!.file).toBe(proc.fds.get(pr)!.file);
    expect(call('recvfrom', s1, DATA + 0x200, 16, 0, 0, 0)).toBe(-EAGAIN);
  });
});
