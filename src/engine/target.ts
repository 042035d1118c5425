// The only contract between the target-neutral core (src/) and a guest architecture
// (targets/<arch>/). Nothing in src/ imports a target by name; bin/ picks one.
import type { GuestMemory } from '../memory/guest-memory.js';
import type { LinuxAbi } from '../linux/abi.js';

/** A CPU model the user can pick with -cpu. */
export interface CpuModel {
  name: string;
  description: string;
  /** Target-defined feature names (e.g. 'v7', 'idiv', 'thumb2', 'vfp3'). */
  features: ReadonlySet<string>;
}

/** What a target's translator needs to translate one block. */
export interface TranslateEnv {
  mem: GuestMemory;
  cpu: CpuModel;
  /** Most guest instructions in one block (1 with -one-insn-per-tb). */
  maxInsns: number;
  /** Collect disassembly lines for -d in_asm. */
  wantAsm: boolean;
  /** Fill TranslatedBlock.insns (plugins look at each instruction). */
  wantInsns?: boolean;
  /** Plugin instrumentation to weave into the block; absent: plain translation. */
  instrument?: InsnInstrumentation;
}

/**
 * What a plugin asked for, as code for the target's translator to weave in. Every string
 * returned is JS built by src/plugins from numbers and fixed identifiers only.
 */
export interface InsnInstrumentation {
  /**
   * Statements to run before instruction `index` of the block, ahead of its condition test.
   * `code` is the instruction's own code: whether it can leave the block (a jump, an exit,
   * or a fault after `ipc = ...`) decides where counts batched so far are applied.
   */
  before(index: number, code: readonly string[]): string;
  /** Statements to run after the last instruction where the block falls through to the next. */
  end(): string;
  /** The expression for load `fn(address)` of instruction `index` (`tmp` gives fresh temps). */
  load(index: number, fn: string, address: string, tmp: () => string): string;
  /** The statement(s) for store `fn(address, value)` of instruction `index`. */
  store(index: number, fn: string, address: string, value: string, tmp: () => string): string;
  /**
   * Statements reporting a completed doubleword access of instruction `index` at `address`
   * (a local), made as two word accesses: `lo`/`hi` hold the words loaded or stored.
   */
  doubleword(index: number, load: boolean, address: string, lo: string, hi: string): string;
  /** Whether any memory access of instruction `index` is instrumented (else its fast paths may stay). */
  observesMemory(index: number): boolean;
}

/**
 * With env.wantInsns but no env.instrument, a translator marks where each instruction's
 * instrumentation would go (before its code, ahead of its condition test: `insnMark(i)`)
 * and where the block's end would (`insnMark('end')`). Instrumentation that changes no
 * instruction's code (no memory ops) then fills the marks in the plain translation
 * instead of translating again (src/plugins/host.ts).
 */
export function insnMark(index: number | 'end'): string {
  return `/*@${index === 'end' ? 'e' : `i${index}`}*/`;
}
/** Splits code at the marks: [code, mark id ('i<n>' or 'e'), code, ...]. */
export const INSN_MARKS = /\/\*@(i\d+|e)\*\//;

/** One guest instruction of a translated block, for plugins (env.wantInsns). */
export interface InsnInfo {
  address: number;
  /** The PC slot value while this instruction runs (address plus mode bits). */
  key: number;
  size: number;
  /** Its disassembly, made on demand: most plugins never read it, and it costs more than translating. */
  disasm: () => string;
  /** Not a guest instruction to plugins: qemu-arm emulates it inside one step (ARM kuser helper bodies). */
  hidden?: boolean;
}

/**
 * One translated basic block as JS statements. The code runs inside the region's
 * `dispatch: for (;;) switch (pc) { ... }` and must end every path either with
 *   `pc = <key>; continue dispatch;`             (jump; leaves the region if not in it)
 * or
 *   `pc = <key>; exit = <EXIT_*>; break dispatch;` (return to the exec loop)
 * It may use the target's cached locals, temps `t0..t{tempCount-1}`, `ipc` (set it to the
 * instruction's key before anything that can fault), the state array `S` (and its float
 * views `D` = Float64Array, `F` = Float32Array over the same buffer), and the
 * runtime names the target's runtime() provides. Only numbers and fixed identifiers.
 */
export interface TranslatedBlock {
  key: number;
  /** Guest address just past the block's last instruction byte. */
  end: number;
  code: string;
  /** Keys of direct successors (branch targets, fall-through), for region growth. */
  successors: number[];
  insnCount: number;
  tempCount: number;
  /** For -d in_asm: one line per instruction, "0x00010074:  e3a00001  mov r0, #1". */
  asm: string[];
  /** Each instruction, when env.wantInsns asked for them. */
  insns?: InsnInfo[];
  /** Statements the region runs once on entry before any block (plugin instrumentation hoists here). */
  prologue?: string[];
  /**
   * Expressions the region evaluates whenever it is left, by return or exception, and
   * where block code says EPILOGUE (region.ts); each must be safe to repeat (plugin
   * instrumentation writes counters kept in locals back to their scoreboards here).
   */
  epilogue?: string[];
}

/** A register as plugins see it; values are unsigned (32-bit: number, 64-bit: bigint). */
export interface GuestRegister {
  name: string;
  /** gdb feature name, e.g. 'org.gnu.gdb.arm.core'. */
  feature: string;
  /** Bytes: 4 or 8. */
  size: number;
  read(state: Int32Array): number | bigint;
  /** Writing the PC register redirects execution. */
  write(state: Int32Array, value: number | bigint): void;
}

export interface CachedLocal {
  /** JS identifier used in generated code. */
  name: string;
  /** Index in the Int32 state array. */
  index: number;
}

export interface Target {
  name: string;
  /** ELF e_machine this target runs (EM_ARM = 40). */
  elfMachine: number;
  cpuModels: readonly CpuModel[];
  defaultCpu: string;
  /** Int32 words of CPU state (registers, flags, ...); the buffer may hold more (FP regs). */
  stateBytes: number;
  /** Index of the PC "key" (address | mode bits) in the Int32 state array. */
  pcIndex: number;
  /**
   * The key of the block to run next, when it depends on more state than the PC slot (ARM:
   * the Thumb IT state). Absent: `state[pcIndex]`. A key beyond int32 must have `key | 0`
   * equal to the PC slot; such a block is never a region successor and leaves its region at
   * every exit, so the region's `case <key | 0>` labels never collide.
   */
  blockKey?(state: Int32Array): number;
  /** State words kept in JS locals inside compiled regions. */
  cachedLocals: readonly CachedLocal[];
  translateBlock(key: number, env: TranslateEnv): TranslatedBlock;
  /** Helper functions and constants compiled code may call, by fixed identifier. */
  runtime(mem: GuestMemory): Record<string, unknown>;
  /**
   * A rewrite of block code for hot regions only (cold blocks keep the plain form, which
   * compiles faster): fast cases of helper calls written inline. `locals` are the scratch
   * locals the rewritten code uses; the region declares them.
   */
  hotRegionCode?: { rewrite(code: string): string; locals: readonly string[] };
  /** The guest address of a key (drops mode bits). */
  keyToAddress(key: number): number;
  /** -d cpu: the register dump QEMU prints. */
  formatState(state: Int32Array): string;
  /** Register names and indices for plugins, -d cpu and gdb. */
  registerNames: readonly { name: string; index: number }[];
  /** Every register a plugin can list, read and write (gdb's names and feature groups). */
  registerFile?: readonly GuestRegister[];
  linux: LinuxAbi;
}
