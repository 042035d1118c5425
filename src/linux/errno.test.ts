import { describe, expect, it } from 'vitest';
import { EBADF, EEXIST, EIO, ENOENT, ENOTDIR, EAGAIN, errnoFromHost, errnoMessage, hostCall } from './errno.js';
import { GUEST_FAULT } from '../memory/guest-memory.js';
import { openSync } from 'node:fs';

describe('errno mapping', () => {
  it('maps node error codes', () => {
    expect(errnoFromHost({ code: 'ENOENT' })).toBe(ENOENT);
    expect(errnoFromHost({ code: 'EEXIST', errno: -17 })).toBe(EEXIST);
    expect(errnoFromHost({ code: 'EWOULDBLOCK' })).toBe(EAGAIN);
  });
  it('falls back to the errno number, then EIO', () => {
    expect(errnoFromHost({ code: 'ESOMETHING', errno: -20 })).toBe(process.platform === 'linux' ? ENOTDIR : EIO);
    expect(errnoFromHost(new Error('x'))).toBe(EIO);
    expect(errnoFromHost(null)).toBe(EIO);
  });
  it('hostCall turns a real host error into -errno and passes guest faults through', () => {
    expect(hostCall(() => openSync('/nonexistent/dir/file', 'r'))).toBe(-ENOENT);
    expect(hostCall(() => 7)).toBe(7);
    expect(() => hostCall(() => {
      throw GUEST_FAULT;
    })).toThrow();
  });
  it('has glibc messages for strace', () => {
    expect(errnoMessage(ENOENT)).toBe('No such file or directory');
    expect(errnoMessage(EBADF)).toBe('Bad file descriptor');
    expect(errnoMessage(38)).toBe('Function not implemented');
  });
});
