// AT_HWCAP / AT_HWCAP2 / AT_PLATFORM and uname's machine for a CPU model. Only features
// tsqemu implements are advertised (no NEON, iWMMXt or ThumbEE), so guest libraries never
// choose code paths we cannot run: glibc picks its non-NEON string routines.
//
// qemu-arm 7.2 for comparison (AT_HWCAP of a static armhf program):
//   -cpu cortex-a15,neon=off  0x1fa8d7   tsqemu -cpu cortex-a15 / cortex-a7 / max  0x1fa0d7
//   -cpu cortex-a8,neon=off   0x08a8d7   tsqemu -cpu cortex-a8 / cortex-a9        0x08a0d7
// The one difference is THUMBEE (bit 11), which tsqemu does not implement and glibc never
// looks at.
import type { CpuModel } from '../../../src/engine/target.js';

export const HWCAP_SWP = 1 << 0;
export const HWCAP_HALF = 1 << 1;
export const HWCAP_THUMB = 1 << 2;
export const HWCAP_26BIT = 1 << 3;
export const HWCAP_FAST_MULT = 1 << 4;
export const HWCAP_FPA = 1 << 5;
export const HWCAP_VFP = 1 << 6;
export const HWCAP_EDSP = 1 << 7;
export const HWCAP_JAVA = 1 << 8;
export const HWCAP_IWMMXT = 1 << 9;
export const HWCAP_NEON = 1 << 12;
export const HWCAP_VFPv3 = 1 << 13;
export const HWCAP_VFPv3D16 = 1 << 14;
export const HWCAP_TLS = 1 << 15;
export const HWCAP_VFPv4 = 1 << 16;
export const HWCAP_IDIVA = 1 << 17;
export const HWCAP_IDIVT = 1 << 18;
export const HWCAP_VFPD32 = 1 << 19;
export const HWCAP_LPAE = 1 << 20;

/** Names as /proc/cpuinfo "Features" lists them, by bit. */
export const HWCAP_NAMES: readonly [number, string][] = [
  [HWCAP_SWP, 'swp'], [HWCAP_HALF, 'half'], [HWCAP_THUMB, 'thumb'], [HWCAP_26BIT, '26bit'], [HWCAP_FAST_MULT, 'fastmult'],
  [HWCAP_FPA, 'fpa'], [HWCAP_VFP, 'vfp'], [HWCAP_EDSP, 'edsp'], [HWCAP_JAVA, 'java'], [HWCAP_IWMMXT, 'iwmmxt'],
  [HWCAP_NEON, 'neon'], [HWCAP_VFPv3, 'vfpv3'], [HWCAP_VFPv3D16, 'vfpv3d16'], [HWCAP_TLS, 'tls'], [HWCAP_VFPv4, 'vfpv4'],
  [HWCAP_IDIVA, 'idiva'], [HWCAP_IDIVT, 'idivt'], [HWCAP_VFPD32, 'vfpd32'], [HWCAP_LPAE, 'lpae'],
];

export function armHwcap(cpu: CpuModel): number {
  const f = cpu.features;
  let caps = HWCAP_SWP | HWCAP_HALF | HWCAP_FAST_MULT;
  if (f.has('thumb')) caps |= HWCAP_THUMB;
  if (f.has('v5te')) caps |= HWCAP_EDSP;
  if (f.has('v6k')) caps |= HWCAP_TLS;
  // the model's idiv feature is SDIV/UDIV in both instruction sets
  if (f.has('idiv')) caps |= HWCAP_IDIVA | HWCAP_IDIVT;
  if (f.has('lpae')) caps |= HWCAP_LPAE;
  if (f.has('vfp')) caps |= HWCAP_VFP;
  if (f.has('vfp3')) caps |= HWCAP_VFPv3 | (f.has('vfpd32') ? 0 : HWCAP_VFPv3D16);
  if (f.has('vfpd32')) caps |= HWCAP_VFPD32;
  if (f.has('vfp4')) caps |= HWCAP_VFPv4;
  return caps >>> 0;
}

export function armHwcap2(_cpu: CpuModel): number {
  return 0;
}

/** AT_PLATFORM: "v7l", "v6l", "v5l" (little-endian). */
export function armPlatform(cpu: CpuModel): string {
  if (cpu.features.has('v7')) return 'v7l';
  if (cpu.features.has('v6')) return 'v6l';
  return 'v5l';
}

/** uname -m as qemu-arm reports it: armv7l, armv6l, armv5tel. */
export function armUnameMachine(cpu: CpuModel): string {
  if (cpu.features.has('v7')) return 'armv7l';
  if (cpu.features.has('v6')) return 'armv6l';
  return 'armv5tel';
}
