// ARM EABI Linux ABI: syscall number in r7, arguments r0-r5, result in r0; 64-bit arguments
// in even/odd register pairs; the kuser helper page; HWCAPs; ARM's own struct layouts and
// open flag values; the private syscalls at 0xf0000.
import type { LinuxAbi } from '../../../src/linux/abi.js';
import { CPSR_USER_MODE, S } from '../cpu-state.js';
import { ARM_SYSCALLS } from './syscall-nr.js';
import { armHwcap, armHwcap2, armPlatform, armUnameMachine } from './auxv.js';
import { mapKuserPage } from './kuser.js';
import { armCpuinfo } from './cpuinfo.js';
import { STAT64_SIZE, STATFS64_SIZE, writeArmStat64, writeArmStatfs64 } from './structs.js';
import { armPrivateSyscalls } from './syscalls.js';
import { armSignals } from './signal-frame.js';

export const armLinuxAbi: LinuxAbi = {
  syscallNames: new Map(ARM_SYSCALLS),
  syscallNumber: (st) => st[7]!,
  syscallArg: (st, i) => st[i]!,
  setSyscallResult: (st, v) => {
    st[0] = v | 0;
  },
  alignsRegPairs: true,
  initThread: (st, entry, sp) => {
    st.fill(0);
    st[13] = sp | 0;
    // The PC key carries the Thumb bit: an entry address with bit 0 set starts in Thumb state.
    st[S.pc] = entry | 0;
    st[S.ZF] = 1; // Z clear
    st[S.CPSR_OTHER] = CPSR_USER_MODE;
    st[S.EXCL_ADDR] = -1;
  },
  hwcap: armHwcap,
  hwcap2: armHwcap2,
  platform: armPlatform,
  unameMachine: armUnameMachine,
  cpuinfo: armCpuinfo,
  mapSpecialPages: mapKuserPage,
  setTls: (st, v) => {
    st[S.TPIDRURO] = v | 0;
  },
  stackTop: 0xfffe0000,
  stat64Size: STAT64_SIZE,
  writeStat64: writeArmStat64,
  statfs64Size: STATFS64_SIZE,
  writeStatfs64: writeArmStatfs64,
  openFlags: { O_DIRECTORY: 0x4000, O_NOFOLLOW: 0x8000, O_DIRECT: 0x10000, O_LARGEFILE: 0x20000 },
  privateSyscalls: armPrivateSyscalls,
  signals: armSignals,
};
