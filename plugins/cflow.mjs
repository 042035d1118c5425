// cflow: where control flow goes at the end of each block, and which blocks are left
// early (an instruction faulted) (QEMU's contrib/plugins/cflow.c).
// Args: sort=hottest|early|exceptions (hottest: most executed exits, the default; early:
// most early exits; exceptions: most distinct destinations, as QEMU names it),
// limit=N (nodes shown, default 10, 0 = all; tsqemu's), format=text|json, outfile=PATH.
// Output: "%d control flow nodes in the hash table", then per node
// "  addr: 0x%x %s: %s (branch|sync fault)" (address of the block's last instruction,
// symbol, disassembly), "    early exits %d", "    branches %d" and its 10 most taken
// destinations "      to 0x%x (%d)".
import { output } from './lib/output.mjs';

/** @typedef {import('./api.js').ExecCallback} ExecCallback */
/** @typedef {import('./api.js').Insn} Insn */
/**
 * A block's last instruction and where control went after it.
 * @typedef {{ addr: number, symbol: string, disas: string, branches: number, early: number, dests: Map<number, number> }} Node
 */

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'cflow', license: 'MIT' });
  args.expectOnly(['sort', 'limit', 'format', 'outfile']);
  const sort = args.choice('sort', ['hottest', 'early', 'exceptions'], 'hottest');
  const limit = args.int('limit', 10);
  const out = output(api, args);
  /** Address of a block's last instruction -> its node. @type {Map<number, Node>} */
  const nodes = new Map();
  /** Per vCPU: the node of the block running now, and whether its last instruction ran. @type {{ node: Node | null, ended: boolean }[]} */
  const running = [];

  /** @param {Insn} insn */
  const nodeFor = (insn) => {
    let node = nodes.get(insn.vaddr);
    if (!node) nodes.set(insn.vaddr, (node = { addr: insn.vaddr, symbol: insn.symbol ?? '', disas: insn.disas, branches: 0, early: 0, dests: new Map() }));
    return node;
  };

  /** @type {ExecCallback} */
  const enter = (vcpu, userdata) => {
    const { node, vaddr } = /** @type {{ node: Node, vaddr: number }} */ (userdata);
    const now = (running[vcpu] ??= { node: null, ended: false });
    const prev = now.node;
    if (prev) {
      if (now.ended) prev.branches++;
      else prev.early++;
      // an early exit's destination is where the fault took the guest (a signal handler)
      prev.dests.set(vaddr, (prev.dests.get(vaddr) ?? 0) + 1);
    }
    now.node = node;
    now.ended = false;
  };
  /** @type {ExecCallback} */
  const ended = (vcpu) => {
    running[vcpu].ended = true;
  };

  api.onTbTrans((tb) => {
    const node = nodeFor(tb.insns[tb.nInsns - 1]);
    tb.onExec(enter, { userdata: { node, vaddr: tb.vaddr } });
    tb.insns[tb.nInsns - 1].onExec(ended);
  });

  api.onExit(() => {
    const all = [...nodes.values()].filter((n) => n.branches + n.early > 0);
    /** @type {Record<typeof sort, (n: Node) => number>} */
    const keys = { hottest: (n) => n.branches + n.early, early: (n) => n.early, exceptions: (n) => n.dests.size };
    const key = keys[sort];
    all.sort((a, b) => key(b) - key(a) || a.addr - b.addr);
    const shown = limit === 0 ? all : all.slice(0, limit);
    /** @param {Node} n */
    const top = (n) => [...n.dests].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
    /** @param {number} v */
    const hex = (v) => `0x${(v >>> 0).toString(16)}`;
    if (out.json) {
      for (const n of shown) out.record({ addr: n.addr, symbol: n.symbol, disas: n.disas, earlyExits: n.early, branches: n.branches, dests: top(n).map(([to, count]) => ({ to, count })) });
    } else {
      out.text(`${all.length} control flow nodes in the hash table\n`);
      for (const n of shown) {
        out.text(`  addr: ${hex(n.addr)} ${n.symbol}: ${n.disas} (${n.early > n.branches ? 'sync fault' : 'branch'})\n`);
        out.text(`    early exits ${n.early}\n`);
        out.text(`    branches ${n.branches}\n`);
        for (const [to, count] of top(n)) out.text(`      to ${hex(to)} (${count})\n`);
      }
    }
    out.close();
  });
}
