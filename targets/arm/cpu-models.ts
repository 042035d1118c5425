// -cpu models. Features name what the translator implements and the auxv advertises;
// a feature is only listed once tsqemu implements it (e.g. no VFP until VFP exists), so
// guest libraries never pick code paths we cannot run.
import type { CpuModel } from '../../src/engine/target.js';

const V5TE = ['v4t', 'v5', 'v5te', 'thumb'];
const V6K = [...V5TE, 'v6', 'v6k'];
const V7 = [...V6K, 'v6t2', 'v7', 'thumb2'];
// VFP register files and extensions (HWCAP: vfp -> VFP, vfp3 -> VFPv3, vfpd32 -> VFPD32,
// vfp4 -> VFPv4; fp16 (VCVTB/VCVTT) has no HWCAP of its own; vfp3 without vfpd32 = VFPv3D16).
// lpae: the Large Physical Address Extension of Cortex-A7/A15 (HWCAP LPAE: LDRD/STRD are
// single-copy atomic), as qemu-arm advertises it.
const VFP2 = ['vfp'];
const VFP3_D32 = ['vfp', 'vfp3', 'vfpd32'];
const VFP4_D32 = [...VFP3_D32, 'vfp4', 'fp16'];

function model(name: string, description: string, features: string[]): CpuModel {
  return { name, description, features: new Set(features) };
}

export const ARM_CPU_MODELS: readonly CpuModel[] = [
  model('arm926', 'ARM926EJ-S (ARMv5TE)', V5TE),
  model('arm1136', 'ARM1136J-S r1 (ARMv6K, VFPv2)', [...V6K, ...VFP2]),
  model('cortex-a7', 'Cortex-A7 (ARMv7-A, integer divide, VFPv4-D32)', [...V7, 'idiv', 'lpae', ...VFP4_D32]),
  model('cortex-a8', 'Cortex-A8 (ARMv7-A, VFPv3-D32)', [...V7, ...VFP3_D32]),
  model('cortex-a9', 'Cortex-A9 (ARMv7-A, VFPv3-D32 with half precision)', [...V7, ...VFP3_D32, 'fp16']),
  model('cortex-a15', 'Cortex-A15 (ARMv7-A, integer divide, VFPv4-D32)', [...V7, 'idiv', 'lpae', ...VFP4_D32]),
  model('max', 'all features tsqemu implements (ARMv7-A, integer divide, VFPv4-D32)', [...V7, 'idiv', 'lpae', ...VFP4_D32]),
];

export const DEFAULT_CPU = 'max';
