// AT_HWCAP per CPU model: what glibc's ifunc resolvers see. The expected words are
// qemu-arm 7.2's for the same -cpu with neon=off, minus THUMBEE (see auxv.ts).
import { describe, expect, test } from 'vitest';
import { ARM_CPU_MODELS } from '../cpu-models.js';
import { HWCAP_IDIVA, HWCAP_IDIVT, HWCAP_LPAE, HWCAP_NEON, HWCAP_VFP, HWCAP_VFPD32, HWCAP_VFPv3, HWCAP_VFPv3D16, HWCAP_VFPv4, armHwcap } from './auxv.js';

const cpu = (name: string) => ARM_CPU_MODELS.find((m) => m.name === name)!;
const hex = (v: number) => '0x' + v.toString(16);

describe('AT_HWCAP', () => {
  test.each([
    ['cortex-a15', 0x1fa0d7],
    ['cortex-a7', 0x1fa0d7],
    ['max', 0x1fa0d7],
    ['cortex-a8', 0x08a0d7],
    ['cortex-a9', 0x08a0d7],
  ])('%s matches qemu-arm -cpu %s,neon=off except THUMBEE', (name, want) => {
    expect(hex(armHwcap(cpu(name)))).toBe(hex(want));
  });

  test('VFP flags follow the register file and version', () => {
    for (const name of ['cortex-a7', 'cortex-a8', 'cortex-a9', 'cortex-a15', 'max']) {
      const caps = armHwcap(cpu(name));
      expect(caps & (HWCAP_VFP | HWCAP_VFPv3 | HWCAP_VFPD32), name).toBe(HWCAP_VFP | HWCAP_VFPv3 | HWCAP_VFPD32);
      expect(caps & HWCAP_VFPv3D16, name).toBe(0);
    }
    for (const name of ['cortex-a7', 'cortex-a15', 'max']) expect(armHwcap(cpu(name)) & HWCAP_VFPv4, name).toBe(HWCAP_VFPv4);
    for (const name of ['cortex-a8', 'cortex-a9']) expect(armHwcap(cpu(name)) & HWCAP_VFPv4, name).toBe(0);
    expect(armHwcap(cpu('arm1136')) & (HWCAP_VFP | HWCAP_VFPv3 | HWCAP_VFPv4 | HWCAP_VFPD32)).toBe(HWCAP_VFP);
  });

  test('integer divide and LPAE only where the model has them; never NEON', () => {
    for (const m of ARM_CPU_MODELS) {
      const caps = armHwcap(m);
      const idiv = m.features.has('idiv') ? HWCAP_IDIVA | HWCAP_IDIVT : 0;
      expect(caps & (HWCAP_IDIVA | HWCAP_IDIVT), m.name).toBe(idiv);
      expect(caps & HWCAP_LPAE, m.name).toBe(['cortex-a7', 'cortex-a15', 'max'].includes(m.name) ? HWCAP_LPAE : 0);
      expect(caps & HWCAP_NEON, m.name).toBe(0);
    }
  });
});
