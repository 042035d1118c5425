// The program: command line -> loader -> engine -> Linux process -> exit status.
// This is the only place that prints a TsqemuError or ends the host process.
import { resolve } from 'node:path';
import { inheritedOptions, parseCommandLine, type Options } from './cli/options.js';
import { cpuListText, helpText, logItemsText, programName, versionText } from './cli/help.js';
import { Engine } from './engine/engine.js';
import type { CpuModel, Target } from './engine/target.js';
import { Vcpu } from './engine/vcpu.js';
import { BadOptionValueError, EXIT_INTERNAL, EXIT_USAGE, LogFileError, NotSupportedError, hostErrorReason, isTsqemuError } from './errors.js';
import { LinuxProcess } from './linux/process.js';
import { loadProgram, formatPageMap, type LoadedProgram } from './loader/program.js';
import type { ProcessImage } from './linux/proc-files.js';
import { guestEnvironment } from './loader/stack.js';
import { SeededRandom, hostRandom, randomBytesFrom } from './linux/random.js';
import { Logger, parseLogItems } from './log/log.js';
import { GuestMemory } from './memory/guest-memory.js';

export interface HostIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
}

/** Set once the command line is parsed: -d given, so internal errors show their stack. */
let debugLogging = false;

/** Run the guest program described by `argv` (without node and script); resolves with the host exit status. */
export async function run(argv: readonly string[], target: Target, io: HostIo = defaultIo()): Promise<number> {
  const opts = parseCommandLine(argv, io.env);
  debugLogging = opts.log !== undefined && opts.log !== '';
  if (debugLogging) process.setSourceMapsEnabled(true);
  if (opts.help) {
    io.stdout(helpText(target));
    return 0;
  }
  if (opts.version) {
    io.stdout(versionText(target));
    return 0;
  }
  // qemu-arm ends with status 1 after listing CPUs or log items; so do we.
  if (opts.cpu === 'help') {
    io.stdout(cpuListText(target));
    return EXIT_USAGE;
  }
  if (opts.log === 'help') {
    io.stdout(logItemsText());
    return EXIT_USAGE;
  }
  if (opts.plugins.includes('help')) {
    io.stdout((await import('./plugins/resolve.js')).pluginListText());
    return 0;
  }
  const cpu = findCpu(target, opts.cpu);
  const logItems = parseLogOption(opts.log);
  if (opts.unsupported.length > 0) throw new NotSupportedError(`option '${opts.unsupported[0]!}' is not supported yet`);
  if (opts.strace) logItems.push('strace');

  const log = openLog(logItems, opts.logFile);
  try {
    return await runProgram(opts, target, cpu, log, io);
  } finally {
    log.close();
  }
}

async function runProgram(opts: Options, target: Target, cpu: CpuModel, log: Logger, io: HostIo): Promise<number> {
  const path = opts.program!;
  const mem = new GuestMemory();
  const guestArgv = [opts.argv0 ?? path, ...opts.args];
  // -seed makes AT_RANDOM and getrandom one deterministic stream.
  const random = opts.seed !== undefined ? new SeededRandom(opts.seed) : hostRandom;
  const envp = guestEnvironment(io.env, opts.envChanges);
  const prog = loadProgram(target, mem, {
    path,
    argv: guestArgv,
    envp,
    stackSize: opts.stackSize,
    cpu,
    random: randomBytesFrom(random, 16),
    ids: hostIds(),
    ldPrefix: opts.ldPrefix,
  });
  if (log.enabled('page')) log.write(formatPageMap(mem, prog));
  // Plugins are imported only when asked for: a run without them never loads that code.
  const plugins =
    opts.plugins.length > 0
      ? await (await import('./plugins/index.js')).startPlugins(opts.plugins, {
          target,
          mem,
          log,
          symbols: prog.symbols,
          program: { path, startCode: prog.loaded.startCode, endCode: prog.loaded.endCode, entryCode: prog.loaded.entry },
        })
      : undefined;

  const singleStep = opts.oneInsnPerTb;
  const engine = new Engine(target, mem, log, {
    cpu,
    maxInsnsPerBlock: singleStep ? 1 : 256,
    maxBlocksPerRegion: singleStep || log.enabled('nochain') ? 1 : 32,
    sliceBlocks: 1_000_000,
    symbolize: (address) => prog.symbols.symbolize(address),
    ...(plugins ? { instrumenter: plugins } : {}),
  });
  plugins?.attachEngine(engine);
  const vcpu = new Vcpu(0, target);
  target.linux.initThread(vcpu.state, prog.entry, prog.stack.sp);
  plugins?.vcpuInit(vcpu);
  const proc = new LinuxProcess({
    target,
    mem,
    engine,
    log,
    cpu,
    exePath: resolve(path),
    argv: guestArgv,
    ...(opts.ldPrefix !== undefined ? { ldPrefix: opts.ldPrefix } : {}),
    strace: log.enabled('strace'),
    execOptions: inheritedOptions(opts),
    brk: prog.loaded.brk,
    image: processImage(prog, mem, envp),
    random,
    ...(plugins ? { observer: plugins } : {}),
  });
  const status = await proc.run(vcpu);
  if (log.enabled('jit')) log.write(engine.jitReport(performance.now()));
  plugins?.atexit();
  return status;
}

/** What /proc/self tells about the program as loaded: its auxv bytes, stack and segment addresses. */
function processImage(prog: LoadedProgram, mem: GuestMemory, envp: readonly string[]): ProcessImage {
  const { stack, loaded } = prog;
  let end = stack.auxvStart;
  while (mem.u32[end >>> 2] !== 0) end += 8; // up to AT_NULL
  return {
    auxv: mem.u8.slice(stack.auxvStart, end + 8),
    envp,
    startStack: stack.sp,
    startCode: loaded.startCode,
    endCode: loaded.endCode,
    startData: loaded.startData,
    endData: loaded.endData,
    argStart: stack.argStrings.start,
    argEnd: stack.argStrings.end,
    envStart: stack.envStrings.start,
    envEnd: stack.envStrings.end,
  };
}

function findCpu(target: Target, name: string | undefined): CpuModel {
  const wanted = name ?? target.defaultCpu;
  const cpu = target.cpuModels.find((m) => m.name === wanted);
  if (!cpu) throw new BadOptionValueError(`unable to find CPU model '${wanted}'`);
  return cpu;
}

function parseLogOption(spec: string | undefined): string[] {
  if (spec === undefined) return [];
  const { items, unknown } = parseLogItems(spec);
  if (unknown.length > 0) throw new BadOptionValueError(`unknown log item '${unknown[0]!}' (use -d help for a list)`);
  return items;
}

function openLog(items: string[], file: string | undefined): Logger {
  try {
    return new Logger(items, file);
  } catch (e) {
    throw new LogFileError(file ?? '', hostErrorReason(e));
  }
}

function hostIds(): { uid: number; euid: number; gid: number; egid: number } {
  const p = process;
  return {
    uid: p.getuid?.() ?? 0,
    euid: p.geteuid?.() ?? 0,
    gid: p.getgid?.() ?? 0,
    egid: p.getegid?.() ?? 0,
  };
}

function defaultIo(): HostIo {
  return { env: process.env, stdout: (text) => process.stdout.write(text) };
}

/** One line on stderr for an error; internal errors get their stack only when -d is on. */
function report(target: Target, e: unknown): number {
  const name = programName(target);
  if (isTsqemuError(e)) {
    process.stderr.write(`${name}: ${e.message}\n`);
    return e.exitStatus;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`${name}: internal error: ${message.split('\n')[0]}\n`);
  if (debugLogging && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return EXIT_INTERNAL;
}

/** The command: run, report, exit. Used by each target's entry (src/main-<target>.ts). */
export function main(argv: readonly string[], target: Target): void {
  const fail = (e: unknown): void => {
    process.exit(report(target, e));
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  run(argv, target).then(
    (status) => process.exit(status),
    (e: unknown) => fail(e),
  );
}
