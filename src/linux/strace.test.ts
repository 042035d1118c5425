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
  it('formats socket calls as qemu-arm does', () => {
    // struct sockaddr_in 127.0.0.1:0 at 0x10100, sockaddr_un at 0x10200, sockaddr_in6 [::]:80 at 0x10300, socklen 16 at 0x10400
    mem.poke(0x10100, Uint8Array.of(2, 0, 0, 0, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0));
    mem.poke(0x10200, Buffer.from('\x01\x00/tmp/sockwork/x.sock\0', 'latin1'));
    mem.poke(0x10300, Uint8Array.of(10, 0, 0, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    mem.poke(0x10400, Uint8Array.of(16, 0, 0, 0));
    expect(s.formatCall(281, 'socket', [2, 0x80001, 0])).toBe('socket(PF_INET,SOCK_STREAM|SOCK_CLOEXEC,IPPROTO_IP)');
    expect(s.formatCall(281, 'socket', [1, 0x80802, 0])).toBe('socket(PF_UNIX,SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK,IPPROTO_IP)');
    expect(s.formatCall(281, 'socket', [10, 2, 17])).toBe('socket(10,SOCK_DGRAM,IPPROTO_UDP)');
    expect(s.formatCall(281, 'socket', [16, 3, 0])).toBe('socket(PF_NETLINK,SOCK_RAW,NETLINK_ROUTE)');
    expect(s.formatCall(281, 'socket', [2, 10, 0])).toBe('socket(PF_INET,SOCK_PACKET,0)');
    expect(s.formatCall(281, 'socket', [2, 11, 0])).toBe('socket(PF_INET,,IPPROTO_IP)');
    expect(s.formatCall(281, 'socket', [2, 1, 1234])).toBe('socket(PF_INET,SOCK_STREAM,1234)');
    expect(s.formatCall(282, 'bind', [5, 0x10100, 16])).toBe('bind(5,{sin_family=AF_INET,sin_port=htons(0),sin_addr=inet_addr("127.0.0.1")}, 16)');
    expect(s.formatCall(282, 'bind', [3, 0x10200, 110])).toBe('bind(3,{sun_family=AF_UNIX,sun_path="/tmp/sockwork/x.sock"}, 110)');
    expect(s.formatCall(282, 'bind', [4, 0x10300, 28])).toBe('bind(4,{sa_family=10, sa_data={00, 50, 00, 00, 00, 00, 00, 00, 00, 00, 00, 00, 00, 00}}, 28)');
    expect(s.formatCall(283, 'connect', [6, 0x4080070c, 16])).toBe('connect(6,0x4080070c,16)');
    expect(s.formatCall(283, 'connect', [4, 0, 0])).toBe('connect(4,0,0)');
    expect(s.formatCall(284, 'listen', [5, 5])).toBe('listen(5,5)');
    expect(s.formatCall(285, 'accept', [5, 0, 0])).toBe('accept(5,NULL,NULL)');
    expect(s.formatCall(285, 'accept', [3, 0x10100, 0x10400])).toBe('accept(3,0x00010100,[16])');
    expect(s.formatCall(297, 'recvmsg', [4, 0x4080071c, 0x40000000])).toBe('recvmsg(4,0x4080071c,0x40000000)');
    expect(s.formatCall(288, 'socketpair', [1, 1, 0, 1082132212, 1, 1])).toBe('socketpair(1,1,0,1082132212,1,1)');
    expect(s.formatCall(351, 'eventfd', [7, 1, 2])).toBe('eventfd(7)');
    expect(s.formatCall(356, 'eventfd2', [3, 0, 5])).toBe('eventfd2(3,0)');
    expect(s.formatCall(250, 'epoll_create', [4, 1])).toBe('epoll_create(4)');
    expect(s.formatCall(357, 'epoll_create1', [0, 9])).toBe('epoll_create1(0)');
    expect(s.formatCall(410, 'timerfd_gettime64', [3, 0])).toBe('Unknown syscall 410\n');
  });
  it('prints exit_group without a result and unknown syscalls as qemu does', () => {
    expect(s.formatCall(248, 'exit_group', [3])).toBe('exit_group(3)\n');
    expect(s.formatCall(398, 'rseq', [])).toBe('Unknown syscall 398\n');
    expect(s.formatReturn('rseq', -38, [])).toBe('');
    expect(s.formatCall(9999, undefined, [])).toBe('Unknown syscall 9999\n');
  });
});
