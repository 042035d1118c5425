// A plugin written from plugins/README.md and plugins/api.d.ts alone
// (plugins/testdata/docs-author.mjs), run on committed test programs. Every expected number
// below is derived independently of tsqemu: from the C sources in test-binaries/src/, from
// `arm-linux-gnueabi-objdump -d` of the binaries, or (when installed) from qemu-arm itself.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EMU = join(ROOT, 'dist/tsqemu-arm.js');
const PLUGIN = 'plugins/testdata/docs-author.mjs';

interface Summary {
  lines: string[];
  blocks: number;
  insns: number;
  translatedBlocks: number;
  calls: number;
  pcMismatch: number;
  targetMismatch: number;
  lrChecked: number;
  lrMismatch: number;
  callees: [string, number][];
  sites: Map<string, [string, number][]>; // callee -> [site line, calls]
  edges: Map<string, Map<string, number>>; // caller -> callee -> calls
  blockRows: { vaddr: number; symbol: string; execs: number; insns: number; first: string }[];
  syscalls: Map<number, { name: string; calls: number; errors: number; bytes?: number; from: string[] }>;
}

function run(args: string, prog: string) {
  const r = spawnSync('node', [EMU, '-plugin', `${PLUGIN}${args ? `,${args}` : ''}`, `test-binaries/${prog}`], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parse the summary (the format documented at the top of the plugin); throws on any unexpected line. */
function parse(stderr: string): Summary {
  const lines = stderr.split('\n').filter((l) => l.startsWith('docs-author: '));
  const s: Summary = {
    lines, blocks: -1, insns: -1, translatedBlocks: -1, calls: -1, pcMismatch: -1, targetMismatch: -1, lrChecked: -1, lrMismatch: -1,
    callees: [], sites: new Map(), edges: new Map(), blockRows: [], syscalls: new Map(),
  };
  let section = '';
  let caller = '';
  let callee = '';
  // Groups of a match as strings ('' for an optional group that did not take part).
  const match = (re: RegExp, text: string): string[] | null => {
    const m = re.exec(text);
    return m ? m.slice(1).map((g) => g ?? '') : null;
  };
  for (const full of lines) {
    const l = full.slice('docs-author: '.length);
    let g: string[] | null;
    if ((g = match(/^blocks (\d+) insns (\d+) translated-blocks (\d+) translated-insns (\d+)$/, l))) {
      [s.blocks, s.insns, s.translatedBlocks] = g.map(Number) as [number, number, number];
    } else if ((g = match(/^calls (\d+) sites (\d+) pc-mismatch (\d+) target-mismatch (\d+) skipped-cond (\d+)$/, l))) {
      const [calls, , pc, target] = g.map(Number) as [number, number, number, number];
      [s.calls, s.pcMismatch, s.targetMismatch] = [calls, pc, target];
    } else if ((g = match(/^lr-checked (\d+) lr-mismatch (\d+)$/, l))) {
      [s.lrChecked, s.lrMismatch] = g.map(Number) as [number, number];
    } else if (/^top (\d+|all) callees$/.test(l)) section = 'callees';
    else if (/^top (\d+|all) blocks$/.test(l)) section = 'blocks';
    else if (l === 'syscalls') section = 'syscalls';
    else if (l === 'end') section = 'end';
    else if ((g = match(/^edges from (\S+)$/, l))) {
      section = 'edges';
      caller = g[0]!;
      s.edges.set(caller, new Map());
    } else if (section === 'callees' && (g = match(/^ {2}callee (\S+) calls (\d+)$/, l))) {
      callee = g[0]!;
      s.callees.push([callee, Number(g[1])]);
      s.sites.set(callee, []);
    } else if (section === 'callees' && (g = match(/^ {4}site (0x[0-9a-f]+ \S+ ".*") calls (\d+)$/, l))) {
      s.sites.get(callee)!.push([g[0]!, Number(g[1])]);
    } else if (section === 'edges' && (g = match(/^ {2}(\S+) -> (\S+) calls (\d+)$/, l)) && g[0] === caller) {
      s.edges.get(caller)!.set(g[1]!, Number(g[2]));
    } else if (section === 'blocks' && (g = match(/^ {2}block 0x([0-9a-f]{8}) (\S+) execs (\d+) insns (\d+) first "(.*)"$/, l))) {
      const [vaddr, symbol, execs, insns, first] = g as [string, string, string, string, string];
      s.blockRows.push({ vaddr: parseInt(vaddr, 16), symbol, execs: +execs, insns: +insns, first });
    } else if (section === 'syscalls' && (g = match(/^ {2}syscall (\d+) (\S+) calls (\d+) errors (\d+)(?: bytes (\d+))? from (\S+)$/, l))) {
      const [nr, name, calls, errors, bytes, from] = g as [string, string, string, string, string, string];
      s.syscalls.set(+nr, { name, calls: +calls, errors: +errors, bytes: bytes === '' ? undefined : +bytes, from: from.split(',') });
    } else throw new Error(`unexpected summary line: ${JSON.stringify(full)}`);
  }
  return s;
}

/** The callee whose name is one of the ELF aliases of a libc function (glibc defines several). */
function edge(s: Summary, caller: string, ...aliases: string[]): number | undefined {
  const m = s.edges.get(caller);
  const hits = aliases.filter((a) => m?.has(a));
  expect(hits.length, `${caller} -> one of ${aliases.join('/')}`).toBeLessThanOrEqual(1);
  return hits[0] === undefined ? undefined : m!.get(hits[0]);
}
const callee = (s: Summary, name: string) => s.callees.find(([n]) => n === name)?.[1];

/**
 * Comparisons made by glibc's qsort on small arrays: msort_with_tmp, a top-down merge sort
 * splitting n into n/2 and n - n/2, one compare per merge step while both halves have elements.
 */
function mergeSortCompares<T>(items: T[], cmp: (a: T, b: T) => number): { sorted: T[]; compares: number } {
  let compares = 0;
  const sort = (a: T[]): T[] => {
    if (a.length <= 1) return a;
    const n1 = a.length >> 1;
    const l = sort(a.slice(0, n1));
    const r = sort(a.slice(n1));
    const out: T[] = [];
    let i = 0;
    let j = 0;
    while (i < l.length && j < r.length) {
      compares++;
      out.push(cmp(l[i]!, r[j]!) <= 0 ? l[i++]! : r[j++]!);
    }
    return out.concat(l.slice(i), r.slice(j));
  };
  return { sorted: sort(items), compares };
}

/** qsort_strings.c's three qsort calls: the LCG-filled ints, then the words by strcmp, then by length. */
function qsortStringsCompares() {
  const ints: number[] = [];
  let seed = 7;
  for (let i = 0; i < 40; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    ints.push((seed >>> 16) - 32768);
  }
  const words = ['pear', 'apple', 'fig', 'banana', 'Cherry', 'date', 'apricot', 'kiwi', 'zucchini', '', 'grape',
    'applesauce', 'Apple', 'melon'];
  const strcmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const byInt = mergeSortCompares(ints, (x, y) => Number(x > y) - Number(x < y));
  const byStr = mergeSortCompares(words, strcmp);
  const byLen = mergeSortCompares(byStr.sorted, (x, y) => (x.length !== y.length ? (x.length < y.length ? -1 : 1) : strcmp(x, y)));
  return { cmp_int: byInt.compares, cmp_str: byStr.compares, cmp_len_then_str: byLen.compares };
}

/** Facts every summary must satisfy, whatever the program. */
function checkInvariants(s: Summary, limit: number) {
  expect(s.lines.at(-1)).toBe('docs-author: end');
  expect(s.blocks).toBeGreaterThan(0);
  expect(s.insns).toBeGreaterThanOrEqual(s.blocks);
  expect(s.translatedBlocks).toBeGreaterThan(0);
  expect(s.calls).toBeGreaterThan(0);
  // pc read in the bl/blx callback is the instruction's address; the callee decoded from the
  // bytes (ARM or Thumb, chosen by cpsr.T) is the target printed in insn.disas.
  expect(s.pcMismatch).toBe(0);
  expect(s.targetMismatch).toBe(0);
  // lr read on entry to a call target, straight after the call, is the return address.
  expect(s.lrChecked).toBeGreaterThan(0);
  expect(s.lrChecked).toBeLessThanOrEqual(s.calls);
  expect(s.lrMismatch).toBe(0);
  if (limit > 0) {
    expect(s.callees.length).toBe(limit);
    expect(s.blockRows.length).toBe(limit);
  }
  const counts = s.callees.map(([, n]) => n);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  const execs = s.blockRows.map((b) => b.execs);
  expect(execs).toEqual([...execs].sort((a, b) => b - a));
  expect(s.syscalls.get(248)).toMatchObject({ name: 'exit_group', calls: 1, errors: 0 });
}

beforeAll(() => {
  if (!existsSync(EMU)) {
    const b = spawnSync('node', ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  }
}, 300_000);

describe('docs-author plugin (written from the README alone)', () => {
  it('hello: one call from main to puts, one write of the whole line, exit_group', () => {
    const r = run('limit=5,caller=main', 'armel/hello');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Hello, world!\n');
    const s = parse(r.stderr);
    checkInvariants(s, 5);
    // hello.c: main calls puts once (objdump: `bl 188ac <_IO_puts>`; puts and _IO_puts are aliases).
    expect([...s.edges.get('main')!]).toHaveLength(1);
    expect(edge(s, 'main', 'puts', '_IO_puts')).toBe(1);
    // One write(2) of the 14 bytes seen on stdout, from glibc's write wrapper.
    expect(s.syscalls.get(4)).toMatchObject({ name: 'write', calls: 1, errors: 0, bytes: Buffer.byteLength(r.stdout) });
    expect(s.syscalls.get(4)!.from).toEqual(['__libc_write']);
    expect(s.syscalls.get(248)!.from).toEqual(['_exit']);
  });

  it('per-block inline counters add up to the global block and instruction counters', () => {
    const r = run('limit=0', 'armel/hello');
    expect(r.status).toBe(0);
    const s = parse(r.stderr);
    checkInvariants(s, 0);
    expect(s.blockRows.length).toBeGreaterThan(0);
    expect(s.blockRows.reduce((n, b) => n + b.execs, 0)).toBe(s.blocks);
    expect(s.blockRows.reduce((n, b) => n + b.execs * b.insns, 0)).toBe(s.insns);
    // main (objdump: 0x10420..0x10437) is entered once and is two blocks, as a bl ends a block:
    // 0x10420 ldr/push/add/bl (4 insns) and 0x10430 mov/pop (2 insns).
    const main = s.blockRows.filter((b) => b.symbol === 'main').sort((a, b) => a.vaddr - b.vaddr);
    expect(main.map((b) => [b.vaddr, b.execs, b.insns])).toEqual([[0x10420, 1, 4], [0x10430, 1, 2]]);
    // objdump: `ldr r0, [pc, #16] @ 10438 <main+0x18>`; the comment's spelling is the disassembler's own.
    expect(main[0]!.first).toMatch(/^ldr r0, \[pc, #16\]( |$)/);
  });

  const qemu = spawnSync('qemu-arm', ['-version'], { encoding: 'utf8' });
  it.skipIf(qemu.status !== 0)('hello: block and instruction totals equal qemu-arm -d exec,nochain (-singlestep)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-author-'));
    try {
      const traces = (extra: string[]) => {
        const log = join(dir, 'q.log');
        const q = spawnSync('qemu-arm', [...extra, '-d', 'exec,nochain', '-D', log, 'test-binaries/armel/hello'], { cwd: ROOT, encoding: 'utf8' });
        expect(q.status).toBe(0);
        return readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('Trace ')).length;
      };
      const s = parse(run('limit=1', 'armel/hello').stderr);
      expect(s.blocks).toBe(traces([]));
      expect(s.insns).toBe(traces(['-singlestep']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const prog of ['armel/qsort_strings', 'armhf/qsort_strings']) {
    it(`${prog}: calls from main and comparator calls match the C source`, () => {
      const r = run('limit=5,caller=main,caller=msort_with_tmp.part.0', prog);
      expect(r.status).toBe(0);
      const s = parse(r.stderr);
      checkInvariants(s, 5);
      // Straight from qsort_strings.c (each a real call in the objdump of main):
      expect(edge(s, 'main', 'qsort')).toBe(3);
      // 11 strings in the loop + base36 + base2 + atoi + atol (both compiled to strtol calls).
      expect(edge(s, 'main', 'strtol', '__strtol')).toBe(15);
      expect(edge(s, 'main', 'strtoul', '__strtoul')).toBe(11);
      expect(edge(s, 'main', 'strtoll', '__strtoll', 'strtoq')).toBe(1);
      expect(edge(s, 'main', 'strtoull', '__strtoull', 'strtouq')).toBe(1);
      // printf("\n") after ints, strcmp order, length order and tokens became putchar.
      expect(edge(s, 'main', 'putchar')).toBe(4);
      expect(edge(s, 'main', 'sscanf', '__isoc99_sscanf')).toBe(3);
      // strtok_r: 4 tokens (alpha, beta, gamma, delta) and the final NULL; strdup/free per token.
      expect(edge(s, 'main', 'strtok_r', '__strtok_r')).toBe(5);
      expect(edge(s, 'main', 'strdup', '__strdup')).toBe(4);
      expect(edge(s, 'main', 'free', '__free', 'cfree')).toBe(4);
      // 40 " %d" + "ints:" + bsearch + 2 headers + 2 x 14 words + 10 string.h lines + 2 memmove lines
      // + "tokens:" + 4 tokens + 11 strtol lines + base36 + atoi + 3 sscanf lines (the rest are putchar).
      expect(edge(s, 'main', 'printf', '_IO_printf')).toBe(103);
      // `bls 10c18 <main+0x7f8>` in main is a conditional branch, not a call.
      expect(edge(s, 'main', 'main')).toBeUndefined();
      // The comparators are called through `blx` on a register from glibc's merge sort.
      const expected = qsortStringsCompares();
      const fromSort = s.edges.get('msort_with_tmp.part.0')!;
      expect(Object.fromEntries(['cmp_int', 'cmp_str', 'cmp_len_then_str'].map((f) => [f, fromSort.get(f)]))).toEqual(expected);
      // stdout is a pipe: glibc buffers it and writes it all (checked: every byte accounted for).
      expect(s.syscalls.get(4)!.bytes).toBe(Buffer.byteLength(r.stdout));
      expect(s.syscalls.get(4)!.errors).toBe(0);
    });
  }

  it('sites=on: the call sites listed under a callee add up to its count', () => {
    const r = run('limit=3,sites', 'armel/qsort_strings');
    expect(r.status).toBe(0);
    const s = parse(r.stderr);
    checkInvariants(s, 3);
    for (const [name, n] of s.callees) {
      const sites = s.sites.get(name)!;
      expect(sites.length).toBeGreaterThan(0);
      expect(sites.reduce((k, [, c]) => k + c, 0)).toBe(n);
    }
    expect(callee(s, 'memcpy')).toBeGreaterThan(0);
  });

  it('argument errors end tsqemu with one line naming the plugin', () => {
    for (const [arg, what] of [['limt=5', 'limt'], ['limit=abc', 'limit=abc'], ['sites=maybe', 'sites=maybe']] as const) {
      const r = run(arg, 'armel/hello');
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('plugin docs-author');
      expect(lines[0]).toContain(what);
    }
  });
});
