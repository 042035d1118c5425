// execlog: one line per executed instruction with its memory accesses (QEMU's
// contrib/plugins/execlog.c). A line is printed when the vCPU's next instruction starts
// (the accesses are known then) and the last one at exit:
//   0, 0x1039c, 0xb00f04f, "mov.w fp, #0"
//   0, 0x103a4, 0xbc02, "pop {r1}", load, 0x40800980
// Args: ifilter=PREFIX / afilter=HEXADDR (repeatable: log only matching instructions),
// reg=NAME (repeatable, '*' and '?' globs: append ", r0 -> 0x2a" when it changed),
// outfile=PATH.
import { output } from './lib/output.mjs';
import { insnWord } from './lib/insn-word.mjs';

/** @typedef {import('./api.js').ExecCallback} ExecCallback */
/** @typedef {import('./api.js').MemCallback} MemCallback */
/** @typedef {import('./api.js').RegisterDescriptor} RegisterDescriptor */

/** @param {string} glob */
function globToRegExp(glob) {
  return new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
}

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'execlog', license: 'MIT' });
  args.expectOnly(['ifilter', 'afilter', 'reg', 'outfile']);
  const out = output(api, args);
  const ifilters = args.all('ifilter');
  const afilters = args.all('afilter').map((a) => Number.parseInt(a, 16) >>> 0);
  const regGlobs = args.all('reg').map(globToRegExp);
  // Per vCPU: the line being built, and the last seen value of each tracked register.
  /** @type {(string | undefined)[]} */
  const pending = [];
  /** @type {(number | bigint)[][]} */
  const lastValues = [];
  /** @type {RegisterDescriptor[]} */
  let tracked = [];

  /** @param {number} vcpu */
  const flush = (vcpu) => {
    if (pending[vcpu] !== undefined) out.text(pending[vcpu] + '\n');
    pending[vcpu] = undefined;
  };

  api.onVcpuInit((vcpu) => {
    tracked = api.registers().filter((r) => regGlobs.some((g) => g.test(r.name)));
    lastValues[vcpu] = tracked.map((r) => api.readRegister(r));
  });

  /** @param {number} vcpu */
  const regChanges = (vcpu) => {
    let text = '';
    const last = lastValues[vcpu];
    tracked.forEach((r, i) => {
      const v = api.readRegister(r);
      if (v !== last[i]) {
        text += `, ${r.name} -> 0x${v.toString(16)}`;
        last[i] = v;
      }
    });
    return text;
  };

  /** @type {ExecCallback} */
  const onInsn = (vcpu, prefix) => {
    // Register changes belong to the instruction that made them: the previous one.
    if (tracked.length > 0 && pending[vcpu] !== undefined) pending[vcpu] += regChanges(vcpu);
    flush(vcpu);
    pending[vcpu] = `${vcpu}, ${prefix}`;
  };
  /** @type {MemCallback} */
  const onMem = (vcpu, info, address) => {
    if (pending[vcpu] === undefined) return;
    pending[vcpu] += `, ${info.store ? 'store' : 'load'}, 0x${address.toString(16).padStart(8, '0')}`;
  };

  api.onTbTrans((tb) => {
    for (const insn of tb.insns) {
      if (ifilters.length > 0 && !ifilters.some((f) => insn.disas.startsWith(f))) continue;
      if (afilters.length > 0 && !afilters.includes(insn.vaddr)) continue;
      const prefix = `0x${insn.vaddr.toString(16)}, 0x${insnWord(insn.data).toString(16)}, "${insn.disas}"`;
      insn.onExec(onInsn, { regs: tracked.length > 0 ? 'r' : 'none', userdata: prefix });
      insn.onMem(onMem, { rw: 'rw' });
    }
  });

  api.onExit(() => {
    for (let vcpu = 0; vcpu < pending.length; vcpu++) flush(vcpu);
    out.close();
  });
}
