// The block and instruction handles a plugin's onTbTrans callback receives. They describe
// the block (addresses, bytes, disassembly, symbols) and record what the plugin asks for
// at execution time; those requests become code in instrument.ts. Like QEMU's, the
// handles are valid only during the callback.
import type { LoadedPlugin } from './plugin.js';
import { Counter } from './scoreboard.js';
import type { CallbackSlots, ExecCallback, MemCallback, MemCallbackRequest, RegAccess } from './slots.js';

export type InlineOp = 'add' | 'store';
export type CondName = 'never' | 'always' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type MemRw = 'r' | 'w' | 'rw';

export interface InlineRequest {
  kind: 'inline';
  op: InlineOp;
  counter: Counter;
  imm: number;
}

export interface CallRequest {
  kind: 'cb';
  slot: number;
  regs: RegAccess;
  /** Only call when `counter[vcpu] <cond> imm` (conditional callbacks). */
  cond?: { cond: Exclude<CondName, 'never' | 'always'>; counter: Counter; imm: number };
}

export type ExecRequest = InlineRequest | CallRequest;
export type MemRequest = (InlineRequest & { rw: MemRw }) | { kind: 'cb'; rw: MemRw; request: MemCallbackRequest };

/** Everything all plugins asked for on one block. */
export class BlockRequests {
  readonly tb: ExecRequest[] = [];
  readonly insns: ExecRequest[][];
  readonly mem: MemRequest[][];

  constructor(insnCount: number) {
    this.insns = Array.from({ length: insnCount }, () => []);
    this.mem = Array.from({ length: insnCount }, () => []);
  }

  get empty(): boolean {
    return this.tb.length === 0 && this.insns.every((l) => l.length === 0) && this.mem.every((l) => l.length === 0);
  }
}

/** What a handle knows about an instruction (shared by every plugin's handles). */
export interface InsnFacts {
  readonly vaddr: number;
  readonly size: number;
  /** Decoded as Thumb (T32) rather than ARM (A32). */
  readonly thumb: boolean;
  readonly data: Uint8Array;
  readonly disas: string;
  readonly symbol: string | null;
}

export interface ExecOptions {
  regs?: RegAccess;
  userdata?: unknown;
}

export interface MemOptions extends ExecOptions {
  rw?: MemRw;
}

const OPS: readonly InlineOp[] = ['add', 'store'];
const CONDS: readonly CondName[] = ['never', 'always', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'];
const RWS: readonly MemRw[] = ['r', 'w', 'rw'];
const ACCESS: readonly RegAccess[] = ['none', 'r', 'rw'];

function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(value)) throw new TypeError(`${what} must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (got ${String(value)})`);
  return value as T;
}

function immediate(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError(`an inline operand must be a finite number (got ${String(value)})`);
  return n;
}

function counterArg(value: unknown): Counter {
  if (!(value instanceof Counter)) throw new TypeError('expected a scoreboard counter (api.newCounter() or scoreboard.counter(name))');
  if (value.scoreboard.freed) throw new TypeError('the counter\'s scoreboard was freed');
  return value;
}

/** Shared by block and instruction handles: callbacks, inline ops, conditional callbacks. */
class ExecTarget {
  constructor(
    protected readonly plugin: LoadedPlugin,
    protected readonly slots: CallbackSlots,
    protected readonly list: ExecRequest[],
    protected readonly isOpen: () => boolean,
  ) {}

  protected check(): void {
    if (!this.isOpen()) throw new TypeError('block and instruction handles are only valid inside the onTbTrans callback');
  }

  private slotFor(callback: unknown, options: ExecOptions | undefined): { slot: number; regs: RegAccess } {
    if (typeof callback !== 'function') throw new TypeError('the callback must be a function');
    const regs = oneOf('regs', options?.regs ?? 'none', ACCESS);
    return { slot: this.slots.exec(this.plugin, callback as ExecCallback, options?.userdata, regs), regs };
  }

  /** Call `callback(vcpu, userdata)` each time this executes. */
  onExec(callback: ExecCallback, options?: ExecOptions): void {
    this.check();
    this.list.push({ kind: 'cb', ...this.slotFor(callback, options) });
  }

  /** `counter[vcpu] += imm` ('add') or `= imm` ('store') each time this executes, in the compiled code. */
  inline(op: InlineOp, counter: Counter, imm: number | bigint): void {
    this.check();
    this.list.push({ kind: 'inline', op: oneOf('op', op, OPS), counter: counterArg(counter), imm: immediate(imm) });
  }

  /** Like onExec, but only when `counter[vcpu] <cond> imm`, tested in the compiled code. */
  onExecIf(cond: CondName, counter: Counter, imm: number | bigint, callback: ExecCallback, options?: ExecOptions): void {
    this.check();
    const c = oneOf('cond', cond, CONDS);
    const entry = counterArg(counter);
    const value = immediate(imm);
    const target = this.slotFor(callback, options);
    if (c === 'never') return;
    if (c === 'always') this.list.push({ kind: 'cb', ...target });
    else this.list.push({ kind: 'cb', ...target, cond: { cond: c, counter: entry, imm: value } });
  }
}

export class InsnHandle extends ExecTarget {
  readonly vaddr: number;
  readonly size: number;
  readonly thumb: boolean;
  readonly #facts: InsnFacts;
  readonly #mem: MemRequest[];

  constructor(plugin: LoadedPlugin, slots: CallbackSlots, facts: InsnFacts, exec: ExecRequest[], mem: MemRequest[], isOpen: () => boolean) {
    super(plugin, slots, exec, isOpen);
    this.vaddr = facts.vaddr;
    this.size = facts.size;
    this.thumb = facts.thumb;
    this.#facts = facts;
    this.#mem = mem;
  }

  /** Its disassembly, as QEMU prints it ("push {r4, lr}"). */
  get disas(): string {
    return this.#facts.disas;
  }

  /** The symbol whose code contains it, or null. */
  get symbol(): string | null {
    return this.#facts.symbol;
  }

  /** The instruction's bytes as stored in memory (a copy). */
  get data(): Uint8Array {
    return this.#facts.data.slice();
  }

  /** Call `callback(vcpu, info, address, value, userdata)` after each load/store this instruction makes. */
  onMem(callback: MemCallback, options?: MemOptions): void {
    this.check();
    if (typeof callback !== 'function') throw new TypeError('the callback must be a function');
    const rw = oneOf('rw', options?.rw ?? 'rw', RWS);
    oneOf('regs', options?.regs ?? 'none', ACCESS);
    this.#mem.push({ kind: 'cb', rw, request: { plugin: this.plugin, callback, userdata: options?.userdata } });
  }

  /** An inline op on each load ('r'), store ('w') or both ('rw') this instruction makes. */
  memInline(rw: MemRw, op: InlineOp, counter: Counter, imm: number | bigint): void {
    this.check();
    this.#mem.push({ kind: 'inline', rw: oneOf('rw', rw, RWS), op: oneOf('op', op, OPS), counter: counterArg(counter), imm: immediate(imm) });
  }
}

export class TbHandle extends ExecTarget {
  readonly vaddr: number;
  readonly nInsns: number;
  /** Bytes of guest code the block covers. */
  readonly size: number;
  #insns: readonly InsnHandle[] | undefined;
  readonly #make: () => readonly InsnHandle[];

  constructor(plugin: LoadedPlugin, slots: CallbackSlots, facts: readonly InsnFacts[], requests: BlockRequests, isOpen: () => boolean) {
    super(plugin, slots, requests.tb, isOpen);
    this.vaddr = facts[0]!.vaddr;
    this.nInsns = facts.length;
    const last = facts[facts.length - 1]!;
    this.size = last.vaddr + last.size - this.vaddr;
    this.#make = () => Object.freeze(facts.map((f, i) => new InsnHandle(plugin, slots, f, requests.insns[i]!, requests.mem[i]!, isOpen)));
  }

  /** The block's instructions (handles made on first use: block-level plugins never look). */
  get insns(): readonly InsnHandle[] {
    return (this.#insns ??= this.#make());
  }

  /** The idx-th instruction (QEMU's qemu_plugin_tb_get_insn). */
  insn(index: number): InsnHandle {
    const insn = this.insns[index];
    if (!insn) throw new RangeError(`instruction ${index} is outside this block of ${this.nInsns}`);
    return insn;
  }
}
