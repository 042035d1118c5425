// drcov: code coverage in DynamoRIO's drcov format, loadable by Lighthouse and bncov
// (QEMU's contrib/plugins/drcov.c). Args: filename=PATH (default file.drcov.trace).
// The file: a text header with one module (the program), then "BB Table: N bbs" and N
// binary records { u32 start offset from the module base, u16 size, u16 module id }, one
// per distinct block executed inside the program's code.
import { writeFileSync } from 'node:fs';

/** @typedef {import('./api.js').ExecCallback} ExecCallback */
/** @typedef {{ start: number, size: number, seen: boolean }} Block */

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'drcov', license: 'MIT' });
  args.expectOnly(['filename']);
  const filename = args.get('filename') ?? 'file.drcov.trace';
  const { startCode, endCode, entryCode, binaryPath } = api.info;
  /** `${start}/${size}` -> { start, size, seen }. @type {Map<string, Block>} */
  const blocks = new Map();
  /** The blocks in first-execution order. @type {Block[]} */
  const executed = [];
  /** @type {ExecCallback} */
  const onFirstExec = (vcpu, userdata) => {
    const entry = /** @type {Block} */ (userdata);
    if (entry.seen) return;
    entry.seen = true;
    executed.push(entry);
  };

  api.onTbTrans((tb) => {
    if (tb.vaddr < startCode || tb.vaddr >= endCode) return;
    const key = `${tb.vaddr}/${tb.size}`;
    let entry = blocks.get(key);
    if (!entry) blocks.set(key, (entry = { start: tb.vaddr, size: tb.size, seen: false }));
    if (!entry.seen) tb.onExec(onFirstExec, { userdata: entry });
  });

  api.onExit(() => {
    /** @param {number} v */
    const hex = (v) => `0x${v.toString(16)}`;
    const header =
      'DRCOV VERSION: 2\n' +
      'DRCOV FLAVOR: drcov-64\n' +
      'Module Table: version 2, count 1\n' +
      'Columns: id, base, end, entry, path\n' +
      `0, ${hex(startCode)}, ${hex(endCode)}, ${hex(entryCode)}, ${binaryPath}\n` +
      `BB Table: ${executed.length} bbs\n`;
    const records = Buffer.alloc(executed.length * 8);
    executed.forEach((b, i) => {
      records.writeUInt32LE(b.start - startCode, i * 8);
      records.writeUInt16LE(Math.min(b.size, 0xffff), i * 8 + 4);
      records.writeUInt16LE(0, i * 8 + 6);
    });
    writeFileSync(filename, Buffer.concat([Buffer.from(header, 'latin1'), records]));
  });
}
