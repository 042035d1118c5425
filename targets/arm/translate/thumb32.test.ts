// T32 encodings the differential oracle (scripts/oracle) found mis-decoded or mis-translated;
// each expected value is what qemu-arm 7.2 -cpu cortex-a15,neon=off gives.
import { describe, expect, test } from 'vitest';
import { runThumb, t32 } from '../testing/run-thumb.js';
import { EXIT_SYSCALL, EXIT_UNDEFINED } from '../../../src/engine/exits.js';

describe('T32 saturate', () => {
  test('USAT16/SSAT16 take a 5-bit saturate immediate (bit 4 set is not USAT with ASR #0)', () => {
    // usat16 r9, #27, r6 (f3a6 091b): halves 0x2c61 and 0xb50f (negative) -> 0x2c61, 0
    let r = runThumb(t32(0xf3a6091b), { regs: { 6: 0x2c61b50f } });
    expect([r.exit, r.state[9]! >>> 0]).toEqual([EXIT_SYSCALL, 0x2c610000]);
    // usat16 fp, #19, r4 (f3a4 0b13): no half saturates at 19 bits, negatives clamp to 0
    r = runThumb(t32(0xf3a40b13), { regs: { 4: 0x246f52f0 } });
    expect(r.state[11]! >>> 0).toBe(0x246f52f0);
    // ssat16 ip, #17, r0 (f320 0c10): 16-bit halves never saturate at 17 bits
    r = runThumb(t32(0xf3200c10), { regs: { 0: 0x80007fff } });
    expect(r.state[12]! >>> 0).toBe(0x80007fff);
  });

  test('USAT16 with bit 5 set is UNDEFINED', () => {
    expect(runThumb(t32(0xf3ac0025)).exit).toBe(EXIT_UNDEFINED);
  });
});
