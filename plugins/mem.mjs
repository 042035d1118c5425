// mem: count guest memory accesses (QEMU's tests/tcg/plugins/mem.c).
// Args: inline=on (a counter add compiled after each access) or callback=on (a call per
// access; the default), track=r|w|rw (loads, stores or both; default rw),
// print-accesses=on (one CSV line per access), region-summary=on (accesses per 16 KiB
// region, and whether every load returned what the guest had stored there),
// format=text|json, outfile=PATH.
// Output: "mem accesses: N"; print-accesses lines are
//   insn_vaddr,insn_symbol,mem_vaddr,mem_hwaddr,access_size,access_type,mem_value
//   0x10450,main,0xfffdfef4,0x0,32,store,0x00010450
// (size in bits; user mode has no physical addresses, so mem_hwaddr is 0 as in QEMU).
// region-summary: "Region Base, Reads, Writes, Seen all" and rows
// "0x%016x, reads, writes, true|false" by address (none when only one region was
// touched, as QEMU); while running, "Warning: 0x%016x:%d read an un-instrumented value"
// the first time a region's load returns bytes the plugin did not see stored.
import { output } from './lib/output.mjs';

/** QEMU's region size: 4 pages of 4 KiB. */
const REGION_SIZE = 16384;

/** @typedef {import('./api.js').MemCallback} MemCallback */
/** @typedef {{ base: number, reads: number, writes: number, mirror: Uint8Array, seenAll: boolean }} Region */

/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'mem', license: 'MIT' });
  args.expectOnly(['inline', 'callback', 'track', 'print-accesses', 'region-summary', 'haddr', 'format', 'outfile']);
  const useInline = args.bool('inline', false);
  const useCallback = args.bool('callback', !useInline);
  if (useInline && useCallback) throw new Error('option parsing failed: inline=on and callback=on cannot be combined (pick one)');
  const track = args.choice('track', ['r', 'w', 'rw'], 'rw');
  const printAccesses = args.bool('print-accesses', false);
  const regionSummary = args.bool('region-summary', false);
  args.bool('haddr', false); // accepted for QEMU compatibility: no physical addresses in user mode
  const out = output(api, args);
  const count = api.newCounter();

  if (printAccesses && !out.json) out.text('insn_vaddr,insn_symbol,mem_vaddr,mem_hwaddr,access_size,access_type,mem_value\n');
  /** @type {MemCallback} */
  const printAccess = (vcpu, info, address, value, userdata) => {
    const insn = /** @type {{ vaddr: number, symbol: string | null }} */ (userdata);
    const type = info.store ? 'store' : 'load';
    if (out.json) {
      // an 8-byte value is a bigint, which JSON cannot hold: its hex digits instead
      out.record({ insn: insn.vaddr, symbol: insn.symbol, address, size: info.size, type, value: typeof value === 'bigint' ? `0x${value.toString(16)}` : value });
    } else {
      const v = value.toString(16).padStart(info.size * 2, '0');
      out.text(`0x${insn.vaddr.toString(16)},${insn.symbol ?? ''},0x${address.toString(16)},0x0,${info.size * 8},${type},0x${v}\n`);
    }
  };
  /** @type {MemCallback} */
  const countAccess = (vcpu) => count.add(vcpu, 1);

  // region-summary: per 16 KiB region, the accesses and a mirror of the bytes stored there
  // (zero until stored). A load whose bytes differ from the mirror read something the guest
  // did not store through an instrumented access (loaded from the ELF file, written by the
  // kernel, or stored before the plugin saw it): the region is no longer "seen all".
  /** Region base -> { base, reads, writes, mirror: Uint8Array, seenAll } @type {Map<number, Region>} */
  const regions = new Map();
  /** @param {number} base */
  const regionOf = (base) => {
    let r = regions.get(base);
    if (!r) regions.set(base, (r = { base, reads: 0, writes: 0, mirror: new Uint8Array(REGION_SIZE), seenAll: true }));
    return r;
  };
  /** @param {import('./api.js').MemInfo} info @param {number | bigint} value */
  const bytesOf = (info, value) => {
    const bytes = new Uint8Array(info.size);
    let v = BigInt(value);
    for (let i = 0; i < info.size; i++, v >>= 8n) bytes[info.bigEndian ? info.size - 1 - i : i] = Number(v & 0xffn);
    return bytes;
  };
  /** @type {MemCallback} */
  const trackRegion = (vcpu, info, address, value) => {
    const bytes = bytesOf(info, value);
    // an access that crosses into the next region counts in both, each with its own bytes
    for (let done = 0; done < bytes.length; ) {
      const at = address + done;
      const offset = at % REGION_SIZE;
      const part = bytes.subarray(done, Math.min(bytes.length, done + REGION_SIZE - offset));
      const region = regionOf(at - offset);
      if (info.store) {
        region.writes++;
        region.mirror.set(part, offset);
      } else {
        region.reads++;
        if (region.seenAll && part.some((b, i) => region.mirror[offset + i] !== b)) {
          region.seenAll = false;
          if (out.json) out.record({ warning: 'read an un-instrumented value', region: region.base, offset });
          else out.text(`Warning: 0x${region.base.toString(16).padStart(16, '0')}:${offset} read an un-instrumented value\n`);
        }
      }
      done += part.length;
    }
  };

  api.onTbTrans((tb) => {
    for (const insn of tb.insns) {
      if (useInline) insn.memInline(track, 'add', count, 1);
      else insn.onMem(countAccess, { rw: track });
      if (printAccesses) insn.onMem(printAccess, { rw: track, userdata: { vaddr: insn.vaddr, symbol: insn.symbol } });
      if (regionSummary) insn.onMem(trackRegion, { rw: track });
    }
  });

  api.onExit(() => {
    if (out.json) out.record({ accesses: count.sum() });
    else out.text(`mem accesses: ${count.sum()}\n`);
    if (regionSummary) {
      const rows = [...regions.values()].sort((a, b) => a.base - b.base);
      if (out.json) {
        for (const r of rows) out.record({ region: r.base, reads: r.reads, writes: r.writes, seenAll: r.seenAll });
      } else {
        let text = 'Region Base, Reads, Writes, Seen all\n';
        // QEMU prints no rows when only one region was touched
        if (rows.length > 1) for (const r of rows) text += `0x${r.base.toString(16).padStart(16, '0')}, ${r.reads}, ${r.writes}, ${r.seenAll}\n`;
        out.text(text);
      }
    }
    out.close();
  });
}
