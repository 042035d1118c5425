import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_READ, PROT_WRITE } from '../memory/guest-memory.js';
import { Strace } from './strace.js';
import { armLinuxAbi } from '../../targets/arm/linux/abi.js';

const mem = new GuestMemory();
mem.protect(0x10000, 0x1000, PROT_READ | PROT_WRITE);
mem.poke(0x10000, Buffer.from('/etc/hostname\0'));
const s = new Strace(mem, armLinuxAbi.openFlags);

// Expected lines captured from qemu-arm 7.2 -strace.
describe('strace formatting (as qemu-arm)', () => {
  it('formats common calls', () => {
    expect(s.formatCall(4, 'write', [1, 0x4f334, 14]) + s.formatReturn('write', 14, [])).toBe('write(1,0x4f334,14) = 14\n');
    expect(s.formatCall(45, 'brk', [0]) + s.formatReturn('brk', 0x6d000, [0])).toBe('brk(NULL) = 0x0006d000\n');
    expect(s.formatCall(322, 'openat', [-100, 0x10000, 0x80000, 0])).toBe('openat(AT_FDCWD,"/etc/hostname",O_RDONLY|O_CLOEXEC)');
    expect(s.formatCall(322, 'openat', [-100, 0x10000, 0x24800 | 0x80000, 0])).toBe('openat(AT_FDCWD,"/etc/hostname",O_RDONLY|O_DIRECTORY|O_LARGEFILE|O_NONBLOCK|O_CLOEXEC)');
    expect(s.formatCall(192, 'mmap2', [0, 8192, 3, 0x22, -1, 0])).toBe('mmap2(NULL,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0)');
    expect(s.formatCall(192, 'mmap2', [0x50000000, 4096, 5, 0x32, -1, 0])).toBe('mmap2(0x50000000,4096,PROT_EXEC|PROT_READ,MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED,-1,0)');
    expect(s.formatCall(125, 'mprotect', [0x67000, 8192, 1])).toBe('mprotect(0x00067000,8192,PROT_READ)');
    expect(s.formatCall(221, 'fcntl64', [3, 4, 0x800])).toBe('fcntl64(3,F_SETFL,O_RDONLY|O_NONBLOCK)');
    expect(s.formatCall(240, 'futex', [0x408006f4, 1, 1, 0, 0, 0])).toBe('futex(0x408006f4,FUTEX_WAKE,1,NULL,NULL,0)');
    expect(s.formatCall(60, 'umask', [0o22])).toBe('umask(022)');
    expect(s.formatCall(40, 'rmdir', [0x10000])).toBe('rmdir("/etc/hostname",)');
  });
  it('prints generic calls as six signed decimals and errors with errno text', () => {
    expect(s.formatCall(256, 'set_tid_address', [446568, 445388, 445388, 446560, 447744, 446464])).toBe('set_tid_address(446568,445388,445388,446560,447744,446464)');
    expect(s.formatReturn('set_robust_list', -38, [])).toBe(' = -1 errno=38 (Function not implemented)\n');
  });
  it('prints exit_group without a result and unknown syscalls as qemu does', () => {
    expect(s.formatCall(248, 'exit_group', [3])).toBe('exit_group(3)\n');
    expect(s.formatCall(398, 'rseq', [])).toBe('Unknown syscall 398\n');
    expect(s.formatReturn('rseq', -38, [])).toBe('');
    expect(s.formatCall(9999, undefined, [])).toBe('Unknown syscall 9999\n');
  });
});
