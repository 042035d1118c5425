// Types of the tsqemu plugin API (version 1), for plugin authors. A plugin is an ES module
// exporting `install`; see README.md. Use from a .mjs file with
//   /** @type {import('./api').Install} */
//   export function install(register, args) { ... }
// or from TypeScript with `import type { Install } from 'tsqemu/plugins/api'`.

/** The API version this file describes. */
export type ApiVersion = 1;

export interface Registration {
  /** The API version the plugin was written for; tsqemu refuses versions it cannot honour. */
  apiVersion: number;
  /** Shown in messages; defaults to the -plugin value. */
  name?: string;
  /** SPDX identifier of the plugin's licence (logged with -d plugin). */
  license: string;
}

/** The module's entry. Return (or resolve to) nothing, true or 0 for success; false or a non-zero number refuses to start. */
export type Install = (register: (registration: Registration) => PluginApi, args: PluginArgs) => void | boolean | number | Promise<void | boolean | number>;

/** The plugin's arguments (QEMU's argv: "name=value" strings) with parsing helpers. Parse errors end tsqemu with one line. */
export interface PluginArgs {
  readonly list: readonly string[];
  entries(): [string, string][];
  has(name: string): boolean;
  get(name: string): string | undefined;
  all(name: string): string[];
  bool(name: string, fallback: boolean): boolean;
  int(name: string, fallback: number): number;
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  /** Reject arguments not in `known`. */
  expectOnly(known: readonly string[]): void;
}

export interface InstallInfo {
  readonly target: string;
  readonly version: { readonly min: number; readonly cur: number };
  readonly systemEmulation: false;
  readonly userMode: true;
  readonly binaryPath: string;
  readonly startCode: number;
  readonly endCode: number;
  /** Entry point, Thumb bit included. */
  readonly entryCode: number;
}

/** What a callback may do with registers: nothing, read, read and write. */
export type RegAccess = 'none' | 'r' | 'rw';
export type InlineOp = 'add' | 'store';
export type Cond = 'never' | 'always' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type MemRw = 'r' | 'w' | 'rw';
export type DisconType = 'interrupt' | 'exception' | 'hostcall';

export interface ExecOptions {
  regs?: RegAccess;
  userdata?: unknown;
}
export interface MemOptions extends ExecOptions {
  /** Which accesses: loads 'r', stores 'w', both 'rw' (default). */
  rw?: MemRw;
}

export type ExecCallback = (vcpu: number, userdata: unknown) => void;
export interface MemInfo {
  readonly size: number;
  readonly sizeShift: number;
  readonly signExtended: boolean;
  readonly bigEndian: boolean;
  readonly store: boolean;
}
/**
 * After each successful access: the guest address and the value loaded or stored (unsigned,
 * access-sized): a number for accesses of up to 4 bytes, a bigint for 8-byte ones (a VFP
 * doubleword transfer, VLDR/VSTR/VLDM/VSTM of D registers, is one 8-byte access).
 */
export type MemCallback = (vcpu: number, info: MemInfo, address: number, value: number | bigint, userdata: unknown) => void;

/** One field of a per-vCPU scoreboard (QEMU's qemu_plugin_u64). Values are exact up to 2^53. */
export interface Counter {
  readonly name: string;
  get(vcpu: number): number;
  set(vcpu: number, value: number): void;
  add(vcpu: number, value: number): void;
  sum(): number;
}
export interface Scoreboard {
  readonly fields: readonly string[];
  counter(name?: string): Counter;
}

interface ExecTarget {
  onExec(callback: ExecCallback, options?: ExecOptions): void;
  /** Compiled into the guest code: counter[vcpu] += imm ('add') or = imm ('store'). */
  inline(op: InlineOp, counter: Counter, imm: number | bigint): void;
  /** Call only when counter[vcpu] <cond> imm (tested in the compiled code). */
  onExecIf(cond: Cond, counter: Counter, imm: number | bigint, callback: ExecCallback, options?: ExecOptions): void;
}

/** Valid only inside the onTbTrans callback. */
export interface Insn extends ExecTarget {
  readonly vaddr: number;
  /** 2 or 4 (Thumb), 4 (ARM). */
  readonly size: number;
  /** The instruction's bytes as in memory. */
  readonly data: Uint8Array;
  readonly disas: string;
  /** The ELF symbol whose [value, value+size) holds the instruction, or null. */
  readonly symbol: string | null;
  onMem(callback: MemCallback, options?: MemOptions): void;
  memInline(rw: MemRw, op: InlineOp, counter: Counter, imm: number | bigint): void;
}

/** Valid only inside the onTbTrans callback. */
export interface Tb extends ExecTarget {
  readonly vaddr: number;
  readonly nInsns: number;
  readonly size: number;
  readonly insns: readonly Insn[];
  insn(index: number): Insn;
}

export interface RegisterDescriptor {
  readonly name: string;
  readonly feature: string;
  readonly size: number;
}

export interface PluginApi {
  readonly info: InstallInfo;
  readonly name: string;

  onExit(callback: ((userdata?: unknown) => void) | null, userdata?: unknown): void;
  onFlush(callback: (() => void) | null): void;
  reset(done?: () => void): void;
  uninstall(done?: () => void): void;

  onVcpuInit(callback: ((vcpu: number) => void) | null): void;
  onVcpuExit(callback: ((vcpu: number) => void) | null): void;
  onVcpuIdle(callback: ((vcpu: number) => void) | null): void;
  onVcpuResume(callback: ((vcpu: number) => void) | null): void;
  forEachVcpu(callback: (vcpu: number) => void): void;
  numVcpus(): number;

  onTbTrans(callback: ((tb: Tb) => void) | null): void;
  newScoreboard(fields?: readonly string[]): Scoreboard;
  newCounter(): Counter;
  freeScoreboard(board: Scoreboard): void;

  /** args: 8 raw unsigned values (a1..a8). */
  onSyscall(callback: ((vcpu: number, num: number, args: readonly number[]) => void) | null): void;
  onSyscallReturn(callback: ((vcpu: number, num: number, ret: number) => void) | null): void;
  /** Return a number to skip the syscall and make that its result; undefined to let it run. */
  onSyscallFilter(callback: ((vcpu: number, num: number, args: readonly number[]) => number | bigint | undefined) | null): void;
  onDiscontinuity(types: readonly DisconType[] | 'all', callback: ((vcpu: number, type: DisconType, fromPc: number, toPc: number) => void) | null): void;

  registers(): readonly RegisterDescriptor[];
  /** 4-byte registers read as numbers, 8-byte ones (d0-d31) as bigints. */
  readRegister(reg: RegisterDescriptor | string): number | bigint;
  /** Writing 'pc' from an instruction callback with regs: 'rw' redirects execution. */
  writeRegister(reg: RegisterDescriptor | string, value: number | bigint): void;
  readMemory(address: number, length: number): Uint8Array | null;
  writeMemory(address: number, data: Uint8Array): boolean;

  /** Text verbatim to stderr, or to the -D file. */
  outs(text: string): void;
  parseBool(name: string, value: string): boolean;
  /** The symbol containing an address, or null. */
  symbolize(address: number): string | null;
  /** End emulation now with this exit status (exit callbacks still run). */
  exit(status: number): never;
}
