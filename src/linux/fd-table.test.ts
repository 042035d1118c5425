import { describe, expect, it } from 'vitest';
import { FdTable, OpenFile, PipeBuffer } from './fd-table.js';
import { EBADF } from './errno.js';

describe('FdTable', () => {
  it('allocates the lowest free fd and shares descriptions on dup', () => {
    const t = new FdTable();
    const f = new OpenFile(-1, 'other', 0, '');
    expect(t.alloc(f, false)).toBe(0);
    expect(t.alloc(f, true)).toBe(1);
    expect(t.alloc(f, false, 5)).toBe(5);
    expect(f.refs).toBe(3);
    expect(t.get(1)!.cloexec).toBe(true);
    expect(t.close(0)).toBe(0);
    expect(t.close(0)).toBe(-EBADF);
    expect(t.alloc(new OpenFile(-1, 'other', 0, ''), false)).toBe(0);
    expect(t.openFds()).toEqual([0, 1, 5]);
    expect(f.refs).toBe(2);
  });
  it('install replaces and releases the old description', () => {
    const t = new FdTable();
    const pipe = new PipeBuffer();
    pipe.readers = 1;
    const r = new OpenFile(-1, 'pipe', 0, '', pipe, 'read');
    t.install(3, r, false);
    t.install(3, new OpenFile(-1, 'other', 0, ''), false);
    expect(pipe.readers).toBe(0);
  });
  it('pipes queue bytes and wake readers', async () => {
    const p = new PipeBuffer();
    p.writers = 1;
    const waiting = p.waitReadable();
    p.write(new Uint8Array([1, 2, 3]));
    await waiting;
    const out = new Uint8Array(2);
    expect(p.read(out)).toBe(2);
    expect([...out]).toEqual([1, 2]);
    expect(p.available).toBe(1);
  });
});
