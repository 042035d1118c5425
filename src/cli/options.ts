// The option table: the single source for argv parsing, QEMU_* environment variables and
// the -h text. Parsing works like qemu-arm's: `-opt` and `--opt` are the same, options
// stop at the first word that does not start with '-' (or after `--`), environment
// variables are read first and the command line overrides them (list options add up).
//
// QEMU's single-dash long options are normalised to commander's spelling (`-cpu` ->
// `--cpu`, `--L` -> `-L`) and commander parses the result.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { BadOptionValueError, MissingArgumentError, NoProgramError, UnknownOptionError } from '../errors.js';

/** One change to the guest environment, applied in command-line order. */
export type EnvChange = { op: 'set'; name: string; value: string } | { op: 'unset'; name: string };

export interface Options {
  help: boolean;
  version: boolean;
  ldPrefix: string | undefined;
  envChanges: EnvChange[];
  argv0: string | undefined;
  /** Guest stack size in bytes. */
  stackSize: number;
  /** -cpu value as given ('help' lists the models); undefined: the target's default. */
  cpu: string | undefined;
  /** -d value as given (comma list, 'help' lists the items). */
  log: string | undefined;
  logFile: string | undefined;
  strace: boolean;
  oneInsnPerTb: boolean;
  seed: bigint | undefined;
  plugins: string[];
  /** -follow-exec: exec'd ARM programs run with this run's -plugin, -d, -D and -strace. */
  followExec: boolean;
  /** Options tsqemu accepts but does not implement yet, as typed (e.g. '-g'). */
  unsupported: string[];
  program: string | undefined;
  args: string[];
}

type OptionKey = Exclude<keyof Options, 'program' | 'args' | 'envChanges' | 'unsupported'> | 'setEnv' | 'unsetEnv' | 'unsupported';

export interface OptionSpec {
  /** Name without dashes; the first one is shown in help, the others are aliases. */
  names: readonly string[];
  /** Argument placeholder for help ("path"); absent for flags. */
  arg?: string;
  env?: string;
  help: string;
  key: OptionKey;
}

export const DEFAULT_STACK_SIZE = 8 * 1024 * 1024;

/** Order as in `qemu-arm -h`. */
export const OPTION_TABLE: readonly OptionSpec[] = [
  { names: ['h', 'help'], help: 'print this help', key: 'help' },
  { names: ['g'], arg: 'port', env: 'QEMU_GDB', help: "wait gdb connection to 'port' (not supported yet)", key: 'unsupported' },
  { names: ['L'], arg: 'path', env: 'QEMU_LD_PREFIX', help: "set the elf interpreter prefix to 'path'", key: 'ldPrefix' },
  { names: ['s'], arg: 'size', env: 'QEMU_STACK_SIZE', help: "set the stack size to 'size' bytes (k/M suffixes)", key: 'stackSize' },
  { names: ['cpu'], arg: 'model', env: 'QEMU_CPU', help: 'select CPU (-cpu help for list)', key: 'cpu' },
  { names: ['E'], arg: 'var=value', env: 'QEMU_SET_ENV', help: 'sets targets environment variable (see below)', key: 'setEnv' },
  { names: ['U'], arg: 'var', env: 'QEMU_UNSET_ENV', help: 'unsets targets environment variable (see below)', key: 'unsetEnv' },
  { names: ['0'], arg: 'argv0', env: 'QEMU_ARGV0', help: "forces target process argv[0] to be 'argv0'", key: 'argv0' },
  { names: ['r'], arg: 'uname', env: 'QEMU_UNAME', help: "set qemu uname release string to 'uname' (not supported yet)", key: 'unsupported' },
  { names: ['B'], arg: 'address', env: 'QEMU_GUEST_BASE', help: "set guest_base address to 'address' (not supported yet)", key: 'unsupported' },
  { names: ['R'], arg: 'size', env: 'QEMU_RESERVED_VA', help: "reserve 'size' bytes for guest virtual address space (not supported yet)", key: 'unsupported' },
  { names: ['d'], arg: 'item[,...]', env: 'QEMU_LOG', help: "enable logging of specified items (use '-d help' for a list of items)", key: 'log' },
  { names: ['D'], arg: 'logfile', env: 'QEMU_LOG_FILENAME', help: "write logs to 'logfile' (default stderr)", key: 'logFile' },
  { names: ['one-insn-per-tb', 'singlestep'], env: 'QEMU_SINGLESTEP', help: 'run with one guest instruction per translated block', key: 'oneInsnPerTb' },
  { names: ['strace'], env: 'QEMU_STRACE', help: 'log system calls', key: 'strace' },
  { names: ['seed'], arg: 'seed', env: 'QEMU_RAND_SEED', help: 'Seed for pseudo-random number generator', key: 'seed' },
  { names: ['plugin'], arg: 'file[,arg=value]', env: 'QEMU_PLUGIN', help: 'load a plugin module (a path, or a shipped plugin by name)', key: 'plugins' },
  { names: ['follow-exec'], env: 'TSQEMU_FOLLOW_EXEC', help: "programs the guest execs keep -plugin, -d, -D and -strace (-D needs '%d': one log per process)", key: 'followExec' },
  { names: ['version'], env: 'QEMU_VERSION', help: 'display version information and exit', key: 'version' },
];

const BY_NAME = new Map<string, OptionSpec>(OPTION_TABLE.flatMap((spec) => spec.names.map((n) => [n, spec] as const)));

export function findOption(name: string): OptionSpec | undefined {
  return BY_NAME.get(name);
}

/** Commander's spelling of an option: `-X` for one character, `--name` otherwise. */
function commanderFlag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** The key commander stores an option's value under. */
function attributeName(spec: OptionSpec): string {
  return new Option(commanderFlag(spec.names[0]!)).attributeName();
}

/** Parse `-s` values: a number (decimal, 0x hex, 0 octal) with an optional k/K/M/G suffix. */
export function parseSize(text: string): number {
  const m = /^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)([kKmMgG]?)$/i.exec(text.trim());
  if (!m) throw new BadOptionValueError(`invalid stack size '${text}'`);
  const digits = m[1]!;
  let value = digits.startsWith('0x') || digits.startsWith('0X') ? parseInt(digits, 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : parseInt(digits, 10);
  const suffix = m[2]!.toLowerCase();
  if (suffix === 'k') value *= 1024;
  else if (suffix === 'm') value *= 1024 * 1024;
  else if (suffix === 'g') value *= 1024 * 1024 * 1024;
  if (value === 0 || value >= 2 ** 32) throw new BadOptionValueError(`invalid stack size '${text}'`);
  return value;
}

/** Parse -seed: an unsigned 64-bit number (decimal, 0x hex, 0 octal); qemu's wording on failure. */
export function parseSeed(text: string): bigint {
  const t = text.trim();
  let value: bigint | undefined;
  if (/^0x[0-9a-f]+$/i.test(t)) value = BigInt(t);
  else if (/^0[0-7]+$/.test(t)) value = BigInt(`0o${t.slice(1)}`);
  else if (/^[0-9]+$/.test(t)) value = BigInt(t);
  if (value === undefined || value >= 1n << 64n) {
    throw new BadOptionValueError(`cannot initialize crypto: Invalid seed number: ${text}`);
  }
  return value;
}

/** Split a getsubopt-style list ("A=1,B=2") into its non-empty items. */
function commaList(text: string): string[] {
  return text.split(',').filter((s) => s !== '');
}

function envChangesFrom(key: 'setEnv' | 'unsetEnv', text: string): EnvChange[] {
  return commaList(text).map((item): EnvChange => {
    if (key === 'unsetEnv') return { op: 'unset', name: item };
    const eq = item.indexOf('=');
    return eq < 0 ? { op: 'set', name: item, value: '' } : { op: 'set', name: item.slice(0, eq), value: item.slice(eq + 1) };
  });
}

export function defaultOptions(): Options {
  return {
    help: false,
    version: false,
    ldPrefix: undefined,
    envChanges: [],
    argv0: undefined,
    stackSize: DEFAULT_STACK_SIZE,
    cpu: undefined,
    log: undefined,
    logFile: undefined,
    strace: false,
    oneInsnPerTb: false,
    seed: undefined,
    plugins: [],
    followExec: false,
    unsupported: [],
    program: undefined,
    args: [],
  };
}

/** Store one option occurrence (from the environment or argv) into `opts`. */
function apply(opts: Options, spec: OptionSpec, value: string | undefined, typed: string): void {
  const v = value ?? '';
  switch (spec.key) {
    case 'help':
    case 'version':
    case 'strace':
    case 'oneInsnPerTb':
    case 'followExec':
      opts[spec.key] = true;
      break;
    case 'ldPrefix':
    case 'argv0':
    case 'cpu':
    case 'log':
    case 'logFile':
      opts[spec.key] = v;
      break;
    case 'stackSize':
      opts.stackSize = parseSize(v);
      break;
    case 'seed':
      opts.seed = parseSeed(v);
      break;
    case 'setEnv':
    case 'unsetEnv':
      opts.envChanges.push(...envChangesFrom(spec.key, v));
      break;
    case 'plugins':
      opts.plugins.push(v);
      break;
    case 'unsupported':
      if (!opts.unsupported.includes(typed)) opts.unsupported.push(typed);
      break;
  }
}

/**
 * Rewrite argv into commander's canonical spelling and find where the options end.
 * Throws QEMU-worded errors for unknown options and missing arguments.
 */
export function normaliseArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    if (!word.startsWith('-')) break;
    i++;
    let name = word.slice(1);
    if (name === '-') break; // "--" ends the options
    if (name.startsWith('-')) name = name.slice(1);
    const spec = BY_NAME.get(name);
    if (!spec) throw new UnknownOptionError(name);
    out.push(commanderFlag(spec.names[0]!));
    if (spec.arg !== undefined) {
      if (i >= argv.length) throw new MissingArgumentError(name);
      out.push(argv[i++]!);
    }
  }
  out.push('--', ...argv.slice(i));
  return out;
}

function buildCommand(): Command {
  const cmd = new Command('tsqemu')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .helpOption(false)
    .passThroughOptions()
    .allowExcessArguments(true)
    .argument('[program]')
    .argument('[args...]');
  for (const spec of OPTION_TABLE) {
    const flag = commanderFlag(spec.names[0]!);
    // Values are collected as [value, ...] lists in order; `apply` interprets them.
    const takes = spec.arg !== undefined;
    const option = new Option(takes ? `${flag} <value>` : flag);
    if (takes) {
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    } else {
      option.argParser((_value: string, previous: number | undefined) => (previous ?? 0) + 1);
    }
    cmd.addOption(option);
  }
  return cmd;
}

/**
 * Parse the command line (argv without node and script) and the QEMU_* variables of
 * `env` into Options. The environment is applied first; argv overrides single values
 * and adds to lists.
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Options {
  const opts = defaultOptions();
  for (const spec of OPTION_TABLE) {
    if (spec.env === undefined) continue;
    const value = env[spec.env];
    if (value === undefined) continue;
    apply(opts, spec, value, `-${spec.names[0]!}`);
  }

  const canonical = normaliseArgv(argv);
  const cmd = buildCommand();
  try {
    cmd.parse(canonical, { from: 'user' });
  } catch (e) {
    // normaliseArgv has already rejected everything commander would; keep its wording if not.
    if (e instanceof CommanderError) throw new BadOptionValueError(e.message.replace(/^error: /, ''));
    throw e;
  }
  const parsed = cmd.opts<Record<string, unknown>>();
  // Commander groups values per option; replay them in command-line order so that list
  // options (-E/-U) interleave the way they were typed.
  const seen = new Map<string, number>();
  for (let i = 0; i < canonical.length; i++) {
    const flag = canonical[i]!;
    if (flag === '--') break;
    const spec = BY_NAME.get(flag.replace(/^--?/, ''))!;
    const attr = attributeName(spec);
    const typed = `-${spec.names[0]!}`;
    if (spec.arg === undefined) {
      apply(opts, spec, undefined, typed);
      continue;
    }
    const values = parsed[attr] as string[];
    const n = seen.get(attr) ?? 0;
    seen.set(attr, n + 1);
    apply(opts, spec, values[n], typed);
    i++; // the option's argument
  }
  const operands = cmd.processedArgs as [string | undefined, string[]];
  opts.program = operands[0];
  opts.args = operands[1] ?? [];
  if (opts.program === undefined && !opts.help && !opts.version) {
    // -cpu help / -d help / -plugin help work without a program; main decides.
    if (opts.cpu !== 'help' && opts.log !== 'help' && !opts.plugins.includes('help')) throw new NoProgramError();
  }
  // Each process writes its own log: a shared file would be truncated by every exec.
  if (opts.followExec && opts.logFile !== undefined && !opts.logFile.includes('%d')) {
    throw new BadOptionValueError(`-follow-exec with -D needs '%d' in the file name (replaced by each process's pid), not '${opts.logFile}'`);
  }
  return opts;
}

/**
 * The options an exec'd ARM program gets from a -follow-exec run: the same plugins, log
 * items, log file pattern and -strace, and -follow-exec itself.
 */
export function inheritedOptions(opts: Options, cwd = process.cwd()): string[] {
  if (!opts.followExec) return [];
  const out = ['-follow-exec'];
  for (const p of opts.plugins) out.push('-plugin', absolutePluginSpec(p, cwd));
  if (opts.log !== undefined) out.push('-d', opts.log);
  if (opts.logFile !== undefined) out.push('-D', resolve(cwd, opts.logFile));
  if (opts.strace) out.push('-strace');
  return out;
}

/**
 * A -plugin value whose file is a path (or a file in `cwd`) with that path made absolute:
 * the guest may chdir before it execs. A shipped plugin's bare name stays as it is.
 */
export function absolutePluginSpec(spec: string, cwd: string): string {
  let end = spec.length;
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] !== ',') continue;
    if (spec[i + 1] === ',') {
      i++; // ",," is a literal comma
      continue;
    }
    end = i;
    break;
  }
  const head = spec.slice(0, end);
  const prefix = head.startsWith('file=') ? 'file=' : '';
  const file = head.slice(prefix.length);
  if (!file.includes('/') && !existsSync(join(cwd, file.replaceAll(',,', ',')))) return spec;
  return prefix + resolve(cwd, file) + spec.slice(end);
}
