// syscall: syscall statistics or a trace (QEMU's tests/tcg/plugins/syscall.c).
// Args: print=on (a line per call and per return instead of the table),
// log_writes=on (hexdump what write(2) writes), format=text|json, outfile=PATH.
// Output: "syscall no.  calls  errors" then "%-13d%-6d %d" rows sorted by calls;
// print=on: "syscall #45" / "syscall #45 returned -> 442368".
import { output } from './lib/output.mjs';

/** ARM EABI write(2). */
const NR_WRITE = 4;

/** @typedef {{ calls: number, errors: number }} Stats */

/** @param {Uint8Array} bytes */
function hexdump(bytes) {
  let text = '';
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0') + ' ').join('').padEnd(48, ' ');
    const chars = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    text += `${hex} | ${chars}\n`;
  }
  return text;
}

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'syscall', license: 'MIT' });
  args.expectOnly(['print', 'log_writes', 'format', 'outfile']);
  const print = args.bool('print', false);
  const logWrites = args.bool('log_writes', false);
  const out = output(api, args);
  /** nr -> { calls, errors }, in first-seen order. @type {Map<number, Stats>} */
  const stats = new Map();

  api.onSyscall((vcpu, num, a) => {
    if (print) {
      if (out.json) out.record({ vcpu, syscall: num, args: a.slice(0, 6) });
      else out.text(`syscall #${num}\n`);
    } else {
      const s = stats.get(num) ?? { calls: 0, errors: 0 };
      s.calls++;
      stats.set(num, s);
    }
    if (logWrites && num === NR_WRITE) {
      const bytes = api.readMemory(a[1], a[2]);
      if (bytes) out.text(hexdump(bytes));
    }
  });
  api.onSyscallReturn((vcpu, num, ret) => {
    if (print) {
      if (out.json) out.record({ vcpu, syscall: num, ret });
      else out.text(`syscall #${num} returned -> ${ret}\n`);
    } else if (ret < 0) {
      /** @type {Stats} */ (stats.get(num)).errors++; // set when the call was made
    }
  });
  api.onExit(() => {
    if (!print) {
      const rows = [...stats].sort((x, y) => y[1].calls - x[1].calls || x[0] - y[0]);
      if (out.json) for (const [nr, s] of rows) out.record({ syscall: nr, calls: s.calls, errors: s.errors });
      else {
        out.text('syscall no.  calls  errors\n');
        for (const [nr, s] of rows) out.text(`${String(nr).padEnd(13)}${String(s.calls).padEnd(6)} ${s.errors}\n`);
      }
    }
    out.close();
  });
}
