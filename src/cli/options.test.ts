import { describe, expect, it } from 'vitest';
import { BadOptionValueError, MissingArgumentError, NoProgramError, UnknownOptionError } from '../errors.js';
import { DEFAULT_STACK_SIZE, OPTION_TABLE, absolutePluginSpec, inheritedOptions, normaliseArgv, parseCommandLine, parseSeed, parseSize } from './options.js';
import { readFileSync } from 'node:fs';
import { VERSION, helpText } from './help.js';
import type { Target } from '../engine/target.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseCommandLine(argv, env);

describe('option table', () => {
  it('has unique names and environment variables', () => {
    const names = OPTION_TABLE.flatMap((s) => s.names);
    expect(new Set(names).size).toBe(names.length);
    const envs = OPTION_TABLE.flatMap((s) => (s.env ? [s.env] : []));
    expect(new Set(envs).size).toBe(envs.length);
    // QEMU_* as qemu-arm reads them; TSQEMU_* for options qemu-arm does not have
    for (const env of envs) expect(env).toMatch(/^(TS)?QEMU_[A-Z0-9_]+$/);
  });

  it('drives the help text: every option and variable is listed', () => {
    const target = { name: 'arm', defaultCpu: 'max' } as Target;
    const text = helpText(target);
    expect(text.split('\n')[0]).toBe('usage: tsqemu-arm [options] program [arguments...]');
    for (const spec of OPTION_TABLE) {
      for (const name of spec.names) expect(text).toContain(`\n-${name}`);
      if (spec.env) expect(text).toContain(spec.env);
    }
  });
});

describe('documentation', () => {
  const root = new URL('../../', import.meta.url);
  it('README lists every option and variable of the table', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    for (const spec of OPTION_TABLE) {
      for (const name of spec.names) expect(readme).toContain(`\`-${name}`);
      if (spec.env) expect(readme).toContain(`\`${spec.env}\``);
    }
  });

  it('-version reports the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe('parseCommandLine', () => {
  it('takes defaults', () => {
    const o = parse(['prog']);
    expect(o.program).toBe('prog');
    expect(o.args).toEqual([]);
    expect(o.stackSize).toBe(DEFAULT_STACK_SIZE);
    expect(o.cpu).toBeUndefined();
    expect(o.strace).toBe(false);
  });

  it('accepts single- and double-dash spellings', () => {
    for (const argv of [['-cpu', 'cortex-a7', '-strace', 'p'], ['--cpu', 'cortex-a7', '--strace', 'p']]) {
      const o = parse(argv);
      expect(o.cpu).toBe('cortex-a7');
      expect(o.strace).toBe(true);
      expect(o.program).toBe('p');
    }
    expect(parse(['--L', '/sysroot', 'p']).ldPrefix).toBe('/sysroot');
  });

  it('stops at the first non-option; later words belong to the program', () => {
    const o = parse(['-strace', 'prog', '-cpu', 'x', '--', '-h']);
    expect(o.program).toBe('prog');
    expect(o.args).toEqual(['-cpu', 'x', '--', '-h']);
    expect(o.cpu).toBeUndefined();
    expect(o.help).toBe(false);
  });

  it('treats -- as the end of options', () => {
    const o = parse(['-strace', '--', '-prog', 'a']);
    expect(o.program).toBe('-prog');
    expect(o.args).toEqual(['a']);
  });

  it('takes an option argument that starts with a dash', () => {
    const o = parse(['-0', '-sh', 'prog']);
    expect(o.argv0).toBe('-sh');
    expect(o.program).toBe('prog');
  });

  it('knows the old name of -one-insn-per-tb', () => {
    expect(parse(['-singlestep', 'p']).oneInsnPerTb).toBe(true);
    expect(parse(['-one-insn-per-tb', 'p']).oneInsnPerTb).toBe(true);
    expect(parse(['p'], { QEMU_SINGLESTEP: '1' }).oneInsnPerTb).toBe(true);
  });

  it('parses -s with k/M suffixes', () => {
    expect(parse(['-s', '64k', 'p']).stackSize).toBe(65536);
    expect(parse(['-s', '2M', 'p']).stackSize).toBe(2 * 1024 * 1024);
    expect(parse(['-s', '0x10000', 'p']).stackSize).toBe(65536);
    expect(parseSize('1048576')).toBe(1048576);
    expect(() => parseSize('0')).toThrow(BadOptionValueError);
    expect(() => parseSize('12q')).toThrow("invalid stack size '12q'");
  });

  it('parses -seed as an unsigned 64-bit number', () => {
    expect(parse(['-seed', '42', 'p']).seed).toBe(42n);
    expect(parseSeed('0x10')).toBe(16n);
    expect(parseSeed('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(() => parseSeed('18446744073709551616')).toThrow(BadOptionValueError);
    expect(() => parseSeed('abc')).toThrow('cannot initialize crypto: Invalid seed number: abc');
  });

  it('collects -E and -U in order, with comma lists', () => {
    const o = parse(['-E', 'A=1,B=2', '-U', 'C', '-E', 'D=x=y', 'p']);
    expect(o.envChanges).toEqual([
      { op: 'set', name: 'A', value: '1' },
      { op: 'set', name: 'B', value: '2' },
      { op: 'unset', name: 'C' },
      { op: 'set', name: 'D', value: 'x=y' },
    ]);
  });

  it('reads QEMU_* variables first; argv overrides values and adds to lists', () => {
    const env = { QEMU_CPU: 'cortex-a8', QEMU_STACK_SIZE: '1M', QEMU_SET_ENV: 'X=1', QEMU_UNSET_ENV: 'Y,Z', QEMU_STRACE: '', QEMU_LD_PREFIX: '/l' };
    const o = parse(['-cpu', 'cortex-a15', '-E', 'W=2', 'p'], env);
    expect(o.cpu).toBe('cortex-a15');
    expect(o.stackSize).toBe(1024 * 1024);
    expect(o.strace).toBe(true);
    expect(o.ldPrefix).toBe('/l');
    expect(o.envChanges).toEqual([
      { op: 'set', name: 'X', value: '1' },
      { op: 'unset', name: 'Y' },
      { op: 'unset', name: 'Z' },
      { op: 'set', name: 'W', value: '2' },
    ]);
    expect(parse(['p'], { QEMU_CPU: 'cortex-a8' }).cpu).toBe('cortex-a8');
  });

  it('records options that are not supported yet', () => {
    expect(parse(['-g', '1234', '-B', '0x1000', 'p']).unsupported).toEqual(['-g', '-B']);
    expect(parse(['p'], { QEMU_GDB: '1234' }).unsupported).toEqual(['-g']);
  });

  it('rejects unknown options and missing arguments with qemu-arm wording', () => {
    expect(() => parse(['-foo', 'p'])).toThrow(UnknownOptionError);
    expect(() => parse(['--foo'])).toThrow("unknown option 'foo'");
    expect(() => parse(['-L'])).toThrow(MissingArgumentError);
    expect(() => parse(['-strace', '-cpu'])).toThrow("missing argument for option 'cpu'");
  });

  it('needs a program unless asked for help, version or a list', () => {
    expect(() => parse([])).toThrow(NoProgramError);
    expect(() => parse(['-strace'])).toThrow('no user program specified');
    expect(parse(['-h']).help).toBe(true);
    expect(parse(['-help']).help).toBe(true);
    expect(parse(['--version']).version).toBe(true);
    expect(parse([], { QEMU_VERSION: '1' }).version).toBe(true);
    expect(parse(['-cpu', 'help']).cpu).toBe('help');
    expect(parse(['-d', 'help']).log).toBe('help');
  });
});

describe('normaliseArgv', () => {
  it('rewrites to commander spelling and marks the end of options', () => {
    expect(normaliseArgv(['-cpu', 'max', '--L', '/x', '-singlestep', 'prog', '-cpu'])).toEqual(['--cpu', 'max', '-L', '/x', '--one-insn-per-tb', '--', 'prog', '-cpu']);
  });
});

describe('-follow-exec', () => {
  it("hands exec'd programs the plugins, log items, an absolute -D pattern and -strace", () => {
    const opts = parseCommandLine(['-follow-exec', '-plugin', 'insn,inline=on', '-d', 'plugin', '-D', 'logs/run-%d.txt', '-strace', 'prog'], {});
    expect(inheritedOptions(opts, '/work')).toEqual(['-follow-exec', '-plugin', 'insn,inline=on', '-d', 'plugin', '-D', '/work/logs/run-%d.txt', '-strace']);
  });

  it('is off by default: children get nothing extra', () => {
    expect(inheritedOptions(parseCommandLine(['-plugin', 'insn', 'prog'], {}), '/work')).toEqual([]);
  });

  it('is also read from TSQEMU_FOLLOW_EXEC', () => {
    expect(parseCommandLine(['prog'], { TSQEMU_FOLLOW_EXEC: '1' }).followExec).toBe(true);
  });

  it("refuses a -D file without '%d' (every process would truncate it)", () => {
    expect(() => parseCommandLine(['-follow-exec', '-D', 'log.txt', 'prog'], {})).toThrow(BadOptionValueError);
    expect(() => parseCommandLine(['-follow-exec', '-D', 'log.txt', 'prog'], {})).toThrow(/needs '%d'/);
  });

  it('makes plugin paths absolute, keeps shipped names, arguments and escaped commas', () => {
    expect(absolutePluginSpec('./my.mjs,a=1,b=x,,y', '/w')).toBe('/w/my.mjs,a=1,b=x,,y');
    expect(absolutePluginSpec('file=../p/q.mjs,limit=3', '/w/sub')).toBe('file=/w/p/q.mjs,limit=3');
    expect(absolutePluginSpec('/abs/p.mjs', '/w')).toBe('/abs/p.mjs');
    expect(absolutePluginSpec('hotblocks,limit=5', '/nonexistent-dir')).toBe('hotblocks,limit=5');
  });
});
