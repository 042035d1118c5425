// Builds a region: the blocks reachable from an entry key through direct branches, compiled
// as ONE JS function `for (;;) switch (pc)` so jumps between its blocks never leave it and
// guest registers stay in JS locals across them (DESIGN.md rules 2 and 3).
import type { Target, TranslateEnv, TranslatedBlock } from './target.js';
import { EXIT_FAULT } from './exits.js';
import { PAGE_SHIFT, PROT_EXEC, PROT_READ } from '../memory/guest-memory.js';
import { pageReadable, pageWritable } from './memory-access.js';
import { CTL_BUDGET, CTL_FAULT_PC, CTL_INTERRUPT } from './vcpu.js';
import { selfLoop } from './self-loop.js';

/** S: Int32 state; ctl: exec-loop controls; D/F: Float64/Float32 views of the state buffer. */
export type RegionFunction = (S: Int32Array, ctl: Int32Array, D: Float64Array, F: Float32Array) => number;

export interface Region {
  key: number;
  fn: RegionFunction;
  /** Guest pages holding code of this region (for invalidation). */
  pages: number[];
  blocks: TranslatedBlock[];
  /** Entries through the dispatcher; a one-block region that gets hot is rebuilt larger. */
  hits: number;
  /** Built at full size (or cannot grow): no further rebuilds. */
  final: boolean;
}

export interface RegionOptions {
  /** Most blocks per region (1 = no chaining, as -d nochain). */
  maxBlocks: number;
  /** Emit a trace(key) call at every block start (-d exec). */
  traceExec: boolean;
  /** Indent block code (only worth its cost when -d op shows the source). */
  indent?: boolean;
  /**
   * A first translation of one block, likely cold: compiled in the lean form (coldSource),
   * which costs V8 about half as much to compile as a region and runs a few times at most
   * before a hot block is rebuilt as a region.
   */
  cold?: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const IDENTIFIERS = /[A-Za-z_$][\w$]*/g;

/**
 * Where block code wants the region's epilogue run without leaving (before a plugin
 * callback that reads counters the region keeps in locals): an expression the region
 * replaces with its epilogue expressions, which must be safe to run more than once.
 */
export const EPILOGUE = 'REGION_EPILOGUE';
const EPILOGUE_MARK = /\bREGION_EPILOGUE\b/g;

/** Collect blocks breadth-first from the entry, following direct successors. */
export function collectBlocks(target: Target, env: TranslateEnv, entry: number, maxBlocks: number, blockAt: (key: number) => TranslatedBlock): TranslatedBlock[] {
  const blocks: TranslatedBlock[] = [];
  // By `key | 0`, the case label: a successor never shares a label with an entry keyed
  // beyond int32 (Target.blockKey).
  const seen = new Set<number>([entry | 0]);
  const queue = [entry];
  while (queue.length > 0 && blocks.length < maxBlocks) {
    const key = queue.shift()!;
    const block = blockAt(key);
    blocks.push(block);
    for (const next of block.successors) {
      if (seen.has(next | 0)) continue;
      seen.add(next | 0);
      // Only grow into code that can be fetched now; anything else is reached through
      // the dispatcher (and faults there, precisely, if it is still not executable).
      const addr = target.keyToAddress(next);
      if (env.mem.rangeHas(addr, 2, PROT_READ | PROT_EXEC)) queue.push(next);
    }
  }
  return blocks;
}

export function regionSource(target: Target, blocks: readonly TranslatedBlock[], options: RegionOptions, runtimeNames: readonly string[]): string {
  if (options.cold && blocks.length === 1) return coldSource(target, blocks[0]!, options, runtimeNames);
  const pcIndex = target.pcIndex;
  const tempCount = Math.max(0, ...blocks.map((b) => b.tempCount));
  const prologue = new Set(blocks.flatMap((b) => b.prologue ?? []));
  const epilogue = [...new Set(blocks.flatMap((b) => b.epilogue ?? []))];
  const leave = epilogue.length > 0 ? `(${epilogue.join(', ')})` : '0';
  // Only the runtime names and cached locals the code mentions: most regions are one cold
  // block, and a region's source, its closure and every entry and exit grow with each
  // name (a register no block names is neither read nor written, so S keeps it).
  const text = [...blocks.map((b) => b.code), ...prologue, options.traceExec ? 'trace' : ''].join('\n');
  // One pass over the code for the identifiers it mentions (a region is usually one cold
  // block; testing each of the ~100 runtime names against the text cost more than the rest).
  const mentioned = new Set(text.match(IDENTIFIERS));
  for (const view of INLINE_VIEWS) mentioned.add(view);
  const locals = target.cachedLocals.filter((l) => mentioned.has(l.name));
  const lines: string[] = [];
  lines.push('"use strict";');
  const names = runtimeNames.filter((n) => mentioned.has(n) && IDENTIFIER.test(n));
  // Parenthesised so V8 compiles the region with its factory, in one parse (a bare inner
  // function is pre-parsed, then parsed again on its first call).
  lines.push(`return (function region_${(blocks[0]!.key >>> 0).toString(16)}(S, ctl, D, F) {`);
  // Runtime names as locals of the region, read on each entry: read from the factory's
  // closure at each use instead, V8 reloaded every memory view and its bounds at every
  // access and could not treat helpers as known functions (sha256 2.09 -> 1.47 s, crc32
  // 1.35 -> 1.10, nbody 2.26 -> 2.13).
  if (names.length > 0) lines.push(`  const { ${names.join(', ')} } = rt;`);
  lines.push('  ' + locals.map((l) => `let ${l.name} = S[${l.index}];`).join(' '));
  const temps = Array.from({ length: tempCount }, (_, i) => `t${i} = 0`);
  // The slice budget lives in a local while the region runs; ctl[CTL_INTERRUPT] stops it.
  const scratch = (target.hotRegionCode?.locals ?? []).map((l) => `, ${l} = 0`).join('');
  lines.push(`  let pc = S[${pcIndex}], ipc = pc, exit = 0, budget = ctl[${CTL_BUDGET}]${temps.length ? ', ' + temps.join(', ') : ''}${scratch};`);
  // Plugin instrumentation hoists lookups (vCPU index, scoreboards) here, once per entry.
  for (const line of prologue) lines.push('  ' + line);
  lines.push('  try {');
  lines.push('    dispatch: for (;;) {');
  lines.push(`      if (--budget < 0 || ctl[${CTL_INTERRUPT}] !== 0) break dispatch;`);
  lines.push('      switch (pc) {');
  for (const block of blocks) {
    lines.push(`      case ${block.key | 0}: {`);
    if (options.traceExec) lines.push(`        trace(${block.key | 0});`);
    const plain = inlineMemoryAccesses((options.traceExec ? block.code : selfLoop(block)).replace(EPILOGUE_MARK, leave));
    const code = target.hotRegionCode ? target.hotRegionCode.rewrite(plain) : plain;
    lines.push(options.indent ? code.replace(/^/gm, '        ') : code);
    lines.push('      }');
  }
  lines.push('      default: break dispatch;');
  lines.push('      }');
  lines.push('    }');
  lines.push('  } catch (e) {');
  lines.push(epilogue.length > 0 ? `    if (e !== FAULT) { ${leave}; throw e; }` : '    if (e !== FAULT) throw e;');
  lines.push(`    pc = ipc; exit = ${EXIT_FAULT};`);
  lines.push('  }');
  if (epilogue.length > 0) lines.push(`  ${leave};`);
  lines.push(`  ctl[${CTL_BUDGET}] = budget > 0 && ctl[${CTL_INTERRUPT}] === 0 ? budget : 0;`);
  lines.push('  ' + locals.map((l) => `S[${l.index}] = ${l.name};`).join(' '));
  lines.push(`  S[${pcIndex}] = pc;`);
  lines.push('  return exit;');
  lines.push('});');
  return lines.join('\n');
}

const ADDRESS = String.raw`[A-Za-z_$][\w$]*|S\[\d+\]|\([A-Za-z_$][\w$]* \+ -?\d+\) \| 0|-?\d+`;
const LOAD_CALL = new RegExp(String.raw`\b(ld32w?|ld16|ld8)\((${ADDRESS})\)`, 'g');
const STORE_CALL = new RegExp(String.raw`\b(st32w?|st16|st8)\((${ADDRESS}), ([A-Za-z_$][\w$]*|S\[\d+\]|-?\d+)\);`, 'g');
/** The runtime names inlined accesses use (a region destructures them like any helper). */
const INLINE_VIEWS = ['M_pf', 'M_i32', 'M_u16', 'M_u8'];
const VIEW: Record<string, { align: number; view: string; shift: number }> = {
  ld32: { align: 3, view: 'M_i32', shift: 2 },
  ld32w: { align: 3, view: 'M_i32', shift: 2 },
  st32: { align: 3, view: 'M_i32', shift: 2 },
  st32w: { align: 3, view: 'M_i32', shift: 2 },
  ld16: { align: 1, view: 'M_u16', shift: 1 },
  st16: { align: 1, view: 'M_u16', shift: 1 },
  ld8: { align: 0, view: 'M_u8', shift: 0 },
  st8: { align: 0, view: 'M_u8', shift: 0 },
};

/**
 * Hot regions test the page flag inline before calling the accessor: V8 inlines only so
 * many accessor calls into one region function (its inlining budget), and a region of
 * 32 blocks has more. Only simple address operands (a local, a state word, local + constant,
 * a constant) are rewritten, since the operand is evaluated more than once.
 */
function inlineMemoryAccesses(code: string): string {
  const fast = (fn: string, a: string, flagTest: string): [string, string] => {
    const { align, view, shift } = VIEW[fn]!;
    const aligned = align ? `(${a} & ${align}) === 0 && ` : '';
    return [`${aligned}${flagTest}`, `${view}[${a} >>> ${shift}]`];
  };
  return code
    .replace(LOAD_CALL, (_m, fn: string, a: string) => {
      const [test, place] = fast(fn, `(${a})`, pageReadable(`(${a})`));
      return `(${test} ? ${place} : ${fn}(${a}))`;
    })
    .replace(STORE_CALL, (_m, fn: string, a: string, v: string) => {
      const [test, place] = fast(fn, `(${a})`, pageWritable(`(${a})`));
      return `{ if (${test}) ${place} = ${v}; else ${fn}(${a}, ${v}); }`;
    });
}

/**
 * One block compiled without a region's frame: guest registers are read and written in S
 * itself instead of locals loaded on entry and stored on exit, and there is no dispatch
 * loop (`dispatch: do { } while (false)` gives the block's `continue dispatch` and
 * `break dispatch` their meaning: leave with pc and exit set). Most blocks of a large
 * program run a handful of times, in V8's interpreter, where a state load costs about what
 * a local does; what matters for them is compile cost, which grows with the source.
 */
function coldSource(target: Target, block: TranslatedBlock, options: RegionOptions, runtimeNames: readonly string[]): string {
  const pcIndex = target.pcIndex;
  const prologue = block.prologue ?? [];
  const epilogue = block.epilogue ?? [];
  const leave = epilogue.length > 0 ? `(${epilogue.join(', ')})` : '0';
  const { pattern, stateOf } = cachedLocalPattern(target);
  const code = block.code.replace(pattern, (name) => stateOf.get(name)!).replace(EPILOGUE_MARK, leave);
  const mentioned = new Set([code, ...prologue].join('\n').match(IDENTIFIERS));
  if (options.traceExec) mentioned.add('trace');
  const names = runtimeNames.filter((n) => mentioned.has(n) && IDENTIFIER.test(n));
  const temps = Array.from({ length: block.tempCount }, (_, i) => `, t${i} = 0`).join('');
  const lines: string[] = ['"use strict";'];
  if (names.length > 0) lines.push(`const { ${names.join(', ')} } = rt;`);
  lines.push(`return (function block_${(block.key >>> 0).toString(16)}(S, ctl, D, F) {`);
  // Without an epilogue to run, a fault needs no catch here: the instruction's PC goes to
  // ctl[CTL_FAULT_PC] instead of `ipc`, and the exec loop catches (Engine.run). V8's
  // compile cost grows with the source, and this is most of the frame.
  if (epilogue.length === 0 && !IPC_READ.test(code)) {
    lines.push(`let pc = S[${pcIndex}], exit = 0${temps};`);
    lines.push(...prologue);
    if (options.traceExec) lines.push(`trace(${block.key | 0});`);
    lines.push('dispatch: do {', code.replace(IPC_WRITE, `ctl[${CTL_FAULT_PC}] = `), '} while (false);');
    lines.push(`ctl[${CTL_BUDGET}]--;`, `S[${pcIndex}] = pc;`, 'return exit;', '});');
    return lines.join('\n');
  }
  lines.push(`let pc = S[${pcIndex}], ipc = pc, exit = 0${temps};`);
  lines.push(...prologue);
  lines.push('try {');
  if (options.traceExec) lines.push(`trace(${block.key | 0});`);
  lines.push('dispatch: do {', code, '} while (false);');
  lines.push('} catch (e) {');
  lines.push(epilogue.length > 0 ? `if (e !== FAULT) { ${leave}; throw e; }` : 'if (e !== FAULT) throw e;');
  lines.push(`pc = ipc; exit = ${EXIT_FAULT};`);
  lines.push('}');
  if (epilogue.length > 0) lines.push(`${leave};`);
  // One block of the slice spent (the exec loop ends the slice when it reaches 0).
  lines.push(`ctl[${CTL_BUDGET}]--;`);
  lines.push(`S[${pcIndex}] = pc;`);
  lines.push('return exit;');
  lines.push('});');
  return lines.join('\n');
}

const IPC_WRITE = /\bipc = /g;
/** `ipc` other than assigned (block code only assigns it; anything else keeps the full frame). */
const IPC_READ = /\bipc\b(?! = )/;

const localPatterns = new WeakMap<Target, { pattern: RegExp; stateOf: Map<string, string> }>();

/** A pattern matching exactly the target's cached-local names, and their S[] places. */
function cachedLocalPattern(target: Target): { pattern: RegExp; stateOf: Map<string, string> } {
  let entry = localPatterns.get(target);
  if (!entry) {
    const names = target.cachedLocals.map((l) => l.name).sort((a, b) => b.length - a.length);
    entry = { pattern: new RegExp(`(?<![\\w$])(?:${names.join('|')})(?![\\w$])`, 'g'), stateOf: new Map(target.cachedLocals.map((l) => [l.name, `S[${l.index}]`])) };
    localPatterns.set(target, entry);
  }
  return entry;
}

/** The single `new Function` site of the project. */
export function compileRegion(source: string, runtime: Record<string, unknown>, fault: unknown): RegionFunction {
  const factory = new Function('rt', 'FAULT', source) as (rt: Record<string, unknown>, fault: unknown) => RegionFunction;
  return factory(runtime, fault);
}

export function regionPages(target: Target, blocks: readonly TranslatedBlock[]): number[] {
  const pages = new Set<number>();
  for (const b of blocks) {
    const start = target.keyToAddress(b.key);
    const last = Math.max(start, b.end - 1);
    for (let p = start >>> PAGE_SHIFT; p <= last >>> PAGE_SHIFT; p++) pages.add(p);
  }
  return [...pages];
}
