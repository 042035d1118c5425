// /proc of the guest through the syscall layer: which paths are the guest's own, files made
// at open and read in pieces, fd links on guest fds, and host passthrough for the rest.
import { describe, expect, it } from 'vitest';
import { DATA, syscallHarness } from './testing/syscall-harness.js';
import { ENOENT, EACCES } from './errno.js';
import { ownProcPath } from './procfs.js';


function setup() {
  const auxv = new Uint8Array(new Uint32Array([6, 4096, 0, 0]).buffer);
  const image = { auxv, envp: ['A=1'], startStack: 0x1000, startCode: 0, endCode: 0, startData: 0, endData: 0, argStart: 0, argEnd: 0, envStart: 0, envEnd: 0 };
  const h = syscallHarness({ dataSize: 0x10000, cpu: 'cortex-a8', process: { argv: ['true', 'x y'], image } });
  const { mem, proc, vcpu } = h;
  const call = (name: string, ...args: number[]) => h.call(name, ...args) as number;
  const str = (s: string, at = DATA) => {
    mem.poke(at, Buffer.from(`${s}\0`));
    return at;
  };
  const readAll = (fd: number) => {
    let out = '';
    for (;;) {
      const n = call('read', fd, DATA + 0x8000, 7); // small pieces
      if (n <= 0) return out;
      out += Buffer.from(mem.u8.subarray(DATA + 0x8000, DATA + 0x8000 + n)).toString('latin1');
    }
  };
  const readlink = (path: string) => {
    const n = call('readlink', str(path), DATA + 0x4000, 256);
    return n < 0 ? n : Buffer.from(mem.u8.subarray(DATA + 0x4000, DATA + 0x4000 + n)).toString();
  };
  return { mem, proc, call, str, readAll, readlink, vcpu };
}

describe('/proc of the guest', () => {
  it('knows its own pid, tids and self links', () => {
    const { proc, call, readlink, vcpu } = setup();
    const ctx = { proc, mem: proc.mem, vcpu, abi: proc.abi, thread: proc.threadOf(vcpu) };
    expect(ownProcPath(ctx, '/proc/self/maps')).toMatchObject({ rest: '/maps', task: false });
    expect(ownProcPath(ctx, `/proc/${proc.pid}`)).toMatchObject({ rest: '', task: false });
    expect(ownProcPath(ctx, `/proc/${proc.pid}/task/${proc.pid}/stat`)).toMatchObject({ rest: '/stat', task: true });
    expect(ownProcPath(ctx, '/proc/1/maps')).toBeNull();
    expect(ownProcPath(ctx, '/proc/cpuinfo')).toBeNull();
    expect(readlink('/proc/self')).toBe(String(proc.pid));
    expect(readlink('/proc/self/exe')).toMatch(/\/true$/);
    expect(call('getpid')).toBe(proc.pid);
  });

  it('files are made when opened and read in pieces; writing is refused', () => {
    const { call, str, readAll } = setup();
    const cmdline = call('open', str('/proc/self/cmdline'), 0, 0);
    expect(readAll(cmdline)).toBe('true\0x y\0');
    expect(call('lseek', cmdline, 0, 0)).toBe(0);
    expect(readAll(cmdline)).toBe('true\0x y\0');
    expect(readAll(call('open', str('/proc/self/environ'), 0, 0))).toBe('A=1\0');
    expect(readAll(call('open', str('/proc/self/auxv'), 0, 0))).toBe(Buffer.from(new Uint32Array([6, 4096, 0, 0]).buffer).toString('latin1'));
    expect(readAll(call('open', str('/proc/self/comm'), 0, 0))).toBe('true\n');
    const maps = readAll(call('open', str('/proc/self/maps'), 0, 0));
    expect(maps).toContain('00020000-00030000 rw-p 00000000 00:00 0 \n');
    expect(maps).toMatch(/^ffff0000-ffff1000 r-xp 00000000 00:00 0 +\[vectors\]$/m);
    expect(call('open', str('/proc/self/maps'), 1, 0)).toBe(-EACCES);
    const cpuinfo = readAll(call('open', str('/proc/cpuinfo'), 0, 0));
    expect(cpuinfo).toMatch(/^model name\t: ARMv7 Processor rev 0 \(v7l\)$/m);
    expect(cpuinfo).toMatch(/^CPU part\t: 0xc08$/m);
  });

  it('fd links name guest fds: pipes, the file behind a number, nothing for a closed one', () => {
    const { mem, call, readlink, str, readAll } = setup();
    expect(call('pipe2', DATA + 0x100, 0)).toBe(0);
    const [r, w] = [mem.read32(DATA + 0x100), mem.read32(DATA + 0x104)];
    const link = readlink(`/proc/self/fd/${r}`);
    expect(link).toMatch(/^pipe:\[\d+\]$/);
    expect(readlink(`/proc/self/fd/${w}`)).toBe(link);
    // lstat shows how each end is open, as ls -l /proc/self/fd does: lr-x------ and l-wx------
    const mode = (fd: number) => (call('lstat64', str(`/proc/self/fd/${fd}`), DATA + 0x300) === 0 ? mem.read32(DATA + 0x300 + 16) & 0o170777 : -1);
    expect(mode(r).toString(8)).toBe('120500');
    expect(mode(w).toString(8)).toBe('120300');
    // stat follows the link to the pipe
    expect(call('stat64', str(`/proc/self/fd/${r}`), DATA + 0x300)).toBe(0);
    expect((mem.read32(DATA + 0x300 + 16) & 0o170000).toString(8)).toBe('10000');
    // a write end opened again through its link writes into the same pipe
    const w2 = call('open', str(`/dev/fd/${w}`), 1, 0);
    mem.poke(DATA + 0x200, Buffer.from('hi'));
    expect(call('write', w2, DATA + 0x200, 2)).toBe(2);
    expect(call('close', w)).toBe(0);
    expect(call('close', w2)).toBe(0);
    expect(readAll(r)).toBe('hi');
    const maps = call('open', str('/proc/self/maps'), 0, 0);
    expect(readlink(`/proc/self/fd/${maps}`)).toMatch(/^\/proc\/\d+\/maps$/);
    expect(readlink('/proc/self/fd/900')).toBe(-ENOENT);
  });
});
