// docs-author: a call profiler written from plugins/README.md and plugins/api.d.ts alone.
//
//   tsqemu-arm -plugin plugins/testdata/docs-author.mjs[,limit=N][,caller=SYM...][,sites=on] ./prog
//
// What it does:
//  - every translated block gets its own inline counter (tb.inline 'add' 1) plus two
//    global inline counters (blocks executed, instructions executed);
//  - at translation time it records each instruction's disassembly and symbol;
//  - every bl/blx (any condition) gets an instruction callback registered with regs: 'r';
//    the callback reads pc (checked against the translated address), cpsr (T bit: ARM or
//    Thumb decoding of the instruction bytes) and, for `blx rN`, rN; it decodes the callee
//    address itself from the bytes and cross-checks it with the target printed in the
//    disassembly; a conditional call whose condition fails is not counted (callbacks run
//    before the instruction, also when its condition fails);
//  - blocks translated at an address already seen as a call target get a block callback
//    (tb.onExec, regs: 'r') that reads lr on entry: right after a call it must be the
//    return address (the call's address + size, | 1 from Thumb);
//  - syscalls are counted by number (onSyscall), with the symbol of the issuing code (pc),
//    and failures (onSyscallReturn, -4095..-1);
//  - at exit it prints a summary with api.outs; every line starts with "docs-author: ".
//
// Summary format:
//   docs-author: blocks N insns N translated-blocks N translated-insns N
//   docs-author: calls N sites N pc-mismatch N target-mismatch N skipped-cond N
//   docs-author: lr-checked N lr-mismatch N
//   docs-author: top L callees
//   docs-author:   callee SYM calls N
//   docs-author: edges from SYM            (one section per caller= argument, all edges)
//   docs-author:   SYM -> SYM calls N
//   docs-author: top L blocks
//   docs-author:   block 0xADDR SYM execs N insns N first "DISAS"
//   docs-author: syscalls
//   docs-author:   syscall NR NAME calls N errors N [bytes N (write only)] from SYM[,SYM...]
//   docs-author: end

/** @type {Record<number, string>} */
const NAMES = {
  1: 'exit', 3: 'read', 4: 'write', 5: 'open', 6: 'close', 20: 'getpid', 45: 'brk',
  54: 'ioctl', 85: 'readlink', 91: 'munmap', 120: 'clone', 125: 'mprotect', 146: 'writev',
  174: 'rt_sigaction', 175: 'rt_sigprocmask', 191: 'ugetrlimit', 192: 'mmap2', 195: 'stat64',
  197: 'fstat64', 224: 'gettid', 240: 'futex', 248: 'exit_group', 256: 'set_tid_address',
  268: 'tgkill', 322: 'openat', 338: 'set_robust_list', 384: 'getrandom', 397: 'statx',
  398: 'rseq',
};

const CONDS = new Set(['eq', 'ne', 'cs', 'hs', 'cc', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al']);

/**
 * 'bl', 'blx' with an optional condition suffix; null for anything else ('bls' is b + ls).
 * @param {string} disas
 */
function callKind(disas) {
  const m = /^bl(x?)([a-z]*)(?:\.[nw])?$/.exec(disas.split(/\s+/)[0] ?? '');
  if (!m || (m[2] && !CONDS.has(m[2]))) return null;
  return m[1] ? 'blx' : 'bl';
}

/**
 * The immediate target printed by the disassembler (e.g. "bl 0x00010694"), or null.
 * @param {string} disas
 */
function disasTarget(disas) {
  const m = /^\S+\s+#?(0x[0-9a-f]+)/i.exec(disas);
  return m ? Number(m[1]) : null;
}

/**
 * The register of "blx rN" / "blx lr", or null.
 * @param {string} disas
 */
function disasReg(disas) {
  const m = /^\S+\s+(r\d+|sp|lr|ip|fp|sl|sb)\b/.exec(disas);
  if (!m || m[1] === undefined) return null;
  /** @type {Record<string, string>} */
  const alias = { ip: 'r12', fp: 'r11', sl: 'r10', sb: 'r9' };
  return alias[m[1]] ?? m[1];
}

/**
 * Does the ARM condition code hold for these flags?
 * @param {number} cond
 * @param {number} cpsr
 */
function conditionHolds(cond, cpsr) {
  const n = (cpsr >>> 31) & 1, z = (cpsr >>> 30) & 1, c = (cpsr >>> 29) & 1, v = (cpsr >>> 28) & 1;
  switch (cond) {
    case 0: return z === 1; case 1: return z === 0;
    case 2: return c === 1; case 3: return c === 0;
    case 4: return n === 1; case 5: return n === 0;
    case 6: return v === 1; case 7: return v === 0;
    case 8: return c === 1 && z === 0; case 9: return c === 0 || z === 1;
    case 10: return n === v; case 11: return n !== v;
    case 12: return z === 0 && n === v; case 13: return z === 1 || n !== v;
    default: return true;
  }
}

/** @type {(v: number, bits: number) => number} */
const sx = (v, bits) => (v << (32 - bits)) >> (32 - bits);

/**
 * Decode a call from its bytes. Returns { cond, target } (target null for a register
 * form, then reg is the register name), or null if the bytes are not a call.
 * @param {Uint8Array} data
 * @param {boolean} thumb
 * @param {number} vaddr
 * @returns {{ cond: number, target: number | null, reg?: string, thumb?: boolean } | null}
 */
function decode(data, thumb, vaddr) {
  /** @type {(i: number) => number} */
  const b = (i) => data[i] ?? 0;
  if (!thumb) {
    const w = (b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24)) >>> 0;
    const cond = w >>> 28;
    if (cond === 15 && ((w >>> 25) & 7) === 5) { // BLX imm: to Thumb
      const h = (w >>> 24) & 1;
      return { cond: 14, target: (vaddr + 8 + (sx(w & 0xffffff, 24) << 2) + (h << 1)) >>> 0, thumb: true };
    }
    if (((w >>> 24) & 15) === 11) // BL
      return { cond, target: (vaddr + 8 + (sx(w & 0xffffff, 24) << 2)) >>> 0, thumb: false };
    if ((w & 0x0ffffff0) === 0x012fff30) // BLX reg
      return { cond, target: null, reg: (w & 15) === 14 ? 'lr' : (w & 15) === 13 ? 'sp' : `r${w & 15}` };
    return null;
  }
  const h1 = b(0) | (b(1) << 8);
  if (data.length === 2) {
    if ((h1 & 0xff87) === 0x4780) { const r = (h1 >>> 3) & 15; return { cond: 14, target: null, reg: r === 14 ? 'lr' : r === 13 ? 'sp' : `r${r}` }; }
    return null;
  }
  const h2 = b(2) | (b(3) << 8);
  if ((h1 & 0xf800) !== 0xf000 || (h2 & 0xc000) !== 0xc000) return null;
  const s = (h1 >>> 10) & 1, j1 = (h2 >>> 13) & 1, j2 = (h2 >>> 11) & 1;
  const i1 = 1 ^ j1 ^ s, i2 = 1 ^ j2 ^ s;
  const imm = sx((s << 24) | (i1 << 23) | (i2 << 22) | ((h1 & 0x3ff) << 12) | ((h2 & 0x7ff) << 1), 25);
  if (h2 & 0x1000) return { cond: 14, target: (vaddr + 4 + imm) >>> 0, thumb: true }; // BL
  return { cond: 14, target: ((vaddr + 4) & ~3) + imm >>> 0, thumb: false }; // BLX imm: to ARM
}

// Note the '.js': with module resolution NodeNext, import('../api') does not resolve.
/** @type {import('../api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'docs-author', license: 'MIT' });
  args.expectOnly(['limit', 'caller', 'sites']);
  const limit = args.int('limit', 10);
  const callers = args.all('caller');
  const showSites = args.bool('sites', false);
  if (limit < 0) throw new Error(`limit must be >= 0, got ${limit}`);

  const board = api.newScoreboard(['blocks', 'insns']);
  const blocksRun = board.counter('blocks');
  const insnsRun = board.counter('insns');

  /** vaddr -> { counter, symbol, nInsns, first } */
  const blocks = new Map();
  /** vaddr -> { disas, symbol } for every translated instruction */
  const insns = new Map();
  let translatedBlocks = 0;

  let calls = 0, pcMismatch = 0, targetMismatch = 0, skippedCond = 0, lrChecked = 0, lrMismatch = 0;
  /** Addresses (Thumb bit clear) that calls went to. */
  const targets = new Set();
  /** @type {Map<number, { target: number, lr: number }>} per vCPU: the call just made */
  const pending = new Map();
  const callSites = new Set();
  const byCallee = new Map(); // callee -> count
  const edges = new Map(); // "caller\0callee" -> count
  const bySite = new Map(); // "site\0callee" -> count

  /** @type {(addr: number) => string} */
  const name = (addr) => api.symbolize(addr >>> 0 & ~1) ?? `0x${(addr >>> 0).toString(16)}`;
  // The disassembly may hold a tab before an '@ comment'; keep the summary one line per item.
  /** @type {(t: string) => string} */
  const clean = (t) => t.replace(/\s+/g, ' ');
  /** @type {<K>(map: Map<K, number>, key: K, n?: number) => void} */
  const bump = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

  /**
   * Before each bl/blx (also when its condition fails).
   * @param {number} vcpu
   * @param {any} site
   */
  function onCall(vcpu, site) {
    pending.delete(vcpu);
    const pc = /** @type {number} */ (api.readRegister('pc'));
    if (pc !== site.vaddr) pcMismatch++;
    const cpsr = /** @type {number} */ (api.readRegister('cpsr'));
    const thumb = ((cpsr >>> 5) & 1) === 1;
    const d = decode(site.data, thumb, site.vaddr);
    if (!d) { targetMismatch++; return; }
    if (!conditionHolds(d.cond, cpsr)) { skippedCond++; return; }
    let target;
    if (d.target === null) {
      if (d.reg === undefined || d.reg !== site.reg) { targetMismatch++; return; }
      target = /** @type {number} */ (api.readRegister(d.reg));
    } else {
      target = d.target;
      if (site.printed !== null && site.printed !== (target & ~1) >>> 0) targetMismatch++;
    }
    calls++;
    const callee = name(target);
    bump(byCallee, callee);
    bump(edges, `${site.symbol ?? name(site.vaddr)}\0${callee}`);
    bump(bySite, `${site.vaddr}\0${callee}`);
    targets.add((target & ~1) >>> 0);
    pending.set(vcpu, { target: (target & ~1) >>> 0, lr: (site.vaddr + site.size + (thumb ? 1 : 0)) >>> 0 });
  }

  /**
   * On entry to a block that is a call target.
   * @param {number} vcpu
   * @param {unknown} vaddr
   */
  function onEntry(vcpu, vaddr) {
    const p = pending.get(vcpu);
    pending.delete(vcpu);
    if (!p || p.target !== vaddr) return; // not entered straight from a call
    lrChecked++;
    if (api.readRegister('lr') !== p.lr) lrMismatch++;
  }

  api.onTbTrans((tb) => {
    translatedBlocks++;
    tb.inline('add', blocksRun, 1);
    tb.inline('add', insnsRun, tb.nInsns);
    let info = blocks.get(tb.vaddr);
    if (!info) {
      const first = tb.insn(0); // a block has at least one instruction
      info = { counter: api.newCounter(), symbol: first.symbol, nInsns: tb.nInsns, first: first.disas };
      blocks.set(tb.vaddr, info);
    }
    tb.inline('add', info.counter, 1);
    if (targets.has(tb.vaddr)) tb.onExec(onEntry, { regs: 'r', userdata: tb.vaddr });
    for (const insn of tb.insns) {
      insns.set(insn.vaddr, { disas: insn.disas, symbol: insn.symbol });
      const kind = callKind(insn.disas);
      if (!kind) continue;
      callSites.add(insn.vaddr);
      const site = {
        vaddr: insn.vaddr,
        size: insn.size,
        data: Uint8Array.from(insn.data), // insn is only valid during this callback
        symbol: insn.symbol,
        printed: disasTarget(insn.disas),
        reg: disasReg(insn.disas),
      };
      insn.onExec(onCall, { regs: 'r', userdata: site });
    }
  });

  /** @type {Map<number, { calls: number, errors: number, written?: number, from: Set<string> }>} */
  const sysCalls = new Map();
  api.onSyscall((_vcpu, num) => {
    let s = sysCalls.get(num);
    if (!s) sysCalls.set(num, (s = { calls: 0, errors: 0, from: new Set() }));
    s.calls++;
    // pc is the address after the svc here (as in Linux); symbolize the svc itself.
    const pc = /** @type {number} */ (api.readRegister('pc'));
    s.from.add(name(pc - 2));
  });
  api.onSyscallReturn((_vcpu, num, ret) => {
    const s = sysCalls.get(num);
    const r = ret | 0;
    if (s && r < 0 && r >= -4095) s.errors++;
    else if (s && num === 4) s.written = (s.written ?? 0) + r; // write(2): bytes written
  });

  api.onExit(() => {
    /** @type {string[]} */
    const out = [];
    /** @type {(t: string) => void} */
    const line = (t) => out.push(`docs-author: ${t}\n`);
    /** @type {<K extends string | number>(entries: [K, number][]) => [K, number][]} */
    const top = (entries) => {
      entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return limit === 0 ? entries : entries.slice(0, limit);
    };
    line(`blocks ${blocksRun.sum()} insns ${insnsRun.sum()} translated-blocks ${translatedBlocks} translated-insns ${insns.size}`);
    line(`calls ${calls} sites ${callSites.size} pc-mismatch ${pcMismatch} target-mismatch ${targetMismatch} skipped-cond ${skippedCond}`);
    line(`lr-checked ${lrChecked} lr-mismatch ${lrMismatch}`);
    line(`top ${limit === 0 ? 'all' : limit} callees`);
    for (const [callee, n] of top([...byCallee])) {
      line(`  callee ${callee} calls ${n}`);
      if (!showSites) continue;
      for (const [key, k] of [...bySite].sort()) {
        const [site, to] = key.split('\0');
        if (to !== callee) continue;
        const i = insns.get(Number(site));
        line(`    site 0x${Number(site).toString(16)} ${i.symbol ?? '?'} "${clean(i.disas)}" calls ${k}`);
      }
    }
    for (const caller of callers) {
      line(`edges from ${caller}`); // all of them: limit does not apply
      const mine = [...edges].filter(([k]) => k.split('\0')[0] === caller).map(([k, n]) => [k.split('\0')[1], n]);
      mine.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [callee, n] of mine) line(`  ${caller} -> ${callee} calls ${n}`);
    }
    line(`top ${limit === 0 ? 'all' : limit} blocks`);
    for (const [vaddr, n] of top([...blocks].map(([v, b]) => [v, b.counter.sum()]))) {
      const b = blocks.get(vaddr);
      line(`  block 0x${vaddr.toString(16).padStart(8, '0')} ${b.symbol ?? '?'} execs ${n} insns ${b.nInsns} first "${clean(b.first)}"`);
    }
    line('syscalls');
    for (const [num, s] of [...sysCalls].sort((a, b) => a[0] - b[0]))
      line(`  syscall ${num} ${NAMES[num] ?? '?'} calls ${s.calls} errors ${s.errors}${num === 4 ? ` bytes ${s.written ?? 0}` : ''} from ${[...s.from].sort().join(',')}`);
    line('end');
    api.outs(out.join(''));
  });
}
