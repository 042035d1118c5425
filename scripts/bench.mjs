#!/usr/bin/env node
// scripts/bench.mjs - the speed benchmark: each program of the suite under native (an x86
// build of the same C source), qemu-arm and tsqemu-arm in one run. Prints per-program wall
// times (best of N), how much of tsqemu's time went to translating (its `-d jit` report:
// code generation + V8 compile), the ratio tsqemu/qemu-arm, guest MIPS, peak RSS, and the
// geometric mean of the ratios over the CPU-bound programs; appends the table to
// scripts/bench-results.md (README links it).
//
//   node scripts/bench.mjs                      # the whole suite, best of 3
//   node scripts/bench.mjs -n 1 crc32 nbody     # some programs, one run each
//   node scripts/bench.mjs --real               # also xz, lua5.4, python3 from Debian armhf
//   node scripts/bench.mjs --no-append          # print only
//   node scripts/bench.mjs --plugins            # plugin overhead (issue 4's targets), see below
//
// Options: -n N (runs per program and engine, best kept), --real, --no-native,
// --no-count, --tsqemu CMD, --results FILE, --no-append, --timeout S, --json FILE.
//
// Correctness first: every engine's stdout must equal qemu-arm's, else its time shows as
// "wrong" (or "fail" when it exits non-zero or times out) and it is left out of the means.
// Guest MIPS = guest instructions / tsqemu seconds; the instruction count comes from
// tsqemu's own `insn` plugin, run once per program and cached in .cache/bench-counts.json
// (keyed by the binary's hash and the arguments), so MIPS is n/a until plugins exist.
//
// --plugins [programs]: the overhead of plugins instead: each program (default crc32,
// sha256, sieve, nbody; `cpu_heavy` is test-binaries/armel/cpu_heavy) under tsqemu plain
// and under each --plugin SPEC (repeatable; default bb,inline=on, insn,inline=on, insn,
// hotblocks), runs interleaved, min *user* time of -n runs (GNU time), overhead vs plain.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_BIN = join(ROOT, 'test-binaries', 'bench');
const BENCH_SRC = join(ROOT, 'test-binaries', 'src', 'bench');
const CACHE = join(ROOT, '.cache');
const COUNTS_FILE = join(CACHE, 'bench-counts.json');

/**
 * The fixed suite. `kind` groups the table; all but `startup` and `real` count in the
 * CPU-bound geometric mean. Sources are test-binaries/src/bench/<name>.c (hello is the
 * armhf test program); the ARM builds are committed in test-binaries/bench/.
 */
const SUITE = [
  { name: 'crc32', kind: 'integer' },
  { name: 'sha256', kind: 'integer' },
  { name: 'sort', kind: 'integer' },
  { name: 'sieve', kind: 'integer' },
  { name: 'bytecode', kind: 'integer' },
  { name: 'nbody', kind: 'float' },
  { name: 'matmul', kind: 'float' },
  { name: 'mandelbrot', kind: 'float' },
  { name: 'memops', kind: 'memory' },
  { name: 'ptrchase', kind: 'memory' },
  { name: 'hello', kind: 'startup', binary: join(ROOT, 'test-binaries', 'armhf', 'hello'), source: join(ROOT, 'test-binaries', 'src', 'hello.c') },
];

/** Real Debian armhf programs, run dynamically with -L <sysroot> (option --real). */
/** Plugin overhead mode (--plugins): what runs by default, and the issue's targets. */
const PLUGIN_PROGRAMS = ['crc32', 'sha256', 'sieve', 'nbody'];
const PLUGIN_SPECS = ['bb,inline=on', 'insn,inline=on', 'insn', 'hotblocks'];
const PLUGIN_TARGETS = { 'bb,inline=on': 3, 'insn,inline=on': 25, insn: 100 };
const CPU_HEAVY = join(ROOT, 'test-binaries', 'armel', 'cpu_heavy');

const REAL = [
  { name: 'xz -9', kind: 'real', packages: ['xz-utils', 'liblzma5'], exe: '/usr/bin/xz', args: ['-9', '-c', '-T1', '@INPUT'], stdoutHash: true },
  { name: 'lua5.4 loop', kind: 'real', packages: ['lua5.4', 'liblua5.4-0'], exe: '/usr/bin/lua5.4', args: ['-e', 'local s=0 for i=1,3000000 do s=s+i%7 end print(s)'] },
  { name: 'python3 sum', kind: 'real', packages: ['python3.11-minimal', 'libpython3.11-minimal', 'libexpat1', 'zlib1g'], exe: '/usr/bin/python3.11', args: ['-S', '-c', 'print(sum(range(10**6)))'] },
];

function parseArgs(argv) {
  const o = { runs: 3, real: false, native: true, count: true, tsqemu: [join(ROOT, 'bin', 'tsqemu-arm')], results: join(ROOT, 'scripts', 'bench-results.md'), append: true, timeout: 600, json: undefined, only: [], plugins: false, pluginSpecs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`option ${a} needs a value`);
      return argv[++i];
    };
    if (a === '-n') o.runs = Math.max(1, Number(value()) | 0);
    else if (a === '--real') o.real = true;
    else if (a === '--no-native') o.native = false;
    else if (a === '--no-count') o.count = false;
    else if (a === '--tsqemu') o.tsqemu = value().split(' ').filter(Boolean);
    else if (a === '--results') o.results = value();
    else if (a === '--no-append') o.append = false;
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '--json') o.json = value();
    else if (a === '--plugins') o.plugins = true;
    else if (a === '--plugin') o.pluginSpecs.push(value());
    else if (a === '-h' || a === '--help') {
      const text = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
      process.stdout.write(text.slice(0, text.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else if (a.startsWith('-')) fail(`unknown option ${a} (see --help)`);
    else o.only.push(a);
  }
  return o;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const hasGnuTime = existsSync('/usr/bin/time');

/**
 * One run: wall seconds (measured here), peak RSS in MiB (GNU time's %M, when present),
 * stdout, exit status. `ok` is false when it failed to exit 0 in time.
 */
function runOnce(cmd, args, timeoutS, cwd = ROOT) {
  const rssFile = join(tmpdir(), `bench-rss-${process.pid}`);
  const argv = hasGnuTime ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutS * 1000, maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let rssMiB;
  if (hasGnuTime && existsSync(rssFile)) {
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) rssMiB = kb / 1024;
    rmSync(rssFile, { force: true });
  }
  return { seconds, rssMiB, stdout: r.stdout ?? Buffer.alloc(0), status: r.status, ok: !r.error && r.status === 0, stderr: (r.stderr ?? Buffer.alloc(0)).toString() };
}

/** Best of `runs`; the reference stdout (qemu-arm's) decides whether a result counts. */
function measure(cmd, args, opts, reference) {
  let best;
  for (let i = 0; i < opts.runs; i++) {
    const r = runOnce(cmd, args, opts.timeout);
    if (!r.ok) return { status: 'fail', detail: r.stderr.trim().split('\n')[0] ?? '' };
    if (reference !== undefined && !r.stdout.equals(reference)) return { status: 'wrong' };
    if (!best || r.seconds < best.seconds) best = r;
  }
  return { status: 'ok', seconds: best.seconds, rssMiB: best.rssMiB, stdout: best.stdout, translateS: translateSeconds(best.stderr) };
}

/** Seconds tsqemu spent generating and compiling code, from its `-d jit` line (undefined without one). */
function translateSeconds(stderr) {
  const m = /^JIT: .*codegen ([\d.]+) ms, V8 compile ([\d.]+) ms/m.exec(stderr ?? '');
  return m ? (Number(m[1]) + Number(m[2])) / 1000 : undefined;
}

function sha(buf) {
  return createHash('sha256').update(buf).digest('hex').slice(0, 16);
}

function loadCounts() {
  try {
    return JSON.parse(readFileSync(COUNTS_FILE, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Guest instructions executed, from tsqemu's insn plugin (its "total insns: N" line on
 * stderr), cached per binary hash + arguments. Undefined when the plugin is unavailable.
 */
function guestInstructions(opts, counts, binary, args, prefixArgs = []) {
  if (!opts.count) return undefined;
  const key = `${sha(readFileSync(binary))} ${JSON.stringify([...prefixArgs, ...args])}`;
  if (counts[key] !== undefined) return counts[key];
  const [cmd, ...pre] = opts.tsqemu;
  const r = spawnSync(cmd, [...pre, ...prefixArgs, '-plugin', 'insn', binary, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: opts.timeout * 1000, maxBuffer: 64 << 20 });
  const m = /total insns:\s*(\d+)/.exec(r.stderr?.toString() ?? '');
  if (!m) return undefined;
  counts[key] = Number(m[1]);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(COUNTS_FILE, JSON.stringify(counts, null, 1) + '\n');
  return counts[key];
}

/** The x86 build of a suite program (host gcc -O2), or undefined without gcc. */
function nativeBuild(entry, dir) {
  const source = entry.source ?? join(BENCH_SRC, `${entry.name}.c`);
  const out = join(dir, entry.name);
  const r = spawnSync('gcc', ['-O2', '-o', out, source, '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return r.status === 0 ? out : undefined;
}

function sysroot(packages) {
  const r = spawnSync(join(ROOT, 'scripts', 'make-sysroot.sh'), packages, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) return undefined;
  return r.stdout.toString().trim().split('\n').pop();
}

const fmt = (x, digits = 3) => (x === undefined ? 'n/a' : x.toFixed(digits));
const timeCell = (m) => (m === undefined ? 'n/a' : m.status === 'ok' ? fmt(m.seconds) : m.status);

function geomean(xs) {
  return xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : undefined;
}

/** User CPU seconds of one run (GNU time's %U; wall time without it), or undefined when it failed. */
function userTime(cmd, args, timeoutS) {
  const file = join(tmpdir(), `bench-user-${process.pid}`);
  const argv = hasGnuTime ? ['/usr/bin/time', '-f', '%U', '-o', file, cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutS * 1000, maxBuffer: 256 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let seconds = wall;
  if (hasGnuTime && existsSync(file)) {
    seconds = Number(readFileSync(file, 'utf8').trim().split('\n').pop());
    rmSync(file, { force: true });
  }
  return r.error || r.status !== 0 ? undefined : { seconds, stdout: r.stdout };
}

/** --plugins: min user time of each program plain and under each plugin, runs interleaved. */
function pluginOverhead(opts) {
  const specs = opts.pluginSpecs.length ? opts.pluginSpecs : PLUGIN_SPECS;
  const names = opts.only.length ? opts.only : PLUGIN_PROGRAMS;
  const [cmd, ...pre] = opts.tsqemu;
  const configs = [[], ...specs.map((spec) => ['-plugin', spec])];
  const header = ['program', 'plain s', ...specs.flatMap((spec) => [`${spec} s`, 'overhead'])];
  const table = [];
  const worst = new Map();
  for (const name of names) {
    const binary = name === 'cpu_heavy' ? CPU_HEAVY : SUITE.find((e) => e.name === name)?.binary ?? join(BENCH_BIN, name);
    if (!existsSync(binary)) fail(`${binary} missing`);
    process.stderr.write(`${name}...`);
    const best = configs.map(() => Infinity);
    let reference;
    for (let i = 0; i < opts.runs; i++) {
      configs.forEach((config, k) => {
        const r = userTime(cmd, [...pre, ...config, binary], opts.timeout);
        if (r && k === 0) reference ??= r.stdout;
        // a failed run or different program output: the plugin run does not count
        if (!r || (reference !== undefined && !r.stdout.equals(reference))) best[k] = NaN;
        else if (!Number.isNaN(best[k])) best[k] = Math.min(best[k], r.seconds);
      });
      process.stderr.write('.');
    }
    const plain = best[0];
    const row = [name, Number.isFinite(plain) ? fmt(plain, 2) : 'fail'];
    specs.forEach((spec, k) => {
      const t = best[k + 1];
      const over = Number.isFinite(t) && Number.isFinite(plain) ? (t / plain - 1) * 100 : undefined;
      if (over !== undefined) worst.set(spec, Math.max(worst.get(spec) ?? -Infinity, over));
      row.push(Number.isFinite(t) ? fmt(t, 2) : 'fail', over === undefined ? 'n/a' : `${over >= 0 ? '+' : ''}${over.toFixed(0)}%`);
    });
    table.push(row);
    process.stderr.write('\n');
  }
  const verdicts = specs.map((spec) => {
    const w = worst.get(spec);
    const target = PLUGIN_TARGETS[spec];
    const tail = target === undefined ? '' : ` (target < ${target}%: ${w !== undefined && w < target ? 'met' : 'NOT met'})`;
    return `${spec}: worst ${w === undefined ? 'n/a' : `${w >= 0 ? '+' : ''}${w.toFixed(0)}%`}${tail}`;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  const note = `(min user time of ${opts.runs} interleaved runs${hasGnuTime ? '' : '; wall time, GNU time missing'})`;
  process.stdout.write([line(header), ...table.map(line), ...verdicts, note].join('\n') + '\n');
  if (!opts.append) return;
  const commit = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT }).stdout?.toString().trim() ?? '?';
  const md = ['', `## Plugin overhead, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}`, '', `Host: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; node ${process.version}; ${note.slice(1, -1)}`, '',
    `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...table.map((row) => `| ${row.join(' | ')} |`), '', ...verdicts.map((v) => `- ${v}`), ''].join('\n');
  appendFileSync(opts.results, md);
  process.stdout.write(`results appended to ${opts.results}\n`);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.plugins) return pluginOverhead(opts);
  const qemu = spawnSync('qemu-arm', ['-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
  if (qemu.status !== 0) fail('qemu-arm not found (apt-get install qemu-user): it is the reference');
  const qemuVersion = qemu.stdout.toString().split('\n')[0];
  const nativeDir = mkdtempSync(join(tmpdir(), 'tsqemu-bench-'));
  const counts = loadCounts();
  const rows = [];
  try {
    const entries = SUITE.filter((e) => opts.only.length === 0 || opts.only.includes(e.name));
    for (const e of entries) {
      const binary = e.binary ?? join(BENCH_BIN, e.name);
      if (!existsSync(binary)) fail(`${binary} missing (scripts/build-test-binaries.sh --set bench)`);
      process.stderr.write(`${e.name}...`);
      const q = measure('qemu-arm', [binary], opts);
      const ref = q.status === 'ok' ? q.stdout : undefined;
      const [tcmd, ...tpre] = opts.tsqemu;
      const t = measure(tcmd, [...tpre, '-d', 'jit', binary], opts, ref);
      const native = opts.native ? nativeBuild(e, nativeDir) : undefined;
      const n = native ? measure(native, [], opts, ref) : undefined;
      const insns = t.status === 'ok' ? guestInstructions(opts, counts, binary, []) : undefined;
      rows.push({ name: e.name, kind: e.kind, native: n, qemu: q, tsqemu: t, insns });
      process.stderr.write(` ${timeCell(t)} s\n`);
    }
    if (opts.real) {
      const input = join(nativeDir, 'xz-input');
      writeFileSync(input, generatedText(4 << 20));
      for (const e of REAL) {
        if (opts.only.length && !opts.only.includes(e.name.split(' ')[0])) continue;
        process.stderr.write(`${e.name}...`);
        const root = sysroot(e.packages);
        if (!root || !existsSync(join(root, e.exe))) {
          rows.push({ name: e.name, kind: e.kind, skipped: 'sysroot packages unavailable' });
          process.stderr.write(' skipped\n');
          continue;
        }
        const args = e.args.map((a) => (a === '@INPUT' ? input : a));
        const exe = join(root, e.exe);
        const q = measure('qemu-arm', ['-L', root, exe, ...args], opts);
        const ref = q.status === 'ok' ? q.stdout : undefined;
        const [tcmd, ...tpre] = opts.tsqemu;
        const t = measure(tcmd, [...tpre, '-d', 'jit', '-L', root, exe, ...args], opts, ref);
        const insns = t.status === 'ok' ? guestInstructions(opts, counts, exe, args, ['-L', root]) : undefined;
        rows.push({ name: e.name, kind: e.kind, qemu: q, tsqemu: t, insns });
        process.stderr.write(` ${timeCell(t)} s\n`);
      }
    }
  } finally {
    rmSync(nativeDir, { recursive: true, force: true });
  }
  report(rows, opts, qemuVersion);
}

/** Compressible, deterministic text for xz. */
function generatedText(size) {
  const words = ['emulator', 'guest', 'block', 'region', 'flag', 'register', 'thumb', 'vfp', 'syscall', 'page'];
  let s = '';
  let x = 12345;
  while (s.length < size) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += words[x % words.length] + (x & 0x100 ? '\n' : ' ');
  }
  return s.slice(0, size);
}

function report(rows, opts, qemuVersion) {
  const ratio = (r) => (r.tsqemu?.status === 'ok' && r.qemu?.status === 'ok' ? r.tsqemu.seconds / r.qemu.seconds : undefined);
  const cpuBound = rows.filter((r) => !['startup', 'real'].includes(r.kind)).map(ratio).filter((x) => x !== undefined);
  const worst = cpuBound.length ? Math.max(...cpuBound) : undefined;
  const header = ['program', 'kind', 'native s', 'qemu-arm s', 'tsqemu s', 'of it translating s', 'tsq/qemu', 'guest MIPS', 'qemu RSS MiB', 'tsqemu RSS MiB'];
  const table = rows.map((r) => r.skipped
    ? [r.name, r.kind, '', '', `skipped: ${r.skipped}`, '', '', '', '', '']
    : [r.name, r.kind, timeCell(r.native), timeCell(r.qemu), timeCell(r.tsqemu), r.tsqemu?.status === 'ok' ? fmt(r.tsqemu.translateS) : 'n/a', ratio(r) === undefined ? 'n/a' : `${fmt(ratio(r), 2)}x`,
      r.insns !== undefined && r.tsqemu?.status === 'ok' ? fmt(r.insns / r.tsqemu.seconds / 1e6, 0) : 'n/a',
      fmt(r.qemu?.rssMiB, 0), fmt(r.tsqemu?.rssMiB, 0)]);
  const summary = `geometric mean tsqemu/qemu-arm (CPU-bound, ${cpuBound.length} programs): ${fmt(geomean(cpuBound), 2)}x; worst ${fmt(worst, 2)}x`;

  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  process.stdout.write([line(header), ...table.map(line), summary, `(best of ${opts.runs} wall-clock runs)`].join('\n') + '\n');

  if (opts.json) writeFileSync(opts.json, JSON.stringify({ rows: rows.map(({ qemu, tsqemu, native, ...r }) => ({ ...r, qemu: strip(qemu), tsqemu: strip(tsqemu), native: strip(native) })), summary }, null, 1) + '\n');
  if (!opts.append) return;
  const commit = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT }).stdout?.toString().trim() ?? '?';
  const md = [
    '',
    `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}`,
    '',
    `Host: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; ${qemuVersion}; node ${process.version}; best of ${opts.runs}`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...table.map((row) => `| ${row.join(' | ')} |`),
    '',
    summary,
    '',
  ].join('\n');
  appendFileSync(opts.results, md);
  process.stdout.write(`results appended to ${opts.results}\n`);
}

const strip = (m) => (m === undefined ? undefined : { status: m.status, seconds: m.seconds, rssMiB: m.rssMiB });

main();
