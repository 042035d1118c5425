// The API object one plugin receives from register(): every hook, as methods of one frozen
// object (DESIGN.md rule 7). Names follow QEMU's functions in JavaScript style; the table
// in plugins/README.md maps each QEMU function to its method here.
import { GuestExit } from '../linux/syscalls.js';
import { PAGE_MAPPED, PAGE_SHIFT } from '../memory/guest-memory.js';
import { parseBool } from './args.js';
import { DISCON, type DisconType, type PluginHost } from './host.js';
import type { GlobalEvent, LoadedPlugin } from './plugin.js';
import type { Counter, Scoreboard } from './scoreboard.js';
import { API_MIN_VERSION, API_VERSION } from './version.js';

export interface RegisterDescriptor {
  readonly name: string;
  readonly feature: string;
  readonly size: number;
}

export interface InstallInfo {
  readonly target: string;
  readonly version: { readonly min: number; readonly cur: number };
  readonly systemEmulation: false;
  readonly userMode: true;
  readonly binaryPath: string;
  readonly startCode: number;
  readonly endCode: number;
  readonly entryCode: number;
}

export function createApi(host: PluginHost, plugin: LoadedPlugin): object {
  const { config } = host;
  const { program, target, mem } = config;
  const registerFile = target.registerFile ?? [];
  const descriptors: readonly RegisterDescriptor[] = Object.freeze(registerFile.map((r) => Object.freeze({ name: r.name, feature: r.feature, size: r.size })));
  const info: InstallInfo = Object.freeze({
    target: target.name,
    version: Object.freeze({ min: API_MIN_VERSION, cur: API_VERSION }),
    systemEmulation: false,
    userMode: true,
    binaryPath: program.path,
    startCode: program.startCode,
    endCode: program.endCode,
    entryCode: program.entryCode,
  });

  const on = (event: GlobalEvent) => (callback: ((...args: never[]) => unknown) | null) => {
    if (!plugin.active) throw new TypeError('this plugin was uninstalled');
    host.setCallback(plugin, event, callback);
  };

  /** The register named or described, for the vCPU whose callback is running. */
  const registerAccess = (reg: RegisterDescriptor | string, need: 'r' | 'rw') => {
    const call = host.slots.call;
    const allowed = need === 'r' ? call.access !== 'none' : call.access === 'rw';
    if (!allowed) {
      const flag = need === 'r' ? "regs: 'r' or 'rw'" : "regs: 'rw'";
      throw new TypeError(`registers can be ${need === 'r' ? 'read' : 'written'} only in callbacks registered with ${flag}, vcpu init and syscall callbacks (${call.access === 'none' ? call.where : 'this callback has read-only access'})`);
    }
    const name = typeof reg === 'string' ? reg : reg?.name;
    const r = registerFile.find((x) => x.name === name);
    if (!r) throw new TypeError(`no register named '${String(name)}' (see api.registers())`);
    const vcpu = host.vcpus[call.vcpu];
    if (!vcpu) throw new TypeError(`no vCPU ${call.vcpu}`);
    return { r, state: vcpu.state };
  };

  const mapped = (address: number, length: number): boolean => {
    if (!Number.isInteger(address) || !Number.isInteger(length) || length <= 0 || address < 0 || address + length > 2 ** 32) return false;
    for (let p = address >>> PAGE_SHIFT; p <= (address + length - 1) >>> PAGE_SHIFT; p++) {
      if ((mem.pageFlags[p]! & PAGE_MAPPED) === 0) return false;
    }
    return true;
  };

  const api = {
    info,
    name: plugin.name,

    // lifecycle
    onExit: (callback: ((userdata?: unknown) => void) | null, userdata?: unknown) => on('exit')(callback ? () => callback(userdata) : null),
    onFlush: on('flush'),
    reset(done?: () => void) {
      host.clear(plugin);
      plugin.active = false;
      // Asynchronous like QEMU's: code already running finishes its block first.
      host.defer(() => {
        plugin.active = true;
        done?.();
      });
    },
    uninstall(done?: () => void) {
      host.clear(plugin);
      plugin.active = false;
      host.defer(() => done?.());
    },

    // vCPUs
    onVcpuInit: on('vcpuInit'),
    onVcpuExit: on('vcpuExit'),
    onVcpuIdle: on('vcpuIdle'),
    onVcpuResume: on('vcpuResume'),
    forEachVcpu(callback: (vcpu: number) => void) {
      host.vcpus.forEach((v) => callback(v.index));
    },
    numVcpus: () => host.numVcpus,

    // translation and execution
    onTbTrans: on('tbTrans'),
    newScoreboard(fields: readonly string[] = ['value']): Scoreboard {
      if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string')) throw new TypeError('newScoreboard(fields) takes a non-empty array of field names');
      return host.scoreboards.create(fields);
    },
    newCounter(): Counter {
      return host.scoreboards.create(['value']).counter();
    },
    freeScoreboard(board: Scoreboard) {
      host.scoreboards.free(board.id);
      host.flushCode();
    },

    // syscalls
    onSyscall: on('syscall'),
    onSyscallReturn: on('syscallReturn'),
    onSyscallFilter: on('syscallFilter'),

    // discontinuities (signal delivery and return)
    onDiscontinuity(types: readonly DisconType[] | 'all', callback: ((vcpu: number, type: DisconType, from: number, to: number) => void) | null) {
      const list = types === 'all' ? (Object.keys(DISCON) as DisconType[]) : types;
      let mask = 0;
      for (const t of list) {
        if (!(t in DISCON)) throw new TypeError(`unknown discontinuity type '${String(t)}' (${Object.keys(DISCON).join(', ')})`);
        mask |= DISCON[t];
      }
      host.disconMasks.set(plugin, mask);
      on('discontinuity')(callback);
    },

    // registers and memory
    registers: () => descriptors,
    readRegister(reg: RegisterDescriptor | string): number | bigint {
      const { r, state } = registerAccess(reg, 'r');
      return r.read(state);
    },
    writeRegister(reg: RegisterDescriptor | string, value: number | bigint) {
      const { r, state } = registerAccess(reg, 'rw');
      r.write(state, value);
    },
    readMemory(address: number, length: number): Uint8Array | null {
      return mapped(address, length) ? mem.u8.slice(address, address + length) : null;
    },
    writeMemory(address: number, data: Uint8Array): boolean {
      if (!(data instanceof Uint8Array) || !mapped(address, data.length)) return false;
      mem.poke(address, data);
      mem.onCodeWrite(address, data.length); // translated code there is stale now
      return true;
    },

    // output and helpers
    outs(text: string) {
      config.log.write(String(text));
    },
    parseBool: (name: string, value: string) => parseBool(name, value),
    symbolize: (address: number) => host.symbols.symbolize(address),
    /** End the emulation with `status`, as the guest's exit_group would (atexit callbacks run). */
    exit(status: number): never {
      throw new GuestExit(status & 0xff);
    },
  };
  return Object.freeze(api);
}
