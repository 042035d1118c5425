// bbv: SimPoint basic-block vectors (QEMU's contrib/plugins/bbv.c).
// Args: interval=N (guest instructions per vector; default 100000000), outfile=PREFIX
// (default "bbv": writes PREFIX.<vcpu>.bb, one file per vCPU).
// Output: per interval, one line "T:<bb>:<count> :<bb>:<count> ..." listing each block
// that ran in the interval with the instructions it executed there; blocks are numbered
// from 1 in the order they were first translated, keyed by (pc, instructions). As in
// QEMU, a last, incomplete interval is not written. Counting is inline (scoreboards); only
// the end of an interval calls back, tested in the compiled code.
import { closeSync, openSync, writeSync } from 'node:fs';

/** @typedef {import('./api.js').Counter} Counter */
/** @typedef {import('./api.js').ExecCallback} ExecCallback */

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'bbv', license: 'MIT' });
  args.expectOnly(['interval', 'outfile']);
  const interval = args.int('interval', 100000000);
  if (!(interval > 0)) throw new Error(`option parsing failed: interval=${args.get('interval')} (expected a positive count)`);
  const prefix = args.get('outfile') ?? 'bbv';
  /** Instructions each vCPU ran in the current interval. */
  const total = api.newCounter();
  /** `${pc}/${insns}` -> { index, counter }, in translation order. @type {Map<string, { index: number, counter: Counter }>} */
  const blocks = new Map();
  /** One file per vCPU, opened on its first vector. @type {Map<number, number>} */
  const files = new Map();

  /** @param {number} vcpu */
  const fileOf = (vcpu) => {
    let fd = files.get(vcpu);
    if (fd === undefined) files.set(vcpu, (fd = openSync(`${prefix}.${vcpu}.bb`, 'w')));
    return fd;
  };

  /** @type {ExecCallback} */
  const dump = (vcpu) => {
    let line = 'T';
    for (const b of blocks.values()) {
      const n = b.counter.get(vcpu);
      if (n === 0) continue;
      line += `:${b.index}:${n} `;
      b.counter.set(vcpu, 0);
    }
    writeSync(fileOf(vcpu), line + '\n');
    total.set(vcpu, 0);
  };

  api.onTbTrans((tb) => {
    const key = `${tb.vaddr}/${tb.nInsns}`;
    let b = blocks.get(key);
    if (!b) blocks.set(key, (b = { index: blocks.size + 1, counter: api.newCounter() }));
    tb.inline('add', b.counter, tb.nInsns);
    tb.inline('add', total, tb.nInsns);
    tb.onExecIf('ge', total, interval, dump);
  });

  api.onExit(() => {
    for (const fd of files.values()) closeSync(fd);
  });
}
