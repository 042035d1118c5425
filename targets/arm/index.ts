// The ARM target: everything src/ needs to run 32-bit ARM Linux programs.
import type { Target } from '../../src/engine/target.js';
import { CACHED_LOCALS, REGISTER_NAMES, S, STATE_BYTES, formatArmState } from './cpu-state.js';
import { ARM_CPU_MODELS, DEFAULT_CPU } from './cpu-models.js';
import { translateArmBlock } from './translate/block.js';
import { armRuntime } from './translate/runtime.js';
import { armLinuxAbi } from './linux/abi.js';
import { ARM_REGISTER_FILE } from './registers.js';
import { VFP_INLINE_LOCALS, inlineVfpArithmetic } from './translate/vfp-inline.js';

export const EM_ARM = 40;

export const arm: Target = {
  name: 'arm',
  elfMachine: EM_ARM,
  cpuModels: ARM_CPU_MODELS,
  defaultCpu: DEFAULT_CPU,
  stateBytes: STATE_BYTES,
  pcIndex: S.pc,
  // mid-IT Thumb code is a different block from the same PC outside an IT block
  blockKey: (st) => (st[S.ITSTATE] ? (st[S.pc]! >>> 0) + st[S.ITSTATE]! * 4294967296 : st[S.pc]!),
  cachedLocals: CACHED_LOCALS,
  translateBlock: translateArmBlock,
  runtime: armRuntime,
  hotRegionCode: { rewrite: inlineVfpArithmetic, locals: VFP_INLINE_LOCALS },
  keyToAddress: (key) => (key & ~1) >>> 0,
  formatState: formatArmState,
  registerNames: REGISTER_NAMES,
  registerFile: ARM_REGISTER_FILE,
  linux: armLinuxAbi,
};
