// Merge the helper modules of every instruction class into the runtime that compiled
// regions destructure by name. Names must be unique across modules.
import type { GuestMemory } from '../../../src/memory/guest-memory.js';
import { coreHelpers } from './helpers.js';
import { mediaHelpers } from './helpers-media.js';
import { vfpHelpers } from './helpers-vfp.js';
import { vfpFastHelpers } from './vfp-fast.js';
import { vfpMemoryHelpers } from './vfp-memory.js';

export function armRuntime(mem: GuestMemory): Record<string, unknown> {
  const modules = [coreHelpers(mem), mediaHelpers(mem), vfpHelpers(mem), vfpFastHelpers(), vfpMemoryHelpers(mem)];
  const out: Record<string, unknown> = {};
  for (const m of modules) {
    for (const [name, fn] of Object.entries(m)) {
      if (name in out) throw new Error(`duplicate ARM runtime helper ${name}`);
      out[name] = fn;
    }
  }
  return out;
}
