// howvec: a histogram of executed instructions by class (QEMU's contrib/plugins/howvec.c).
// QEMU has no ARM table ("Unclassified" for every instruction); here ARM and Thumb
// instructions are classed by their mnemonic. Args: inline=on|off, verbose=on|off (list
// classes with no hits too), count=CLASS (count that class per instruction too),
// count=!CLASS (do not count it). Output:
//   Instruction Classes:
//   Class: Data processing          	(1234 hits)
//   Individual Instructions:
//   Instr: push {r4, lr}            	(12 hits)	(op=0xe92d4010/Load/store multiple)
import { output } from './lib/output.mjs';
import { insnWord } from './lib/insn-word.mjs';

/** @typedef {import('./api.js').Counter} Counter */
/** @typedef {import('./api.js').ExecCallback} ExecCallback */
/** @typedef {import('./api.js').Insn} Insn */

/** [class, test on the mnemonic (condition and .w/.n suffixes stripped)], first match wins. @type {[string, RegExp][]} */
const CLASSES = [
  ['Branch', /^(b|bl|blx|bx|bxj|cbz|cbnz|tbb|tbh)$/],
  ['Load/store multiple', /^(ldm|stm|push|pop)(ia|ib|da|db|fd|fa|ed|ea)?$/],
  ['Load/store exclusive', /^(ldrex|strex|clrex)[bhd]?$/],
  ['Load/store', /^(ldr|str)(b|h|sb|sh|d|t|bt|ht|sbt|sht)?$/],
  ['VFP load/store', /^(vldr|vstr|vldm|vstm|vpush|vpop)/],
  ['VFP', /^v/],
  ['Multiply', /^(mul|mla|mls|umull|umlal|smull|smlal|umaal|smul|smla|smlsl|smuad|smusd|smlad|smlsd|smmul|smmla|smmls|smlaw|smulw|sdiv|udiv)/],
  ['Saturating/media', /^(q|sq|uq|sh|uh|s|u)(add|sub|asx|sax|dadd|dsub)|^(ssat|usat|sel|rev|rbit|clz|sxt|uxt|pkh|bfi|bfc|sbfx|ubfx|usad)/],
  ['System', /^(svc|swi|bkpt|udf|mrs|msr|mrc|mcr|mrrc|mcrr|cps|setend|dmb|dsb|isb|nop|yield|wfe|wfi|sev|pld|pli|it[te]*)$/],
  ['Data processing', /^(and|eor|sub|rsb|add|adc|sbc|rsc|tst|teq|cmp|cmn|orr|orn|mov|movw|movt|bic|mvn|lsl|lsr|asr|ror|rrx|adr|neg)$/],
];
const CONDITION = /(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)$/;

/** @param {string} disas */
function mnemonic(disas) {
  return disas.split(/\s/)[0].replace(/\.[wn]$/, '').replace(/\.\S*$/, '');
}

/** @param {string} disas */
export function classify(disas) {
  const m = mnemonic(disas);
  const candidates = [m, m.replace(/s$/, ''), m.replace(CONDITION, ''), m.replace(CONDITION, '').replace(/s$/, ''), m.replace(/s?(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)$/, '')];
  for (const [name, test] of CLASSES) if (candidates.some((c) => test.test(c))) return name;
  return 'Unclassified';
}

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'howvec', license: 'MIT' });
  args.expectOnly(['inline', 'verbose', 'count', 'format', 'outfile']);
  const useInline = args.bool('inline', false);
  const verbose = args.bool('verbose', false);
  const out = output(api, args);
  const names = [...CLASSES.map(([n]) => n), 'Unclassified'];
  /** How each class is counted. @type {Map<string, 'class' | 'individual' | 'none'>} */
  const mode = new Map(names.map((n) => [n, n === 'Unclassified' ? 'individual' : 'class']));
  for (const c of args.all('count')) {
    const name = c.replace(/^!/, '');
    const match = names.find((n) => n.toLowerCase() === name.toLowerCase());
    if (!match) throw new Error(`option parsing failed: count=${c} (classes: ${names.join(', ')})`);
    mode.set(match, c.startsWith('!') ? 'none' : 'individual');
  }
  const classCounters = new Map(names.map((n) => [n, api.newCounter()]));
  /** @param {string} name one of `names` (classify's results) */
  const classCounter = (name) => /** @type {Counter} */ (classCounters.get(name));
  /** opcode word -> { disas, cls, word, counter } @type {Map<number, { disas: string, cls: string, word: number, counter: Counter }>} */
  const individual = new Map();
  /** @type {ExecCallback} */
  const bump = (vcpu, counter) => /** @type {Counter} */ (counter).add(vcpu, 1);
  /** @param {Insn} insn @param {Counter} counter */
  const count = (insn, counter) => (useInline ? insn.inline('add', counter, 1) : insn.onExec(bump, { userdata: counter }));

  api.onTbTrans((tb) => {
    for (const insn of tb.insns) {
      const cls = classify(insn.disas);
      const how = mode.get(cls);
      if (how === 'none') continue;
      count(insn, classCounter(cls));
      if (how !== 'individual') continue;
      const word = insnWord(insn.data);
      let rec = individual.get(word);
      if (!rec) individual.set(word, (rec = { disas: insn.disas, cls, word, counter: api.newCounter() }));
      count(insn, rec.counter);
    }
  });

  api.onExit(() => {
    const rows = [...individual.values()].map((r) => ({ ...r, hits: r.counter.sum() })).sort((a, b) => b.hits - a.hits || a.word - b.word).slice(0, 50);
    if (out.json) {
      for (const n of names) out.record({ class: n, counted: mode.get(n), hits: classCounter(n).sum() });
      for (const r of rows) out.record({ insn: r.disas, hits: r.hits, op: r.word, class: r.cls });
    } else {
      out.text('Instruction Classes:\n');
      for (const n of names) {
        const hits = classCounter(n).sum();
        const how = mode.get(n);
        if (how === 'none') out.text(`Class: ${n.padEnd(24)}\tnot counted\n`);
        else if (hits > 0 || verbose) out.text(`Class: ${n.padEnd(24)}\t(${hits} hits)\n`);
      }
      out.text('Individual Instructions:\n');
      for (const r of rows) out.text(`Instr: ${r.disas.padEnd(24)}\t(${r.hits} hits)\t(op=0x${r.word.toString(16).padStart(8, '0')}/${r.cls})\n`);
    }
    out.close();
  });
}
