// The plugin host: owns the loaded plugins, their global callbacks, the callback table and
// the scoreboards, and connects them to the engine (BlockInstrumenter: tb_trans and the
// code weaving) and to the Linux process (ProcessObserver: syscalls). main.ts creates it
// only when -plugin is given, so a run without plugins never loads this code.
import type { BlockInstrumenter, Engine } from '../engine/engine.js';
import { INSN_MARKS, type InsnInfo, type InsnInstrumentation, type Target, type TranslatedBlock } from '../engine/target.js';
import type { Vcpu } from '../engine/vcpu.js';
import type { ProcessObserver } from '../linux/observer.js';
import type { SymbolTable } from '../loader/symbols.js';
import type { Logger } from '../log/log.js';
import type { GuestMemory } from '../memory/guest-memory.js';
import { buildInstrumentation } from './instrument.js';
import type { GlobalEvent, LoadedPlugin } from './plugin.js';
import { ScoreboardStore } from './scoreboard.js';
import { CallbackSlots, pluginFailure, type RegAccess } from './slots.js';
import { PluginSymbols } from './symbols.js';
import { BlockRequests, TbHandle, type InsnFacts } from './translation.js';

/**
 * An instruction as plugins see it. Bytes, disassembly and symbol are looked up when a
 * plugin first asks: most ask for none of them (bb, insn), and the disassembly alone
 * cost more than the translation it describes.
 */
class LazyInsnFacts implements InsnFacts {
  readonly vaddr: number;
  readonly size: number;
  /** The ARM target's keys carry the Thumb state in bit 0 (the PC slot's mode bit). */
  readonly thumb: boolean;
  #data: Uint8Array | undefined;
  #disas: string | undefined;
  #symbol: string | null | undefined;

  constructor(
    private readonly insn: InsnInfo,
    private readonly mem: GuestMemory,
    private readonly symbols: PluginSymbols,
  ) {
    this.vaddr = insn.address >>> 0;
    this.size = insn.size;
    this.thumb = (insn.key & 1) === 1;
  }

  get data(): Uint8Array {
    return (this.#data ??= this.mem.u8.slice(this.insn.address, this.insn.address + this.insn.size));
  }

  /** One space after the mnemonic, as QEMU's disassembler prints it ("push {r4, lr}"). */
  get disas(): string {
    return (this.#disas ??= this.insn.disasm().replace(/^(\S+)\s+/, '$1 '));
  }

  get symbol(): string | null {
    if (this.#symbol === undefined) this.#symbol = this.symbols.containing(this.insn.address);
    return this.#symbol;
  }
}

/** The plain translation with its instrumentation marks filled in by `instrumentation`. */
function fillMarks(code: string, instrumentation: InsnInstrumentation): string {
  const parts = code.split(INSN_MARKS);
  let out = parts[0]!;
  // parts: code, mark id, the code after the mark (its instruction's), mark id, ...
  for (let k = 1; k < parts.length; k += 2) {
    const after = parts[k + 1]!;
    const id = parts[k]!;
    const text = id === 'e' ? instrumentation.end() : instrumentation.before(Number(id.slice(1)), [after]);
    // a mark is a line of its own: drop the line when nothing fills it
    out += text === '' && after.startsWith('\n') ? after.slice(1) : text + after;
  }
  return out;
}

const MARK_LINES = new RegExp(`${INSN_MARKS.source}\n?`, 'g');

function withoutMarks(block: TranslatedBlock): TranslatedBlock {
  return block.code.includes('/*@') ? { ...block, code: block.code.replace(MARK_LINES, '') } : block;
}

/** What the host tells plugins about the program (QEMU's install info and path/code helpers). */
export interface ProgramFacts {
  /** The program path as given on the command line. */
  path: string;
  startCode: number;
  endCode: number;
  /** Entry point, with the Thumb bit as in the ELF header. */
  entryCode: number;
}

export interface HostConfig {
  target: Target;
  mem: GuestMemory;
  log: Logger;
  symbols: SymbolTable;
  program: ProgramFacts;
}

/** Discontinuity kinds, as QEMU's bit mask. */
export const DISCON = { interrupt: 1, exception: 2, hostcall: 4 } as const;
export type DisconType = keyof typeof DISCON;

export class PluginHost implements BlockInstrumenter, ProcessObserver {
  readonly plugins: LoadedPlugin[] = [];
  readonly slots = new CallbackSlots();
  readonly scoreboards = new ScoreboardStore();
  readonly runtime: Record<string, unknown>;
  /** vCPUs by index, for register access. */
  readonly vcpus: Vcpu[] = [];
  /** The names insn.symbol and api.symbolize give (the rule is in symbols.ts). */
  readonly symbols: PluginSymbols;
  /** Listeners per event, newest registration first (QEMU's order). */
  private readonly listeners = new Map<GlobalEvent, LoadedPlugin[]>();
  /** Discontinuity type mask per plugin. */
  readonly disconMasks = new Map<LoadedPlugin, number>();
  private engine: Engine | undefined;
  /** True while plugins install: no code exists yet, so new hooks need no flush. */
  installing = true;
  /** reset/uninstall completions, run when the exec loop next yields (or at exit at the latest). */
  private readonly deferred: (() => void)[] = [];

  constructor(readonly config: HostConfig) {
    this.symbols = new PluginSymbols(config.symbols);
    this.runtime = { PLG_cb: this.slots.table, PLG_fn: this.slots.direct, PLG_ud: this.slots.userdata, PLG_fail: this.slots.fail, PLG_sb: this.scoreboards.arrays };
  }

  attachEngine(engine: Engine): void {
    this.engine = engine;
  }

  /** Drop all translated code so that changed instrumentation applies from the next block on. */
  flushCode(): void {
    this.engine?.flush();
  }

  // ---- global callbacks ----

  setCallback(plugin: LoadedPlugin, event: GlobalEvent, callback: ((...args: never[]) => unknown) | null | undefined): void {
    if (callback !== null && callback !== undefined && typeof callback !== 'function') throw new TypeError('the callback must be a function (or null to remove it)');
    const list = (this.listeners.get(event) ?? []).filter((p) => p !== plugin);
    if (callback) {
      plugin.callbacks.set(event, callback);
      list.unshift(plugin);
    } else {
      plugin.callbacks.delete(event);
    }
    this.listeners.set(event, list);
    if (event === 'tbTrans' && !this.installing) this.flushCode();
  }

  /** Remove every callback of `plugin`; its compiled instrumentation goes with a flush. */
  clear(plugin: LoadedPlugin): void {
    for (const event of [...plugin.callbacks.keys()]) {
      plugin.callbacks.delete(event);
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((p) => p !== plugin));
    }
    this.slots.silence(plugin);
    this.flushCode();
  }

  /** Run `fn` once the running code has left the current block: at the next yield, or at exit. */
  defer(fn: () => void): void {
    this.deferred.push(fn);
    if (this.deferred.length === 1) setImmediate(() => this.runDeferred());
  }

  private runDeferred(): void {
    for (let fn = this.deferred.shift(); fn; fn = this.deferred.shift()) fn();
  }

  has(event: GlobalEvent): boolean {
    return (this.listeners.get(event)?.length ?? 0) > 0;
  }

  /** Call `event`'s callbacks (newest first) with `access` to registers of `vcpu` (-1: none). */
  private emit(event: GlobalEvent, vcpu: number, access: RegAccess, ...args: unknown[]): void {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return;
    const call = this.slots.call;
    for (const plugin of [...list]) {
      const cb = plugin.callbacks.get(event) as ((...a: unknown[]) => unknown) | undefined;
      if (!cb || !plugin.active) continue;
      call.vcpu = vcpu;
      call.access = access;
      try {
        cb(...args);
      } catch (e) {
        throw pluginFailure(plugin, `its ${event} callback`, e);
      } finally {
        call.access = 'none';
      }
    }
  }

  // ---- vCPUs ----

  vcpuInit(vcpu: Vcpu): void {
    this.vcpus[vcpu.index] = vcpu;
    if (this.scoreboards.ensureVcpu(vcpu.index)) this.flushCode();
    this.emit('vcpuInit', vcpu.index, 'rw', vcpu.index);
  }

  vcpuExit(vcpu: Vcpu): void {
    this.emit('vcpuExit', vcpu.index, 'rw', vcpu.index);
  }

  vcpuIdle(vcpu: Vcpu): void {
    this.emit('vcpuIdle', vcpu.index, 'rw', vcpu.index);
  }

  vcpuResume(vcpu: Vcpu): void {
    this.emit('vcpuResume', vcpu.index, 'rw', vcpu.index);
  }

  /** Highest vCPU index started so far + 1 (QEMU's qemu_plugin_num_vcpus). */
  get numVcpus(): number {
    return this.vcpus.length;
  }

  /** A guest thread started: its vCPU is new to plugins (ProcessObserver). */
  threadStart(vcpu: Vcpu): void {
    this.vcpuInit(vcpu);
  }

  /** A guest thread exited (ProcessObserver). */
  threadExit(vcpu: Vcpu): void {
    this.vcpuExit(vcpu);
  }

  /** A signal was delivered to (or returned from) a guest handler: from/to guest PCs. */
  discontinuity(vcpu: Vcpu, type: DisconType, from: number, to: number): void {
    const list = this.listeners.get('discontinuity');
    if (!list) return;
    const bit = DISCON[type];
    const call = this.slots.call;
    for (const plugin of [...list]) {
      const cb = plugin.callbacks.get('discontinuity') as ((...a: unknown[]) => unknown) | undefined;
      if (!cb || !plugin.active || ((this.disconMasks.get(plugin) ?? 0) & bit) === 0) continue;
      call.vcpu = vcpu.index;
      call.access = 'rw';
      try {
        cb(vcpu.index, type, from >>> 0, to >>> 0);
      } catch (e) {
        throw pluginFailure(plugin, 'its discontinuity callback', e);
      } finally {
        call.access = 'none';
      }
    }
  }

  // ---- syscalls (ProcessObserver) ----

  syscall(vcpu: Vcpu, nr: number, args: readonly number[]): void {
    this.emit('syscall', vcpu.index, 'rw', vcpu.index, nr, args);
  }

  syscallFilter(vcpu: Vcpu, nr: number, args: readonly number[]): number | undefined {
    const list = this.listeners.get('syscallFilter');
    if (!list || list.length === 0) return undefined;
    const call = this.slots.call;
    for (const plugin of [...list]) {
      const cb = plugin.callbacks.get('syscallFilter') as ((...a: unknown[]) => unknown) | undefined;
      if (!cb || !plugin.active) continue;
      call.vcpu = vcpu.index;
      call.access = 'rw';
      let result: unknown;
      try {
        result = cb(vcpu.index, nr, args);
      } catch (e) {
        throw pluginFailure(plugin, 'its syscall filter', e);
      } finally {
        call.access = 'none';
      }
      if (result === undefined || result === null || result === false) continue;
      const n = typeof result === 'bigint' ? Number(BigInt.asIntN(32, result)) : Number(result);
      if (!Number.isFinite(n)) throw pluginFailure(plugin, 'its syscall filter', new TypeError(`returned ${String(result)}, not a number or undefined`));
      return n | 0;
    }
    return undefined;
  }

  syscallReturn(vcpu: Vcpu, nr: number, result: number): void {
    this.emit('syscallReturn', vcpu.index, 'rw', vcpu.index, nr, result);
  }

  // ---- end of emulation ----

  /** The guest is gone: only atexit callbacks run from here on (QEMU's user-mode exit). */
  atexit(): void {
    this.runDeferred();
    const list = [...(this.listeners.get('exit') ?? [])];
    for (const event of this.listeners.keys()) if (event !== 'exit') this.listeners.set(event, []);
    for (const plugin of list) {
      const cb = plugin.callbacks.get('exit') as (() => unknown) | undefined;
      if (!cb) continue;
      try {
        cb();
      } catch (e) {
        throw pluginFailure(plugin, 'its exit callback', e);
      }
    }
    this.listeners.set('exit', []);
  }

  // ---- translation (BlockInstrumenter) ----

  flushed(): void {
    this.emit('flush', -1, 'none');
  }

  instrument(block: TranslatedBlock, retranslate: (instrumentation: InsnInstrumentation) => TranslatedBlock): TranslatedBlock {
    const listeners = this.listeners.get('tbTrans');
    const insns = block.insns;
    if (!listeners || listeners.length === 0 || !insns) return withoutMarks(block);
    // Block positions of the instructions plugins see (hidden ones are not guest instructions to them).
    const visible = insns.flatMap((i, k) => (i.hidden ? [] : [k]));
    if (visible.length === 0) return withoutMarks(block);
    const facts = visible.map((k) => new LazyInsnFacts(insns[k]!, this.config.mem, this.symbols));
    const requests = new BlockRequests(visible.length);
    let open = true;
    try {
      for (const plugin of [...listeners]) {
        const cb = plugin.callbacks.get('tbTrans') as ((tb: TbHandle) => unknown) | undefined;
        if (!cb || !plugin.active) continue;
        try {
          cb(new TbHandle(plugin, this.slots, facts, requests, () => open));
        } catch (e) {
          throw pluginFailure(plugin, 'its onTbTrans callback', e);
        }
      }
    } finally {
      open = false;
    }
    if (requests.empty) return withoutMarks(block);
    const built = buildInstrumentation(this.config.target, insns, visible, requests, this.slots, this.engine?.options.sliceBlocks ?? Infinity);
    // Without memory instrumentation no instruction's own code changes: fill the plain
    // translation's marks instead of translating again (bb, insn: half the codegen).
    const instrumented = requests.mem.every((l) => l.length === 0) ? { ...block, code: fillMarks(block.code, built.instrumentation) } : retranslate(built.instrumentation);
    instrumented.prologue = built.prologue;
    instrumented.epilogue = built.epilogue;
    return instrumented;
  }
}
