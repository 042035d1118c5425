// ARM EABI Linux ABI: syscall number in r7, arguments r0-r5, result in r0.
// (Placeholder kept minimal; the Linux-layer work fills in hwcaps, kuser page, tables.)
import type { LinuxAbi } from '../../../src/linux/abi.js';

export const armLinuxAbi: LinuxAbi = {
  syscallNames: new Map(),
  syscallNumber: (st) => st[7]!,
  syscallArg: (st, i) => st[i]!,
  setSyscallResult: (st, v) => {
    st[0] = v | 0;
  },
  initThread: (st, entry, sp) => {
    st.fill(0, 0, 16);
    st[13] = sp | 0;
    st[15] = entry | 0;
  },
  hwcap: () => 0,
  hwcap2: () => 0,
  platform: () => 'v7l',
  unameMachine: () => 'armv7l',
  mapSpecialPages: () => {},
  setTls: (st, v) => {
    st[23] = v | 0;
  },
  stackTop: 0xfffe0000,
};
