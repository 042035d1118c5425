// cache: simulated L1 instruction and data caches (and an optional L2): miss rates and
// the instructions that miss most (QEMU's contrib/plugins/cache.c).
// Args: icachesize/iblksize/iassoc and dcachesize/dblksize/dassoc (L1 geometry in bytes,
// bytes, ways; default 16384, 64, 8 each), l2=on|off, l2cachesize/l2blksize/l2assoc (any of
// them turns L2 on; default 2097152, 64, 16), evict=lru|fifo|rand (default lru),
// seed=N (rand's seed, default 1; tsqemu's), cores=N (vCPU n uses the caches of core
// n % N; default 1), limit=N (rows per list, default 32), format=text|json, outfile=PATH.
// Each executed instruction is one fetch from the I cache at its address; each memory
// access one access to the D cache at its address; an L1 miss accesses L2 (same core).
// Output: "core #, data accesses, data misses, dmiss rate, insn accesses, insn misses,
// imiss rate[, l2 accesses, l2 misses, l2 miss rate]", a row per core
// ("%-8d" + "%-14lu %-12lu %9.4lf%%  %-14lu %-12lu %9.4lf%%" [+ "  %-12lu %-11lu %10.4lf%%"]),
// a "sum" row when cores > 1, a blank line, then the instructions with most misses:
// "address, data misses, instruction", "address, fetch misses, instruction" (and
// "address, L2 misses, instruction") with rows "0x%x (symbol), misses, disassembly".
import { Cache, geometryError, POLICIES, seededRandom } from './lib/cache-model.mjs';
import { output } from './lib/output.mjs';
import { fixed } from './lib/printf.mjs';

const L2_ARGS = ['l2cachesize', 'l2blksize', 'l2assoc'];

/** @typedef {import('./api.js').ExecCallback} ExecCallback */
/** @typedef {import('./api.js').MemCallback} MemCallback */
/** @typedef {{ size: number, blksize: number, assoc: number }} Geometry */
/** @typedef {{ accesses: number, misses: number }} Stats */
/** @typedef {'dmisses' | 'imisses' | 'l2misses'} MissKey */
/**
 * An instruction's misses (the text of its first translation).
 * @typedef {{ addr: number, symbol: string | null, disas: string } & Record<MissKey, number>} InsnMisses
 */

/**
 * A row's statistics as QEMU prints them (no L2 columns when L2 saw no access or no miss, as QEMU).
 * @param {Stats} d @param {Stats} i @param {Stats | undefined} l2
 */
function statsColumns(d, i, l2) {
  /** @param {number} misses @param {number} accesses */
  const rate = (misses, accesses) => (accesses ? (misses / accesses) * 100 : 0);
  let line =
    `${String(d.accesses).padEnd(14)} ${String(d.misses).padEnd(12)} ${fixed(rate(d.misses, d.accesses), 4).padStart(9)}%` +
    `  ${String(i.accesses).padEnd(14)} ${String(i.misses).padEnd(12)} ${fixed(rate(i.misses, i.accesses), 4).padStart(9)}%`;
  if (l2 && l2.accesses && l2.misses) {
    line += `  ${String(l2.accesses).padEnd(12)} ${String(l2.misses).padEnd(11)} ${fixed(rate(l2.misses, l2.accesses), 4).padStart(10)}%`;
  }
  return `${line}\n`;
}

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'cache', license: 'MIT' });
  args.expectOnly(['icachesize', 'iblksize', 'iassoc', 'dcachesize', 'dblksize', 'dassoc', 'l2', ...L2_ARGS, 'evict', 'seed', 'cores', 'limit', 'format', 'outfile']);
  /** @param {string} prefix @param {number} size @param {number} blksize @param {number} assoc @returns {Geometry} */
  const geometry = (prefix, size, blksize, assoc) => ({
    size: args.int(`${prefix}cachesize`, size),
    blksize: args.int(`${prefix}blksize`, blksize),
    assoc: args.int(`${prefix}assoc`, assoc),
  });
  const l1d = geometry('d', 16384, 64, 8);
  const l1i = geometry('i', 16384, 64, 8);
  const l2g = geometry('l2', 2097152, 64, 16);
  // as in QEMU, the last of l2=on|off and the l2 geometry arguments decides
  let useL2 = false;
  for (const [name, value] of args.entries()) {
    if (name === 'l2') useL2 = api.parseBool(name, value);
    else if (L2_ARGS.includes(name)) useL2 = true;
  }
  const policy = args.choice('evict', POLICIES, 'lru');
  const random = seededRandom(args.int('seed', 1));
  const cores = args.int('cores', 1);
  if (cores < 1) throw new Error('cores must be at least 1');
  const limit = args.int('limit', 32);
  /** @type {[string, Geometry, boolean][]} */
  const checks = [['dcache', l1d, true], ['icache', l1i, true], ['L2 cache', l2g, useL2]];
  for (const [what, g, used] of checks) {
    const error = used ? geometryError(g.size, g.blksize, g.assoc) : undefined;
    if (error) throw new Error(`${what} cannot be constructed from given parameters: ${error}`);
  }
  const out = output(api, args);

  /** @param {Geometry} g */
  const make = (g) => Array.from({ length: cores }, () => new Cache(g, policy, random));
  const dcaches = make(l1d);
  const icaches = make(l1i);
  const l2caches = useL2 ? make(l2g) : null;
  /** Instruction address -> { addr, symbol, disas, dmisses, imisses, l2misses } (first translation's text). @type {Map<number, InsnMisses>} */
  const insns = new Map();

  /** @type {ExecCallback} */
  const fetch = (vcpu, userdata) => {
    const insn = /** @type {InsnMisses} */ (userdata);
    const core = vcpu % cores;
    if (icaches[core].access(insn.addr)) return;
    insn.imisses++;
    if (l2caches && !l2caches[core].access(insn.addr)) insn.l2misses++;
  };
  /** @type {MemCallback} */
  const data = (vcpu, info, address, value, userdata) => {
    const insn = /** @type {InsnMisses} */ (userdata);
    const core = vcpu % cores;
    if (dcaches[core].access(address)) return;
    insn.dmisses++;
    if (l2caches && !l2caches[core].access(address)) insn.l2misses++;
  };

  api.onTbTrans((tb) => {
    for (const insn of tb.insns) {
      let entry = insns.get(insn.vaddr);
      if (!entry) insns.set(insn.vaddr, (entry = { addr: insn.vaddr, symbol: insn.symbol, disas: insn.disas, dmisses: 0, imisses: 0, l2misses: 0 }));
      insn.onMem(data, { rw: 'rw', userdata: entry });
      insn.onExec(fetch, { userdata: entry });
    }
  });

  /** @param {Cache[]} caches @returns {Stats} */
  const sumOf = (caches) => ({ accesses: caches.reduce((s, c) => s + c.accesses, 0), misses: caches.reduce((s, c) => s + c.misses, 0) });
  /** @param {MissKey} key */
  const top = (key) => [...insns.values()].sort((a, b) => b[key] - a[key] || a.addr - b.addr).slice(0, Math.max(0, limit));
  /** @type {[string, MissKey, string][]} */
  const lists = [
    ['data', 'dmisses', 'address, data misses, instruction'],
    ['fetch', 'imisses', 'address, fetch misses, instruction'],
  ];
  if (useL2) lists.push(['l2', 'l2misses', 'address, L2 misses, instruction']);

  api.onExit(() => {
    if (out.json) {
      /** @param {number | 'sum'} core @param {Stats} d @param {Stats} i @param {Stats | undefined} l2 */
      const record = (core, d, i, l2) => {
        const r = { core, dataAccesses: d.accesses, dataMisses: d.misses, insnAccesses: i.accesses, insnMisses: i.misses };
        if (l2) Object.assign(r, { l2Accesses: l2.accesses, l2Misses: l2.misses });
        out.record(r);
      };
      for (let c = 0; c < cores; c++) record(c, dcaches[c], icaches[c], l2caches?.[c]);
      if (cores > 1) record('sum', sumOf(dcaches), sumOf(icaches), l2caches ? sumOf(l2caches) : undefined);
      for (const [list, key] of lists) {
        for (const e of top(key)) out.record({ list, address: e.addr, symbol: e.symbol, misses: e[key], insn: e.disas });
      }
    } else {
      let text = `core #, data accesses, data misses, dmiss rate, insn accesses, insn misses, imiss rate${useL2 ? ', l2 accesses, l2 misses, l2 miss rate' : ''}\n`;
      for (let c = 0; c < cores; c++) text += String(c).padEnd(8) + statsColumns(dcaches[c], icaches[c], l2caches?.[c]);
      if (cores > 1) text += 'sum'.padEnd(8) + statsColumns(sumOf(dcaches), sumOf(icaches), l2caches ? sumOf(l2caches) : undefined);
      text += '\n';
      lists.forEach(([, key, header], n) => {
        text += `${n > 0 ? '\n' : ''}${header}\n`;
        for (const e of top(key)) text += `0x${e.addr.toString(16)}${e.symbol ? ` (${e.symbol})` : ''}, ${e[key]}, ${e.disas}\n`;
      });
      out.text(text);
    }
    out.close();
  });
}
