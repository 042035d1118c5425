import { describe, expect, it } from 'vitest';
import { BadOptionValueError } from '../errors.js';
import { PluginArgs, PluginArgumentError, parseBool } from './args.js';
import { parsePluginSpecs, splitOptionList } from './spec.js';

describe('-plugin values', () => {
  it('takes a path, then name=value arguments in order', () => {
    expect(parsePluginSpecs(['./p.mjs,inline=on,match=push,match=pop'])).toEqual([{ file: './p.mjs', args: ['inline=on', 'match=push', 'match=pop'] }]);
  });

  it('accepts file= and starts another plugin at a second file=', () => {
    expect(parsePluginSpecs(['file=bb,inline=on,file=insn,sizes=on'])).toEqual([
      { file: 'bb', args: ['inline=on'] },
      { file: 'insn', args: ['sizes=on'] },
    ]);
  });

  it('reads ,, as a comma inside a value', () => {
    expect(splitOptionList('a,,b,c')).toEqual(['a,b', 'c']);
    expect(parsePluginSpecs(['insn,match=ldr r0,, [r1]'])[0]!.args).toEqual(['match=ldr r0, [r1]']);
  });

  it("turns QEMU's short boolean and arg= forms into name=value", () => {
    expect(parsePluginSpecs(['bb,inline,noidle,arg=sizes,arg=limit=3'])[0]!.args).toEqual(['inline=on', 'idle=off', 'sizes=on', 'limit=3']);
  });

  it('merges the same file given twice into one plugin, in order (environment first)', () => {
    expect(parsePluginSpecs(['bb,inline=on', 'insn', 'bb,idle=on'])).toEqual([
      { file: 'bb', args: ['inline=on', 'idle=on'] },
      { file: 'insn', args: [] },
    ]);
  });

  it('refuses an empty file= and arguments without a plugin', () => {
    expect(() => parsePluginSpecs(['file='])).toThrow(BadOptionValueError);
    expect(() => parsePluginSpecs(['file='])).toThrow("'file=' requires a non-empty argument");
    expect(() => parsePluginSpecs(['foo=1'])).toThrow("no plugin given before 'foo=1'");
    expect(() => parsePluginSpecs([''])).toThrow('no plugin given');
  });
});

describe('plugin arguments', () => {
  it("parse booleans as QEMU's bool_parse does", () => {
    for (const t of ['on', 'yes', 'true', 'y']) expect(parseBool('x', t)).toBe(true);
    for (const f of ['off', 'no', 'false', 'n']) expect(parseBool('x', f)).toBe(false);
    for (const bad of ['1', 'ON', '', undefined]) expect(() => parseBool('x', bad)).toThrow(PluginArgumentError);
  });

  it('give the last value, all values, numbers and choices', () => {
    const a = new PluginArgs(['limit=5', 'match=a', 'match=b', 'sort=early', 'flag=on']);
    expect(a.get('match')).toBe('b');
    expect(a.all('match')).toEqual(['a', 'b']);
    expect(a.int('limit', 20)).toBe(5);
    expect(a.int('absent', 20)).toBe(20);
    expect(a.bool('flag', false)).toBe(true);
    expect(a.choice('sort', ['hottest', 'early'], 'hottest')).toBe('early');
    expect(() => a.choice('limit', ['x'], 'x')).toThrow('option parsing failed: limit=5');
    expect(new PluginArgs(['n=0x1F']).int('n', 0)).toBe(31);
    for (const bad of ['lots', '-1', '1.5', '', 'on'])
      expect(() => new PluginArgs([`limit=${bad}`]).int('limit', 1)).toThrow(`option parsing failed: limit=${bad} (expected a non-negative integer, decimal or 0x hex)`);
    expect(() => a.expectOnly(['limit', 'match'])).toThrow('option parsing failed: sort=early');
  });
});
