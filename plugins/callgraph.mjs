// callgraph: where the guest's instructions go, as folded stacks for flame-graph tools
// (flamegraph.pl, inferno, speedscope); tsqemu's own, QEMU has no such plugin.
// Args: outfile=PATH (default: the plugin output).
// Output: one line per call path, "caller;callee;...;function COUNT", COUNT = guest
// instructions executed with that path on the stack, sorted by path; a function without a
// symbol shows as [unknown]. Calls are BL/BLX that were taken (the next block is not the
// fall-through); a frame ends when execution reaches its return address, so returns by
// any instruction (bx lr, pop {pc}, ldm) count; one stack per vCPU (thread).
import { output } from './lib/output.mjs';

/** BL/BLX, conditional or not (ARM, or Thumb in an IT block). */
const CALL = /^blx?(eq|ne|cs|cc|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?(\.w)?\s/;
/** Deeper stacks (runaway recursion, longjmp loops) stop growing here. */
const MAX_DEPTH = 512;

/** @typedef {import('./api.js').ExecCallback} ExecCallback */
/**
 * A block as its entry callback sees it: fallThrough is the address after its last
 * instruction when that is a BL/BLX, else -1.
 * @typedef {{ vaddr: number, insns: number, name: string, fallThrough: number }} Block
 */

class Frame {
  /** @param {number} ret where the caller continues @param {string} prefix the callers' path */
  constructor(ret, prefix) {
    this.ret = ret;
    this.prefix = prefix;
    /** function name -> full path string (built once) @type {Map<string, string>} */
    this.paths = new Map();
  }

  /** @param {string} name */
  path(name) {
    let p = this.paths.get(name);
    if (p === undefined) this.paths.set(name, (p = this.prefix === '' ? name : `${this.prefix};${name}`));
    return p;
  }
}

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'callgraph', license: 'MIT' });
  args.expectOnly(['outfile']);
  const out = output(api, args);
  /** path -> instructions @type {Map<string, number>} */
  const counts = new Map();
  /** per vCPU: { stack: Frame[], call: fall-through address after a BL/BLX block, or -1, name } @type {{ stack: Frame[], call: number, name: string }[]} */
  const vcpus = [];

  /** @type {ExecCallback} */
  const enter = (vcpu, userdata) => {
    const b = /** @type {Block} */ (userdata);
    const st = (vcpus[vcpu] ??= { stack: [new Frame(-1, '')], call: -1, name: '' });
    const stack = st.stack;
    if (st.call !== -1) {
      if (b.vaddr !== st.call && stack.length < MAX_DEPTH) stack.push(new Frame(st.call, stack[stack.length - 1].path(st.name)));
      st.call = -1;
    }
    for (let i = stack.length - 1; i > 0; i--) {
      if (stack[i].ret === b.vaddr) {
        stack.length = i;
        break;
      }
    }
    const path = stack[stack.length - 1].path(b.name);
    counts.set(path, (counts.get(path) ?? 0) + b.insns);
    if (b.fallThrough !== -1) {
      st.call = b.fallThrough;
      st.name = b.name;
    }
  };

  api.onTbTrans((tb) => {
    const last = tb.insns[tb.nInsns - 1];
    const isCall = CALL.test(last.disas);
    const block = { vaddr: tb.vaddr, insns: tb.nInsns, name: tb.insns[0].symbol ?? api.symbolize(tb.vaddr) ?? '[unknown]', fallThrough: isCall ? last.vaddr + last.size : -1 };
    tb.onExec(enter, { userdata: block });
  });

  api.onExit(() => {
    for (const [path, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) out.text(`${path} ${n}\n`);
    out.close();
  });
}
