// Differential test of every A32, T16, T32 and VFP table row against qemu-arm (see
// scripts/oracle/README.md). Bounded by default (ORACLE_CASES cases per row, fixed seed);
// skipped with a printed reason when qemu-arm is not installed. Environment:
//   ORACLE_BUDGET=N  cases per instruction set (A32, T16, T32, VFP), shared out over its
//                    rows (default 12000; UNDECODED rows at most 60 unless ORACLE_CASES)
//   ORACLE_CASES=N   cases per row instead            ORACLE_SEED=N|random  (default 1)
//   ORACLE_ISA=A32,T16,T32,VFP   instruction sets    ORACLE_MODE=direct|program
//   ORACLE_CLASS=RE  ORACLE_ROWS=RE  row filters
//   ORACLE_UNPREDICTABLE=1  also generate encodings the architecture calls UNPREDICTABLE
import { afterAll, describe, expect, test } from 'vitest';
import { casesFor, formatMismatch, formatReport, runRow, type OracleOptions, type RowReport } from './oracle.js';
import { cleanupTemp, qemuAvailable } from './qemu.js';
import { isaGroup, selectRows, skipReason } from './rows.js';
import { parseGroups } from './cli-options.js';

const env = process.env;
const haveQemu = qemuAvailable();
if (!haveQemu) console.log('oracle: skipped, qemu-arm is not on PATH (apt-get install qemu-user)');

const seed = env['ORACLE_SEED'] === 'random' ? Date.now() % 1_000_000 : Number(env['ORACLE_SEED'] ?? 1);
const opts: OracleOptions = {
  seed,
  ...(env['ORACLE_CASES'] ? { casesPerRow: Number(env['ORACLE_CASES']) } : { undecodedCap: 60 }),
  budget: Number(env['ORACLE_BUDGET'] ?? 12000),
  mode: env['ORACLE_MODE'] === 'program' ? 'program' : 'direct',
  allowUnpredictable: env['ORACLE_UNPREDICTABLE'] === '1',
  detailsPerRow: 3,
  ...(env['ORACLE_ISA'] ? { groups: parseGroups(env['ORACLE_ISA']) } : {}),
  ...(env['ORACLE_CLASS'] ? { cls: new RegExp(env['ORACLE_CLASS']) } : {}),
  ...(env['ORACLE_ROWS'] ? { name: new RegExp(env['ORACLE_ROWS']) } : {}),
};

const rows = selectRows({ ...(opts.cls ? { cls: opts.cls } : {}), ...(opts.name ? { name: opts.name } : {}), ...(opts.groups ? { groups: opts.groups } : {}) });
const reports: RowReport[] = [];

describe.skipIf(!haveQemu)(`table rows vs qemu-arm (seed ${seed}, ${opts.mode})`, () => {
  afterAll(() => {
    cleanupTemp();
    if (reports.length) {
      const totalCases = reports.reduce((n, r) => n + r.cases, 0);
      const totalMismatches = reports.reduce((n, r) => n + r.mismatches, 0);
      console.log(formatReport({ rows: reports, totalCases, totalMismatches }, opts));
    }
  });

  test('the filters select rows', () => {
    expect(rows.length, 'no row matches ORACLE_ISA / ORACLE_CLASS / ORACLE_ROWS').toBeGreaterThan(0);
  });

  for (const r of rows) {
    const skip = skipReason(r);
    test.skipIf(skip !== undefined)(`${isaGroup(r)} ${r.cls} ${r.row.name}${skip ? ` (${skip})` : ` x${casesFor(r, opts)}`}`, () => {
      const rep = runRow(r, opts);
      reports.push(rep);
      expect(rep.skipped, `${r.row.name}: ${rep.skipped}`).toBeUndefined();
      const details = rep.details.map(formatMismatch).join('\n\n');
      expect(rep.mismatches, `${rep.mismatches}/${rep.cases} cases differ from qemu-arm (seed ${seed}):\n${details}`).toBe(0);
    }, 120_000);
  }
});
