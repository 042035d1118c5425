// The cache plugin and mem's region-summary: the cache model on hand-computed access
// sequences, QEMU's output format on committed binaries, counts that must agree with the
// insn and mem plugins, and miss counts recomputed here from execlog's trace of the same
// run by a separate, naive simulator (so a wrong set index, eviction or attribution shows).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, tsqemu } from '../src/plugins/testdata/run.js';
// @ts-expect-error plain ES modules without type declarations
import { Cache, geometryError, seededRandom } from './lib/cache-model.mjs';
// @ts-expect-error plain ES module without type declarations
import { fixed } from './lib/printf.mjs';

const HELLO = 'test-binaries/armel/hello';
const tmp = mkdtempSync(join(tmpdir(), 'tsqemu-cache-'));

interface Model {
  access(address: number): boolean;
  accesses: number;
  misses: number;
}
const newCache = (size: number, blksize: number, assoc: number, policy = 'lru', random?: () => number): Model => new Cache({ size, blksize, assoc }, policy, random) as Model;
const hits = (cache: Model, addresses: number[]): string => addresses.map((a) => (cache.access(a) ? 'H' : 'M')).join('');

describe('cache model', () => {
  it('direct mapped: the set is (address / block) mod sets; a block holds blksize bytes', () => {
    // 64 bytes, 16-byte blocks, 1 way: 4 sets; 0x0 and 0x40 share set 0, 0x10 is set 1
    const c = newCache(64, 16, 1);
    // 0xfffffff0 is block 0x0fffffff, set 3, which 0x30 then takes over
    expect(hits(c, [0x0, 0xf, 0x10, 0x40, 0x0, 0x1f, 0xfffffff0, 0x20, 0xfffffffc, 0x30, 0xfffffff8])).toBe('MHMMMHMMHMM');
    expect([c.accesses, c.misses]).toEqual([11, 8]);
  });

  it('LRU replaces the least recently used way, FIFO the first filled', () => {
    // one set of two 16-byte ways: A=0x00, B=0x10, C=0x20
    const seq = [0x00, 0x10, 0x00, 0x20, 0x00, 0x10];
    // LRU: A B A(hit, A newest) C(evicts B) A(hit) B(evicts C)
    expect(hits(newCache(32, 16, 2, 'lru'), seq)).toBe('MMHMHM');
    // FIFO: A B A(hit, order unchanged) C(evicts A) A(evicts B) B(evicts C)
    expect(hits(newCache(32, 16, 2, 'fifo'), seq)).toBe('MMHMMM');
    // 2 sets of 2 ways: 0x00/0x20/0x40 in set 0, 0x10 in set 1 (never evicted)
    expect(hits(newCache(64, 16, 2, 'lru'), [0x00, 0x20, 0x10, 0x00, 0x40, 0x20, 0x10, 0x00])).toBe('MMMHMMHM');
    expect(hits(newCache(64, 16, 2, 'fifo'), [0x00, 0x20, 0x10, 0x00, 0x40, 0x20, 0x10, 0x00])).toBe('MMMHMHHM');
  });

  it('rand: the way comes from the seeded sequence; the same seed, the same misses', () => {
    const ways: number[] = [];
    const random = seededRandom(7);
    const recorder = () => {
      const r = random() as number;
      ways.push(r % 4);
      return r;
    };
    // one set of 4 ways: fill 4 blocks, then 5 new ones each evict the drawn way
    const c = newCache(64, 16, 4, 'rand', recorder);
    expect(hits(c, [0x00, 0x10, 0x20, 0x30])).toBe('MMMM');
    const resident = [0x00, 0x10, 0x20, 0x30];
    for (const block of [0x40, 0x50, 0x60, 0x70, 0x80]) {
      expect(c.access(block)).toBe(false);
      resident[ways.at(-1)!] = block;
    }
    expect(ways).toHaveLength(5);
    expect(resident.map((a) => c.access(a))).toEqual([true, true, true, true]);
    const run = (seed: number) => {
      const d = newCache(256, 16, 8, 'rand', seededRandom(seed));
      for (let i = 0; i < 5000; i++) d.access(((i * 2654435761) >>> 0) % 4096);
      return d.misses;
    };
    expect(run(3)).toBe(run(3));
  });

  it('refuses geometry it cannot build, with QEMU messages where QEMU has them', () => {
    expect(geometryError(16384, 64, 8)).toBeUndefined();
    expect(geometryError(1000, 64, 8)).toBe('cache size must be divisible by block size');
    expect(geometryError(16384 + 64, 64, 8)).toBe('cache size must be divisible by set size (assoc * block size)');
    expect(geometryError(4608, 48, 1)).toBe('block size must be a power of two');
    expect(geometryError(64 * 3, 64, 1)).toBe('number of sets (cache size / (assoc * block size)) must be a power of two');
    expect(geometryError(0, 64, 1)).toMatch(/must be positive/);
  });

  it("fixed() is C's %.Nf, halves to even", () => {
    expect(['0.0312', '0.0938', '2', '4', '3.6064', '100.0000']).toEqual([fixed(0.03125, 4), fixed(0.09375, 4), fixed(2.5, 0), fixed(3.5, 0), fixed((265 / 7348) * 100, 4), fixed(100, 4)]);
  });
});

/** A naive set-associative cache: each set a list of blocks, most recently used or newest last. */
function naiveCache(size: number, blksize: number, assoc: number, policy: 'lru' | 'fifo') {
  const sets = new Map<number, number[]>();
  const nsets = size / blksize / assoc;
  return (address: number): boolean => {
    const block = Math.floor(address / blksize);
    const set = sets.get(block % nsets) ?? [];
    sets.set(block % nsets, set);
    const at = set.indexOf(block);
    if (at >= 0) {
      if (policy === 'lru') set.push(...set.splice(at, 1));
      return true;
    }
    if (set.length === assoc) set.shift();
    set.push(block);
    return false;
  };
}

interface Row {
  accesses: number;
  misses: number;
}
interface Stats {
  d: Row;
  i: Row;
  l2?: Row;
}

/** Parse a stats row checking QEMU's widths: "%-8d" "%-14lu %-12lu %9.4lf%%  %-14lu %-12lu %9.4lf%%" ["  %-12lu %-11lu %10.4lf%%"]. */
function parseRow(line: string, core: string): Stats {
  // [width, separator after it]; numbers are left-justified, rates right-justified
  const layout: [number, string][] = [[8, ''], [14, ' '], [12, ' '], [9, '%  '], [14, ' '], [12, ' '], [9, '%']];
  if (line.length > 86) layout.push([0, '  '], [12, ' '], [11, ' '], [10, '%']);
  const fields: string[] = [];
  let at = 0;
  for (const [width, sep] of layout) {
    fields.push(line.slice(at, at + width));
    expect(line.slice(at + width, at + width + sep.length), line).toBe(sep);
    at += width + sep.length;
  }
  expect(at, line).toBe(line.length);
  expect(fields[0]).toBe(core.padEnd(8));
  const row = (a: string, b: string, rate: string): Row => {
    expect(`${a}|${b}|${rate}`).toMatch(/^\d+ *\|\d+ *\| *\d+\.\d{4}$/);
    const r = { accesses: Number(a), misses: Number(b) };
    expect(rate.trim()).toBe(fixed(r.accesses ? (r.misses / r.accesses) * 100 : 0, 4));
    return r;
  };
  const stats: Stats = { d: row(fields[1]!, fields[2]!, fields[3]!), i: row(fields[4]!, fields[5]!, fields[6]!) };
  if (fields.length > 7) stats.l2 = row(fields[8]!, fields[9]!, fields[10]!);
  return stats;
}

const HEADER = 'core #, data accesses, data misses, dmiss rate, insn accesses, insn misses, imiss rate';

/** The report after the stats: lists of [address, symbol, misses, disassembly], checked against QEMU's row format. */
function parseLists(text: string): Map<string, { addr: number; symbol: string | undefined; misses: number; disas: string }[]> {
  const lists = new Map<string, { addr: number; symbol: string | undefined; misses: number; disas: string }[]>();
  for (const block of text.split('\n\n')) {
    const [header, ...rows] = block.split('\n').filter((l) => l !== '');
    const kind = /^address, (data|fetch|L2) misses, instruction$/.exec(header!)?.[1];
    expect(kind, header).toBeDefined();
    lists.set(
      kind!,
      rows.map((row) => {
        const m = /^0x([0-9a-f]+)(?: \((\S+)\))?, (\d+), (.+)$/.exec(row);
        expect(m, row).not.toBeNull();
        return { addr: parseInt(m![1]!, 16), symbol: m![2], misses: Number(m![3]), disas: m![4]! };
      }),
    );
  }
  return lists;
}

describe('cache plugin', () => {
  beforeAll(() => buildBundle(), 120_000);

  it("QEMU's format; accesses equal insn's and mem's counts in the same run; deterministic", async () => {
    // exit reports run newest plugin first: cache's comes last
    const args = ['-plugin', 'cache', '-plugin', 'insn', '-plugin', 'mem', HELLO];
    const r = await tsqemu(args);
    expect(r.status).toBe(0);
    const insns = Number(/^total insns: (\d+)$/m.exec(r.stderr)![1]);
    const mems = Number(/^mem accesses: (\d+)$/m.exec(r.stderr)![1]);
    const report = r.stderr.slice(r.stderr.indexOf('core #'));
    const [header, row, blank, ...rest] = report.split('\n');
    expect(header).toBe(HEADER);
    expect(blank).toBe('');
    const stats = parseRow(row!, '0');
    expect(stats.i.accesses).toBe(insns);
    expect(stats.d.accesses).toBe(mems);
    // 16 KiB caches and a small program: some cold misses, far fewer than accesses
    expect(stats.d.misses).toBeGreaterThan(50);
    expect(stats.d.misses).toBeLessThan(mems / 10);
    expect(stats.i.misses).toBeGreaterThan(50);
    expect(stats.i.misses).toBeLessThan(insns / 10);
    const lists = parseLists(rest.join('\n'));
    expect([...lists.keys()]).toEqual(['data', 'fetch']);
    for (const list of lists.values()) {
      expect(list).toHaveLength(32);
      for (let k = 1; k < list.length; k++) expect(list[k]!.misses).toBeLessThanOrEqual(list[k - 1]!.misses);
    }
    expect(lists.get('data')![0]!.misses).toBeGreaterThan(1);
    expect((await tsqemu(args)).stderr).toBe(r.stderr);
  });

  it('every miss is attributed to one instruction; L2 sees exactly the L1 misses', async () => {
    const r = await tsqemu(['-plugin', 'cache,l2=on,limit=100000', HELLO]);
    expect(r.status).toBe(0);
    const [header, row, , ...rest] = r.stderr.split('\n');
    expect(header).toBe(`${HEADER}, l2 accesses, l2 misses, l2 miss rate`);
    const stats = parseRow(row!, '0');
    const lists = parseLists(rest.join('\n'));
    const sum = (kind: string) => lists.get(kind)!.reduce((s, e) => s + e.misses, 0);
    expect(stats.l2!.accesses).toBe(stats.d.misses + stats.i.misses);
    expect(sum('data')).toBe(stats.d.misses);
    expect(sum('fetch')).toBe(stats.i.misses);
    expect(sum('L2')).toBe(stats.l2!.misses);
    // some L1 misses are blocks evicted from L1 that the 2 MiB L2 still holds
    expect(stats.l2!.misses).toBeGreaterThan(0);
    expect(stats.l2!.misses).toBeLessThan(stats.l2!.accesses);
    // every executed instruction address is listed once
    expect(new Set(lists.get('fetch')!.map((e) => e.addr)).size).toBe(lists.get('fetch')!.length);
    expect(lists.get('data')!.find((e) => e.symbol === 'main')).toBeDefined();
  });

  it.each(['lru', 'fifo'] as const)('tiny caches, evict=%s: the misses of a naive simulator fed with execlog of the same run', async (policy) => {
    const file = join(tmp, `cache-${policy}.json`);
    const geometry = 'dcachesize=64,dblksize=16,dassoc=2,icachesize=128,iblksize=16,iassoc=4,l2cachesize=256,l2blksize=32,l2assoc=2';
    const r = await tsqemu(['-plugin', 'execlog', '-plugin', `cache,${geometry},evict=${policy},limit=100000,format=json,outfile=${file}`, HELLO]);
    expect(r.status).toBe(0);
    const d = naiveCache(64, 16, 2, policy);
    const i = naiveCache(128, 16, 4, policy);
    const l2 = naiveCache(256, 32, 2, policy);
    const want = { d: { accesses: 0, misses: 0 }, i: { accesses: 0, misses: 0 }, l2: { accesses: 0, misses: 0 } };
    const perInsn = new Map<number, { d: number; i: number; l2: number }>();
    const touch = (cache: (a: number) => boolean, row: Row, address: number): boolean => {
      row.accesses++;
      if (cache(address)) return true;
      row.misses++;
      return false;
    };
    for (const line of r.stderr.split('\n')) {
      const m = /^0, 0x([0-9a-f]+), 0x[0-9a-f]+, ".*"((?:, (?:load|store), 0x[0-9a-f]+)*)$/.exec(line);
      if (!m) continue;
      const pc = parseInt(m[1]!, 16);
      const mine = perInsn.get(pc) ?? { d: 0, i: 0, l2: 0 };
      perInsn.set(pc, mine);
      if (!touch(i, want.i, pc)) {
        mine.i++;
        if (!touch(l2, want.l2, pc)) mine.l2++;
      }
      for (const [, addr] of m[2]!.matchAll(/, (?:load|store), 0x([0-9a-f]+)/g)) {
        const a = parseInt(addr!, 16);
        if (!touch(d, want.d, a)) {
          mine.d++;
          if (!touch(l2, want.l2, a)) mine.l2++;
        }
      }
    }
    expect(want.i.accesses).toBeGreaterThan(5000);
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string | null>);
    expect(records[0]).toEqual({ core: 0, dataAccesses: want.d.accesses, dataMisses: want.d.misses, insnAccesses: want.i.accesses, insnMisses: want.i.misses, l2Accesses: want.l2.accesses, l2Misses: want.l2.misses });
    for (const [list, key] of [['data', 'd'], ['fetch', 'i'], ['l2', 'l2']] as const) {
      const got = records.filter((x) => x.list === list);
      // every translated instruction is listed, executed or not (as QEMU: entries are made at translation)
      expect(got.length).toBeGreaterThanOrEqual(perInsn.size);
      for (const pc of perInsn.keys()) expect(got.some((x) => x.address === pc)).toBe(true);
      for (const x of got) expect([x.address, x.misses]).toEqual([x.address, perInsn.get(x.address as number)?.[key] ?? 0]);
      expect(got.reduce((sum, x) => sum + (x.misses as number), 0)).toBeGreaterThan(100);
    }
  });

  it('LRU and FIFO differ on a real program, rand repeats itself', async () => {
    const misses = async (evict: string) => {
      const r = await tsqemu(['-plugin', `cache,dcachesize=256,dblksize=16,dassoc=4,evict=${evict},limit=0`, HELLO]);
      expect(r.status).toBe(0);
      return parseRow(r.stderr.split('\n')[1]!, '0').d.misses;
    };
    const [lru, fifo, rand, again] = [await misses('lru'), await misses('fifo'), await misses('rand'), await misses('rand')];
    expect(lru).not.toBe(fifo);
    expect(rand).toBe(again);
  });

  it('cores=N: vCPU n uses core n % N, and a sum row adds the cores up', async () => {
    const bin = 'test-binaries/armhf/threads2';
    const r = await tsqemu(['-plugin', 'insn', '-plugin', 'cache,cores=2,limit=1,l2=on', bin]);
    expect(r.status).toBe(0);
    const insns = Number(/^total insns: (\d+)$/m.exec(r.stderr)![1]);
    const lines = r.stderr.slice(r.stderr.indexOf('core #')).split('\n');
    expect(lines[0]).toBe(`${HEADER}, l2 accesses, l2 misses, l2 miss rate`);
    const rows = [parseRow(lines[1]!, '0'), parseRow(lines[2]!, '1')];
    const sum = parseRow(lines[3]!, 'sum');
    expect(lines[4]).toBe('');
    // the main thread is vCPU 0, the others 1, 2, ...: both cores ran code
    for (const row of rows) expect(row.i.accesses).toBeGreaterThan(0);
    expect(sum.i.accesses).toBe(insns);
    for (const k of ['d', 'i', 'l2'] as const) {
      expect(sum[k]!.accesses).toBe(rows[0]![k]!.accesses + rows[1]![k]!.accesses);
      expect(sum[k]!.misses).toBe(rows[0]![k]!.misses + rows[1]![k]!.misses);
    }
  });

  it.each([
    ['dcachesize=1000', 'dcache cannot be constructed from given parameters: cache size must be divisible by block size'],
    ['iassoc=3', 'icache cannot be constructed from given parameters: cache size must be divisible by set size (assoc * block size)'],
    ['l2blksize=48', 'L2 cache cannot be constructed from given parameters: cache size must be divisible by block size'],
    ['dblksize=48,dcachesize=4608,dassoc=1', 'dcache cannot be constructed from given parameters: block size must be a power of two'],
    ['cores=0', 'cores must be at least 1'],
  ])('refuses %s in one line, exit status 1', async (bad, message) => {
    const r = await tsqemu(['-plugin', `cache,${bad}`, HELLO]);
    expect(r).toEqual({ stdout: '', stderr: `tsqemu-arm: plugin cache: install failed: Error: ${message}\n`, status: 1 });
  });

  it('refuses an unknown eviction policy and a bad l2 flag', async () => {
    const evict = await tsqemu(['-plugin', 'cache,evict=random', HELLO]);
    expect(evict.status).toBe(1);
    expect(evict.stderr).toMatch(/^tsqemu-arm: plugin cache: option parsing failed: evict=random \(expected lru, fifo, rand\)\n$/);
    const l2 = await tsqemu(['-plugin', 'cache,l2=maybe', HELLO]);
    expect(l2.status).toBe(1);
    expect(l2.stderr).toMatch(/^tsqemu-arm: plugin cache: boolean argument parsing failed: l2=maybe/);
  });
});

describe('mem region-summary', () => {
  beforeAll(() => buildBundle(), 120_000);

  it("QEMU's table; reads and writes per 16 KiB region; 'seen all' recomputed from print-accesses", async () => {
    const r = await tsqemu(['-plugin', 'mem,print-accesses=on,region-summary=on', HELLO]);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n');
    const total = Number(/^mem accesses: (\d+)$/m.exec(r.stderr)![1]);
    // recompute from the CSV: a mirror of stored bytes per region, zero until stored
    const want = new Map<number, { reads: number; writes: number; mirror: Uint8Array; seenAll: boolean }>();
    const warnings: string[] = [];
    for (const line of lines) {
      const m = /^0x[0-9a-f]+,[^,]*,0x([0-9a-f]+),0x0,(\d+),(load|store),0x([0-9a-f]+)$/.exec(line);
      if (!m) continue;
      const address = parseInt(m[1]!, 16);
      const size = Number(m[2]) / 8;
      const value = BigInt(`0x${m[4]}`);
      for (let k = 0; k < size; k++) {
        // no access of hello crosses a region boundary, so the access's region is its first byte's
        const base = address - (address % 16384);
        expect(Math.floor((address + k) / 16384) * 16384).toBe(base);
      }
      const base = address - (address % 16384);
      const region = want.get(base) ?? { reads: 0, writes: 0, mirror: new Uint8Array(16384), seenAll: true };
      want.set(base, region);
      const bytes = Array.from({ length: size }, (_, k) => Number((value >> BigInt(8 * k)) & 0xffn));
      if (m[3] === 'store') {
        region.writes++;
        bytes.forEach((b, k) => (region.mirror[(address % 16384) + k] = b));
      } else {
        region.reads++;
        if (region.seenAll && bytes.some((b, k) => region.mirror[(address % 16384) + k] !== b)) {
          region.seenAll = false;
          warnings.push(`Warning: 0x${base.toString(16).padStart(16, '0')}:${address % 16384} read an un-instrumented value`);
        }
      }
    }
    expect(lines.filter((l) => l.startsWith('Warning: '))).toEqual(warnings);
    const at = lines.indexOf('Region Base, Reads, Writes, Seen all');
    expect(at).toBeGreaterThan(0);
    const rows = lines.slice(at + 1).filter((l) => l !== '');
    const expected = [...want.entries()].sort(([a], [b]) => a - b).map(([base, x]) => `0x${base.toString(16).padStart(16, '0')}, ${x.reads}, ${x.writes}, ${x.seenAll}`);
    expect(rows).toEqual(expected);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row).toMatch(/^0x[0-9a-f]{16}, \d+, \d+, (true|false)$/);
    expect(rows.reduce((s, row) => s + Number(row.split(', ')[1]) + Number(row.split(', ')[2]), 0)).toBe(total);
    // the text (ELF file) and the stack (argv and environment written by the loader) were not seen stored...
    expect(rows.find((row) => row.startsWith('0x0000000000010000, '))).toMatch(/, false$/);
    // ...while a region the program only wrote before reading (bss, heap) is
    expect(rows.some((row) => row.endsWith(', true'))).toBe(true);
  });

  it('JSON records, and loads only (track=r): nothing stored, so nonzero bytes are unseen', async () => {
    const file = join(tmp, 'regions.json');
    const r = await tsqemu(['-plugin', `mem,region-summary=on,track=r,format=json,outfile=${file}`, HELLO]);
    expect(r.status).toBe(0);
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const regions = records.filter((x) => 'region' in x && 'reads' in x);
    const warnings = records.filter((x) => 'warning' in x);
    expect(regions.length).toBeGreaterThan(2);
    for (const x of regions) expect(x.writes).toBe(0);
    expect(warnings).toHaveLength(regions.filter((x) => x.seenAll === false).length);
    const accesses = records.find((x) => 'accesses' in x)!.accesses;
    expect(regions.reduce((s, x) => s + (x.reads as number), 0)).toBe(accesses);
  });
});
