// The names plugins see for an address (insn.symbol, api.symbolize): the rule documented in
// plugins/README.md ("Symbols"), on made-up tables and on committed test binaries (static glibc),
// where it must give the label objdump -d prints for each function.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElf } from '../loader/elf.js';
import { SymbolTable, type GuestSymbol } from '../loader/symbols.js';
import { PluginSymbols } from './symbols.js';
import { ROOT } from './testdata/run.js';

const EM_ARM = 40;
const sym = (name: string, address: number, size: number, binding: GuestSymbol['binding'] = 'global', kind: GuestSymbol['kind'] = 'func'): GuestSymbol => ({ name, address, size, kind, binding });
const table = (...symbols: GuestSymbol[]) => new PluginSymbols(new SymbolTable(symbols));

describe('symbol names for plugins', () => {
  it('prefer global over weak over local aliases, in any table order', () => {
    const aliases = [sym('write', 0x100, 8, 'weak'), sym('__write', 0x100, 8, 'weak'), sym('__libc_write', 0x100, 8, 'global'), sym('w_local', 0x100, 8, 'local')];
    for (const order of [aliases, [...aliases].reverse()]) {
      const s = table(...order);
      expect(s.containing(0x100)).toBe('__libc_write');
      expect(s.containing(0x107)).toBe('__libc_write');
      expect(s.symbolize(0x104)).toBe('__libc_write');
    }
    // same binding: the name first in byte order ('_' sorts after capitals, before lower case)
    expect(table(sym('puts', 0x100, 8), sym('_IO_puts', 0x100, 8), sym('__puts', 0x100, 8)).containing(0x100)).toBe('_IO_puts');
    expect(table(sym('weak_one', 0x100, 8, 'weak'), sym('local_one', 0x100, 8, 'local')).containing(0x100)).toBe('weak_one');
  });

  it('prefer functions over objects, then the larger size', () => {
    expect(table(sym('a_object', 0x100, 8, 'global', 'object'), sym('z_func', 0x100, 8, 'local')).containing(0x100)).toBe('z_func');
    expect(table(sym('a_short', 0x100, 4), sym('b_long', 0x100, 8)).containing(0x100)).toBe('b_long');
    // past the shorter one's end only the longer one holds the address
    expect(table(sym('a_long', 0x100, 8), sym('b_short', 0x100, 4, 'global')).containing(0x106)).toBe('a_long');
  });

  it('take the innermost symbol: the one starting nearest below the address', () => {
    const s = table(sym('outer', 0x100, 0x100), sym('inner', 0x140, 0x10, 'local'));
    expect(s.containing(0x13f)).toBe('outer');
    expect(s.containing(0x140)).toBe('inner');
    expect(s.containing(0x150)).toBe('outer');
    expect(s.containing(0x200)).toBeNull();
    // a long symbol far below still holds addresses past many short ones
    const many = [sym('big', 0x1000, 0x1000), ...Array.from({ length: 50 }, (_, i) => sym(`f${i}`, 0x1100 + i * 0x10, 8))];
    expect(table(...many).containing(0x1109)).toBe('big');
    expect(table(...many).containing(0x1104)).toBe('f0');
  });

  it('zero-size symbols never hold an address; api.symbolize names one at its exact address', () => {
    const s = table(sym('_start', 0x100, 0), sym('after', 0x104, 4));
    expect(s.containing(0x100)).toBeNull();
    expect(s.symbolize(0x100)).toBe('_start');
    expect(s.symbolize(0x102)).toBeNull();
    expect(s.symbolize(0x104)).toBe('after');
    // a sized symbol holding the address wins over a zero-size one there
    expect(table(sym('label', 0x108, 0), sym('fn', 0x100, 0x10)).symbolize(0x108)).toBe('fn');
  });

  const objdump = spawnSync('arm-linux-gnueabi-objdump', ['--version']).status === 0;
  it.skipIf(!objdump)('give the name objdump -d labels each function with, on test binaries', () => {
    let compared = 0;
    for (const dir of ['armel', 'armhf']) {
      for (const file of ['hello', 'qsort_strings', 'threads']) {
        const path = join(ROOT, 'test-binaries', dir, file);
        const table = SymbolTable.fromElf(readElf(path, EM_ARM));
        const names = new PluginSymbols(table);
        // the addresses where a function of non-zero size starts (objdump also labels
        // zero-size and untyped symbols, which plugins never see)
        const starts = new Set(table.symbols.filter((s) => s.kind === 'func' && s.size > 0).map((s) => s.address));
        const dis = spawnSync('arm-linux-gnueabi-objdump', ['-d', path], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
        for (const m of dis.matchAll(/^([0-9a-f]{8}) <(.+)>:$/gm)) {
          const address = parseInt(m[1]!, 16);
          if (!starts.has(address)) continue;
          expect(`${dir}/${file} 0x${m[1]} ${names.containing(address)}`).toBe(`${dir}/${file} 0x${m[1]} ${m[2]}`);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5_000);
  }, 120_000);

  it('read the binding from the ELF file (glibc: puts is a weak alias of the global _IO_puts)', () => {
    const table = SymbolTable.fromElf(readElf(join(ROOT, 'test-binaries/armel/hello'), EM_ARM));
    const at = (name: string) => table.symbols.find((s) => s.name === name);
    expect(at('puts')).toMatchObject({ binding: 'weak', size: at('_IO_puts')!.size, address: at('_IO_puts')!.address });
    expect(at('_IO_puts')!.binding).toBe('global');
    expect(table.symbols.some((s) => s.binding === 'local')).toBe(true);
    expect(new PluginSymbols(table).containing(at('puts')!.address + 4)).toBe('_IO_puts');
  });
});
