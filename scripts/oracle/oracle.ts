// The oracle: generate random cases per table row (A32, T16, T32, VFP), run them under
// qemu-arm and tsqemu, compare the dumped registers, APSR, sp, FPSCR, d0-d31 and scratch
// memory case by case, and report.
//
// A program stops at the first case that kills it (SIGSEGV, SIGILL, ...). When either side
// stops at case k, cases before k are compared, case k is compared by fate (same signal or
// not), and a new program continues from case k+1 on both sides.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, parseOutput, thumbSize, APSR_MASK, RECORD_SIZE, SCRATCH, type BuiltProgram, type CaseOutput, type TestCase } from './program.js';
import { runQemu, QEMU_CPU } from './qemu.js';
import { harnessNotes, runCasesDirect, runProgramInProcess } from './tsqemu-runner.js';
import { generateCases } from './random.js';
import { allRows, decodeInsn, decodeThumb, isaGroup, selectRows, skipReason, type IsaGroup, type OracleRow } from './rows.js';

export type Mode = 'direct' | 'program';

/** Rows that can set CPSR.E; their programs reset it with SETEND LE before every case. */
const MAY_SET_E = /^(MSR|SETEND)/;

export interface OracleOptions {
  seed: number;
  /** Cases per row; when absent, `budget` is shared out over the rows of each group. */
  casesPerRow?: number;
  /** Cases per instruction-set group (A32, T16, T32, VFP), split evenly over its rows. */
  budget?: number;
  /** Most cases for an UNDECODED row (each case that kills a program costs a process). */
  undecodedCap?: number;
  cls?: RegExp;
  name?: RegExp;
  /** Instruction-set groups to test (A32, T16, T32, VFP); all when absent. */
  groups?: readonly IsaGroup[];
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
  thumb: boolean;
  insn: number;
  disasm: string;
  /** GNU objdump's reading of the same encoding. */
  objdump: string;
  /** Thumb instructions after it in the same case (the rest of an IT block). */
  post: string[];
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
  group: IsaGroup;
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

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameOutput(a: CaseOutput, b: CaseOutput): boolean {
  if (a.apsr !== b.apsr || a.sp !== b.sp || a.fpscr !== b.fpscr) return false;
  for (let i = 0; i < 13; i++) if (a.regs[i] !== b.regs[i]) return false;
  return equalBytes(a.dregs, b.dregs) && equalBytes(a.scratch, b.scratch);
}

/** tsqemu's disassembly of one instruction (A32 word, or Thumb in the oracle's notation). */
function disasmOf(thumb: boolean, insn: number, pc: number, itCond?: number): string {
  const hit = thumb ? decodeThumb(insn) : decodeInsn('a32', insn);
  if (!hit) return '(no tsqemu row)';
  try {
    return hit.row.disasm(hit.fields, { pc, thumb, ...(itCond !== undefined ? { itCond } : {}) });
  } catch (e) {
    return `<disasm threw: ${(e as Error).message}>`;
  }
}

const OBJDUMPS = ['arm-linux-gnueabihf-objdump', 'arm-linux-gnueabi-objdump'];

/** GNU objdump's reading of one instruction, when a cross objdump is installed. */
export function objdumpInsn(insn: number, thumb: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsqemu-objdump-'));
  try {
    const file = join(dir, 'w.bin');
    const b = Buffer.alloc(4);
    if (!thumb) b.writeUInt32LE(insn >>> 0);
    else if (thumbSize(insn) === 4) {
      b.writeUInt16LE(insn >>> 16, 0);
      b.writeUInt16LE(insn & 0xffff, 2);
    } else b.writeUInt16LE(insn, 0);
    writeFileSync(file, b.subarray(0, thumb ? thumbSize(insn) : 4));
    for (const tool of OBJDUMPS) {
      const r = spawnSync(tool, ['-D', '-b', 'binary', '-m', 'arm', ...(thumb ? ['-M', 'force-thumb'] : []), file], { encoding: 'utf8' });
      if (r.error) continue;
      const line = (r.stdout ?? '').split('\n').find((l) => /^\s+0:/.test(l));
      return line ? line.replace(/^\s+0:\s+([0-9a-f]+\s)+\s*/, '').replace(/\s+/g, ' ').trim() : '?';
    }
    return '(no objdump)';
  } catch {
    return '?';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hexInsn(insn: number, thumb: boolean): string {
  if (!thumb) return hex(insn);
  return thumbSize(insn) === 4 ? `${(insn >>> 16).toString(16).padStart(4, '0')} ${(insn & 0xffff).toString(16).padStart(4, '0')}` : (insn & 0xffff).toString(16).padStart(4, '0');
}

/** Condition of each instruction in an IT block (firstcond, then by the mask bits). */
function itConds(it: number, count: number): number[] {
  const firstcond = (it >>> 4) & 0xf;
  const mask = it & 0xf;
  const conds = [firstcond];
  for (let i = 1; i < count; i++) conds.push((firstcond & 0xe) | ((mask >>> (4 - i)) & 1));
  return conds;
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
  if (r.exitStatus !== 0) {
    notes.push(`qemu exit status ${r.exitStatus}`);
    // qemu gave up on the program (e.g. a wild branch reached an unsupported semihosting
    // call): the case it stopped at counts as a fate of its own
    return { outputs, signal: `exit status ${r.exitStatus}`, notes };
  }
  return { outputs, signal: null, notes };
}

function runTsqemuSide(mode: Mode, prog: BuiltProgram, cases: TestCase[], cpu: string | undefined): SideRun {
  const elf = prog.elf;
  if (mode === 'direct') return runCasesDirect(elf, cases, prog, cpu);
  const r = runProgramInProcess(elf, cpu);
  const outputs = parseOutput(r.stdout);
  const notes: string[] = [];
  if (r.stdout.length % RECORD_SIZE !== 0) notes.push(`tsqemu wrote a partial record (${r.stdout.length} bytes)`);
  if (r.signal) return { outputs, signal: r.signal, notes };
  if (r.exitStatus !== 0) notes.push(`tsqemu exit status ${r.exitStatus}`);
  return { outputs, signal: null, notes };
}

const DEFAULT_BUDGET = 12000;

/** How many cases a row gets: casesPerRow, or its share of its group's budget. */
export function casesFor(r: OracleRow, opts: OracleOptions): number {
  let n = opts.casesPerRow;
  if (n === undefined) {
    const group = isaGroup(r);
    const rows = allRows().filter((x) => isaGroup(x) === group && skipReason(x) === undefined).length;
    n = Math.ceil((opts.budget ?? DEFAULT_BUDGET) / Math.max(1, rows));
  }
  return /undecoded/.test(r.cls) && opts.undecodedCap !== undefined ? Math.min(n, opts.undecodedCap) : n;
}

export function runRow(r: OracleRow, opts: OracleOptions): RowReport {
  const report: RowReport = { name: r.row.name, cls: r.cls, group: isaGroup(r), cases: 0, agreed: 0, signalsAgreed: 0, mismatches: 0, details: [] };
  const skip = skipReason(r);
  if (skip) return { ...report, skipped: skip };
  const gen = generateCases(r, casesFor(r, opts), opts.seed, { allowUnpredictable: opts.allowUnpredictable ?? false, all: allRows() });
  if (gen.unreachable) return { ...report, skipped: 'no encoding decodes back to this row (shadowed?)' };
  const all = gen.cases;
  const chunk = opts.chunk ?? 400;
  const qemuCpu = opts.qemuCpu ?? QEMU_CPU;
  const record = (c: TestCase, start: number, expected: Outcome, got: Outcome, notes: string[]) => {
    report.mismatches++;
    if (report.details.length < (opts.detailsPerRow ?? 3)) report.details.push(describeCase(r, c, start, expected, got, notes));
  };
  let start = 0;
  while (start < all.length) {
    const cases = all.slice(start, start + chunk);
    const prog = buildProgram(cases, { resetEndian: opts.mode === 'direct' || MAY_SET_E.test(r.row.name) });
    const q = runQemuSide(prog.elf, qemuCpu);
    const t = runTsqemuSide(opts.mode, prog, cases, opts.tsqemuCpu);
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
      else record(c, prog.caseStart[k]!, { kind: 'output', out: qo }, to ? { kind: 'output', out: to } : { kind: 'signal', signal: t.signal ?? 'none' }, t.notes);
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
      record(c, prog.caseStart[m]!, qOut, tOut, [...q.notes, ...t.notes]);
    }
    start += m + 1;
  }
  return report;
}

/** One case, described for a report: every instruction with both disassemblies. */
function describeCase(r: OracleRow, c: TestCase, start: number, expected: Outcome, got: Outcome, notes: string[]): Mismatch {
  const thumb = c.thumb ?? false;
  const seq = [...(c.pre ?? []), c.insn, ...(c.post ?? [])];
  const at: number[] = [];
  let a = start;
  for (const insn of seq) {
    at.push(a);
    a += thumb ? thumbSize(insn) : 4;
  }
  // IT conditions of the instructions that follow an IT
  const conds = new Map<number, number>();
  seq.forEach((insn, i) => {
    if (thumb && insn <= 0xffff && (insn & 0xff00) === 0xbf00 && insn & 0xf) {
      const n = 4 - Math.log2(insn & -insn);
      itConds(insn, n).forEach((cc, k) => conds.set(i + 1 + k, cc));
    }
  });
  const line = (insn: number, i: number) =>
    `${hexInsn(insn, thumb)}  ${disasmOf(thumb, insn, at[i]!, conds.get(i))}   [objdump: ${objdumpInsn(insn, thumb)}]`;
  const nPre = (c.pre ?? []).length;
  return {
    row: r.row.name,
    cls: r.cls,
    thumb,
    insn: c.insn,
    disasm: disasmOf(thumb, c.insn, at[nPre]!, conds.get(nPre)),
    objdump: objdumpInsn(c.insn, thumb),
    pre: (c.pre ?? []).map((w, i) => line(w, i)),
    post: (c.post ?? []).map((w, i) => line(w, nPre + 1 + i)),
    input: c.input,
    expected,
    got,
    notes,
  };
}

export function runOracle(opts: OracleOptions, onRow?: (r: RowReport) => void): OracleReport {
  const rows = selectRows({ ...(opts.cls ? { cls: opts.cls } : {}), ...(opts.name ? { name: opts.name } : {}), ...(opts.groups ? { groups: opts.groups } : {}) });
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

/** Cases and mismatches per instruction-set group (A32, T16, T32, VFP). */
export function countsByGroup(rows: readonly RowReport[]): Record<string, { rows: number; cases: number; mismatches: number }> {
  const out: Record<string, { rows: number; cases: number; mismatches: number }> = {};
  for (const r of rows) {
    if (r.skipped) continue;
    const t = (out[r.group] ??= { rows: 0, cases: 0, mismatches: 0 });
    t.rows++;
    t.cases += r.cases;
    t.mismatches += r.mismatches;
  }
  return out;
}

function describeOutcome(o: Outcome): string {
  return o.kind === 'signal' ? `killed by ${o.signal}` : 'completed';
}

function flagsText(apsr: number): string {
  const f = (bit: number, ch: string) => (apsr & (1 << bit) ? ch : '-');
  return `${f(31, 'N')}${f(30, 'Z')}${f(29, 'C')}${f(28, 'V')}${f(27, 'Q')} GE=${((apsr >>> 16) & 0xf).toString(2).padStart(4, '0')}`;
}

/** d<i> of a dump as hex (high word first), with its value as a double. */
function dregText(bytes: Uint8Array, i: number): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset + i * 8, 8);
  const hi = v.getUint32(4, true);
  const lo = v.getUint32(0, true);
  return `d${i}=${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')} (${v.getFloat64(0, true)}; s${2 * i + 1}=${v.getFloat32(4, true)} s${2 * i}=${v.getFloat32(0, true)})`;
}

export function formatMismatch(m: Mismatch): string {
  const lines: string[] = [];
  const hexI = hexInsn(m.insn, m.thumb);
  lines.push(`${m.row} [${m.cls}]  ${m.thumb ? 'Thumb ' : ''}${hexI}  ${m.disasm}   [objdump: ${m.objdump}]`);
  for (const p of m.pre) lines.push(`  after: ${p}`);
  for (const p of m.post) lines.push(`  then:  ${p}`);
  const regs = m.input.regs.map((v, i) => `r${i}=${hex(v)}`);
  lines.push(`  input: ${regs.slice(0, 7).join(' ')}`);
  lines.push(`         ${regs.slice(7).join(' ')}  sp=${hex(m.input.sp)}`);
  lines.push(`         APSR=${hex(m.input.apsr)} (${flagsText(m.input.apsr)})  FPSCR=${hex(m.input.fpscr)}`);
  const e = m.expected;
  const g = m.got;
  if (e.kind !== 'output' || g.kind !== 'output') {
    lines.push(`  qemu: ${describeOutcome(e)}   tsqemu: ${describeOutcome(g)}`);
  }
  if (e.kind === 'output' && g.kind === 'output') {
    for (let i = 0; i < 13; i++) {
      if (e.out.regs[i] !== g.out.regs[i]) lines.push(`  r${i}: qemu ${hex(e.out.regs[i]!)}  tsqemu ${hex(g.out.regs[i]!)}`);
    }
    if (e.out.sp !== g.out.sp) lines.push(`  sp: qemu ${hex(e.out.sp)}  tsqemu ${hex(g.out.sp)}`);
    if (e.out.bigEndian) lines.push('  (qemu stored this dump big-endian: the instruction set CPSR.E)');
    if (e.out.apsr !== g.out.apsr) {
      const note = (e.out.apsr & APSR_MASK) === (g.out.apsr & APSR_MASK) ? ' (non-flag bits)' : '';
      lines.push(`  APSR: qemu ${hex(e.out.apsr)} (${flagsText(e.out.apsr)})  tsqemu ${hex(g.out.apsr)} (${flagsText(g.out.apsr)})${note}`);
    }
    if (e.out.fpscr !== g.out.fpscr) lines.push(`  FPSCR: qemu ${hex(e.out.fpscr)}  tsqemu ${hex(g.out.fpscr)}`);
    for (let i = 0; i < 32; i++) {
      const a = e.out.dregs.subarray(i * 8, i * 8 + 8);
      const b = g.out.dregs.subarray(i * 8, i * 8 + 8);
      if (!equalBytes(a, b)) {
        lines.push(`  input  ${dregText(m.input.dregs, i)}`);
        lines.push(`  qemu   ${dregText(e.out.dregs, i)}`);
        lines.push(`  tsqemu ${dregText(g.out.dregs, i)}`);
      }
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
  const per = opts.casesPerRow !== undefined ? `${opts.casesPerRow} cases/row` : `${opts.budget ?? DEFAULT_BUDGET} cases/instruction set`;
  out.push(`oracle: seed ${opts.seed}, ${per}, mode ${opts.mode}, qemu -cpu ${opts.qemuCpu ?? QEMU_CPU}`);
  out.push('row                      class                 cases  agree  signals  MISMATCH');
  for (const r of rep.rows) {
    if (r.skipped) {
      out.push(`${r.name.padEnd(24)} ${r.cls.padEnd(20)} skipped: ${r.skipped}`);
      continue;
    }
    out.push(`${r.name.padEnd(24)} ${r.cls.padEnd(20)} ${String(r.cases).padStart(6)}  ${String(r.agreed).padStart(5)}  ${String(r.signalsAgreed).padStart(7)}  ${r.mismatches ? String(r.mismatches).padStart(8) : ''}`);
  }
  for (const n of harnessNotes) out.push(`harness note: ${n}`);
  for (const [group, t] of Object.entries(countsByGroup(rep.rows))) out.push(`${group}: ${t.rows} rows, ${t.cases} cases, ${t.mismatches} mismatches`);
  out.push(`total: ${rep.totalCases} cases, ${rep.totalMismatches} mismatches in ${rep.rows.filter((r) => r.mismatches).length} rows`);
  for (const r of rep.rows) for (const d of r.details) out.push('', formatMismatch(d));
  return out.join('\n');
}
