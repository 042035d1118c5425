// DisasContext for ARM: what every translator uses to read/write registers and flags,
// access memory and end the block. Translators emit JS statements through it; the
// generated code holds only numbers and fixed identifiers (DESIGN.md rule 2).
//
// Names available to generated code:
//   r0..r14          guest registers (int32 locals)
//   NF ZF CF VF      flags (see cpu-state.ts for their encoding)
//   S                the Int32 state array (other state: S[${S.GE}] etc.)
//   t0..tN           temps from ctx.tmp()
//   ld8 ld8s ld16 ld16s ld32 ld32w ld16h st8 st16 st32 st32w st16h   memory (may throw a fault)
//   H_*              helpers from targets/arm/translate/helpers.ts (runtime)
import type { TranslateEnv } from '../../../src/engine/target.js';
import { EXIT_BREAKPOINT, EXIT_SYSCALL, EXIT_UNDEFINED } from '../../../src/engine/exits.js';
import { S } from '../cpu-state.js';

/** JS boolean expressions for the 14 ARM condition codes (0xe = always). */
export const CONDITION_EXPR: readonly string[] = [
  'ZF === 0', // EQ
  'ZF !== 0', // NE
  'CF !== 0', // CS
  'CF === 0', // CC
  'NF < 0', // MI
  'NF >= 0', // PL
  'VF < 0', // VS
  'VF >= 0', // VC
  '(CF !== 0 && ZF !== 0)', // HI
  '(CF === 0 || ZF === 0)', // LS
  '(NF ^ VF) >= 0', // GE
  '(NF ^ VF) < 0', // LT
  '(ZF !== 0 && (NF ^ VF) >= 0)', // GT
  '(ZF === 0 || (NF ^ VF) < 0)', // LE
  'true', // AL
];

export const CONDITION_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];

export function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16);
}

/** A literal int32 for generated code. */
export function lit(v: number): string {
  return String(v | 0);
}

export class ArmContext {
  /** Address of the instruction being translated. */
  pc = 0;
  /** Its encoding. */
  insn = 0;
  /** Byte size of the instruction (4 for A32; 2 or 4 for Thumb). */
  size = 4;
  /** Position of the instruction in its block (0 for the first), for plugin instrumentation. */
  insnIndex = -1;
  thumb = false;
  /** Set by translators that end the block (branch, exit, PC write). */
  ended = false;
  /** Direct successors gathered for region growth. */
  readonly successors: number[] = [];
  private lines: string[] = [];
  private tempsUsed = 0;
  maxTemps = 0;
  private faultMarked = false;

  constructor(readonly env: TranslateEnv) {}

  hasFeature(name: string): boolean {
    return this.env.cpu.features.has(name);
  }

  // ---- per-instruction bookkeeping (driven by the block translator) ----

  beginInsn(pc: number, insn: number, size: number): void {
    this.pc = pc;
    this.insn = insn;
    this.size = size;
    this.insnIndex++;
    this.lines = [];
    this.tempsUsed = 0;
    this.faultMarked = false;
  }

  takeLines(): string[] {
    const l = fuseTempMoves(this.lines);
    this.lines = [];
    return l;
  }

  /** Key of the next sequential instruction. */
  get nextKey(): number {
    return ((this.pc + this.size) | 0) | (this.thumb ? 1 : 0);
  }

  /** The value reading PC gives: address + 8 in ARM state, + 4 in Thumb. */
  get pcValue(): number {
    return (this.pc + (this.thumb ? 4 : 8)) | 0;
  }

  // ---- code emission ----

  emit(code: string): void {
    this.lines.push(code);
  }

  /** A fresh temp local (t0, t1, ...), valid within this instruction. */
  tmp(): string {
    const name = `t${this.tempsUsed++}`;
    if (this.tempsUsed > this.maxTemps) this.maxTemps = this.tempsUsed;
    return name;
  }

  /** Assign an expression to a new temp and return the temp's name. */
  let(expr: string): string {
    const t = this.tmp();
    this.emit(`${t} = ${expr};`);
    return t;
  }

  // ---- registers ----

  /** Expression reading Rn. R15 reads as the current instruction address + 8 (+4 Thumb). */
  reg(n: number): string {
    if (n === 15) return lit(this.pcValue);
    return `r${n}`;
  }

  /**
   * Rn for addressing: as reg(), but PC reads as Align(PC, 4) (literal loads, ADR in Thumb).
   */
  regAligned(n: number): string {
    if (n === 15) return lit(this.pcValue & ~3);
    return `r${n}`;
  }

  /** Rd = expr for d < 15. For d = 15 use writePc*(); this throws to catch mistakes. */
  setReg(d: number, expr: string): void {
    if (d === 15) throw new Error('setReg(15): use a writePc method');
    this.emit(`r${d} = ${expr};`);
  }

  // ---- flags ----

  /** N and Z from a result held in a local/temp (not an expression with side effects). */
  setNZ(result: string): void {
    this.emit(`NF = ZF = ${result};`);
  }

  setCarry(expr01: string): void {
    this.emit(`CF = ${expr01};`);
  }

  // ---- memory: every access may fault, so the PC of the instruction is recorded first ----

  private markFault(): void {
    if (this.faultMarked) return;
    this.faultMarked = true;
    this.lines.unshift(`ipc = ${lit(this.pc | (this.thumb ? 1 : 0))};`);
  }

  /** Expression loading (ld8|ld8s|ld16|ld16s|ld32|ld32w|ld16h) from an address expression. */
  load(fn: 'ld8' | 'ld8s' | 'ld16' | 'ld16s' | 'ld32' | 'ld32w' | 'ld16h', address: string): string {
    this.markFault();
    const instrument = this.env.instrument;
    if (instrument) return instrument.load(this.insnIndex, fn, address, () => this.tmp());
    return `${fn}(${address})`;
  }

  /** Statement storing (st8|st16|st32|st32w|st16h). */
  store(fn: 'st8' | 'st16' | 'st32' | 'st32w' | 'st16h', address: string, value: string): void {
    this.markFault();
    const instrument = this.env.instrument;
    if (instrument) this.emit(instrument.store(this.insnIndex, fn, address, value, () => this.tmp()));
    else this.emit(`${fn}(${address}, ${value});`);
  }

  /**
   * A doubleword transfer as two word accesses (ld32w/st32w) that plugins see as one 8-byte
   * access. Loads assign `lo` and `hi` (places such as `S[n]`) only once both words are read;
   * stores write the expressions `lo` and `hi`.
   */
  doubleword(load: boolean, address: string, lo: string, hi: string): void {
    this.markFault();
    const a = this.let(address);
    let words: [string, string] = [lo, hi];
    if (load) {
      words = [this.tmp(), this.tmp()];
      this.emit(`${words[0]} = ld32w(${a}); ${words[1]} = ld32w((${a} + 4) | 0); ${lo} = ${words[0]}; ${hi} = ${words[1]};`);
    } else {
      this.emit(`st32w(${a}, ${lo}); st32w((${a} + 4) | 0, ${hi});`);
    }
    const report = this.env.instrument?.doubleword(this.insnIndex, load, a, words[0], words[1]);
    if (report) this.emit(report);
  }

  /** Call a runtime helper that may fault (records the PC first). */
  callMayFault(expr: string): string {
    this.markFault();
    return expr;
  }

  // ---- control flow: each ends the block ----

  /** Jump to a known key. */
  jump(key: number): void {
    this.successors.push(key | 0);
    this.emit(`pc = ${lit(key)}; continue dispatch;`);
    this.ended = true;
  }

  /** Jump to a key computed at run time (already including the Thumb bit). */
  jumpKey(keyExpr: string): void {
    this.emit(`pc = ${keyExpr}; continue dispatch;`);
    this.ended = true;
  }

  /**
   * BXWritePC / LoadWritePC (v5T+): bit 0 selects Thumb; in ARM state bit 1 must be 0
   * (UNPREDICTABLE otherwise: qemu-arm faults with SIGBUS at the fetch, and so do we).
   */
  writePcInterworking(valueExpr: string): void {
    // The value is the next key as it stands: bit 0 selects Thumb. An ARM address with
    // bit 1 set is kept, so fetching there raises SIGBUS as on qemu-arm.
    this.jumpKey(valueExpr);
  }

  /** BranchWritePC: stay in the current instruction set. */
  writePcBranch(valueExpr: string): void {
    this.jumpKey(this.thumb ? `((${valueExpr}) & -2) | 1` : `(${valueExpr}) & -4`);
  }

  /** ALUWritePC: interworking from ARMv7 in ARM state, plain branch before it. */
  writePcAlu(valueExpr: string): void {
    if (!this.thumb && this.hasFeature('v7')) this.writePcInterworking(valueExpr);
    else this.writePcBranch(valueExpr);
  }

  /** Write Rd, where d may be 15 (then an ALU-style PC write that ends the block). */
  setRegOrPc(d: number, expr: string): void {
    if (d === 15) this.writePcAlu(expr);
    else this.setReg(d, expr);
  }

  protected exitWith(code: number, key: number): void {
    this.emit(`pc = ${lit(key)}; exit = ${code}; break dispatch;`);
    this.ended = true;
  }

  /** SVC: exit to the Linux layer; the state PC is the next instruction. */
  exitSyscall(): void {
    this.exitWith(EXIT_SYSCALL, this.nextKey);
  }

  /** Raise SIGILL at this instruction. */
  exitUndefined(): void {
    this.exitWith(EXIT_UNDEFINED, this.pc | (this.thumb ? 1 : 0));
  }

  /** Raise SIGILL at this instruction when the JS expression `test` holds at run time. */
  exitUndefinedIf(test: string): void {
    this.emit(`if (${test}) { pc = ${lit(this.pc | (this.thumb ? 1 : 0))}; exit = ${EXIT_UNDEFINED}; break dispatch; }`);
  }

  /** Raise SIGTRAP at this instruction (BKPT). */
  exitBreakpoint(): void {
    this.exitWith(EXIT_BREAKPOINT, this.pc | (this.thumb ? 1 : 0));
  }

  /** The state array index of a field, for code like `S[${ctx.s('GE')}]`. */
  s(field: keyof typeof S): number {
    return S[field];
  }
}

const TEMP_ASSIGN = /^(t\d+) = ([^;]*);$/;
const REG_FROM_TEMP = /^(r\d+) = (t\d+);$/;

/**
 * `tN = expr;` directly followed by `rD = tN;`, with tN not read again in the instruction,
 * becomes `rD = expr;`: most loads and many ALU results go through a temp, and the shorter
 * source compiles faster (V8's compile time grows with the source; most blocks run cold).
 */
export function fuseTempMoves(lines: string[]): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const assign = TEMP_ASSIGN.exec(line);
    const move = assign && i + 1 < lines.length ? REG_FROM_TEMP.exec(lines[i + 1]!) : null;
    if (assign && move && move[2] === assign[1] && !readsLater(lines, i + 2, assign[1]!)) {
      out ??= lines.slice(0, i);
      out.push(`${move[1]} = ${assign[2]};`);
      i++;
      continue;
    }
    out?.push(line);
  }
  return out ?? lines;
}

function readsLater(lines: readonly string[], from: number, temp: string): boolean {
  for (let i = from; i < lines.length; i++) if (mentions(lines[i]!, temp)) return true;
  return false;
}

/** Whether `line` contains the identifier `name` (not as part of a longer one: t1 vs t10). */
function mentions(line: string, name: string): boolean {
  for (let at = line.indexOf(name); at >= 0; at = line.indexOf(name, at + 1)) {
    if (!isWordChar(line.charCodeAt(at - 1)) && !isWordChar(line.charCodeAt(at + name.length))) return true;
  }
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
