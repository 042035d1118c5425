// The ARM vCPU state, from one field table: offsets, the generated code's local names and
// the register names for -d cpu and plugins all come from here.
//
// Flags are kept in the form that is cheapest to produce:
//   NF: bit 31 is N        ZF: Z is (ZF === 0)       CF: 0 or 1       VF: bit 31 is V
// The PC slot holds the block key: the instruction address | 1 when in Thumb state.

export const STATE_FIELDS = [
  'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'pc',
  'NF', 'ZF', 'CF', 'VF',
  'QF', // sticky saturation flag, 0 or 1
  'GE', // APSR.GE, 4 bits
  'ITSTATE', // Thumb IT state bits (CPSR[15:10,26:25] packed as IT[7:0])
  'TPIDRURO', // TLS register (CP15 c13 c0 3), set by set_tls
  'EXCL_ADDR', // exclusive monitor: address, or -1 when open
  'EXCL_VAL', // value loaded by LDREX (low word for LDREXD)
  'EXCL_VAL_HI', // high word for LDREXD
  'FPSCR',
  'FPEXC',
  'CPSR_OTHER', // CPSR bits not held elsewhere (E, A, I, F, mode): 0x10 in user mode
  'TPIDRURW', // user read/write thread ID register (CP15 c13 c0 2), 0 at start
] as const;

export type StateField = (typeof STATE_FIELDS)[number];

export const S: Record<StateField, number> = Object.fromEntries(STATE_FIELDS.map((name, i) => [name, i])) as Record<StateField, number>;

/** Byte offset of the VFP register file (d0..d31; s0..s31 alias d0..d15) in the state buffer. */
export const VFP_OFFSET = 256;
export const STATE_BYTES = VFP_OFFSET + 32 * 8;

/** Registers held in JS locals inside compiled regions: r0-r14 and the four flags. */
export const CACHED_LOCALS = [
  ...Array.from({ length: 15 }, (_, i) => ({ name: `r${i}`, index: i })),
  { name: 'NF', index: S.NF },
  { name: 'ZF', index: S.ZF },
  { name: 'CF', index: S.CF },
  { name: 'VF', index: S.VF },
] as const;

export const REGISTER_NAMES = [
  ...Array.from({ length: 13 }, (_, i) => ({ name: `r${i}`, index: i })),
  { name: 'sp', index: 13 },
  { name: 'lr', index: 14 },
  { name: 'pc', index: 15 },
  { name: 'cpsr', index: -1 },
];

export const CPSR_USER_MODE = 0x10;
export const CPSR_T = 1 << 5;

/** Assemble the architectural CPSR from the split fields. */
export function readCpsr(st: Int32Array): number {
  let v = st[S.CPSR_OTHER]! & ~(0xf80f0000 | CPSR_T | 0x0600fc00);
  if (st[S.NF]! < 0) v |= 1 << 31;
  if (st[S.ZF] === 0) v |= 1 << 30;
  if (st[S.CF]) v |= 1 << 29;
  if (st[S.VF]! < 0) v |= 1 << 28;
  if (st[S.QF]) v |= 1 << 27;
  v |= (st[S.GE]! & 0xf) << 16;
  if (st[S.pc]! & 1) v |= CPSR_T;
  const it = st[S.ITSTATE]! & 0xff;
  v |= ((it & 3) << 25) | ((it >> 2) << 10);
  return v | 0;
}

/** Write the flag bits of a CPSR/APSR value (mask: bits of the PSR the write may change). */
export function writeCpsrFlags(st: Int32Array, value: number, mask: number): void {
  if (mask & (1 << 31)) st[S.NF] = value & (1 << 31) ? -1 : 0;
  if (mask & (1 << 30)) st[S.ZF] = value & (1 << 30) ? 0 : 1;
  if (mask & (1 << 29)) st[S.CF] = (value >>> 29) & 1;
  if (mask & (1 << 28)) st[S.VF] = value & (1 << 28) ? -1 : 0;
  if (mask & (1 << 27)) st[S.QF] = (value >>> 27) & 1;
  if (mask & 0xf0000) st[S.GE] = (value >>> 16) & 0xf;
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** -d cpu register dump in QEMU's layout. */
export function formatArmState(st: Int32Array): string {
  const out: string[] = [];
  for (let i = 0; i < 16; i++) {
    const v = i === 15 ? st[S.pc]! & ~1 : st[i]!;
    out.push(`R${String(i).padStart(2, '0')}=${hex8(v)}${i % 4 === 3 ? '\n' : ' '}`);
  }
  const cpsr = readCpsr(st);
  const f = (bit: number, ch: string) => (cpsr & (1 << bit) ? ch : '-');
  out.push(`PSR=${hex8(cpsr)} ${f(31, 'N')}${f(30, 'Z')}${f(29, 'C')}${f(28, 'V')} ${st[S.pc]! & 1 ? 'T' : 'A'} usr32\n`);
  return out.join('');
}
