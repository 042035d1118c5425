// insn: count executed instructions (QEMU's tests/tcg/plugins/insn.c).
// Args: inline=on|off (a counter add compiled before each instruction instead of a call),
// sizes=on|off (histogram of instruction sizes, counted at translation as QEMU does),
// match=PREFIX (repeatable: report executions of instructions whose disassembly starts
// with PREFIX), trace=on|off (print each match as it executes), format=text|json, outfile=PATH.
import { output } from './lib/output.mjs';

/** @typedef {{ vaddr: number, disas: string, hits: number }} Rec */

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'insn', license: 'MIT' });
  args.expectOnly(['inline', 'sizes', 'match', 'trace', 'format', 'outfile']);
  const useInline = args.bool('inline', false);
  const sizes = args.bool('sizes', false);
  const trace = args.bool('trace', false);
  const matches = args.all('match');
  const out = output(api, args);
  const count = api.newCounter();
  /** Instruction size -> instructions translated. @type {Map<number, number>} */
  const sizeCounts = new Map();
  /** One record per matched instruction address: { vaddr, disas, hits }. @type {Map<number, Rec>} */
  const records = new Map();
  const matchStats = matches.map((m) => ({ match: m, hits: 0, lastHit: 0, totalDelta: 0, records: /** @type {Rec[]} */ ([]) }));

  /** @type {import('./api.js').ExecCallback} */
  const countOne = (vcpu) => count.add(vcpu, 1);
  api.onTbTrans((tb) => {
    for (const insn of tb.insns) {
      if (useInline) insn.inline('add', count, 1);
      else insn.onExec(countOne);
      if (sizes) sizeCounts.set(insn.size, (sizeCounts.get(insn.size) ?? 0) + 1);
      matchStats.forEach((stat) => {
        if (!insn.disas.startsWith(stat.match)) return;
        let rec = records.get(insn.vaddr);
        if (!rec) {
          rec = { vaddr: insn.vaddr, disas: insn.disas, hits: 0 };
          records.set(insn.vaddr, rec);
          stat.records.push(rec);
        }
        insn.onExec(
          (vcpu) => {
            rec.hits++;
            stat.hits++;
            const now = count.sum();
            const delta = now - stat.lastHit;
            stat.lastHit = now;
            stat.totalDelta += delta;
            if (trace) {
              out.text(`0x${rec.vaddr.toString(16)}, '${rec.disas}', ${rec.hits} hits, cpu ${vcpu}, ${stat.hits} match hits, Δ+${delta} since last match, ${Math.floor(stat.totalDelta / stat.hits)} avg insns/match\n`);
            }
          },
          { userdata: rec },
        );
      });
    }
  });

  api.onExit(() => {
    if (out.json) {
      for (let vcpu = 0; vcpu < api.numVcpus(); vcpu++) out.record({ vcpu, insns: count.get(vcpu) });
      out.record({ total: true, insns: count.sum() });
      for (const [size, n] of [...sizeCounts].sort((a, b) => a[0] - b[0])) out.record({ size, translated: n });
      for (const stat of matchStats) out.record({ match: stat.match, hits: stat.hits, insns: stat.records });
    } else {
      for (let vcpu = 0; vcpu < api.numVcpus(); vcpu++) out.text(`cpu ${vcpu} insns: ${count.get(vcpu)}\n`);
      out.text(`total insns: ${count.sum()}\n`);
      for (const [size, n] of [...sizeCounts].sort((a, b) => a[0] - b[0])) out.text(`len ${size} bytes: ${n} insns\n`);
      for (const stat of matchStats) {
        out.text(`Match: ${stat.match}, hits ${stat.hits}\n`);
        for (const rec of stat.records) out.text(`  ${rec.vaddr.toString(16)}: ${rec.disas} (hits ${rec.hits})\n`);
      }
    }
    out.close();
  });
}
