// mem: count guest memory accesses (QEMU's tests/tcg/plugins/mem.c).
// Args: inline=on (a counter add compiled after each access) or callback=on (a call per
// access; the default), track=r|w|rw (loads, stores or both; default rw),
// print-accesses=on (one CSV line per access), format=text|json, outfile=PATH.
// Output: "mem accesses: N"; print-accesses lines are
//   insn_vaddr,insn_symbol,mem_vaddr,mem_hwaddr,access_size,access_type,mem_value
//   0x10450,main,0xfffdfef4,0x0,32,store,0x00010450
// (size in bits; user mode has no physical addresses, so mem_hwaddr is 0 as in QEMU).
import { output } from './lib/output.mjs';

/** @type {import('./api').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'mem', license: 'MIT' });
  args.expectOnly(['inline', 'callback', 'track', 'print-accesses', 'haddr', 'format', 'outfile']);
  const useInline = args.bool('inline', false);
  const useCallback = args.bool('callback', !useInline);
  if (useInline && useCallback) throw new Error('option parsing failed: inline=on and callback=on cannot be combined (pick one)');
  const track = args.choice('track', ['r', 'w', 'rw'], 'rw');
  const printAccesses = args.bool('print-accesses', false);
  args.bool('haddr', false); // accepted for QEMU compatibility: no physical addresses in user mode
  const out = output(api, args);
  const count = api.newCounter();

  if (printAccesses && !out.json) out.text('insn_vaddr,insn_symbol,mem_vaddr,mem_hwaddr,access_size,access_type,mem_value\n');
  const printAccess = (vcpu, info, address, value, insn) => {
    const type = info.store ? 'store' : 'load';
    if (out.json) {
      // an 8-byte value is a bigint, which JSON cannot hold: its hex digits instead
      out.record({ insn: insn.vaddr, symbol: insn.symbol, address, size: info.size, type, value: typeof value === 'bigint' ? `0x${value.toString(16)}` : value });
    } else {
      const v = value.toString(16).padStart(info.size * 2, '0');
      out.text(`0x${insn.vaddr.toString(16)},${insn.symbol ?? ''},0x${address.toString(16)},0x0,${info.size * 8},${type},0x${v}\n`);
    }
  };
  const countAccess = (vcpu) => count.add(vcpu, 1);

  api.onTbTrans((tb) => {
    for (const insn of tb.insns) {
      if (useInline) insn.memInline(track, 'add', count, 1);
      else insn.onMem(countAccess, { rw: track });
      if (printAccesses) insn.onMem(printAccess, { rw: track, userdata: { vaddr: insn.vaddr, symbol: insn.symbol } });
    }
  });

  api.onExit(() => {
    if (out.json) out.record({ accesses: count.sum() });
    else out.text(`mem accesses: ${count.sum()}\n`);
    out.close();
  });
}
