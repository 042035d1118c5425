// Every shipped plugin on committed test binaries: its output format and numbers that
// must agree with each other (insn = bb instructions = execlog lines = howvec classes).
// Plus the plugin from README.md's five-minute guide, copied verbatim, so the docs stay true.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, ROOT, tsqemu } from '../src/plugins/testdata/run.js';

const HELLO = 'test-binaries/armel/hello';
const THUMB = 'test-binaries/armhf/hello';
const tmp = mkdtempSync(join(tmpdir(), 'tsqemu-plugins-'));

beforeAll(() => buildBundle(), 120_000);

async function stderrOf(plugin: string, binary = HELLO): Promise<string> {
  const r = await tsqemu(['-plugin', plugin, binary]);
  expect(r.status).toBe(0);
  return r.stderr;
}

function total(text: string, re: RegExp): number {
  const m = re.exec(text);
  expect(m, `${re} in:\n${text.slice(0, 500)}`).not.toBeNull();
  return Number(m![1]);
}

let insns = 0;
beforeAll(async () => {
  insns = total(await stderrOf('insn'), /^total insns: (\d+)$/m);
}, 120_000);

describe('shipped plugins', () => {
  it('empty prints nothing and changes nothing', async () => {
    const r = await tsqemu(['-plugin', 'empty', HELLO]);
    expect(r).toEqual({ stdout: 'Hello, world!\n', stderr: '', status: 0 });
  });

  it('bb: callback and inline agree, with QEMU HEAD format', async () => {
    const cb = await stderrOf('bb');
    const inl = await stderrOf('bb,inline=on');
    expect(cb).toMatch(/^CPU0: bb's: \d+, insns: \d+\nTotal: bb's: \d+, insns: \d+\n$/);
    expect(inl).toBe(cb);
    expect(total(cb, /insns: (\d+)$/m)).toBe(insns);
  });

  it('insn: inline equals callbacks; sizes; match', async () => {
    expect(total(await stderrOf('insn,inline=on'), /^total insns: (\d+)$/m)).toBe(insns);
    const sizes = await stderrOf('insn,sizes=on', THUMB);
    expect(sizes).toMatch(/^len 2 bytes: \d+ insns\nlen 4 bytes: \d+ insns$/m);
    const match = await stderrOf('insn,match=push,trace=on');
    expect(match).toMatch(/^0x[0-9a-f]+, 'push \{[^}]*\}', \d+ hits, cpu 0, \d+ match hits, Δ\+\d+ since last match, \d+ avg insns\/match$/m);
    const hits = total(match, /^Match: push, hits (\d+)$/m);
    expect(hits).toBe(match.split('\n').filter((l) => l.startsWith('0x')).length);
  });

  it('mem: inline and callback agree; track splits loads and stores; print-accesses CSV', async () => {
    const all = total(await stderrOf('mem'), /^mem accesses: (\d+)$/m);
    expect(total(await stderrOf('mem,inline=on'), /^mem accesses: (\d+)$/m)).toBe(all);
    const r = total(await stderrOf('mem,track=r'), /^mem accesses: (\d+)$/m);
    const w = total(await stderrOf('mem,inline=on,track=w'), /^mem accesses: (\d+)$/m);
    expect(r + w).toBe(all);
    const csv = (await stderrOf('mem,print-accesses=on')).split('\n');
    expect(csv[0]).toBe('insn_vaddr,insn_symbol,mem_vaddr,mem_hwaddr,access_size,access_type,mem_value');
    expect(csv.filter((l) => /^0x[0-9a-f]+,[^,]*,0x[0-9a-f]+,0x0,(8|16|32|64),(load|store),0x[0-9a-f]+$/.test(l))).toHaveLength(all);
  });

  it("syscall: QEMU's table and print form, without ARM-private calls", async () => {
    const table = await stderrOf('syscall');
    expect(table).toMatch(/^syscall no\. {2}calls {2}errors\n45 {11}5 {5} 0\n/);
    expect(table).toMatch(/^4 {12}1 {5} 0$/m);
    expect(table).toMatch(/^248 {10}1 {5} 0$/m);
    expect(table).not.toMatch(/^983045/m);
    const print = await stderrOf('syscall,print=on');
    expect(print).toMatch(/^syscall #4\nsyscall #4 returned -> 14\nsyscall #248\n$/m);
    const writes = await stderrOf('syscall,log_writes=on');
    expect(writes).toContain(`48 65 6c 6c 6f 2c 20 77 6f 72 6c 64 21 0a ${' '.repeat(6)} | Hello, world!.`);
  });

  it('hotblocks: header and rows; inline agrees', async () => {
    const cb = await stderrOf('hotblocks,limit=5');
    expect(cb).toMatch(/^collected \d+ entries in the hash table\npc, tcount, icount, ecount\n(0x[0-9a-f]{16}, 1, \d+, \d+\n){5}$/);
    expect(await stderrOf('hotblocks,limit=5,inline=on')).toBe(cb);
  });

  it('hotpages: header and at most 50 rows; reads+writes equal mem accesses', async () => {
    const out = await stderrOf('hotpages,pagesize=65536');
    const rows = out.split('\n').filter((l) => l.startsWith('0x'));
    expect(out.startsWith('Addr, RCPUs, Reads, WCPUs, Writes\n')).toBe(true);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(50);
    for (const row of rows) expect(row).toMatch(/^0x[0-9a-f]{12}0000, 0x000[01], \d+, 0x000[01], \d+$/);
  });

  it('execlog: one line per executed instruction, with accesses and register changes', async () => {
    const lines = (await stderrOf('execlog')).split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(insns);
    expect(lines[0]).toBe('0, 0x1043c, 0xe3a0b000, "mov fp, #0"');
    expect(lines[2]).toMatch(/^0, 0x10444, 0xe49d1004, "pop \{r1\}", load, 0x[0-9a-f]{8}$/);
    const regs = (await stderrOf('execlog,reg=r1')).split('\n');
    expect(regs[2]).toMatch(/^0, 0x10444, 0xe49d1004, "pop \{r1\}", load, 0x[0-9a-f]{8}, r1 -> 0x1$/);
    const thumb = (await stderrOf('execlog,ifilter=push', THUMB)).split('\n').filter((l) => l !== '');
    expect(thumb.length).toBeGreaterThan(0);
    for (const l of thumb) expect(l).toMatch(/^0, 0x[0-9a-f]+, 0x[0-9a-f]{4,8}, "push(\.w)? \{[^}]+\}"(, store, 0x[0-9a-f]{8})+$/);
  });

  it('howvec: classes add up to the instruction count', async () => {
    const out = await stderrOf('howvec,count=Branch');
    const classHits = [...out.matchAll(/^Class: .*\t\((\d+) hits\)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
    expect(classHits).toBe(insns);
    expect(out).toMatch(/^Instr: b\S* .*\t\(\d+ hits\)\t\(op=0x[0-9a-f]{8}\/Branch\)$/m);
    expect(await stderrOf('howvec,inline=on,count=Branch')).toBe(out);
  });

  it('drcov: a drcov v2 file with executed blocks of the program', async () => {
    const file = join(tmp, 'out.drcov');
    await stderrOf(`drcov,filename=${file}`);
    const data = readFileSync(file);
    const text = data.toString('latin1');
    const header = /^DRCOV VERSION: 2\nDRCOV FLAVOR: drcov-64\nModule Table: version 2, count 1\nColumns: id, base, end, entry, path\n0, 0x10000, 0x([0-9a-f]+), 0x1043c, test-binaries\/armel\/hello\nBB Table: (\d+) bbs\n/.exec(text);
    expect(header).not.toBeNull();
    const n = Number(header![2]);
    const records = data.subarray(header![0].length);
    expect(records.length).toBe(n * 8);
    for (let i = 0; i < n; i++) {
      expect(records.readUInt32LE(i * 8)).toBeLessThan(parseInt(header![1]!, 16) - 0x10000);
      expect(records.readUInt16LE(i * 8 + 4)).toBeGreaterThan(0);
      expect(records.readUInt16LE(i * 8 + 6)).toBe(0);
    }
  });

  it('stoptrigger: stops after N instructions or at an address, with the exit code', async () => {
    const r = await tsqemu(['-plugin', 'stoptrigger,icount=1000:3', HELLO]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^icount reached at 0x[0-9a-f]+, exiting\n$/);
    const nth = (await stderrOf('execlog')).split('\n')[999]!;
    expect(r.stderr).toContain(nth.split(', ')[1]!);
    const a = await tsqemu(['-plugin', 'stoptrigger,addr=0x10444:7', HELLO]);
    expect(a).toMatchObject({ status: 7, stderr: '0x10444 reached, exiting\n' });
  });
});

describe('bbv, cflow, callgraph and -plugin help', () => {
  it('bbv: one vector per full interval, each summing to at least the interval', async () => {
    const prefix = join(tmp, 'vectors');
    await stderrOf(`bbv,interval=2000,outfile=${prefix}`);
    const lines = readFileSync(`${prefix}.0.bb`, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    let sum = 0;
    for (const line of lines) {
      expect(line).toMatch(/^T(:\d+:\d+ )+$/);
      const n = [...line.matchAll(/:(\d+):(\d+) /g)].reduce((s, m) => s + Number(m[2]), 0);
      // a vector ends at the block that reaches the interval
      expect(n).toBeGreaterThanOrEqual(2000);
      expect(n).toBeLessThan(2000 + 256);
      sum += n;
    }
    expect(insns - sum).toBeGreaterThanOrEqual(0);
    expect(insns - sum).toBeLessThan(2000);
    expect(lines[0]).toMatch(/^T:1:\d+ /);
  });

  it('cflow: every block execution but the last leaves through one node', async () => {
    const bbs = total(await stderrOf('bb'), /^Total: bb's: (\d+)/m);
    const nodes = (await stderrOf('cflow,limit=0,format=json')).trim().split('\n').map((l) => JSON.parse(l) as { branches: number; earlyExits: number; dests: { count: number }[] });
    expect(nodes.reduce((s, n) => s + n.branches + n.earlyExits, 0)).toBe(bbs - 1);
    const text = await stderrOf('cflow,sort=hottest');
    expect(text).toMatch(/^\d+ control flow nodes in the hash table\n {2}addr: 0x[0-9a-f]+ \S*: .+ \((branch|sync fault)\)\n {4}early exits \d+\n {4}branches \d+\n( {6}to 0x[0-9a-f]+ \(\d+\)\n)+/);
    expect(text.match(/^ {2}addr:/gm)).toHaveLength(10);
  });

  it('mem: a VFP doubleword transfer is one 8-byte access, its value 16 hex digits', async () => {
    // one run: CSV with callback counting, JSON with inline counting
    const json = join(tmp, 'mem.json');
    const r = await tsqemu(['-plugin', 'mem,print-accesses=on', '-plugin', `./plugins/mem.mjs,inline=on,print-accesses=on,format=json,outfile=${json}`, 'test-binaries/armhf/arith64']);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('0x'));
    const doublewords = lines.filter((l) => l.split(',')[4] === '64');
    expect(doublewords.length).toBeGreaterThan(0);
    for (const l of doublewords) expect(l).toMatch(/,64,(load|store),0x[0-9a-f]{16}$/);
    const records = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { size?: number; value?: unknown; accesses?: number });
    const wide = records.filter((x) => x.size === 8);
    expect(wide).toHaveLength(doublewords.length);
    for (const x of wide) expect(x.value).toMatch(/^0x[0-9a-f]+$/);
    expect(total(r.stderr, /^mem accesses: (\d+)$/m)).toBe(lines.length);
    expect(records.at(-1)).toEqual({ accesses: lines.length });
  });

  it('callgraph: folded stacks whose counts add up to every instruction', async () => {
    const lines = (await stderrOf('callgraph')).trim().split('\n');
    const counts = lines.map((l) => /^(\S+) (\d+)$/.exec(l)).map((m) => Number(m![2]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(insns);
    expect(lines.filter((l) => /^_start;__libc_start_main;(\S+;)?main[; ]/.test(l)).length).toBeGreaterThan(1);
  });

  it('-plugin help lists every shipped plugin', async () => {
    const r = await tsqemu(['-plugin', 'help']);
    expect(r.status).toBe(0);
    const shipped = readdirSync(join(ROOT, 'plugins')).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));
    for (const name of shipped) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });
});

describe("README's five-minute plugin", () => {
  it('works as written', async () => {
    const readme = readFileSync(join(ROOT, 'plugins', 'README.md'), 'utf8');
    const code = /Save this as `count-main\.mjs`:\n\n```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const file = join(tmp, 'count-main.mjs');
    writeFileSync(file, code);
    const r = await tsqemu(['-plugin', file, HELLO]);
    expect(r.status).toBe(0);
    const inMain = total(r.stderr, /^instructions in main: (\d+)$/m);
    expect(inMain).toBeGreaterThan(0);
    expect(inMain).toBeLessThan(insns);
  });

  it('its type import and the TypeScript one resolve under NodeNext, as do the shipped plugins\'', () => {
    // tsc as a plugin author runs it: strict, NodeNext, in a project next to tsqemu
    const tsc = (cwd: string, extra: string[], files: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--ignoreConfig', '--noEmit', '--allowJs', '--checkJs', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--skipLibCheck', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), ...extra, ...files], { cwd, encoding: 'utf8' });
    const readme = readFileSync(join(ROOT, 'plugins', 'README.md'), 'utf8');
    const code = /Save this as `count-main\.mjs`:\n\n```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const tsImport = /TypeScript: `(import type \{ Install \} from '[^']+')`/.exec(readme)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'tsqemu-plugin-types-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'tsqemu'), 'dir'); // tsqemu installed as a package
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'count-main.mjs'), code);
    // the path form, relative to the plugin
    writeFileSync(join(dir, 'by-path.mjs'), code.replace('tsqemu/plugins/api.js', `${relative(dir, ROOT)}/plugins/api.js`));
    writeFileSync(join(dir, 'count-main.ts'), `${tsImport};\nexport const install: Install = (register) => {\n  const api = register({ apiVersion: 2, name: 'ts', license: 'MIT' });\n  api.onTbTrans((tb) => { const t: boolean = tb.insns[0]!.thumb; void t; });\n};\n`);
    // a type error shows that the types were found (an unresolved import would make them any)
    writeFileSync(join(dir, 'typo.mjs'), code.replace('api.newCounter()', 'api.newCountr()'));
    const ok = tsc(dir, ['--strict'], ['count-main.mjs', 'by-path.mjs', 'count-main.ts']);
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(tsc(dir, ['--strict'], ['typo.mjs']).stdout).toMatch(/typo\.mjs\(\d+,\d+\): error TS2551: Property 'newCountr' does not exist on type 'PluginApi'/);
    // the shipped plugins' JSDoc imports resolve from outside plugins/tsconfig.json too (typecheck.test.ts checks them strictly)
    const shipped = readdirSync(join(ROOT, 'plugins')).filter((f) => f.endsWith('.mjs')).map((f) => join(ROOT, 'plugins', f));
    const lib = readdirSync(join(ROOT, 'plugins', 'lib')).map((f) => join(ROOT, 'plugins', 'lib', f));
    expect(tsc(ROOT, ['--strict', 'false'], [...shipped, ...lib, join(ROOT, 'src', 'plugins', 'testdata', 'facts.mjs')]).stdout).not.toMatch(/error TS(2307|2834|2835):/); // cannot find module, needs an extension
  }, 120_000);
});
