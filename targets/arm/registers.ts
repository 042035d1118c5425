// The ARM registers plugins can list, read and write, with gdb's names and feature groups
// (the list QEMU's plugin API builds from its gdbstub): r0-r12, sp, lr, pc, cpsr, then the
// VFP file d0-d31 and fpscr. Values are unsigned; 64-bit registers are bigints.
import type { GuestRegister } from '../../src/engine/target.js';
import { S, VFP_OFFSET, readCpsr, writeCpsrFlags } from './cpu-state.js';

const CORE = 'org.gnu.gdb.arm.core';
const VFP = 'org.gnu.gdb.arm.vfp';
/** CPSR bits a register write may change from user mode: N Z C V Q and GE. */
const CPSR_USER_WRITABLE = 0xf80f0000;

function word(name: string, index: number, feature = CORE): GuestRegister {
  return {
    name,
    feature,
    size: 4,
    read: (st) => st[index]! >>> 0,
    write: (st, v) => {
      st[index] = Number(v) | 0;
    },
  };
}

function doubleRegister(n: number): GuestRegister {
  const lo = VFP_OFFSET / 4 + n * 2;
  return {
    name: `d${n}`,
    feature: VFP,
    size: 8,
    read: (st) => (BigInt(st[lo + 1]! >>> 0) << 32n) | BigInt(st[lo]! >>> 0),
    write: (st, v) => {
      const b = BigInt.asUintN(64, BigInt(v));
      st[lo] = Number(b & 0xffffffffn) | 0;
      st[lo + 1] = Number(b >> 32n) | 0;
    },
  };
}

export const ARM_REGISTER_FILE: readonly GuestRegister[] = [
  ...Array.from({ length: 13 }, (_, i) => word(`r${i}`, i)),
  word('sp', 13),
  word('lr', 14),
  {
    name: 'pc',
    feature: CORE,
    size: 4,
    // The PC slot holds the block key: address | 1 in Thumb state.
    read: (st) => (st[S.pc]! & ~1) >>> 0,
    write: (st, v) => {
      // A new address in the current instruction set, outside any IT block.
      st[S.pc] = (Number(v) & ~1) | (st[S.pc]! & 1);
      st[S.ITSTATE] = 0;
    },
  },
  {
    name: 'cpsr',
    feature: CORE,
    size: 4,
    read: (st) => readCpsr(st) >>> 0,
    write: (st, v) => writeCpsrFlags(st, Number(v) | 0, CPSR_USER_WRITABLE),
  },
  ...Array.from({ length: 32 }, (_, i) => doubleRegister(i)),
  word('fpscr', S.FPSCR, VFP),
];
