// Types of the tsqemu plugin API (version 2), for plugin authors. A plugin is an ES module
// exporting `install`; see README.md. Use from a .mjs file with
//   /** @type {import('tsqemu/plugins/api.js').Install} */
//   export function install(register, args) { ... }
// or from TypeScript with `import type { Install } from 'tsqemu/plugins/api.js'`.
// 'tsqemu/plugins/api.js' resolves when tsqemu is installed as a package; otherwise use
// the path of this file with a .js extension, e.g. import('../tsqemu/plugins/api.js').
// Keep the '.js': under moduleResolution NodeNext/Node16 the path without it does not
// resolve (an editor then treats the plugin as untyped).

/** The API version this file describes (1 plus insn.thumb). */
export type ApiVersion = 2;

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

/**
 * The plugin's arguments (QEMU's argv: "name=value" strings) with parsing helpers. A bare
 * `flag` on the command line arrives as "flag=on", `noflag` as "flag=off". Parse errors
 * end tsqemu with one line naming the plugin. `fallback` is the value when the argument
 * is absent.
 */
export interface PluginArgs {
  /** The raw "name=value" strings, in command-line order. */
  readonly list: readonly string[];
  /** [name, value] pairs in command-line order. */
  entries(): [string, string][];
  /** Whether the argument was given at all. */
  has(name: string): boolean;
  /** The last value given, or undefined. */
  get(name: string): string | undefined;
  /** Every value of a repeatable argument, in order. */
  all(name: string): string[];
  /** on/off, yes/no, true/false, y/n (QEMU's qemu_plugin_bool_parse). */
  bool(name: string, fallback: boolean): boolean;
  /** A non-negative integer, decimal or 0x hex; a negative number is refused ("expected a non-negative integer"). */
  int(name: string, fallback: number): number;
  /** One of `choices` ("expected a, b, c" otherwise). */
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

/**
 * Runs before its instruction (or on block entry), also when the instruction's condition
 * fails. With regs 'r'/'rw', pc reads as the instruction's (block's) address and every
 * other register as before the instruction. `userdata` is the value given in ExecOptions.
 */
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
  /** API version 2: decoded as Thumb (true) or ARM (false); cpsr bit 5 when it runs. */
  readonly thumb: boolean;
  /** The instruction's bytes as in memory (a copy). */
  readonly data: Uint8Array;
  /**
   * objdump -d's text with one space after the mnemonic, lower case; branch targets as
   * 0x + 8 hex digits ("bl 0x00010694"); an optional comment after a TAB ("\t@ 0x33"),
   * which Thumb immediate-offset loads/stores put before the closing ']'. Compare whole
   * mnemonics: "bls", "blt", "ble" are conditional branches, not calls. See README.md.
   */
  readonly disas: string;
  /**
   * The program's symbol (function or object, .symtab/.dynsym) whose [value, value+size)
   * holds the instruction, or null; zero-size symbols never match. Among several: the
   * innermost, then functions before objects, global before weak before local, the larger
   * size, the name in byte order (objdump -d's labels: _IO_puts rather than puts).
   */
  readonly symbol: string | null;
  onMem(callback: MemCallback, options?: MemOptions): void;
  memInline(rw: MemRw, op: InlineOp, counter: Counter, imm: number | bigint): void;
}

/** Valid only inside the onTbTrans callback. */
export interface Tb extends ExecTarget {
  readonly vaddr: number;
  /** At least 1: a block always has an instruction. */
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

  /** Called as each block is translated; registers cannot be read here (ask for onExec with regs). */
  onTbTrans(callback: ((tb: Tb) => void) | null): void;
  /** Anywhere, also inside onTbTrans (e.g. one counter per block). */
  newScoreboard(fields?: readonly string[]): Scoreboard;
  /** Anywhere, also inside onTbTrans. */
  newCounter(): Counter;
  freeScoreboard(board: Scoreboard): void;

  /**
   * num: the syscall number (r7); args: 8 raw unsigned values (a1..a8). In syscall
   * callbacks (this, filter, return) registers are readable and pc is the address after
   * the svc (svc + 4 in ARM, + 2 in Thumb).
   */
  onSyscall(callback: ((vcpu: number, num: number, args: readonly number[]) => void) | null): void;
  /** ret is signed: a negative errno on failure (-4095..-1), e.g. -38; r0 reads the same bits unsigned. Not called for exit/exit_group. */
  onSyscallReturn(callback: ((vcpu: number, num: number, ret: number) => void) | null): void;
  /** Return a number to skip the syscall and make that its result; undefined to let it run. */
  onSyscallFilter(callback: ((vcpu: number, num: number, args: readonly number[]) => number | bigint | undefined) | null): void;
  onDiscontinuity(types: readonly DisconType[] | 'all', callback: ((vcpu: number, type: DisconType, fromPc: number, toPc: number) => void) | null): void;

  registers(): readonly RegisterDescriptor[];
  /**
   * 4-byte registers read as unsigned numbers, 8-byte ones (d0-d31) as bigints; pc never
   * has bit 0 set (Thumb state: cpsr bit 5). Only in callbacks registered with regs 'r' or
   * 'rw' and in vCPU init/exit, syscall (also filter and return) and discontinuity
   * callbacks; it throws in install, onTbTrans, onFlush, onExit, memory callbacks and
   * callbacks registered without regs.
   */
  readRegister(reg: RegisterDescriptor | string): number | bigint;
  /** Writing 'pc' from an instruction callback with regs: 'rw' redirects execution. */
  writeRegister(reg: RegisterDescriptor | string, value: number | bigint): void;
  readMemory(address: number, length: number): Uint8Array | null;
  writeMemory(address: number, data: Uint8Array): boolean;

  /** Text verbatim to stderr, or to the -D file. */
  outs(text: string): void;
  parseBool(name: string, value: string): boolean;
  /**
   * The symbol holding an address, chosen as Insn.symbol is; when no symbol of non-zero
   * size holds it, a zero-size symbol at exactly that address (glibc's _start); else null.
   */
  symbolize(address: number): string | null;
  /** End emulation now with this exit status (exit callbacks still run). */
  exit(status: number): never;
}
