// execve and waiting for children. An exec'd ARM program runs in a host child process: a new
// tsqemu-arm with the same -L prefix and -cpu, given the guest's open file descriptors at the
// same numbers (in-memory pipes are pumped through host pipes); any other executable (the
// host's /bin/sh) is run by the host, as qemu-arm's execve does. A vfork child that execs
// hands that host process's pid to its parent; a process that execs without vfork stays
// behind as its proxy and exits with its status. `#!` scripts run their interpreter.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, openSync, readSync, closeSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Writable, Readable, Stream } from 'node:stream';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { GuestExit } from '../syscalls.js';
import { EACCES, ECHILD, EINVAL, ELOOP, ENOENT, ENOEXEC, errnoFromHost } from '../errno.js';
import { guestPath, hostPath } from '../paths.js';
import type { OpenFile } from '../fd-table.js';
import { ERESTARTSYS } from '../signal-delivery.js';
import { StructBuilder } from '../structs.js';
import { SIGCHLD } from '../signals.js';

const MAX_ARGS = 0x10000;
/** Interpreter nesting the kernel allows for #! scripts. */
const MAX_INTERP_DEPTH = 4;

function readStringArray(ctx: SyscallContext, address: number): string[] {
  const out: string[] = [];
  if (!address) return out;
  for (let i = 0; i < MAX_ARGS; i++) {
    const p = ctx.mem.read32((address >>> 0) + i * 4) >>> 0;
    if (p === 0) return out;
    out.push(ctx.mem.readCString(p, 0x20000));
  }
  return out;
}

interface Program {
  /** Host path of the file to run. */
  host: string;
  argv: string[];
  /** Not an ELF for this target (e.g. the host's /bin/sh): the host runs it, as under qemu-arm. */
  native: boolean;
}

/** The ELF to run for `path` with `argv`: follows #! lines, checks the machine. -errno if none. */
function resolveProgram(ctx: SyscallContext, path: string, argv: string[], depth = 0): Program | number {
  if (depth > MAX_INTERP_DEPTH) return -ELOOP;
  const host = hostPath(ctx, path);
  let head: Buffer;
  try {
    if (statSync(host).isDirectory()) return -EACCES;
    accessSync(host, fsConstants.X_OK);
    const fd = openSync(host, 'r');
    head = Buffer.alloc(256);
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    head = head.subarray(0, n);
  } catch (e) {
    return -errnoFromHost(e);
  }
  if (head[0] === 0x23 && head[1] === 0x21) {
    // "#!interpreter [one argument]": argv becomes interpreter, argument, script, args...
    const line = head.subarray(2, head.indexOf(0x0a) < 0 ? head.length : head.indexOf(0x0a)).toString('latin1').trim();
    const sp = line.search(/[ \t]/);
    const interp = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? '' : line.slice(sp).trim();
    if (interp === '') return -ENOEXEC;
    return resolveProgram(ctx, interp, [interp, ...(arg ? [arg] : []), path, ...argv.slice(1)], depth + 1);
  }
  const isElf = head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46;
  if (!isElf) return -ENOEXEC;
  return { host, argv, native: head.readUInt16LE(18) !== ctx.proc.target.elfMachine };
}

/** How tsqemu-arm runs itself again: the same node and bundle. */
function selfCommand(): string[] {
  return [process.execPath, process.argv[1] ?? ''];
}

/** Start `program` in a host child process with the guest's inheritable fds. */
function spawnProgram(ctx: SyscallContext, program: Program, envp: string[]): ChildProcess {
  const fds = ctx.proc.fds;
  const stdio: (number | 'pipe' | 'ignore' | Stream)[] = [];
  const pipes: { fd: number; file: OpenFile }[] = [];
  const pumped: { fd: number; file: OpenFile }[] = [];
  for (const fd of fds.openFds()) {
    const slot = fds.get(fd)!;
    if (slot.cloexec) continue;
    while (stdio.length < fd) stdio.push('ignore');
    if (slot.file.pipe) {
      stdio.push('pipe');
      pipes.push({ fd, file: slot.file });
    } else if (slot.file.ops) {
      // A socket backed by a host connection goes to the child as that connection; an
      // in-memory one through a host pipe the file pumps.
      const how = slot.file.ops.hostStdio?.(slot.file) ?? 'ignore';
      if (how === 'pipe') pumped.push({ fd, file: slot.file });
      stdio.push(how);
    } else stdio.push(slot.file.host >= 0 ? slot.file.host : 'ignore');
  }
  while (stdio.length < 3) stdio.push('ignore');
  const env: Record<string, string> = {};
  for (const e of envp) {
    const eq = e.indexOf('=');
    if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  let child: ChildProcess;
  if (program.native) {
    child = spawn(program.host, program.argv.slice(1), { stdio, env, argv0: program.argv[0] ?? program.host });
  } else {
    const [node, bundle] = selfCommand();
    const options = [...(ctx.proc.ldPrefix !== undefined ? ['-L', ctx.proc.ldPrefix] : []), '-cpu', ctx.proc.cpu.name, ...ctx.proc.execOptions, '-0', program.argv[0] ?? program.host];
    child = spawn(node!, [bundle!, ...options, program.host, ...program.argv.slice(1)], { stdio, env });
  }
  child.on('error', () => {}); // reported through its exit status
  for (const { fd, file } of pipes) pump(file, child.stdio[fd] as Writable | Readable);
  for (const { fd, file } of pumped) if (child.stdio[fd]) file.ops!.pumpHost!(file, child.stdio[fd]!, fd);
  return child;
}

/** Move bytes between an in-memory pipe end and the host pipe given to the child. */
function pump(file: OpenFile, stream: Writable | Readable): void {
  const pipe = file.pipe!;
  file.refs++; // the child holds this end open until its side closes
  if (file.pipeEnd === 'write') {
    const out = stream as Readable;
    out.on('data', (b: Buffer) => pipe.write(new Uint8Array(b)));
    out.on('close', () => file.release());
    return;
  }
  const input = stream as Writable;
  input.on('error', () => {}); // the child closed its stdin early: like EPIPE, not our error
  void (async () => {
    const chunk = new Uint8Array(65536);
    for (;;) {
      if (pipe.available > 0) {
        const n = pipe.read(chunk);
        input.write(Buffer.from(chunk.subarray(0, n)));
      } else if (pipe.writers === 0) break;
      else await pipe.waitReadable();
    }
    input.end();
    file.release();
  })();
}

function execve(ctx: SyscallContext, pathAddr: number, argvAddr: number, envpAddr: number): number | Promise<number> {
  const path = guestPath(ctx, pathAddr);
  if (path === '') return -ENOENT;
  const argv = readStringArray(ctx, argvAddr);
  const envp = readStringArray(ctx, envpAddr);
  const program = resolveProgram(ctx, path, argv);
  if (typeof program === 'number') return program;
  const child = spawnProgram(ctx, program, envp);
  const proc = ctx.proc;
  // The program's files now belong to the child.
  proc.fds.closeAll();
  if (proc.vforkParent) {
    proc.execedAs(child);
    throw new GuestExit(0); // ends this (vfork child) process's loop; the parent goes on
  }
  // exec without vfork: this emulator stays as the proxy of the new program.
  return new Promise((_resolve, reject) => {
    child.on('exit', (code, signal) => reject(new GuestExit(signal ? 128 + osConstants.signals[signal] : (code ?? 0))));
  });
}

const WNOHANG = 1;
const WEXITED = 4;
const WNOWAIT = 0x01000000;
const P_ALL = 0;
const P_PID = 1;

/** Wait for a child matching `pid` (-1 or 0: any); returns its pid with its end, 0 (WNOHANG) or -errno. */
async function waitChild(ctx: SyscallContext, pid: number, options: number, keep: boolean): Promise<{ pid: number; status: number; code: number; value: number } | number> {
  const cancelled = ctx.thread.cancelToken();
  for (;;) {
    const r = ctx.proc.children.reap(pid, keep);
    if (r === 'none') return -ECHILD;
    if (r) return { pid: r.pid, ...r.end };
    if (options & WNOHANG) return 0;
    await ctx.proc.children.changed();
    if (cancelled()) return ERESTARTSYS;
  }
}

function wait4(ctx: SyscallContext, pid: number, wstatus: number, options: number, rusage: number): number | Promise<number> {
  if (pid < -1) return -EINVAL; // process groups: every child is in ours
  return waitChild(ctx, pid, options, false).then((r) => {
    if (typeof r === 'number') return r;
    if (wstatus) ctx.mem.write32(wstatus >>> 0, r.status);
    if (rusage) new StructBuilder(72).writeTo(ctx.mem, rusage >>> 0);
    return r.pid;
  });
}

function waitid(ctx: SyscallContext, idtype: number, id: number, infop: number, options: number): number | Promise<number> {
  if (idtype !== P_ALL && idtype !== P_PID) return -EINVAL;
  if (!(options & WEXITED)) return -EINVAL;
  return waitChild(ctx, idtype === P_PID ? id : -1, options, (options & WNOWAIT) !== 0).then((r) => {
    if (typeof r === 'number') {
      if (r === 0 && infop) new StructBuilder(128).writeTo(ctx.mem, infop >>> 0);
      return r;
    }
    if (infop) {
      new StructBuilder(128).u32(0, SIGCHLD).u32(8, r.code).u32(12, r.pid).u32(16, ctx.proc.uid).u32(20, r.value).writeTo(ctx.mem, infop >>> 0);
    }
    return 0;
  });
}

export const execSyscalls: SyscallTable = {
  execve: (ctx, path, argv, envp) => execve(ctx, path, argv, envp),
  wait4: (ctx, pid, wstatus, options, rusage) => wait4(ctx, pid, wstatus, options, rusage),
  waitid: (ctx, idtype, id, infop, options) => waitid(ctx, idtype, id, infop, options),
};
