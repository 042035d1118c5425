// The A32 oracle: generate random cases per table row, run them under qemu-arm and tsqemu,
// compare the dumped registers, APSR and scratch memory case by case, and report.
//
// A program stops at the first case that kills it (SIGSEGV, SIGILL, ...). When either side
// stops at case k, cases before k are compared, case k is compared by fate (same signal or
// not), and a new program continues from case k+1 on both sides.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFields } from '../../targets/arm/decode/pattern.js';
import { buildProgram, parseOutput, APSR_MASK, RECORD_SIZE, SCRATCH, type CaseOutput, type TestCase } from './program.js';
import { runQemu, QEMU_CPU } from './qemu.js';
import { harnessNotes, runCasesDirect, runProgramInProcess } from './tsqemu-runner.js';
import { decodeA32, generateCases, selectRows, skipReason, type OracleRow } from './random-a32.js';

export type Mode = 'direct' | 'program';

/** Rows that can set CPSR.E; their programs reset it with SETEND LE before every case. */
const MAY_SET_E = /^(MSR|SETEND)/;

export interface OracleOptions {
  seed: number;
  casesPerRow: number;
  cls?: RegExp;
  name?: RegExp;
  mode: Mode;
  allowUnpredictable?: boolean;
  /** Largest number of cases in one test program. */
  chunk?: number;
  /** Detailed mismatch reports kept per row. */
  detailsPerRow?: number;
  tsqemuCpu?: string;
  qemuCpu?: string;
}

/** What one side did for one case. */
type Outcome = { kind: 'output'; out: CaseOutput } | { kind: 'signal'; signal: string };

export interface Mismatch {
  row: string;
  cls: string;
  insn: number;
  disasm: string;
  /** Instructions run before it in the same case (e.g. an LDREX), with their disassembly. */
  pre: string[];
  input: TestCase['input'];
  expected: Outcome;
  got: Outcome;
  notes: string[];
}

export interface RowReport {
  name: string;
  cls: string;
  skipped?: string;
  cases: number;
  agreed: number;
  /** Cases where both sides died with the same signal (counted in agreed too). */
  signalsAgreed: number;
  mismatches: number;
  details: Mismatch[];
}

export interface OracleReport {
  rows: RowReport[];
  totalCases: number;
  totalMismatches: number;
}

function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

function sameOutput(a: CaseOutput, b: CaseOutput): boolean {
  if (a.apsr !== b.apsr) return false;
  for (let i = 0; i < 13; i++) if (a.regs[i] !== b.regs[i]) return false;
  for (let i = 0; i < a.scratch.length; i++) if (a.scratch[i] !== b.scratch[i]) return false;
  return true;
}

function disasmOf(r: OracleRow, insn: number, pc: number): string {
  if (r.cls === 'undecoded') return `(no tsqemu row; objdump: ${objdumpWord(insn)})`;
  try {
    return r.row.disasm(extractFields(r.row, insn), { pc, thumb: false });
  } catch (e) {
    return `<disasm threw: ${(e as Error).message}>`;
  }
}

/** GNU objdump's reading of one A32 word, when arm-linux-gnueabi-objdump is installed. */
function objdumpWord(insn: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-objdump-'));
  try {
    const file = join(dir, 'w.bin');
    const b = Buffer.alloc(4);
    b.writeUInt32LE(insn >>> 0);
    writeFileSync(file, b);
    const r = spawnSync('arm-linux-gnueabi-objdump', ['-D', '-b', 'binary', '-m', 'arm', file], { encoding: 'utf8' });
    const line = (r.stdout ?? '').split('\n').find((l) => /^\s+0:/.test(l));
    return line ? line.replace(/^\s+0:\s+[0-9a-f]+\s+/, '').replace(/\s+/g, ' ').trim() : '?';
  } catch {
    return '?';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SideRun {
  outputs: CaseOutput[];
  signal: string | null;
  notes: string[];
}

function runQemuSide(elf: Uint8Array, qemuCpu: string): SideRun {
  const r = runQemu(elf, qemuCpu);
  const outputs = parseOutput(r.stdout);
  const notes = r.stderr.trim() ? [`qemu stderr: ${r.stderr.trim().split('\n')[0]}`] : [];
  if (r.signal) return { outputs, signal: r.signal, notes };
  if (r.exitStatus !== 0) notes.push(`qemu exit status ${r.exitStatus}`);
  return { outputs, signal: null, notes };
}

function runTsqemuSide(mode: Mode, elf: Uint8Array, cases: TestCase[], insnAddress: number[], caseStart: number[], cpu: string | undefined): SideRun {
  if (mode === 'direct') return runCasesDirect(elf, cases, insnAddress, caseStart, cpu);
  const r = runProgramInProcess(elf, cpu);
  const outputs = parseOutput(r.stdout);
  const notes: string[] = [];
  if (r.stdout.length % RECORD_SIZE !== 0) notes.push(`tsqemu wrote a partial record (${r.stdout.length} bytes)`);
  if (r.signal) return { outputs, signal: r.signal, notes };
  if (r.exitStatus !== 0) notes.push(`tsqemu exit status ${r.exitStatus}`);
  return { outputs, signal: null, notes };
}

export function runRow(r: OracleRow, opts: OracleOptions): RowReport {
  const report: RowReport = { name: r.row.name, cls: r.cls, cases: 0, agreed: 0, signalsAgreed: 0, mismatches: 0, details: [] };
  const skip = skipReason(r);
  if (skip) return { ...report, skipped: skip };
  const gen = generateCases(r, opts.casesPerRow, opts.seed, { allowUnpredictable: opts.allowUnpredictable ?? false });
  if (gen.unreachable) return { ...report, skipped: 'no encoding decodes back to this row (shadowed?)' };
  const all = gen.cases;
  const chunk = opts.chunk ?? 400;
  const qemuCpu = opts.qemuCpu ?? QEMU_CPU;
  const record = (c: TestCase, pc: number, expected: Outcome, got: Outcome, notes: string[]) => {
    report.mismatches++;
    if (report.details.length < (opts.detailsPerRow ?? 3)) {
      const pre = (c.pre ?? []).map((w, i) => {
        const hit = decodeA32(w);
        return `${hex(w)}  ${hit ? hit.row.disasm(hit.fields, { pc: pc - 4 * ((c.pre ?? []).length - i), thumb: false }) : '?'}`;
      });
      report.details.push({ row: r.row.name, cls: r.cls, insn: c.insn, disasm: disasmOf(r, c.insn, pc), pre, input: c.input, expected, got, notes });
    }
  };
  let start = 0;
  while (start < all.length) {
    const cases = all.slice(start, start + chunk);
    const prog = buildProgram(cases, { resetEndian: opts.mode === 'direct' || MAY_SET_E.test(r.row.name) });
    const q = runQemuSide(prog.elf, qemuCpu);
    const t = runTsqemuSide(opts.mode, prog.elf, cases, prog.insnAddress, prog.caseStart, opts.tsqemuCpu);
    const qStop = q.signal ? q.outputs.length : cases.length;
    const tStop = t.signal ? t.outputs.length : cases.length;
    if (!q.signal && q.outputs.length !== cases.length) throw new Error(`qemu ran ${q.outputs.length}/${cases.length} cases and exited normally (${q.notes.join('; ')})`);
    const m = Math.min(qStop, tStop);
    for (let k = 0; k < m; k++) {
      const c = cases[k]!;
      report.cases++;
      const qo = q.outputs[k]!;
      const to = t.outputs[k];
      if (to && sameOutput(qo, to)) report.agreed++;
      else record(c, prog.insnAddress[k]!, { kind: 'output', out: qo }, to ? { kind: 'output', out: to } : { kind: 'signal', signal: t.signal ?? 'none' }, t.notes);
    }
    if (m >= cases.length) {
      start += cases.length;
      continue;
    }
    // case m stopped at least one side
    const c = cases[m]!;
    report.cases++;
    const qOut: Outcome = qStop === m ? { kind: 'signal', signal: q.signal! } : { kind: 'output', out: q.outputs[m]! };
    const tOut: Outcome = tStop === m ? { kind: 'signal', signal: t.signal! } : { kind: 'output', out: t.outputs[m]! };
    if (qOut.kind === 'signal' && tOut.kind === 'signal' && qOut.signal === tOut.signal) {
      report.agreed++;
      report.signalsAgreed++;
    } else {
      record(c, prog.insnAddress[m]!, qOut, tOut, [...q.notes, ...t.notes]);
    }
    start += m + 1;
  }
  return report;
}

export function runOracle(opts: OracleOptions, onRow?: (r: RowReport) => void): OracleReport {
  const rows = selectRows({ ...(opts.cls ? { cls: opts.cls } : {}), ...(opts.name ? { name: opts.name } : {}) });
  const reports: RowReport[] = [];
  for (const r of rows) {
    const rep = runRow(r, opts);
    reports.push(rep);
    onRow?.(rep);
  }
  return {
    rows: reports,
    totalCases: reports.reduce((n, r) => n + r.cases, 0),
    totalMismatches: reports.reduce((n, r) => n + r.mismatches, 0),
  };
}

// ---- reporting ----

function describeOutcome(o: Outcome): string {
  return o.kind === 'signal' ? `killed by ${o.signal}` : 'completed';
}

function flagsText(apsr: number): string {
  const f = (bit: number, ch: string) => (apsr & (1 << bit) ? ch : '-');
  return `${f(31, 'N')}${f(30, 'Z')}${f(29, 'C')}${f(28, 'V')}${f(27, 'Q')} GE=${((apsr >>> 16) & 0xf).toString(2).padStart(4, '0')}`;
}

export function formatMismatch(m: Mismatch): string {
  const lines: string[] = [];
  lines.push(`${m.row} [${m.cls}]  ${hex(m.insn)}  ${m.disasm}`);
  for (const p of m.pre) lines.push(`  after: ${p}`);
  const regs = m.input.regs.map((v, i) => `r${i}=${hex(v)}`);
  lines.push(`  input: ${regs.slice(0, 7).join(' ')}`);
  lines.push(`         ${regs.slice(7).join(' ')}  APSR=${hex(m.input.apsr)} (${flagsText(m.input.apsr)})`);
  const e = m.expected;
  const g = m.got;
  if (e.kind !== 'output' || g.kind !== 'output') {
    lines.push(`  qemu: ${describeOutcome(e)}   tsqemu: ${describeOutcome(g)}`);
  }
  if (e.kind === 'output' && g.kind === 'output') {
    for (let i = 0; i < 13; i++) {
      if (e.out.regs[i] !== g.out.regs[i]) lines.push(`  r${i}: qemu ${hex(e.out.regs[i]!)}  tsqemu ${hex(g.out.regs[i]!)}`);
    }
    if (e.out.bigEndian) lines.push('  (qemu stored this dump big-endian: the instruction set CPSR.E)');
    if (e.out.apsr !== g.out.apsr) {
      const note = (e.out.apsr & APSR_MASK) === (g.out.apsr & APSR_MASK) ? ' (non-flag bits)' : '';
      lines.push(`  APSR: qemu ${hex(e.out.apsr)} (${flagsText(e.out.apsr)})  tsqemu ${hex(g.out.apsr)} (${flagsText(g.out.apsr)})${note}`);
    }
    const diffs: string[] = [];
    for (let i = 0; i < e.out.scratch.length; i++) {
      if (e.out.scratch[i] !== g.out.scratch[i]) diffs.push(`[${hex(SCRATCH + i)}] qemu ${e.out.scratch[i]!.toString(16).padStart(2, '0')} tsqemu ${g.out.scratch[i]!.toString(16).padStart(2, '0')}`);
    }
    if (diffs.length) lines.push(`  memory (${diffs.length} bytes differ): ${diffs.slice(0, 8).join(', ')}${diffs.length > 8 ? ', ...' : ''}`);
  }
  for (const n of m.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

export function formatReport(rep: OracleReport, opts: OracleOptions): string {
  const out: string[] = [];
  out.push(`A32 oracle: seed ${opts.seed}, ${opts.casesPerRow} cases/row, mode ${opts.mode}, qemu -cpu ${opts.qemuCpu ?? QEMU_CPU}`);
  out.push('row                      class            cases  agree  signals  MISMATCH');
  for (const r of rep.rows) {
    if (r.skipped) {
      out.push(`${r.name.padEnd(24)} ${r.cls.padEnd(16)} skipped: ${r.skipped}`);
      continue;
    }
    out.push(`${r.name.padEnd(24)} ${r.cls.padEnd(16)} ${String(r.cases).padStart(5)}  ${String(r.agreed).padStart(5)}  ${String(r.signalsAgreed).padStart(7)}  ${r.mismatches ? String(r.mismatches).padStart(8) : ''}`);
  }
  for (const n of harnessNotes) out.push(`harness note: ${n}`);
  out.push(`total: ${rep.totalCases} cases, ${rep.totalMismatches} mismatches in ${rep.rows.filter((r) => r.mismatches).length} rows`);
  for (const r of rep.rows) for (const d of r.details) out.push('', formatMismatch(d));
  return out.join('\n');
}
