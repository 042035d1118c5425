// Turns what plugins asked for on a block (translation.ts) into the JS the target's
// translator weaves in: inline ops as typed-array statements, callbacks as calls through
// PLG_cb[n], conditions as tests. Only numbers and fixed identifiers go into the code
// (DESIGN.md rule 2): counters are `SB<id>[index]`, callbacks `PLG_cb[<slot>]`.
//
// Inline adds cost next to nothing: an add to a Float64Array element in every instruction
// makes a chain through memory (load, add, store, load ...) that the CPU cannot overlap,
// several times the cost of the instruction itself. So adds go to a local per counter,
// `A<id>_<field>`, and the adds of a straight run of instructions are summed at
// translation: the run's total is added where the run can be left (an instruction that
// may fault or jump, the block's end), so a fault or exit mid-block still counts exactly
// the instructions whose ops ran. The region writes the locals back to the scoreboards
// when it is left (its epilogue) and before any callback, which may read them.
//
// The locals add as int32 (`A = (A + n) | 0`): V8 then needs no overflow check and keeps
// the local in a register (crc32 under insn,inline=on +28% -> +14%). That is exact because
// the epilogue empties them at every region exit, and one region entry runs at most
// `sliceBlocks` blocks (the slice budget): a block whose adds to a counter could exceed
// 2^31 over a slice (huge imm) adds that counter straight to its scoreboard instead.
//
// Registers live in JS locals inside a region, so a callback that may read them gets them
// written back first (and the PC slot set to the instruction); one that may write them
// gets them reloaded after, and leaves the region if it moved the PC.
import type { InsnInfo, InsnInstrumentation, Target } from '../engine/target.js';
import { EXIT_NEXT } from '../engine/exits.js';
import { EPILOGUE } from '../engine/region.js';
import { CTL_VCPU } from '../engine/vcpu.js';
import { counterLocal } from '../engine/self-loop.js';
import type { Counter } from './scoreboard.js';
import type { CallbackSlots, MemCallbackRequest, MemInfo } from './slots.js';
import type { BlockRequests, ExecRequest, InlineRequest, MemRequest } from './translation.js';

/** Access size and sign of each memory accessor compiled code calls (src/engine/memory-access.ts). */
const ACCESSORS: Record<string, MemInfo> = {};
function accessor(names: string[], size: number, signExtended: boolean, store: boolean): void {
  const info = Object.freeze({ size, sizeShift: Math.log2(size), signExtended, bigEndian: false, store });
  for (const n of names) ACCESSORS[n] = info;
}
accessor(['ld8'], 1, false, false);
accessor(['ld8s'], 1, true, false);
accessor(['ld16', 'ld16h'], 2, false, false);
accessor(['ld16s'], 2, true, false);
accessor(['ld32', 'ld32w'], 4, false, false);
accessor(['st8'], 1, false, true);
accessor(['st16', 'st16h'], 2, false, true);
accessor(['st32', 'st32w'], 4, false, true);
// doublewords (VLDR/VSTR/VLDM/VSTM of D registers), made as two word accesses (ctx.doubleword)
accessor(['ld64'], 8, false, false);
accessor(['st64'], 8, false, true);

const COND_OPS = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

function num(n: number): string {
  return n < 0 ? `(${n})` : String(n);
}

/** An instruction whose code contains this can leave the block (a jump, an exit, a fault). */
const LEAVES = /\bdispatch\b|\bipc = /;

/** Most accesses one instruction makes through the accessors (VLDM/VSTM of 16 D registers: 32 words). */
const MAX_ACCESSES_PER_INSN = 64;

/**
 * The count locals whose (integer) adds over one slice of `sliceBlocks` block executions stay within
 * int32, judging by this block's adds (each block of a region judges its own; a counter's
 * local only ever holds the adds of blocks that judged it safe).
 */
function int32CounterLocals(requests: BlockRequests, sliceBlocks: number): Set<string> {
  const perExecution = new Map<string, number>();
  const note = (list: readonly (ExecRequest | MemRequest)[], times: number): void => {
    for (const r of list) {
      if (r.kind !== 'inline' || r.op !== 'add') continue;
      const name = counterLocal(r.counter.scoreboard.id, r.counter.field);
      // a fraction has no int32 form
      const n = Number.isInteger(r.imm) ? Math.abs(r.imm) * times : Infinity;
      perExecution.set(name, (perExecution.get(name) ?? 0) + n);
    }
  };
  note(requests.tb, 1);
  for (const list of requests.insns) note(list, 1);
  for (const list of requests.mem) note(list, MAX_ACCESSES_PER_INSN);
  const limit = (2 ** 31 - 1) / (sliceBlocks + 1);
  return new Set([...perExecution].filter(([, n]) => n <= limit).map(([name]) => name));
}

export interface Instrumented {
  instrumentation: InsnInstrumentation;
  /** Region prologue lines: the vCPU index, the scoreboards and the count locals the block uses. */
  prologue: string[];
  /** Region epilogue expressions: each count local added to its scoreboard entry. */
  epilogue: string[];
}

/**
 * `visible[j]` is the block position of the j-th instruction plugins saw; `requests` are
 * indexed by j. Hidden instructions get no instrumentation.
 */
export function buildInstrumentation(target: Target, insns: readonly InsnInfo[], visible: readonly number[], requests: BlockRequests, slots: CallbackSlots, sliceBlocks: number): Instrumented {
  const seen = new Map(visible.map((k, j) => [k, j]));
  const boards = new Set<number>();
  const plainSlots = new Set<number>();
  const locals = target.cachedLocals;
  const pcIndex = target.pcIndex;
  /** Count locals of this block -> the scoreboard entry each one is written back to. */
  const counts = new Map<string, string>();

  const int32Locals = int32CounterLocals(requests, sliceBlocks);

  const entry = (c: Counter): string => {
    boards.add(c.scoreboard.id);
    const stride = c.scoreboard.fields.length;
    const index = stride === 1 ? 'vi' : c.field === 0 ? `vi * ${stride}` : `vi * ${stride} + ${c.field}`;
    return `SB${c.scoreboard.id}[${index}]`;
  };
  const local = (c: Counter): string => {
    const name = counterLocal(c.scoreboard.id, c.field);
    if (!counts.has(name)) counts.set(name, entry(c));
    return name;
  };
  /** `n` added to counter `c` now: to its int32 local, or to the scoreboard if too large. */
  const add = (c: Counter, n: number): string => {
    if (!int32Locals.has(counterLocal(c.scoreboard.id, c.field))) return `${entry(c)} += ${num(n)}`;
    const name = local(c);
    return `${name} = (${name} + ${num(n)}) | 0`;
  };
  /** An inline op as an expression that takes effect now (memory ops, stores). */
  // A store empties the counter's local too: other blocks of the region may add to it.
  const inline = (r: InlineRequest): string => (r.op === 'add' ? add(r.counter, r.imm) : `(${local(r.counter)} = 0, ${entry(r.counter)} = ${num(r.imm)})`);
  /** Statements applying the pending adds (summed per counter at translation). */
  const pending = new Map<Counter, number>();
  const settle = (lines: string[]): void => {
    for (const [c, n] of pending) if (n !== 0) lines.push(`${add(c, n)};`);
    pending.clear();
  };

  const call = (slot: number, regs: string, key: number): string => {
    if (regs === 'none') {
      plainSlots.add(slot);
      return `try { CB${slot}(vi, UD${slot}); } catch (e) { PLG_fail(${slot}, e); }`;
    }
    const invoke = `PLG_cb[${slot}](vi);`;
    const save = locals.map((l) => `S[${l.index}] = ${l.name};`).join(' ') + ` S[${pcIndex}] = ${key | 0};`;
    if (regs === 'r') return `${save} ${invoke}`;
    const load = locals.map((l) => `${l.name} = S[${l.index}];`).join(' ');
    return `${save} ${invoke} ${load} if (S[${pcIndex}] !== ${key | 0}) { pc = S[${pcIndex}]; exit = ${EXIT_NEXT}; break dispatch; }`;
  };

  const exec = (list: readonly ExecRequest[], key: number, lines: string[]): void => {
    for (const r of list) {
      if (r.kind === 'inline') {
        if (r.op === 'add') {
          pending.set(r.counter, (pending.get(r.counter) ?? 0) + r.imm);
        } else {
          pending.delete(r.counter);
          lines.push(`${inline(r)};`);
        }
        continue;
      }
      // a callback (or its condition) may read any counter: bring the scoreboards up to date
      settle(lines);
      lines.push(`${EPILOGUE};`);
      const c = call(r.slot, r.regs, key);
      lines.push(r.cond ? `if (${entry(r.cond.counter)} ${COND_OPS[r.cond.cond]} ${num(r.cond.imm)}) { ${c} }` : c);
    }
  };

  /** Inline ops and the callback slot for instruction `index`'s accesses through `fn`. */
  const memParts = (index: number, fn: string): { ops: string[]; slot: number | undefined } => {
    const info = ACCESSORS[fn];
    if (!info) throw new Error(`memory accessor '${fn}' is unknown to the plugin instrumenter`);
    const wanted = (r: MemRequest) => r.rw === 'rw' || r.rw === (info.store ? 'w' : 'r');
    const j = seen.get(index);
    const matching = j === undefined ? [] : (requests.mem[j] ?? []).filter(wanted);
    const ops = matching.flatMap((r) => (r.kind === 'inline' ? [inline(r)] : []));
    const callbacks: MemCallbackRequest[] = matching.flatMap((r) => (r.kind === 'cb' ? [r.request] : []));
    if (callbacks.length > 0) ops.push(EPILOGUE);
    return { ops, slot: callbacks.length > 0 ? slots.mem(callbacks, info) : undefined };
  };

  const instrumentation: InsnInstrumentation = {
    before(index, code) {
      const insn = insns[index];
      const j = seen.get(index);
      const lines: string[] = [];
      if (insn && j !== undefined) {
        if (j === 0) exec(requests.tb, insn.key, lines);
        exec(requests.insns[j] ?? [], insn.key, lines);
      }
      if (code.some((l) => LEAVES.test(l))) settle(lines);
      return lines.join('\n');
    },
    end() {
      const lines: string[] = [];
      settle(lines);
      return lines.join('\n');
    },
    load(index, fn, address, tmp) {
      const { ops, slot } = memParts(index, fn);
      if (ops.length === 0 && slot === undefined) return `${fn}(${address})`;
      const v = tmp();
      if (slot === undefined) return `(${v} = ${fn}(${address}), ${ops.join(', ')}, ${v})`;
      const a = tmp();
      return `(${a} = ${address}, ${v} = ${fn}(${a}), ${[...ops, `PLG_cb[${slot}](vi, ${a}, ${v})`].join(', ')}, ${v})`;
    },
    observesMemory(index) {
      const j = seen.get(index);
      return j !== undefined && (requests.mem[j]?.length ?? 0) > 0;
    },
    doubleword(index, load, address, lo, hi) {
      const { ops, slot } = memParts(index, load ? 'ld64' : 'st64');
      const call = slot === undefined ? [] : [`PLG_cb[${slot}](vi, ${address}, ${lo}, ${hi});`];
      return [...ops.map((o) => `${o};`), ...call].join(' ');
    },
    store(index, fn, address, value, tmp) {
      const { ops, slot } = memParts(index, fn);
      if (ops.length === 0 && slot === undefined) return `${fn}(${address}, ${value});`;
      const tail = ops.map((o) => `${o};`);
      if (slot === undefined) return [`${fn}(${address}, ${value});`, ...tail].join(' ');
      const a = tmp();
      const v = tmp();
      return [`${a} = ${address};`, `${v} = ${value};`, `${fn}(${a}, ${v});`, ...tail, `PLG_cb[${slot}](vi, ${a}, ${v});`].join(' ');
    },
  };

  return {
    instrumentation,
    get prologue() {
      return [
        `const vi = ctl[${CTL_VCPU}];`,
        ...[...boards].sort((x, y) => x - y).map((id) => `const SB${id} = PLG_sb[${id}];`),
        ...[...plainSlots].sort((x, y) => x - y).map((n) => `const CB${n} = PLG_fn[${n}], UD${n} = PLG_ud[${n}];`),
        ...[...counts.keys()].map((name) => `let ${name} = 0;`),
      ];
    },
    get epilogue() {
      return [...counts].map(([name, at]) => `(${at} += ${name} + -0, ${name} = 0)`);
    },
  };
}
