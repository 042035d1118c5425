// Differential test of every A32 table row against qemu-arm (see scripts/oracle/README.md).
// Bounded by default (ORACLE_CASES cases per row, fixed seed); skipped with a printed
// reason when qemu-arm is not installed. Environment:
//   ORACLE_CASES=N   cases per row (default 200)     ORACLE_SEED=N|random  (default 1)
//   ORACLE_CLASS=RE  ORACLE_ROWS=RE  row filters     ORACLE_MODE=direct|program
//   ORACLE_UNPREDICTABLE=1  also generate encodings the architecture calls UNPREDICTABLE
import { afterAll, describe, expect, test } from 'vitest';
import { formatMismatch, formatReport, runRow, type OracleOptions, type RowReport } from './oracle.js';
import { cleanupTemp, qemuAvailable } from './qemu.js';
import { selectRows, skipReason } from './random-a32.js';

const env = process.env;
const haveQemu = qemuAvailable();
if (!haveQemu) console.log('a32-oracle: skipped, qemu-arm is not on PATH (apt-get install qemu-user)');

const seed = env['ORACLE_SEED'] === 'random' ? Date.now() % 1_000_000 : Number(env['ORACLE_SEED'] ?? 1);
const opts: OracleOptions = {
  seed,
  casesPerRow: Number(env['ORACLE_CASES'] ?? 200),
  mode: env['ORACLE_MODE'] === 'program' ? 'program' : 'direct',
  allowUnpredictable: env['ORACLE_UNPREDICTABLE'] === '1',
  detailsPerRow: 3,
  ...(env['ORACLE_CLASS'] ? { cls: new RegExp(env['ORACLE_CLASS']) } : {}),
  ...(env['ORACLE_ROWS'] ? { name: new RegExp(env['ORACLE_ROWS']) } : {}),
};

const rows = selectRows({ ...(opts.cls ? { cls: opts.cls } : {}), ...(opts.name ? { name: opts.name } : {}) });
const reports: RowReport[] = [];

describe.skipIf(!haveQemu)(`A32 rows vs qemu-arm (seed ${seed}, ${opts.casesPerRow} cases/row, ${opts.mode})`, () => {
  afterAll(() => {
    cleanupTemp();
    if (reports.length) {
      const totalCases = reports.reduce((n, r) => n + r.cases, 0);
      const totalMismatches = reports.reduce((n, r) => n + r.mismatches, 0);
      console.log(formatReport({ rows: reports, totalCases, totalMismatches }, opts));
    }
  });

  test('the table has rows to test', () => {
    if (rows.length === 0) console.log('a32-oracle: no A32 rows match the filters yet');
  });

  for (const r of rows) {
    const skip = skipReason(r);
    test.skipIf(skip !== undefined)(`${r.cls} ${r.row.name}${skip ? ` (${skip})` : ''}`, () => {
      const rep = runRow(r, opts);
      reports.push(rep);
      expect(rep.skipped, `${r.row.name}: ${rep.skipped}`).toBeUndefined();
      const details = rep.details.map(formatMismatch).join('\n\n');
      expect(rep.mismatches, `${rep.mismatches}/${rep.cases} cases differ from qemu-arm (seed ${seed}):\n${details}`).toBe(0);
    });
  }
});
