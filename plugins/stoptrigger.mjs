// stoptrigger: end the emulation after N instructions or on reaching an address (QEMU's
// contrib/plugins/stoptrigger.c). Args: icount=N[:CODE], addr=ADDR[:CODE] (repeatable);
// CODE is the exit status (default 0). Prints "icount reached at 0x%x, exiting" or
// "0x%x reached, exiting". The count is tested in the compiled code (a conditional
// callback), so nothing is called until the limit is reached.

/** @param {string} text @param {string} what */
function parseTrigger(text, what) {
  const [value, code = '0'] = text.split(':');
  const n = Number(value);
  const status = Number(code);
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(value ?? '') || !/^[0-9]+$/.test(code)) throw new Error(`option parsing failed: ${what}=${text} (expected ${what}=N[:CODE])`);
  return { value: n, status };
}

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'stoptrigger', license: 'MIT' });
  args.expectOnly(['icount', 'addr']);
  const icountArg = args.get('icount');
  const icount = icountArg !== undefined ? parseTrigger(icountArg, 'icount') : undefined;
  const addrs = new Map(args.all('addr').map((a) => parseTrigger(a, 'addr')).map((t) => [t.value >>> 0, t.status]));
  if (!icount && addrs.size === 0) throw new Error('option parsing failed: give icount=N[:CODE] and/or addr=ADDR[:CODE]');
  const count = api.newCounter();

  api.onTbTrans((tb) => {
    for (const insn of tb.insns) {
      if (icount) {
        insn.inline('add', count, 1);
        insn.onExecIf('ge', count, icount.value, () => {
          api.outs(`icount reached at 0x${insn.vaddr.toString(16)}, exiting\n`);
          api.exit(icount.status);
        });
      }
      const status = addrs.get(insn.vaddr);
      if (status !== undefined) {
        insn.onExec(() => {
          api.outs(`0x${insn.vaddr.toString(16)} reached, exiting\n`);
          api.exit(status);
        });
      }
    }
  });
}
