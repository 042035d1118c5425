// Test plugin for what plugins/README.md states about the API (check=NAME picks one; each
// prints "NAME: ..." lines that src/plugins/host.test.ts asserts).
//   isa      insn.thumb agrees with cpsr.T whenever the instruction runs
//   where    where registers can and cannot be read
//   syscall  pc in syscall callbacks is the address after the svc; ret is signed
//   callee   pc and lr in instruction callbacks: the instruction's own address, lr before it
//   tbtrans  counters created during onTbTrans count exactly; no block is empty
//   wide     inline adds too large for int32 over a slice (2^20 per block, 2^24 per access)
//            and fractional ones (0.5 per instruction) count exactly
/** @type {import('../../../plugins/api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 2, name: 'facts', license: 'MIT' });
  const check = args.get('check');
  /** @type {(text: string) => void} */
  const say = (text) => api.outs(`${text}\n`);
  const read = (/** @type {string} */ reg) => /** @type {number} */ (api.readRegister(reg));

  if (check === 'isa') {
    let arm = 0;
    let thumb = 0;
    let mismatches = 0;
    let mixedBlocks = 0;
    let badSizes = 0;
    api.onTbTrans((tb) => {
      if (tb.insns.some((i) => i.thumb !== tb.insns[0]?.thumb)) mixedBlocks++;
      for (const insn of tb.insns) {
        if (insn.thumb ? insn.size !== 2 && insn.size !== 4 : insn.size !== 4) badSizes++;
        insn.onExec(
          () => {
            const t = ((read('cpsr') >>> 5) & 1) === 1;
            if (t !== insn.thumb) mismatches++;
            if (t) thumb++;
            else arm++;
          },
          { regs: 'r' },
        );
      }
    });
    api.onExit(() => say(`isa: arm>0 ${arm > 0} thumb>0 ${thumb > 0} mismatches=${mismatches} mixed-blocks=${mixedBlocks} bad-sizes=${badSizes}`));
  }

  if (check === 'where') {
    /** @type {Map<string, string>} */
    const seen = new Map();
    const probe = (/** @type {string} */ where) => {
      if (seen.has(where)) return;
      try {
        api.readRegister('pc');
        seen.set(where, 'yes');
      } catch {
        seen.set(where, 'no');
      }
    };
    probe('install');
    api.onVcpuInit(() => probe('vcpu-init'));
    api.onVcpuExit(() => probe('vcpu-exit'));
    api.onDiscontinuity('all', () => probe('discontinuity'));
    api.onFlush(() => probe('flush'));
    const onTb = (/** @type {import('../../../plugins/api.js').Tb} */ tb) => {
      probe('tb-trans');
      tb.onExec(() => probe('exec-none'));
      tb.onExec(() => probe('exec-r'), { regs: 'r' });
      for (const insn of tb.insns) insn.onMem(() => probe('mem'));
    };
    api.onTbTrans(onTb);
    let calls = 0;
    api.onSyscall(() => {
      probe('syscall');
      // registering onTbTrans again flushes the translated code: onFlush runs
      if (++calls === 2) api.onTbTrans(onTb);
    });
    api.onSyscallFilter(() => {
      probe('syscall-filter');
      return undefined;
    });
    api.onSyscallReturn(() => probe('syscall-return'));
    api.onExit(() => {
      probe('exit');
      say(`where: ${[...seen].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    });
  }

  if (check === 'syscall') {
    /** @type {Map<number, number>} end address (svc address + size) -> svc address */
    const svcs = new Map();
    let calls = 0;
    let atSvcEnd = 0;
    let returns = 0;
    let returnAtSvcEnd = 0;
    let negative = 0;
    let r0Unsigned = 0;
    api.onTbTrans((tb) => {
      for (const insn of tb.insns) if (insn.disas.startsWith('svc ')) svcs.set(insn.vaddr + insn.size, insn.vaddr);
    });
    api.onSyscall(() => {
      calls++;
      if (svcs.has(read('pc'))) atSvcEnd++;
    });
    api.onSyscallReturn((_vcpu, _num, ret) => {
      returns++;
      if (svcs.has(read('pc'))) returnAtSvcEnd++;
      if (ret < 0) negative++;
      if (read('r0') === ret >>> 0) r0Unsigned++;
    });
    api.onExit(() => say(`syscall: calls=${calls} after-svc=${atSvcEnd} returns=${returns} after-svc=${returnAtSvcEnd} negative>0 ${negative > 0} r0-is-ret-unsigned=${r0Unsigned}`));
  }

  if (check === 'callee') {
    // main's first bl: pc is its own address and lr what it was at main's entry (the bl has
    // not run yet); at the first instruction of the callee, lr is the return address.
    let lrAtMain = -1;
    let report = 'callee: no call seen';
    /** @type {{ vaddr: number, size: number, target: number, thumb: boolean } | null} */
    let call = null;
    let done = false;
    api.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        if (insn.symbol === 'main' && api.symbolize(insn.vaddr - 2) !== 'main' && api.symbolize(insn.vaddr - 4) !== 'main') {
          insn.onExec(() => (lrAtMain = read('lr')), { regs: 'r' });
        }
        const m = /^bl(?:x)? (0x[0-9a-f]{8})$/.exec(insn.disas);
        if (insn.symbol === 'main' && m && !call) {
          const site = { vaddr: insn.vaddr, size: insn.size, target: Number(m[1]), thumb: insn.thumb };
          call = site;
          insn.onExec(() => {
            if (done) return;
            report = `callee: pc-is-insn=${read('pc') === site.vaddr} lr-unchanged=${read('lr') === lrAtMain}`;
          }, { regs: 'r' });
        }
      }
      const c = call;
      if (c && tb.vaddr === c.target) {
        tb.onExec(() => {
          if (done) return;
          done = true;
          report += ` lr-at-callee-is-return=${read('lr') === (c.vaddr + c.size + (c.thumb ? 1 : 0)) >>> 0}`;
        }, { regs: 'r' });
      }
    });
    api.onExit(() => say(report));
  }

  if (check === 'wide') {
    const board = api.newScoreboard(['blocks', 'big', 'insns', 'half', 'mem', 'memBig']);
    const [blocks, big, insns, half, mem, memBig] = ['blocks', 'big', 'insns', 'half', 'mem', 'memBig'].map((f) => board.counter(f));
    api.onTbTrans((tb) => {
      tb.inline('add', blocks, 1);
      tb.inline('add', big, 2 ** 20);
      for (const insn of tb.insns) {
        insn.inline('add', insns, 1);
        insn.inline('add', half, 0.5);
        insn.memInline('rw', 'add', mem, 1);
        insn.memInline('rw', 'add', memBig, 2 ** 24);
      }
    });
    api.onExit(() => {
      const [b, B, i, h, m, M] = [blocks, big, insns, half, mem, memBig].map((c) => c.sum());
      say(`wide: blocks>1e6 ${b > 1e6} big-exact=${B === b * 2 ** 20} half-exact=${h === i / 2} mem>0 ${m > 0} mem-big-exact=${M === m * 2 ** 24}`);
    });
  }

  if (check === 'tbtrans') {
    const blocks = api.newCounter();
    /** @type {import('../../../plugins/api.js').Counter[]} */
    const perBlock = [];
    let empty = 0;
    api.onTbTrans((tb) => {
      if (tb.nInsns < 1 || tb.insns.length !== tb.nInsns) empty++;
      const counter = api.newCounter(); // created during translation
      perBlock.push(counter);
      tb.inline('add', counter, 1);
      tb.inline('add', blocks, 1);
    });
    api.onExit(() => {
      const sum = perBlock.reduce((n, c) => n + c.sum(), 0);
      say(`tbtrans: blocks>0 ${blocks.sum() > 0} per-block-sum-equal=${sum === blocks.sum()} empty=${empty}`);
    });
  }
}
