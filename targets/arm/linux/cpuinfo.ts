// /proc/cpuinfo as a 32-bit ARM Linux kernel writes it, for the -cpu model: one block per
// CPU (model name, BogoMIPS, Features from the HWCAPs the auxv advertises, the main ID
// register's fields), then the machine lines. qemu-arm 7.2 passes the host's file through
// (an x86 host's "GenuineIntel" blocks); newer qemu-arm versions and the kernel describe the
// guest CPU, which is what a program looking for "neon" or "idiva" in it expects.
import type { CpuModel } from '../../../src/engine/target.js';
import { HWCAP_NAMES, armHwcap, armPlatform } from './auxv.js';

interface CpuId {
  /** MIDR: implementer [31:24], variant [23:20], architecture [19:16], part [15:4], revision [3:0]. */
  midr: number;
  /** The kernel's processor name for the model name line. */
  name: string;
  /** "CPU architecture:" (the kernel's names: 5TEJ, 6TEJ, 7). */
  arch: string;
}

/** Main ID register values of the real cores (tsqemu's 'max' is described as a Cortex-A15). */
const CPU_IDS: Record<string, CpuId> = {
  arm926: { midr: 0x41069265, name: 'ARM926EJ-S', arch: '5TEJ' },
  arm1136: { midr: 0x4117b363, name: 'ARMv6-compatible processor', arch: '6TEJ' },
  'cortex-a7': { midr: 0x410fc075, name: 'ARMv7 Processor', arch: '7' },
  'cortex-a8': { midr: 0x410fc080, name: 'ARMv7 Processor', arch: '7' },
  'cortex-a9': { midr: 0x410fc090, name: 'ARMv7 Processor', arch: '7' },
  'cortex-a15': { midr: 0x412fc0f1, name: 'ARMv7 Processor', arch: '7' },
  max: { midr: 0x412fc0f1, name: 'ARMv7 Processor', arch: '7' },
};

export function armCpuinfo(cpu: CpuModel, cpus: number): string {
  const id = CPU_IDS[cpu.name] ?? CPU_IDS['max']!;
  const hwcap = armHwcap(cpu);
  const features = HWCAP_NAMES.filter(([bit]) => hwcap & bit).map(([, name]) => `${name} `).join('');
  const midr = id.midr >>> 0;
  const block = (n: number): string =>
    [
      `processor\t: ${n}`,
      `model name\t: ${id.name} rev ${midr & 15} (${armPlatform(cpu)})`,
      'BogoMIPS\t: 100.00',
      `Features\t: ${features}`,
      `CPU implementer\t: 0x${(midr >>> 24).toString(16).padStart(2, '0')}`,
      `CPU architecture: ${id.arch}`,
      `CPU variant\t: 0x${((midr >>> 20) & 15).toString(16)}`,
      `CPU part\t: 0x${((midr >>> 4) & 0xfff).toString(16).padStart(3, '0')}`,
      `CPU revision\t: ${midr & 15}`,
      '',
      '',
    ].join('\n');
  let text = '';
  for (let n = 0; n < cpus; n++) text += block(n);
  return `${text}Hardware\t: Generic DT based system\nRevision\t: 0000\nSerial\t\t: 0000000000000000\n`;
}
