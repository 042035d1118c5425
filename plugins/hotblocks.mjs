// hotblocks: the most executed blocks (QEMU's contrib/plugins/hotblocks.c).
// Args: inline=on (per-vCPU counters compiled into each block instead of a call),
// limit=N (rows; default 20, 0 = all), format=text|json, outfile=PATH.
// Output: "collected N entries in the hash table", "pc, tcount, icount, ecount", then
// "0x%016x, tcount, icount, ecount" rows by execution count: tcount = times translated,
// icount = instructions in the block, ecount = executions. Blocks are keyed by (pc, insns).
import { output } from './lib/output.mjs';

/** @typedef {import('./api.js').ExecCallback} ExecCallback */
/** @typedef {{ pc: number, insns: number, trans: number, execs: number, counter: import('./api.js').Counter | undefined }} Entry */

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'hotblocks', license: 'MIT' });
  args.expectOnly(['inline', 'limit', 'format', 'outfile']);
  const useInline = args.bool('inline', false);
  const limit = args.int('limit', 20);
  const out = output(api, args);
  /** `${pc}/${insns}` -> { pc, insns, trans, counter | execs } @type {Map<string, Entry>} */
  const blocks = new Map();
  /** @type {ExecCallback} */
  const bump = (vcpu, entry) => /** @type {Entry} */ (entry).execs++;

  api.onTbTrans((tb) => {
    const key = `${tb.vaddr}/${tb.nInsns}`;
    let entry = blocks.get(key);
    if (!entry) {
      entry = { pc: tb.vaddr, insns: tb.nInsns, trans: 0, execs: 0, counter: useInline ? api.newScoreboard(['execs']).counter() : undefined };
      blocks.set(key, entry);
    }
    entry.trans++;
    if (entry.counter) tb.inline('add', entry.counter, 1); // made when inline=on
    else tb.onExec(bump, { userdata: entry });
  });

  api.onExit(() => {
    const rows = [...blocks.values()].map((e) => ({ ...e, execs: e.counter ? e.counter.sum() : e.execs }));
    rows.sort((a, b) => b.execs - a.execs || a.pc - b.pc);
    const shown = limit === 0 ? rows : rows.slice(0, limit);
    if (out.json) {
      for (const r of shown) out.record({ pc: r.pc, tcount: r.trans, icount: r.insns, ecount: r.execs });
    } else {
      out.text(`collected ${blocks.size} entries in the hash table\n`);
      out.text('pc, tcount, icount, ecount\n');
      for (const r of shown) out.text(`0x${r.pc.toString(16).padStart(16, '0')}, ${r.trans}, ${r.insns}, ${r.execs}\n`);
    }
    out.close();
  });
}
