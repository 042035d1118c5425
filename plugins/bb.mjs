// bb: count executed blocks and instructions per vCPU (QEMU's tests/tcg/plugins/bb.c).
// Args: inline=on|off (counters compiled into the code instead of a callback per block),
// idle=on|off (also report when a vCPU goes idle), format=text|json, outfile=PATH.
// Output: "CPU0: bb's: N, insns: M" per vCPU, then "Total: bb's: N, insns: M".
import { output } from './lib/output.mjs';

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'bb', license: 'MIT' });
  args.expectOnly(['inline', 'idle', 'format', 'outfile']);
  const useInline = args.bool('inline', false);
  const idle = args.bool('idle', false);
  const out = output(api, args);
  const board = api.newScoreboard(['bb', 'insns']);
  const bbs = board.counter('bb');
  const insns = board.counter('insns');

  api.onTbTrans((tb) => {
    if (useInline) {
      tb.inline('add', bbs, 1);
      tb.inline('add', insns, tb.nInsns);
    } else {
      const n = tb.nInsns;
      tb.onExec((vcpu) => {
        bbs.add(vcpu, 1);
        insns.add(vcpu, n);
      });
    }
  });

  /** @param {string} prefix @param {number} vcpu */
  const report = (prefix, vcpu) => {
    if (out.json) out.record({ vcpu, bbs: bbs.get(vcpu), insns: insns.get(vcpu) });
    else out.text(`${prefix}CPU${vcpu}: bb's: ${bbs.get(vcpu)}, insns: ${insns.get(vcpu)}\n`);
  };
  if (idle) api.onVcpuIdle((vcpu) => report('Idling ', vcpu));
  api.onExit(() => {
    for (let vcpu = 0; vcpu < api.numVcpus(); vcpu++) report('', vcpu);
    if (out.json) out.record({ total: true, bbs: bbs.sum(), insns: insns.sum() });
    else out.text(`Total: bb's: ${bbs.sum()}, insns: ${insns.sum()}\n`);
    out.close();
  });
}
