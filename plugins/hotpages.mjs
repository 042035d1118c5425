// hotpages: memory accesses per page (QEMU's contrib/plugins/hotpages.c).
// Args: sortby=reads|writes|address (default: reads + writes), pagesize=N (default 4096),
// io=on|off (accepted; user mode has no I/O), format=text|json, outfile=PATH.
// Output: "Addr, RCPUs, Reads, WCPUs, Writes" then at most 50 rows
// "0x%016x, 0x%04x, reads, 0x%04x, writes" (RCPUs/WCPUs: bit mask of the vCPUs).
import { output } from './lib/output.mjs';

const MAX_ROWS = 50;

/** @typedef {{ page: number, reads: number, writes: number, rcpus: number, wcpus: number }} Page */

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'hotpages', license: 'MIT' });
  args.expectOnly(['sortby', 'pagesize', 'io', 'format', 'outfile']);
  const sortby = args.choice('sortby', ['reads', 'writes', 'address', 'rw'], 'rw');
  const pageSize = args.int('pagesize', 4096);
  if (pageSize <= 0 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`option parsing failed: pagesize=${pageSize} (a power of two)`);
  args.bool('io', false);
  const out = output(api, args);
  const mask = ~(pageSize - 1);
  /** page -> { page, reads, writes, rcpus, wcpus } @type {Map<number, Page>} */
  const pages = new Map();

  /** @type {import('./api.js').MemCallback} */
  const onAccess = (vcpu, info, address) => {
    const page = (address & mask) >>> 0;
    let p = pages.get(page);
    if (!p) pages.set(page, (p = { page, reads: 0, writes: 0, rcpus: 0, wcpus: 0 }));
    if (info.store) {
      p.writes++;
      p.wcpus |= 1 << (vcpu & 31);
    } else {
      p.reads++;
      p.rcpus |= 1 << (vcpu & 31);
    }
  };
  api.onTbTrans((tb) => {
    for (const insn of tb.insns) insn.onMem(onAccess, { rw: 'rw' });
  });

  /** @type {Record<typeof sortby, (a: Page, b: Page) => number>} */
  const orders = {
    reads: (a, b) => b.reads - a.reads || a.page - b.page,
    writes: (a, b) => b.writes - a.writes || a.page - b.page,
    address: (a, b) => a.page - b.page,
    rw: (a, b) => b.reads + b.writes - (a.reads + a.writes) || a.page - b.page,
  };
  const order = orders[sortby];
  api.onExit(() => {
    const rows = [...pages.values()].sort(order).slice(0, MAX_ROWS);
    if (out.json) for (const r of rows) out.record({ page: r.page, rcpus: r.rcpus, reads: r.reads, wcpus: r.wcpus, writes: r.writes });
    else {
      out.text('Addr, RCPUs, Reads, WCPUs, Writes\n');
      /** @param {number} v */
      const h4 = (v) => `0x${v.toString(16).padStart(4, '0')}`;
      for (const r of rows) out.text(`0x${r.page.toString(16).padStart(16, '0')}, ${h4(r.rcpus)}, ${r.reads}, ${h4(r.wcpus)}, ${r.writes}\n`);
    }
    out.close();
  });
}
