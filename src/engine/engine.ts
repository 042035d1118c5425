// The translation cache and the synchronous part of the exec loop: find (or translate)
// the region for the PC key, run it, repeat until it exits for a reason other than "next".
import type { CpuModel, InsnInstrumentation, Target, TranslateEnv, TranslatedBlock } from './target.js';
import type { GuestMemory } from '../memory/guest-memory.js';
import { GUEST_FAULT, PAGE_CODE, PAGE_SHIFT } from '../memory/guest-memory.js';
import type { Logger } from '../log/log.js';
import { EXIT_FAULT, EXIT_NEXT, type ExitCode } from './exits.js';
import { makeMemoryAccessors, memoryViews } from './memory-access.js';
import { collectBlocks, compileRegion, regionPages, regionSource, type Region } from './region.js';
import { CTL_BUDGET, CTL_FAULT_PC, CTL_INTERRUPT, type Vcpu } from './vcpu.js';

export interface EngineOptions {
  cpu: CpuModel;
  /** 1 with -one-insn-per-tb. */
  maxInsnsPerBlock: number;
  /** 1 with -d nochain or -one-insn-per-tb. */
  maxBlocksPerRegion: number;
  /** Blocks a vCPU runs before the exec loop yields to the event loop. */
  sliceBlocks: number;
  /**
   * Dispatcher entries after which a block compiled alone (in the lean cold form) is
   * rebuilt as a region (default HOT_REGION_HITS); 0 builds regions from the start
   * (instruction tests use it so that the region form is what they check).
   */
  hotRegionHits?: number;
  /** Name of the symbol containing an address, for logs ('' when none). */
  symbolize: (address: number) => string;
  /** Present only when plugins are loaded: sees every block and may instrument it. */
  instrumenter?: BlockInstrumenter;
}

/** Plugin instrumentation of translated blocks (src/plugins implements it). */
export interface BlockInstrumenter {
  /** Runtime entries instrumented code names (fixed identifiers). */
  runtime: Record<string, unknown>;
  /**
   * Sees each block as translated plainly (with its insns) and returns the block to run:
   * the same one, or `retranslate(...)` with instrumentation woven in.
   */
  instrument(block: TranslatedBlock, retranslate: (instrumentation: InsnInstrumentation) => TranslatedBlock): TranslatedBlock;
  /** The whole translation cache was just dropped. */
  flushed(): void;
}

/**
 * Entries through the dispatcher after which a one-block region is rebuilt as a region of
 * up to maxBlocksPerRegion blocks. Cold code (most of a program's start-up) is translated
 * once, one block at a time, in the lean form; only hot code pays for region building.
 * python3 starting up (34K blocks): 16 hits rebuilt 1,950 regions (33 MB of JS to compile),
 * 256 hits 530 (22 MB), 4.9 s -> 4.5 s; 1024 gained nothing more. A hot loop spends its
 * first 256 iterations in the dispatcher, microseconds in all.
 */
const HOT_REGION_HITS = 256;

export class Engine {
  private readonly regions = new Map<number, Region>();
  /**
   * Every block of a multi-block region, by key: entering at one of them (after a syscall,
   * a slice end, a return from outside) reuses the region, whose dispatch starts at any of
   * its blocks, instead of compiling yet another region around the same loop.
   */
  private readonly regionOfBlock = new Map<number, Region>();
  private readonly pageRegions = new Map<number, Set<Region>>();
  /** Translated blocks, reused by every region that contains them. */
  private readonly blocks = new Map<number, TranslatedBlock>();
  private readonly pageBlocks = new Map<number, Set<number>>();
  private readonly runtime: Record<string, unknown>;
  private readonly runtimeNames: string[];
  private readonly env: TranslateEnv;
  private readonly traceExec: boolean;
  private readonly logSource: boolean;
  private readonly logCpu: boolean;
  /** The vCPU running now, so a code write can stop its region. */
  private current: Vcpu | null = null;
  translatedBlocks = 0;
  /** -d jit: what translation cost (times only measured when the item is on). */
  private readonly jit = { on: false, regions: 0, multiBlockRegions: 0, sourceChars: 0, codegenMs: 0, compileMs: 0 };

  constructor(
    readonly target: Target,
    readonly mem: GuestMemory,
    readonly log: Logger,
    readonly options: EngineOptions,
  ) {
    this.traceExec = log.enabled('exec');
    this.logSource = log.enabled('op');
    this.jit.on = log.enabled('jit');
    this.logCpu = log.enabled('cpu');
    this.env = { mem, cpu: options.cpu, maxInsns: options.maxInsnsPerBlock, wantAsm: log.enabled('in_asm') };
    if (options.instrumenter) this.env.wantInsns = true;
    this.runtime = {
      ...makeMemoryAccessors(mem),
      ...memoryViews(mem),
      ...target.runtime(mem),
      trace: (key: number) => this.traceBlock(key),
      ...options.instrumenter?.runtime,
    };
    this.runtimeNames = Object.keys(this.runtime);
    mem.onCodeWrite = (address, size) => this.invalidate(address, size);
  }

  /** Add target helpers (the target's runtime() needs the state of a vCPU). */
  addRuntime(helpers: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(helpers)) {
      if (!(name in this.runtime)) this.runtimeNames.push(name);
      this.runtime[name] = value;
    }
  }

  /** Run `vcpu` until its region exits for a reason other than EXIT_NEXT, or its slice ends. */
  run(vcpu: Vcpu): ExitCode {
    const state = vcpu.state;
    const ctl = vcpu.ctl;
    const pcIndex = this.target.pcIndex;
    const blockKey = this.target.blockKey;
    const hotHits = this.options.hotRegionHits ?? HOT_REGION_HITS;
    ctl[CTL_BUDGET] = this.options.sliceBlocks;
    ctl[CTL_INTERRUPT] = 0;
    this.current = vcpu;
    for (;;) {
      const key = blockKey ? blockKey(state) : state[pcIndex]!;
      let region = this.regions.get(key);
      if (region === undefined || !region.final) region = this.regionOfBlock.get(key) ?? region ?? this.translate(key, hotHits === 0 ? this.options.maxBlocksPerRegion : 1);
      if (!region.final && ++region.hits >= hotHits) region = this.translate(key, this.options.maxBlocksPerRegion);
      if (this.logCpu) this.log.write(this.target.formatState(state));
      // Cold blocks leave faults to this catch, with the instruction's PC in ctl (region.ts).
      ctl[CTL_FAULT_PC] = state[pcIndex]!;
      let exit: ExitCode;
      try {
        exit = region.fn(state, ctl, vcpu.stateF64, vcpu.stateF32);
      } catch (e) {
        if (e !== GUEST_FAULT) throw e;
        state[pcIndex] = ctl[CTL_FAULT_PC]!;
        exit = EXIT_FAULT;
      }
      if (exit !== EXIT_NEXT) return exit;
      if (ctl[CTL_BUDGET]! <= 0) return EXIT_NEXT;
    }
  }

  /** Build (or rebuild) the region entered at `key`, of at most `maxBlocks` blocks. */
  translate(key: number, maxBlocks: number): Region {
    const jit = this.jit;
    const started = jit.on ? performance.now() : 0;
    const blocks = collectBlocks(this.target, this.env, key, maxBlocks, (k) => this.blockAt(k));
    const source = regionSource(this.target, blocks, { maxBlocks, traceExec: this.traceExec, indent: this.logSource, cold: maxBlocks === 1 && this.options.maxBlocksPerRegion > 1 }, this.runtimeNames);
    const generated = jit.on ? performance.now() : 0;
    this.log.log('op', `OP region 0x${(key >>> 0).toString(16).padStart(8, '0')}:\n${source}\n\n`);
    this.log.log('out_asm', `OUT: [region 0x${(key >>> 0).toString(16).padStart(8, '0')}: ${blocks.length} blocks, ${source.length} chars of JS]\n\n`);
    const fn = compileRegion(source, this.runtime, GUEST_FAULT);
    if (jit.on) {
      jit.regions++;
      if (blocks.length > 1) jit.multiBlockRegions++;
      jit.sourceChars += source.length;
      jit.codegenMs += generated - started;
      jit.compileMs += performance.now() - generated;
    }
    const final = maxBlocks >= this.options.maxBlocksPerRegion || blocks.length < maxBlocks;
    const region: Region = { key, fn, pages: regionPages(this.target, blocks), blocks, hits: 0, final };
    const old = this.regions.get(key);
    if (old) this.dropRegion(old);
    this.regions.set(key, region);
    if (blocks.length > 1) for (const b of blocks) this.regionOfBlock.set(b.key, region);
    const flags = this.mem.pageFlags;
    for (const page of region.pages) {
      flags[page] = flags[page]! | PAGE_CODE;
      let set = this.pageRegions.get(page);
      if (!set) this.pageRegions.set(page, (set = new Set()));
      set.add(region);
    }
    return region;
  }

  /**
   * -d jit's report: how much code was translated and what that cost, so a slow run can be
   * told apart as translation-bound (many cold blocks) or execution-bound. Codegen is
   * decoding and JS generation; compile is V8 parsing the region (its first-call compile
   * and later optimisation are part of running).
   */
  jitReport(totalMs: number): string {
    const j = this.jit;
    const ms = (x: number): string => x.toFixed(1);
    return (
      `JIT: ${this.translatedBlocks} blocks translated, ${j.regions} regions compiled (${j.multiBlockRegions} of several blocks), ` +
      `${j.sourceChars} chars of JS; codegen ${ms(j.codegenMs)} ms, V8 compile ${ms(j.compileMs)} ms, ` +
      `of ${ms(totalMs)} ms since start\n`
    );
  }

  /** The translated block at `key`, translating it on first use (-d in_asm logs it then). */
  private blockAt(key: number): TranslatedBlock {
    const cached = this.blocks.get(key);
    if (cached) return cached;
    let block = this.target.translateBlock(key, this.env);
    const instrumenter = this.options.instrumenter;
    if (instrumenter && block.insnCount > 0) {
      block = instrumenter.instrument(block, (instrument) => this.target.translateBlock(key, { ...this.env, instrument }));
    }
    this.translatedBlocks++;
    this.blocks.set(key, block);
    for (const page of regionPages(this.target, [block])) {
      let set = this.pageBlocks.get(page);
      if (!set) this.pageBlocks.set(page, (set = new Set()));
      set.add(key);
    }
    if (this.env.wantAsm) {
      const sym = this.options.symbolize(this.target.keyToAddress(block.key));
      this.log.write(`----------------\nIN: ${sym}\n${block.asm.join('\n')}\n\n`);
    }
    return block;
  }

  /** Drop every region with code in [address, address+size); the running one stops at its next block. */
  invalidate(address: number, size: number): void {
    const first = address >>> PAGE_SHIFT;
    const last = (address + Math.max(size, 1) - 1) >>> PAGE_SHIFT;
    for (let page = first; page <= last; page++) {
      const keys = this.pageBlocks.get(page);
      if (keys) {
        this.pageBlocks.delete(page);
        for (const key of keys) this.blocks.delete(key);
      }
      const set = this.pageRegions.get(page);
      if (!set) continue;
      this.pageRegions.delete(page);
      this.mem.pageFlags[page] = this.mem.pageFlags[page]! & ~PAGE_CODE;
      for (const region of set) this.dropRegion(region);
    }
    if (this.current) this.current.interrupt();
  }

  /** Forget all translations (plugins registering late, cacheflush of a large range). */
  flush(): void {
    for (const page of this.pageRegions.keys()) this.mem.pageFlags[page] = this.mem.pageFlags[page]! & ~PAGE_CODE;
    this.pageRegions.clear();
    this.regions.clear();
    this.regionOfBlock.clear();
    this.blocks.clear();
    this.pageBlocks.clear();
    if (this.current) this.current.interrupt();
    this.options.instrumenter?.flushed();
  }

  private dropRegion(region: Region): void {
    if (this.regions.get(region.key) === region) this.regions.delete(region.key);
    for (const b of region.blocks) if (this.regionOfBlock.get(b.key) === region) this.regionOfBlock.delete(b.key);
    for (const page of region.pages) this.pageRegions.get(page)?.delete(region);
  }

  private traceBlock(key: number): void {
    const pc = this.target.keyToAddress(key);
    const sym = this.options.symbolize(pc);
    this.log.write(`Trace 0: 0x0 [00000000/${hex8(pc)}/00000000/00000000] ${sym}\n`);
  }
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

