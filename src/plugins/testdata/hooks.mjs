// Test plugin exercising API hooks; `check=NAME` picks the scenario, results are printed
// as "name: value" lines that src/plugins/plugins.test.ts asserts.
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'hooks', license: 'MIT' });
  const check = args.get('check');
  const say = (text) => api.outs(`${text}\n`);

  if (check === 'info') {
    api.onVcpuInit((vcpu) => say(`init: vcpu ${vcpu} of ${api.numVcpus()}, pc 0x${api.readRegister('pc').toString(16)}`));
    const { target, version, userMode, binaryPath, startCode, endCode, entryCode } = api.info;
    say(`info: ${target} v${version.min}-${version.cur} user=${userMode} ${binaryPath} 0x${startCode.toString(16)}-0x${endCode.toString(16)} entry 0x${entryCode.toString(16)}`);
    say(`registers: ${api.registers().map((r) => r.name).join(' ')}`);
  }

  if (check === 'regs') {
    // At every instruction of main: pc reads as the instruction's address; r0 (argc) is 1 at entry.
    let seen = 0;
    let wrong = 0;
    let argc = -1;
    api.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        if (insn.symbol !== 'main') continue;
        const first = insn.vaddr === api.symbolize(insn.vaddr) && false;
        void first;
        insn.onExec(
          () => {
            seen++;
            if (api.readRegister('pc') !== insn.vaddr) wrong++;
            if (argc < 0) argc = api.readRegister('r0');
          },
          { regs: 'r' },
        );
      }
    });
    api.onExit(() => say(`regs: ${seen > 0} wrong=${wrong} argc=${argc}`));
  }

  if (check === 'noregs') {
    api.onTbTrans((tb) => tb.onExec(() => api.readRegister('r0')));
  }

  if (check === 'pcwrite') {
    // At main's first instruction: return 42 to the caller at once (nothing is printed).
    api.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        if (insn.symbol !== 'main' || api.symbolize(insn.vaddr - 4) === 'main') continue;
        insn.onExec(
          () => {
            api.writeRegister('r0', 42);
            api.writeRegister('pc', api.readRegister('lr'));
          },
          { regs: 'rw' },
        );
      }
    });
  }

  if (check === 'filter') {
    // write(2) is answered by the plugin: nothing reaches stdout, the guest sees success.
    api.onSyscallFilter((vcpu, num, a) => (num === 4 ? a[2] : undefined));
    api.onSyscallReturn((vcpu, num, ret) => {
      if (num === 4) say(`filtered write returned ${ret}`);
    });
  }

  if (check === 'mem') {
    // Every value a memory callback reports is what memory holds right after the access.
    let accesses = 0;
    let mismatches = 0;
    let stores = 0;
    api.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        insn.onMem((vcpu, info, address, value) => {
          accesses++;
          if (info.store) stores++;
          const bytes = api.readMemory(address, info.size);
          // 8-byte values (VFP doublewords) come as bigints
          let v = 0n;
          for (let i = info.size - 1; i >= 0; i--) v = v * 256n + BigInt(bytes[i]);
          if (v !== (info.size === 8 ? value : BigInt(value)) || typeof value !== (info.size === 8 ? 'bigint' : 'number')) mismatches++;
        });
      }
    });
    api.onExit(() => say(`mem: accesses>0 ${accesses > 0} stores>0 ${stores > 0} mismatches=${mismatches}`));
  }

  if (check === 'cond') {
    const count = api.newCounter();
    const eqHits = api.newCounter();
    let geCalls = 0;
    api.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        insn.inline('add', count, 1);
        insn.onExecIf('eq', count, 100, (vcpu) => eqHits.add(vcpu, 1));
        insn.onExecIf('ge', count, 100, () => geCalls++);
        insn.onExecIf('never', count, 0, () => geCalls--);
      }
    });
    api.onExit(() => say(`cond: eq=${eqHits.sum()} ge=${geCalls} total=${count.sum()}`));
  }

  if (check === 'late') {
    // A second counter starts at the 3rd syscall: the flush must make it exact from there.
    const early = api.newCounter();
    const late = api.newCounter();
    let snapshot = -1;
    let syscalls = 0;
    let flushes = 0;
    const countEarly = (tb) => {
      for (const insn of tb.insns) insn.inline('add', early, 1);
    };
    api.onFlush(() => flushes++);
    api.onTbTrans(countEarly);
    api.onSyscall(() => {
      if (++syscalls !== 3) return;
      snapshot = early.sum();
      api.onTbTrans((tb) => {
        countEarly(tb);
        for (const insn of tb.insns) insn.inline('add', late, 1);
      });
    });
    api.onExit(() => say(`late: exact=${late.sum() === early.sum() - snapshot} late>0 ${late.sum() > 0} flushes=${flushes}`));
  }

  if (check === 'reset') {
    const count = api.newCounter();
    let syscalls = 0;
    api.onTbTrans((tb) => tb.inline('add', count, tb.nInsns));
    api.onSyscall(() => {
      if (++syscalls !== 3) return;
      const atReset = count.sum();
      api.reset(() => {
        const atDone = count.sum();
        api.onExit(() => say(`reset: unchanged=${atReset === atDone && atDone === count.sum()} counted>0 ${atReset > 0} syscalls=${syscalls}`));
      });
    });
  }
}
