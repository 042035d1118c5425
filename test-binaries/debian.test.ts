// Debian's own dynamically linked armhf programs (coreutils, sed, grep, gawk, bc, sqlite3,
// jq, bzip2, xz, lua5.4, python3.11, dash), from the sysroot `scripts/make-sysroot.sh
// --programs` builds, run under qemu-arm and tsqemu-arm with -L: same stdout, stderr and
// exit status. Skipped, with the reason printed, when the sysroot lacks the programs or
// qemu-arm is missing.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(TB, '..');
const BUNDLE = join(ROOT, 'dist', 'tsqemu-arm.js');
const SYSROOT = process.env.TSQEMU_SYSROOT ?? join(ROOT, '.cache', 'sysroot-armhf', 'root');
const QEMU = process.env.QEMU_ARM ?? 'qemu-arm';

const dir = mkdtempSync(join(tmpdir(), 'tsqemu-debian-'));
const bcScript = join(dir, 'calc.bc');
writeFileSync(bcScript, '2^100\nscale=20\n4*a(1)\nquit\n');
const hello = join(TB, 'src', 'hello.c');

/** Deterministic, compressible text (~250 KB) for the compressors. */
const TEXT = (() => {
  const lines: string[] = [];
  let x = 12345;
  for (let i = 0; i < 6000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    lines.push(`${i} ${x % 997} the quick brown fox ${'jumps over '.repeat(x % 4)}the lazy dog`);
  }
  return lines.join('\n') + '\n';
})();
const TEXT_SHA256 = createHash('sha256').update(TEXT).digest('hex');

const DEFAULT_STDIN = 'banana\napple\ncherry\n42\nbanana split\n';

/** [name, program in the sysroot, arguments]; stdin is five short lines. */
const CASES: [string, string, string[]][] = [
  ['ls', '/bin/ls', [join(TB, 'src')]],
  ['ls -la', '/bin/ls', ['-la', hello]],
  ['sort -r', '/usr/bin/sort', ['-r']],
  ['sha256sum', '/usr/bin/sha256sum', [hello]],
  ['date -u -d @0', '/bin/date', ['-u', '-d', '@0']],
  ['factor', '/usr/bin/factor', ['1234567', '600851475143']],
  ['seq', '/usr/bin/seq', ['1', '3', '20']],
  ['wc', '/usr/bin/wc', []],
  ['sed', '/bin/sed', ['-e', 's/an/AN/g;2d']],
  ['grep', '/bin/grep', ['-n', 'an']],
  ['grep (no match: status 1)', '/bin/grep', ['zebra']],
  ['gawk', '/usr/bin/gawk', ['{ n += length($0) } END { printf "%d %d %.6f\\n", n, NR, sqrt(2) }']],
  ['bc', '/usr/bin/bc', ['-l', bcScript]],
  ['cat of a missing file (status 1)', '/bin/cat', [join(dir, 'missing')]],
];

const SQL = `create table emp(id integer primary key, name text not null, dept text, salary real);
insert into emp(name, dept, salary) values ('ann','eng',120.5),('bob','eng',100),('cy','ops',90),('di','ops',95.25),('ed','hr',70);
create index emp_dept on emp(dept);
select dept, count(*), round(avg(salary), 2), group_concat(name, '+') from emp group by dept order by 3 desc;
with recursive f(n, v) as (select 1, 1 union all select n + 1, v * (n + 1) from f where n < 20) select n, v from f where n % 5 = 0;
select name, rank() over (partition by dept order by salary desc) as r from emp order by dept, r;
update emp set salary = salary * 1.1 where dept = 'ops';
delete from emp where name = 'ed';
select json_object('n', count(*), 'total', printf('%.2f', sum(salary))) from emp;
select printf('%08.3f|%-5s|%x', 3.14159, 'ab', 255), hex('AZ'), substr('hello world', 7), instr('banana', 'nan'), 7 / 2, 7 / 2.0, 1e300 * 1e10, typeof(1 / 0);
select * from emp e join emp f on e.dept = f.dept and e.id < f.id;`;

const JSON_INPUT = `{"store": "north", "items": [{"name": "apple", "n": 3, "price": 0.5}, {"name": "pear", "n": 0, "price": 0.75}, {"name": "fig", "n": 12, "price": 1.25, "tags": ["dried", "sweet"]}], "open": true, "since": 1999}
{"store": "south", "items": [], "open": false, "since": null}
`;

const LUA = `local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local primes, sieve = {}, {}
for i = 2, 2000 do if not sieve[i] then primes[#primes + 1] = i; for j = i * i, 2000, i do sieve[j] = true end end end
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w end
table.sort(words, function(a, b) return #a > #b or (#a == #b and a < b) end)
local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
print(fib(24), #primes, primes[#primes], table.concat(words, " "))
print(co(), co(), co(), 7 // 2, 7 / 2, 7 % -3, 2^53, math.maxinteger, math.mininteger // -1, 1 << 62)
print(string.format("%.10f %g %5.2e %x %q", math.pi, 1e20, 12345.678, 48879, "a\\nb"), math.type(1), math.type(1.0), 0.1 + 0.2 == 0.3)
print(utf8.char(72, 228, 8364), #utf8.char(8364), string.rep("ab", 3, "-"), ("x=%d"):format(42), tostring(nil), select("#", 1, nil, 3))
print(select(2, pcall(error, "boom", 0)), os.time{year=2000, month=1, day=1, hour=0}, os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
local t = setmetatable({}, {__index = function(_, k) return k * 2 end}); print(t[21], rawget(t, 21), #arg)`;

const luaFile = join(dir, 'lua.txt');
const LUA_IO = `local p = io.popen("echo hi; exit 3"); print(p:read("a"), p:close()); print(os.execute("exit 5"))
local f = assert(io.open("${luaFile}", "w")); f:write("x", 1, "\\n", 2.5); f:close()
for l in io.lines("${luaFile}") do print(l) end
print(os.remove("${luaFile}"), os.remove("${luaFile}"))
print(os.getenv("TZ"), os.clock() < 100, math.type(os.time()), io.write("w\\n") == io.stdout)`;

// -B: no __pycache__ written into the sysroot, so every run compiles the modules from source.
const PYTHON = `import json, re, collections, sys
doc = json.loads('{"text": "the cat and the hat and the bat sat", "n": [3, 1, 4, 1, 5, 9, 2, 6]}')
words = re.findall(r"\\b(\\w)(at|he|nd)\\b", doc["text"])
counts = collections.Counter(w[0] + w[1] for w in words)
od = collections.OrderedDict(sorted(counts.items()))
dq = collections.deque(doc["n"], maxlen=5); dq.rotate(2)
Point = collections.namedtuple("Point", "x y")
print(json.dumps({"counts": od, "deque": list(dq), "point": Point(3, 4)._asdict(), "sorted": sorted(doc["n"])}, sort_keys=True))
print(re.sub(r"(\\w+) (\\w+)", r"\\2 \\1", "hello world again"), re.split(r"[,;]\\s*", "a, b;c"), bool(re.fullmatch(r"[0-9a-f]+", "c0ffee")))
print(sum(i * i for i in range(10000)), 2 ** 100, 10 / 3, divmod(-7, 2), round(2.675, 2), f"{3.14159:08.3f}", hash("x") == hash("x"))
print(sys.version_info[:2], sys.byteorder, sys.maxsize, len(sys.argv))
try:
    json.loads("{bad")
except json.JSONDecodeError as e:
    print("JSONDecodeError:", e.msg, e.pos)`;

/** One run of a program: stdin, extra environment, working directory, timeout (ms). */
interface RunOptions {
  stdin?: string;
  env?: Record<string, string>;
  cwd?: string;
  timeout?: number;
}

interface Result {
  stdout: string;
  stderr: string;
  status: number | null;
}

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const NEEDED = ['/usr/bin/gawk', '/usr/bin/sqlite3', '/usr/bin/jq', '/bin/bzip2', '/usr/bin/xz', '/usr/bin/lua5.4', '/usr/bin/python3.11', '/usr/lib/python3.11/json/__init__.py', '/bin/dash'];

function skipReason(): string | undefined {
  const missing = NEEDED.filter((p) => !existsSync(join(SYSROOT, p)));
  if (missing.length) return `no ${missing.join(', ')} in ${SYSROOT} (run scripts/make-sysroot.sh --programs)`;
  if (!hasCommand(QEMU)) return `${QEMU} not installed (apt-get install qemu-user)`;
  return undefined;
}

function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env = { LC_ALL: 'C', TZ: 'UTC', ...opts.env };
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeout ?? 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status: code }));
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(Buffer.from(opts.stdin ?? DEFAULT_STDIN, 'latin1'));
  });
}

/** `program` (a path in the sysroot) under qemu-arm, then under tsqemu-arm. */
async function both(program: string, args: readonly string[], opts: RunOptions = {}): Promise<{ expected: Result; got: Result }> {
  const path = join(SYSROOT, program);
  const expected = await run(QEMU, ['-L', SYSROOT, path, ...args], opts);
  const got = await run(process.execPath, [BUNDLE, '-L', SYSROOT, path, ...args], opts);
  return { expected, got };
}

/** [name, program, arguments, options]: one program, compared with qemu-arm. */
const MORE: [string, string, string[], RunOptions][] = [
  ['sqlite3 :memory: sum, group_concat', '/usr/bin/sqlite3', [':memory:', 'create table t(a); insert into t values (1),(2),(3); select sum(a), group_concat(a) from t;'], {}],
  ['sqlite3 :memory: joins, window, CTE, json, printf', '/usr/bin/sqlite3', ['-header', '-column', ':memory:', SQL], {}],
  ['sqlite3 SQL from stdin', '/usr/bin/sqlite3', [], { stdin: 'create table t(x, y);\ninsert into t values (1, 2.5), (3, null), (4, \'s\');\n.mode csv\nselect x * 2, y, typeof(y) from t order by x desc;\n' }],
  ['sqlite3 error (status 1)', '/usr/bin/sqlite3', [':memory:', 'select * from missing;'], {}],
  ['jq -c object construction', '/usr/bin/jq', ['-c', '{store, count: (.items | length), total: ([.items[] | .n * .price] | add), names: [.items[] | select(.n > 0) | .name | ascii_upcase]}'], { stdin: JSON_INPUT }],
  ['jq -r sort_by, string interpolation', '/usr/bin/jq', ['-r', '.items | sort_by(-.n)[] | "\\(.name)\\t\\(.n)\\t\\(.price * 100 | floor)\\t\\(.tags // [] | join(","))"'], { stdin: JSON_INPUT }],
  ['jq -s arithmetic, builtins', '/usr/bin/jq', ['-s', '-c', 'map(.since) | [., (map(select(. != null)) | add), (1e3 / 7), (range(0; 10; 3)), ([limit(5; repeat(2))] | length), ("a,b,c" | split(",")), ({"x": 1} | to_entries), (10 % 3), ("tsqemu" | @base64), (now | type), ([3,1,2] | sort | reverse), (input_line_number)]'], { stdin: JSON_INPUT }],
  ['jq regex and a runtime error (status 5)', '/usr/bin/jq', ['.items[0].name | test("^ap")'], { stdin: JSON_INPUT }],
  ['jq syntax error (status 3)', '/usr/bin/jq', ['.bad syntax'], { stdin: JSON_INPUT }],
  ['jq truncated input (status 2)', '/usr/bin/jq', ['.a'], { stdin: '{"a": 1,\n' }],
  ['lua5.4 -e', '/usr/bin/lua5.4', ['-e', LUA], {}],
  ['lua5.4 io.popen, os.execute, files', '/usr/bin/lua5.4', ['-e', LUA_IO], {}],
  ['lua5.4 -e error (status 1)', '/usr/bin/lua5.4', ['-e', 'local t = {} ; t.x.y = 1'], {}],
  // ~300 million guest instructions, nearly all compiling json, re, collections and what they
  // import from source: ~30 s of CPU under tsqemu-arm, far more on a loaded machine.
  ['python3.11 json, re, collections', '/usr/bin/python3.11', ['-B', '-c', PYTHON], { timeout: 300_000 }],
];

/** A step of a session in a fresh work directory holding in.txt (TEXT): a program of the
 * sysroot with arguments and stdin, or something the test does to the files. */
type Step = [program: string, args: string[], stdin?: string] | ((work: string) => void);

const moveAside = (work: string): void => renameSync(join(work, 'in.txt'), join(work, 'orig.txt'));
const restored = (work: string): void => expect(readFileSync(join(work, 'in.txt'), 'latin1')).toBe(TEXT);

const SQL_FILE = `pragma journal_mode=wal;
create table t(k integer primary key, v text, n real);
begin;
insert into t(v, n) select 'v' || value, value / 7.0 from generate_series(1, 3000);
commit;
create index t_v on t(v);
select count(*), min(v), max(v), round(sum(n), 3) from t where v like 'v1%';
pragma integrity_check;
.output dump.sql
.dump t
.output stdout
.print done
`;

/** Sessions of several programs on the same files, each step compared with qemu-arm's. */
const SESSIONS: [string, Step[]][] = [
  [
    'bzip2 round trip (compress -k, test, decompress, hashes)',
    [['/bin/bzip2', ['-9', '-k', '-v', 'in.txt']], ['/usr/bin/sha256sum', ['in.txt.bz2']], ['/bin/bzip2', ['-t', '-v', 'in.txt.bz2']], moveAside, ['/bin/bzip2', ['-d', '-v', 'in.txt.bz2']], ['/bin/ls', []], ['/usr/bin/sha256sum', ['in.txt', 'orig.txt']], restored],
  ],
  [
    'xz round trip (compress -k, list, decompress, hashes)',
    [['/usr/bin/xz', ['-6', '-k', '-T1', 'in.txt']], ['/usr/bin/sha256sum', ['in.txt.xz']], ['/usr/bin/xz', ['-l', 'in.txt.xz']], moveAside, ['/usr/bin/xz', ['-d', 'in.txt.xz']], ['/bin/ls', []], ['/usr/bin/sha256sum', ['in.txt', 'orig.txt']], restored],
  ],
  [
    'sqlite3 database file (WAL, transactions, .dump, vacuum)',
    [
      ['/usr/bin/sqlite3', ['db.sqlite'], SQL_FILE],
      ['/usr/bin/sqlite3', ['db.sqlite', 'pragma journal_mode=delete; begin; update t set n = -n where k % 3 = 0; delete from t where k > 2500; commit; vacuum; select count(*), round(sum(n), 3) from t; pragma page_count;']],
      ['/bin/ls', []],
      ['/usr/bin/sha256sum', ['db.sqlite', 'dump.sql']],
    ],
  ],
];

/** dash scripts; their children come from PATH, so under qemu-arm (whose execve runs the
 * host's programs) and tsqemu-arm (which runs the sysroot's ARM programs under emulation
 * when the path exists there) the same commands answer. */
const SH_PATH = { PATH: '/usr/bin:/bin' };
const SH_SCRIPTS: string[] = [
  'seq 1 100 | sort -r | head -3',
  'x=$(echo sub); echo "[$x]"; echo $(seq 3 | wc -l); echo "$(printf "abc\\n" | /bin/sed s/a/b/)"; echo ${#x} $((6 * 7))',
  'for i in 1 2 3; do echo $i | /bin/sed s/^/n/; done; false; echo "status $?"; (exit 5); echo $?; /bin/sh -c "exit 7"; echo $?',
  'nosuchcmd; echo "not found: $?"; /bin/ls /nonexistent; echo "ls: $?"; trap "echo trapped" EXIT; exit 3',
  'i=0; while [ $i -lt 30 ]; do i=$((i+1)); echo $i; done | tr 0-9 a-j | sort | md5sum; cd /; pwd; case abc in a*) echo glob;; esac',
  '{ (echo bg1) & (seq 2 3) & wait; echo "waited $?"; } | sort; sleep 5 & kill $!; wait $!; echo "killed $?"',
  'cat > here.txt <<EOF\none $((1+1))\ntwo\nEOF\nwhile read a b; do echo "<$a|$b>"; done < here.txt; echo extra >> here.txt; wc -l < here.txt; exec 3> fd3.txt; echo fd3 >&3; exec 3>&-; cat fd3.txt; rm here.txt fd3.txt; ls',
  'set -e; f() { return 4; }; f || echo "f $?"; echo $(( $(seq 1 10 | tr "\\n" +)0 )); set -- a "b c" d; echo $#; for a in "$@"; do echo "[$a]"; done; false; echo unreachable',
];

const reason = skipReason();
if (reason !== undefined) console.log(`skipping Debian programs: ${reason}`);

describe.skipIf(reason !== undefined)('Debian armhf programs under -L sysroot (compared with qemu-arm)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.concurrent.each(CASES)('%s', async (_name, program, args) => {
    const { expected, got } = await both(program, args);
    // Error messages name the program by its host path; both runs use the same one.
    expect(got).toEqual(expected);
  });

  it.concurrent.each(MORE)('%s', async (_name, program, args, opts) => {
    const { expected, got } = await both(program, args, opts);
    expect(got).toEqual(expected);
  }, 320_000);

  it.concurrent.each(SH_SCRIPTS)('dash -c %s', async (script) => {
    // each script in its own empty directory (some write files there)
    const work = mkdtempSync(join(dir, 'sh-'));
    const { expected, got } = await both('/bin/dash', ['-c', script], { env: SH_PATH, cwd: work });
    expect(got).toEqual(expected);
  }, 120_000);

  it.concurrent.each(SESSIONS)('%s', async (_name, steps) => {
    const work = join(dir, `session-${_name.replace(/\W+/g, '-')}`);
    const results: Result[][] = [];
    for (const emulator of ['qemu-arm', 'tsqemu-arm']) {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work);
      writeFileSync(join(work, 'in.txt'), TEXT);
      const out: Result[] = [];
      for (const step of steps) {
        if (typeof step === 'function') {
          step(work);
          continue;
        }
        const [program, args, stdin] = step;
        const path = join(SYSROOT, program);
        const opts: RunOptions = { cwd: work, stdin: stdin ?? '' };
        out.push(emulator === 'qemu-arm' ? await run(QEMU, ['-L', SYSROOT, path, ...args], opts) : await run(process.execPath, [BUNDLE, '-L', SYSROOT, path, ...args], opts));
      }
      results.push(out);
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.map((r) => r.status)).toEqual(results[0]!.map(() => 0));
  }, 200_000);

  // Pipelines of the sysroot's compressors under dash: every stage a fork + exec of an ARM
  // program. qemu-arm's execve would run the host's bzip2 and xz (if any), so the answer is
  // checked against the input's own hash instead.
  it.concurrent('dash pipelines through bzip2 and xz (compress | decompress | sha256sum)', async () => {
    const work = join(dir, 'pipes');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'in.txt'), TEXT);
    const script = '/bin/bzip2 -c < in.txt | /bin/bzip2 -dc | /usr/bin/sha256sum; echo "${?}"; /usr/bin/xz -T1 -c in.txt | /usr/bin/xz -dc | /usr/bin/sha256sum; /usr/bin/xz -dc < in.txt; echo "xz status $?"';
    const got = await run(process.execPath, [BUNDLE, '-L', SYSROOT, join(SYSROOT, '/bin/dash'), '-c', script], { cwd: work, env: SH_PATH });
    expect(got).toEqual({ stdout: `${TEXT_SHA256}  -\n0\n${TEXT_SHA256}  -\nxz status 1\n`, stderr: '/usr/bin/xz: (stdin): File format not recognized\n', status: 0 });
  }, 120_000);
});
