// The callback table compiled code reaches plugins through: `PLG_cb[n](vi, ...)`, where n
// is a number fixed at translation (DESIGN.md rule 2). Each slot wraps a plugin callback
// so that an exception names the plugin, and so that register reads know which vCPU and
// which access level (the flag the callback was registered with) apply.
//
// Callbacks that touch no registers (most per-instruction ones) are called without the
// wrapper, `CBn(vi, UDn)` inside a try whose catch calls `PLG_fail(n, e)`, where the
// region's prologue took `CBn = PLG_fn[n], UDn = PLG_ud[n]` once per entry: one call level
// less and no array loads per call, which V8 can inline into the region.
import { PluginError } from '../errors.js';
import { GuestExit } from '../linux/syscalls.js';
import type { LoadedPlugin } from './plugin.js';

export type RegAccess = 'none' | 'r' | 'rw';

/** What the callback running now may do with registers, and on which vCPU. */
export interface CallContext {
  vcpu: number;
  access: RegAccess;
  /** Why registers are out of reach when access is 'none' (for the error message). */
  where: string;
}

/** Re-throw an exception from plugin code as one clear line (guest exits pass through). */
export function pluginFailure(plugin: LoadedPlugin, what: string, e: unknown): unknown {
  if (e instanceof GuestExit || e instanceof PluginError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new PluginError(plugin.name, `${what} threw: ${message.split('\n')[0]}`);
}

/** Memory-access details passed to memory callbacks (one frozen object per access kind). */
export interface MemInfo {
  readonly size: number;
  readonly sizeShift: number;
  readonly signExtended: boolean;
  readonly bigEndian: boolean;
  readonly store: boolean;
}

export type ExecCallback = (vcpu: number, userdata: unknown) => void;
/** `value`: a number for accesses up to 4 bytes, a bigint for 8-byte (doubleword) ones. */
export type MemCallback = (vcpu: number, info: MemInfo, address: number, value: number | bigint, userdata: unknown) => void;

export interface MemCallbackRequest {
  plugin: LoadedPlugin;
  callback: MemCallback;
  userdata: unknown;
}

export class CallbackSlots {
  /** Captured by compiled regions as PLG_cb; only grows, so indices stay valid. */
  readonly table: ((...args: number[]) => unknown)[] = [];
  /** For slots of callbacks without register access: the callback itself (PLG_fn)... */
  readonly direct: (ExecCallback | undefined)[] = [];
  /** ...and its userdata (PLG_ud). */
  readonly userdata: unknown[] = [];
  readonly call: CallContext = { vcpu: -1, access: 'none', where: 'outside a callback' };
  /** Slots of each plugin (so reset/uninstall can silence them at once). */
  private readonly owned = new Map<LoadedPlugin, number[]>();
  /** Same callback + userdata + access -> same slot, so retranslation does not grow the table. */
  private readonly dedupe = new Map<unknown, Map<unknown, number>>();

  private add(plugin: LoadedPlugin, fn: (...args: number[]) => unknown): number {
    const slot = this.table.length;
    this.table.push(fn);
    let list = this.owned.get(plugin);
    if (!list) this.owned.set(plugin, (list = []));
    list.push(slot);
    return slot;
  }

  /** A slot calling `callback(vcpu, userdata)`; registers readable per `access`. */
  exec(plugin: LoadedPlugin, callback: ExecCallback, userdata: unknown, access: RegAccess): number {
    let byData = this.dedupe.get(callback);
    if (!byData) this.dedupe.set(callback, (byData = new Map()));
    const dataKey = access === 'none' ? userdata : { access, userdata };
    const known = access === 'none' ? byData.get(userdata) : undefined;
    if (known !== undefined) return known;
    const call = this.call;
    const slot =
      access === 'none'
        ? this.add(plugin, (vcpu) => {
            try {
              callback(vcpu, userdata);
            } catch (e) {
              throw pluginFailure(plugin, 'an execution callback', e);
            }
          })
        : this.add(plugin, (vcpu) => {
            call.vcpu = vcpu;
            call.access = access;
            try {
              callback(vcpu, userdata);
            } catch (e) {
              throw pluginFailure(plugin, 'an execution callback', e);
            } finally {
              call.access = 'none';
              call.where = 'outside a callback';
            }
          });
    if (access === 'none') {
      byData.set(dataKey, slot);
      this.direct[slot] = callback;
      this.userdata[slot] = userdata;
    }
    return slot;
  }

  /** PLG_fail: slot `slot`'s callback, called directly, threw `e`. */
  readonly fail = (slot: number, e: unknown): never => {
    for (const [plugin, list] of this.owned) if (list.includes(slot)) throw pluginFailure(plugin, 'an execution callback', e);
    throw e;
  };

  /**
   * One slot calling every memory callback of an instruction's access, value masked to its
   * size; compiled code passes an 8-byte access's value as two words (low, high).
   */
  mem(requests: readonly MemCallbackRequest[], info: MemInfo): number {
    const mask = info.size >= 4 ? -1 : (1 << (info.size * 8)) - 1;
    const call = this.call;
    const fn = (vcpu: number, address: number, value: number, high: number) => {
      const a = address >>> 0;
      const v = info.size === 8 ? (BigInt(high >>> 0) << 32n) | BigInt(value >>> 0) : (value & mask) >>> 0;
      call.where = 'in a memory callback (read them in an instruction callback instead)';
      for (const r of requests) {
        if (!r.plugin.active) continue; // reset or uninstalled; its code is being flushed
        try {
          r.callback(vcpu, info, a, v, r.userdata);
        } catch (e) {
          throw pluginFailure(r.plugin, 'a memory callback', e);
        }
      }
      call.where = 'outside a callback';
    };
    return this.add(requests[0]!.plugin, fn);
  }

  /** Turn every slot of `plugin` into a no-op (reset/uninstall: code still running stays valid). */
  silence(plugin: LoadedPlugin): void {
    for (const slot of this.owned.get(plugin) ?? []) {
      this.table[slot] = () => undefined;
      if (this.direct[slot]) this.direct[slot] = () => undefined;
    }
    this.owned.delete(plugin);
    this.dedupe.clear();
  }
}
