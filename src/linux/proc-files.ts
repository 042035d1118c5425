// The contents of the /proc files that describe the guest process itself, made when they are
// opened: maps (from the page flags and the mapping table), stat, status, auxv, cmdline,
// environ, comm. The formats are the kernel's (fs/proc); numbers the emulator has no
// notion of (page faults, context switches) are 0, as qemu-arm reports them.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { cpus } from 'node:os';
import { PAGE_MAPPED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, type GuestMemory } from '../memory/guest-memory.js';
import type { MappingInfo } from '../memory/mappings.js';
import type { LinuxProcess } from './process.js';
import type { GuestThread } from './thread.js';
import { SIG_DFL, SIG_IGN, sigUnion, type SigSet } from './signals.js';
import { devMajor, devMinor } from './structs.js';

/** What the loader laid out for the process (the kernel keeps the same in its mm). */
export interface ProcessImage {
  /** The auxiliary vector as it was put on the stack, AT_NULL included. */
  auxv: Uint8Array;
  envp: readonly string[];
  /** Initial stack pointer (where argc is). */
  startStack: number;
  startCode: number;
  endCode: number;
  startData: number;
  endData: number;
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
}

export const EMPTY_IMAGE: ProcessImage = {
  auxv: new Uint8Array(8), envp: [], startStack: 0, startCode: 0, endCode: 0, startData: 0, endData: 0, argStart: 0, argEnd: 0, envStart: 0, envEnd: 0,
};

const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
const hex2 = (v: number): string => v.toString(16).padStart(2, '0');

/** One line of a maps file. */
export interface MapsLine {
  start: number;
  end: number;
  prot: number;
  /** File offset of `start` (0 without a file). */
  offset: number;
  info: MappingInfo | undefined;
}

function sameObject(a: MappingInfo | undefined, b: MappingInfo | undefined): boolean {
  if (a === b) return true;
  const fa = a?.file;
  const fb = b?.file;
  if (fa !== fb && (fa?.path !== fb?.path || fa?.dev !== fb?.dev || fa?.inode !== fb?.inode)) return false;
  return a?.name === b?.name && !!a?.shared === !!b?.shared;
}

/** File offset of `address` inside the mapping described by `info`, starting at `start`. */
function offsetAt(info: MappingInfo | undefined, start: number, address: number): number {
  return info?.file ? info.offset + (address - start) : 0;
}

/**
 * The guest's mappings as /proc/self/maps lists them: runs of mapped pages with the same
 * protection that map the same thing (the same file at consecutive offsets, the same
 * special region, or anonymous memory), in address order.
 */
export function mapsLines(mem: GuestMemory): MapsLine[] {
  const flags = mem.pageFlags;
  const entries = mem.mappings.list();
  const lines: MapsLine[] = [];
  let cur: MapsLine | null = null;
  let ei = 0;
  for (let page = 0; page < flags.length; page++) {
    const f = flags[page]!;
    if ((f & PAGE_MAPPED) === 0) {
      cur = null;
      continue;
    }
    const address = page * PAGE_SIZE;
    while (ei < entries.length && entries[ei]!.end <= address) ei++;
    const e = entries[ei] !== undefined && entries[ei]!.start <= address ? entries[ei] : undefined;
    const info = e?.info;
    const offset = e ? offsetAt(info, e.start, address) : 0;
    const prot = f & 7;
    if (cur && cur.end === address && cur.prot === prot && sameObject(cur.info, info) && (!info?.file || cur.offset + (address - cur.start) === offset)) {
      cur.end += PAGE_SIZE;
      continue;
    }
    cur = { start: address, end: address + PAGE_SIZE, prot, offset, info };
    lines.push(cur);
  }
  return lines;
}

/** The kernel's line: "start-end perms offset major:minor inode", the name from column 73. */
export function formatMapsLine(line: MapsLine): string {
  const { info, prot, offset } = line;
  const perms = `${prot & PROT_READ ? 'r' : '-'}${prot & PROT_WRITE ? 'w' : '-'}${prot & PROT_EXEC ? 'x' : '-'}${info?.shared ? 's' : 'p'}`;
  const file = info?.file;
  const dev = file ? `${hex2(devMajor(file.dev))}:${hex2(devMinor(file.dev))}` : '00:00';
  const prefix = `${hex8(line.start)}-${hex8(line.end)} ${perms} ${hex8(offset)} ${dev} ${file ? file.inode : 0} `;
  let name = info?.name ?? file?.path;
  if (name === undefined || name === '') return `${prefix}\n`;
  if (file && info?.name === undefined && !existsSync(file.path)) name += ' (deleted)';
  return `${prefix.padEnd(72)} ${name}\n`;
}

export function formatMaps(mem: GuestMemory): string {
  return mapsLines(mem).map(formatMapsLine).join('');
}

/** Bytes of guest memory mapped (VmSize, vsize). */
function mappedBytes(mem: GuestMemory): number {
  let pages = 0;
  const flags = mem.pageFlags;
  for (let p = 0; p < flags.length; p++) if (flags[p]! & PAGE_MAPPED) pages++;
  return pages * PAGE_SIZE;
}

/** Host /proc/<pid>/stat fields (1-based numbering as proc(5) gives them); [] if unreadable. */
export function hostStatFields(pid: number | 'self' = 'self'): string[] {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = text.lastIndexOf(')');
    return ['', text.slice(0, text.indexOf(' ')), text.slice(text.indexOf('(') + 1, close), ...text.slice(close + 2).trim().split(' ')];
  } catch {
    return [];
  }
}

/** A host path as the kernel names an open file: absolute, symbolic links resolved. */
export function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/** The host process group and session this emulator runs in (the main guest process's), and its nice value. */
export function hostProcessGroup(): { pgid: number; sid: number; nice: number } {
  const f = hostStatFields();
  const pgid = Number(f[5]);
  const sid = Number(f[6]);
  return { pgid: pgid > 0 ? pgid : process.pid, sid: sid > 0 ? sid : process.pid, nice: Number(f[19]) || 0 };
}

/** A host process's "Cap*" lines of /proc/<pid>/status as 64-bit sets, or null if it does not exist. */
export function hostCapabilities(pid: number | 'self' = 'self'): { effective: bigint; permitted: bigint; inheritable: bigint; bounding: bigint } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const cap = (name: string): bigint => {
    const m = new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(text);
    return m ? BigInt(`0x${m[1]!}`) : 0n;
  };
  return { effective: cap('CapEff'), permitted: cap('CapPrm'), inheritable: cap('CapInh'), bounding: cap('CapBnd') };
}

/** Clock ticks (USER_HZ) since boot, now. */
export function bootTicks(): number {
  try {
    return Math.round(parseFloat(readFileSync('/proc/uptime', 'latin1').split(' ')[0]!) * 100);
  } catch {
    return 0;
  }
}

/** Signals the process catches, ignores: bit sets over all dispositions. */
function dispositionSets(proc: LinuxProcess): { ignored: SigSet; caught: SigSet } {
  const ignored: SigSet = [0, 0];
  const caught: SigSet = [0, 0];
  proc.signals.actions.forEach((a, sig) => {
    if (sig === 0) return;
    const set = a.handler === SIG_IGN ? ignored : a.handler === SIG_DFL ? null : caught;
    if (set) set[(sig - 1) >> 5] = (set[(sig - 1) >> 5]! | (1 << ((sig - 1) & 31))) >>> 0;
  });
  return { ignored, caught };
}

const setBits = (s: SigSet): bigint => (BigInt(s[1] >>> 0) << 32n) | BigInt(s[0] >>> 0);
const setHex = (s: SigSet): string => setBits(s).toString(16).padStart(16, '0');

/** /proc/<pid>/stat: the 52 fields of proc(5); a task's stat (`task`) starts with its tid. */
export function formatStat(proc: LinuxProcess, thread: GuestThread, task = false): string {
  const img = proc.image;
  const host = hostStatFields();
  const u = process.cpuUsage();
  const { ignored, caught } = dispositionSets(proc);
  const pending = sigUnion(proc.signals.pending.set(), thread.signals.pending.set());
  const vsize = mappedBytes(proc.mem);
  const rss = Math.round(process.memoryUsage().rss / PAGE_SIZE);
  const fields: (string | number | bigint)[] = [
    task ? thread.tid : proc.pid, `(${proc.commName})`, 'R', proc.parentPid(), proc.pgid, proc.sid,
    host[7] ?? 0, host[8] ?? -1, 0x400000 /* PF_RANDOMIZE */, 0, 0, 0, 0,
    Math.floor(u.user / 10000), Math.floor(u.system / 10000), 0, 0,
    20 - proc.nice, proc.nice, proc.liveThreads().length, 0, proc.startTicks,
    vsize, Math.min(rss, vsize / PAGE_SIZE), 0xffffffff,
    img.startCode, img.endCode, img.startStack, 0, 0,
    setBits(pending) & 0xffffffffn, setBits(thread.signals.blocked) & 0xffffffffn, setBits(ignored) & 0xffffffffn, setBits(caught) & 0xffffffffn,
    0, 0, 0, 17, 0, 0, 0, 0, 0, 0,
    img.startData, img.endData, proc.brkStart, img.argStart, img.argEnd, img.envStart, img.envEnd, 0,
  ];
  return `${fields.join(' ')}\n`;
}

const STATUS_OVERRIDES = new Set(['Name', 'State', 'Tgid', 'Pid', 'PPid', 'TracerPid', 'NStgid', 'NSpid', 'NSpgid', 'NSsid', 'VmPeak', 'VmSize', 'Threads', 'SigPnd', 'ShdPnd', 'SigBlk', 'SigIgn', 'SigCgt', 'Umask']);

/**
 * /proc/<pid>/status: the host's (ids, capabilities, CPU lists and memory use are the
 * emulator process's own) with what describes the guest put in its place.
 */
export function formatStatus(proc: LinuxProcess, thread: GuestThread): string {
  let hostLines: string[] = [];
  try {
    hostLines = readFileSync('/proc/self/status', 'latin1').split('\n').filter((l) => l !== '');
  } catch {
    // no host /proc: only the guest's lines
  }
  const { ignored, caught } = dispositionSets(proc);
  const kb = (n: number) => `${String(Math.round(n / 1024)).padStart(8)} kB`;
  const umask = process.umask();
  const vsize = mappedBytes(proc.mem);
  const ours: Record<string, string> = {
    Name: proc.commName,
    Umask: umask.toString(8).padStart(4, '0'),
    State: 'R (running)',
    Tgid: String(proc.pid),
    Pid: String(thread.tid),
    PPid: String(proc.parentPid()),
    TracerPid: '0',
    NStgid: String(proc.pid),
    NSpid: String(thread.tid),
    NSpgid: String(proc.pgid),
    NSsid: String(proc.sid),
    VmPeak: kb(vsize),
    VmSize: kb(vsize),
    Threads: String(proc.liveThreads().length),
    SigPnd: setHex(thread.signals.pending.set()),
    ShdPnd: setHex(proc.signals.pending.set()),
    SigBlk: setHex(thread.signals.blocked),
    SigIgn: setHex(ignored),
    SigCgt: setHex(caught),
  };
  const seen = new Set<string>();
  const out = hostLines.map((line) => {
    const key = line.slice(0, line.indexOf(':'));
    if (!STATUS_OVERRIDES.has(key) || ours[key] === undefined) return line;
    seen.add(key);
    return `${key}:\t${ours[key]}`;
  });
  // Without a host file: the guest's lines in the kernel's order.
  for (const key of Object.keys(ours)) if (!seen.has(key)) out.push(`${key}:\t${ours[key]}`);
  return `${out.join('\n')}\n`;
}

/** argv or envp strings, each NUL-terminated, as /proc/self/cmdline and environ give them. */
export function nulJoined(strings: readonly string[]): Uint8Array {
  return Buffer.concat(strings.map((s) => Buffer.from(`${s}\0`, 'utf8')));
}

/** How many CPUs /proc/cpuinfo lists (sched_getaffinity reports the same ones). */
export function cpuCount(): number {
  return Math.max(1, cpus().length);
}
