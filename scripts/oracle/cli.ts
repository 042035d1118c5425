// Command line for the oracle (bundled and started by scripts/oracle/run.mjs):
//   node scripts/oracle/run.mjs [--seed N] [--cases N | --budget N] [--undecoded-cap N] [--isa A32,T16,T32,VFP] [--class RE] [--rows RE]
//                               [--mode direct|program] [--unpredictable] [--details N]
//                               [--qemu-cpu NAME] [--cpu NAME] [--json FILE]
import { writeFileSync } from 'node:fs';
import { formatReport, runOracle, type OracleOptions } from './oracle.js';
import { cleanupTemp, qemuAvailable } from './qemu.js';
import { parseGroups } from './cli-options.js';

function parse(argv: string[]): OracleOptions & { json?: string } {
  const opts: OracleOptions & { json?: string } = { seed: Date.now() % 1_000_000, mode: 'direct' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--seed': opts.seed = Number(val()); break;
      case '--cases': opts.casesPerRow = Number(val()); break;
      case '--budget': opts.budget = Number(val()); break;
      case '--undecoded-cap': opts.undecodedCap = Number(val()); break;
      case '--isa': opts.groups = parseGroups(val()); break;
      case '--class': opts.cls = new RegExp(val()); break;
      case '--rows': opts.name = new RegExp(val()); break;
      case '--mode': {
        const m = val();
        if (m !== 'direct' && m !== 'program') throw new Error('--mode is direct or program');
        opts.mode = m;
        break;
      }
      case '--unpredictable': opts.allowUnpredictable = true; break;
      case '--details': opts.detailsPerRow = Number(val()); break;
      case '--qemu-cpu': opts.qemuCpu = val(); break;
      case '--cpu': opts.tsqemuCpu = val(); break;
      case '--json': opts.json = val(); break;
      case '-h': case '--help':
        console.log('usage: node scripts/oracle/run.mjs [--seed N] [--cases N | --budget N] [--undecoded-cap N] [--isa A32,T16,T32,VFP] [--class RE] [--rows RE] [--mode direct|program] [--unpredictable] [--details N] [--qemu-cpu NAME] [--cpu NAME] [--json FILE]');
        process.exit(0);
      // falls through (process.exit never returns)
      default: throw new Error(`unknown option ${a}`);
    }
  }
  return opts;
}

function main(): void {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`oracle: ${(e as Error).message}`);
    process.exit(2);
  }
  if (!qemuAvailable()) {
    console.error('oracle: qemu-arm is not on PATH');
    process.exit(2);
  }
  const t0 = Date.now();
  const rep = runOracle(opts, (r) => {
    if (!r.skipped) process.stderr.write(`${r.name}: ${r.cases} cases, ${r.mismatches} mismatches\n`);
  });
  cleanupTemp();
  console.log(formatReport(rep, opts));
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s; rerun with --seed ${opts.seed})`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify(rep, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2));
  process.exit(rep.totalMismatches ? 1 : 0);
}

main();
