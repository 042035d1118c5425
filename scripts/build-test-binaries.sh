#!/usr/bin/env bash
# build-test-binaries.sh - cross-compile the guest test programs and record
# their reference behaviour under qemu-arm.
#
# Usage (from anywhere; paths are relative to the repository root):
#   scripts/build-test-binaries.sh            build test-binaries/armel/* from
#                                             test-binaries/src/*, then run
#                                             every case in test-binaries/cases.json
#                                             under qemu-arm and write
#                                             test-binaries/expected/<case>.json
#   scripts/build-test-binaries.sh --check [--runner CMD]
#                                             build nothing, write nothing: run
#                                             every case under CMD (default
#                                             qemu-arm; e.g. bin/tsqemu-arm) and
#                                             compare with the expected files
#   Options: --only NAME (repeatable) restricts --check to the named cases.
#   --set armel|armhf|bench builds only that set (default: all); recording still
#   runs every case.
#   With a custom --runner, PATH is passed through as well (a node-based
#   runner needs it to find node); no test program prints PATH.
#
# Needs (Debian 12): gcc-arm-linux-gnueabi, gcc-arm-linux-gnueabihf,
#   qemu-user, nodejs >= 18.
#   apt-get install gcc-arm-linux-gnueabi gcc-arm-linux-gnueabihf qemu-user nodejs
# Environment overrides: ARM_CC (default arm-linux-gnueabi-gcc),
#   ARMHF_CC (default arm-linux-gnueabihf-gcc), QEMU_ARM (default qemu-arm).
#
# The armhf set (test-binaries/armhf) is built with Debian armhf's defaults:
# ARMv7-A, Thumb-2, VFPv3-D16, hard-float; its C programs are ARMHF_PROGRAMS
# below. Assembly sources marked "@ build-set: armhf" belong to the armhf set
# only and are assembled in Thumb state by default (they switch with .arm).
#
# C programs are built with the toolchain's defaults (ARMv5TE, ARM state,
# soft-float, EABI, glibc, static) so they also run on an ARMv5TE CPU.
# Assembly programs (*.S) are freestanding (-nostdlib) and are assembled for
# the architecture named on their "@ build-march: ..." line (default armv5te).
# Nothing is stripped: symbols help debugging, and each binary stays well
# under 1 MB.
#
# Expected output: each case runs under `env -i <case env> qemu-arm <binary>
# <args>` (no -cpu option) with the repository root as working directory and
# stdin from /dev/null. It is run twice and must produce identical output both
# times. The expected file is {binary, args, env, stdout, exitStatus}.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TB="$ROOT/test-binaries"
CC="${ARM_CC:-arm-linux-gnueabi-gcc}"
HFCC="${ARMHF_CC:-arm-linux-gnueabihf-gcc}"
# C programs of the armhf set (Thumb-2; glibc's armhf build uses VFP too)
ARMHF_PROGRAMS=(hello printf_formats qsort_strings arith64 setjmp_longjmp cpu_heavy signals2 threads threads2 forks io_events sockets procfs sysmisc)
QEMU="${QEMU_ARM:-qemu-arm}"

MODE=build
RUNNER=""
SET=all
ONLY=()
while [ $# -gt 0 ]; do
    case "$1" in
        --check) MODE=check ;;
        --runner) RUNNER="$2"; shift ;;
        --only) ONLY+=("$2"); shift ;;
        --set) SET="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing tool: $1 ($2)" >&2; exit 1; }; }
need node "apt-get install nodejs"

build_set() { [ "$SET" = all ] || [ "$SET" = "$1" ]; }
armhf_only() { grep -q '^@ *build-set: *armhf' "$1"; }

if [ "$MODE" = build ] && build_set armel; then
    need "$CC" "apt-get install gcc-arm-linux-gnueabi"
    need "$QEMU" "apt-get install qemu-user"

    OUT="$TB/armel"
    mkdir -p "$OUT" "$TB/expected"
    # start clean so removed sources do not leave stale binaries behind
    find "$OUT" -mindepth 1 -maxdepth 1 -type f -delete

    CFLAGS=(-static -O2 -Wall -Wextra -Wno-unused-parameter)
    OBJ="$(mktemp -d)"
    trap 'rm -rf "$OBJ"' EXIT
    built=0
    for src in "$TB"/src/*.c; do
        name="$(basename "$src" .c)"
        echo "CC  $name"
        "$CC" "${CFLAGS[@]}" -pthread -o "$OUT/$name" "$src" -lm
        built=$((built + 1))
    done
    for src in "$TB"/src/*.S; do
        name="$(basename "$src" .S)"
        armhf_only "$src" && continue
        march="$(sed -n 's/^@ *build-march: *\([a-z0-9.+-]*\).*/\1/p' "$src" | head -n 1)"
        march="${march:-armv5te}"
        echo "AS  $name (-march=$march)"
        # assemble and link separately: a one-step build would name the
        # object after a random temporary file in the symbol table
        "$CC" -c -march="$march" -marm -I"$TB/src" -o "$OBJ/$name.o" "$src"
        "$CC" -nostdlib -static -o "$OUT/$name" "$OBJ/$name.o"
        built=$((built + 1))
    done
    echo "built $built binaries in test-binaries/armel"
fi

if [ "$MODE" = build ] && build_set armhf; then
    need "$HFCC" "apt-get install gcc-arm-linux-gnueabihf"
    need "$QEMU" "apt-get install qemu-user"

    OUT="$TB/armhf"
    mkdir -p "$OUT" "$TB/expected"
    find "$OUT" -mindepth 1 -maxdepth 1 -type f -delete

    CFLAGS=(-static -O2 -Wall -Wextra -Wno-unused-parameter)
    OBJ="$(mktemp -d)"
    trap 'rm -rf "$OBJ"' EXIT
    built=0
    for name in "${ARMHF_PROGRAMS[@]}"; do
        echo "CC  armhf/$name"
        "$HFCC" "${CFLAGS[@]}" -pthread -o "$OUT/$name" "$TB/src/$name.c" -lm
        built=$((built + 1))
    done
    for src in "$TB"/src/*.S; do
        armhf_only "$src" || continue
        name="$(basename "$src" .S)"
        march="$(sed -n 's/^@ *build-march: *\([a-z0-9.+-]*\).*/\1/p' "$src" | head -n 1)"
        march="${march:-armv7-a}"
        echo "AS  armhf/$name (-march=$march -mthumb)"
        "$HFCC" -c -march="$march" -mfpu=vfpv3-d16 -mthumb -I"$TB/src" -o "$OBJ/$name.o" "$src"
        "$HFCC" -nostdlib -static -o "$OUT/$name" "$OBJ/$name.o"
        built=$((built + 1))
    done
    echo "built $built binaries in test-binaries/armhf"
fi

# Run the cases (record, or check against the recorded files).
if [ "$MODE" = build ] && build_set bench; then
    need "$HFCC" "apt-get install gcc-arm-linux-gnueabihf"

    # The speed suite of scripts/bench.mjs: armhf (Thumb-2, VFP) static builds of
    # test-binaries/src/bench/*.c. Their small-scale cases in cases.json check correctness.
    OUT="$TB/bench"
    mkdir -p "$OUT"
    find "$OUT" -mindepth 1 -maxdepth 1 -type f -delete
    built=0
    for src in "$TB"/src/bench/*.c; do
        name="$(basename "$src" .c)"
        echo "CC  bench/$name"
        "$HFCC" -static -O2 -Wall -Wextra -o "$OUT/$name" "$src" -lm
        built=$((built + 1))
    done
    echo "built $built binaries in test-binaries/bench"
fi

RUNNER="${RUNNER:-$QEMU}"
CUSTOM_RUNNER=0
[ "$RUNNER" = "$QEMU" ] || CUSTOM_RUNNER=1
export TB_ROOT="$ROOT" TB_MODE="$MODE" TB_RUNNER="$RUNNER" TB_ONLY="${ONLY[*]:-}" TB_CUSTOM="$CUSTOM_RUNNER"
node --input-type=module - <<'NODE'
import { readFileSync, writeFileSync, readdirSync, unlinkSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = process.env.TB_ROOT;
const tb = join(root, 'test-binaries');
const mode = process.env.TB_MODE;
const runner = process.env.TB_RUNNER.split(' ').filter(Boolean);
const only = (process.env.TB_ONLY || '').split(' ').filter(Boolean);
const { cases } = JSON.parse(readFileSync(join(tb, 'cases.json'), 'utf8'));

const extraEnv = process.env.TB_CUSTOM === '1' ? [`PATH=${process.env.PATH}`] : [];

function run(c) {
  const r = spawnSync('env', ['-i', ...extraEnv, ...Object.entries(c.env).map(([k, v]) => `${k}=${v}`),
                              ...runner, join(tb, c.binary), ...c.args], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000, maxBuffer: 64 << 20,
  });
  if (r.error) throw new Error(`${c.name}: ${r.error.message}`);
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1'),
           exitStatus: r.status, signal: r.signal };
}

let failures = 0;
const names = new Set();
for (const c of cases) {
  names.add(c.name);
  if (only.length && !only.includes(c.name)) continue;
  const file = join(tb, 'expected', `${c.name}.json`);
  const t0 = Date.now();
  const a = run(c);
  const ms = Date.now() - t0;
  if (mode === 'build') {
    const b = run(c);
    if (a.signal || b.signal) throw new Error(`${c.name}: killed by ${a.signal || b.signal}`);
    if (a.stdout !== b.stdout || a.exitStatus !== b.exitStatus)
      throw new Error(`${c.name}: output is not deterministic`);
    if (a.stderr) console.error(`${c.name}: stderr: ${a.stderr.trimEnd()}`);
    const exp = { binary: c.binary, args: c.args, env: c.env, stdout: a.stdout, exitStatus: a.exitStatus };
    writeFileSync(file, JSON.stringify(exp, null, 2) + '\n');
    console.log(`ok    ${c.name.padEnd(22)} exit ${String(a.exitStatus).padStart(3)}  ${String(a.stdout.length).padStart(6)} bytes  ${ms} ms`);
  } else {
    const exp = JSON.parse(readFileSync(file, 'utf8'));
    const ok = !a.signal && a.stdout === exp.stdout && a.exitStatus === exp.exitStatus;
    if (!ok) {
      failures++;
      console.log(`FAIL  ${c.name}: exit ${a.signal ? 'signal ' + a.signal : a.exitStatus} (expected ${exp.exitStatus})`);
      const al = a.stdout.split('\n'), el = exp.stdout.split('\n');
      for (let i = 0; i < Math.max(al.length, el.length); i++)
        if (al[i] !== el[i]) { console.log(`      line ${i + 1}: got      ${JSON.stringify(al[i])}\n               expected ${JSON.stringify(el[i])}`); break; }
      if (a.stderr) console.log(`      stderr: ${a.stderr.trimEnd().split('\n').slice(0, 5).join('\n              ')}`);
    } else {
      console.log(`ok    ${c.name.padEnd(22)} ${ms} ms`);
    }
  }
}
if (mode === 'build') {
  // drop expected files of cases that no longer exist
  for (const f of readdirSync(join(tb, 'expected')))
    if (f.endsWith('.json') && !names.has(f.slice(0, -5))) unlinkSync(join(tb, 'expected', f));
  console.log(`recorded ${cases.length} cases in test-binaries/expected`);
} else {
  console.log(failures ? `${failures} case(s) failed` : 'all cases match');
  process.exit(failures ? 1 : 0);
}
NODE
