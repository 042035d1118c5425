#!/usr/bin/env bash
# bench.sh - time the CPU-heavy test programs natively (x86-64 build made
# with the host gcc), under qemu-arm and under bin/tsqemu-arm.
#
# Usage: scripts/bench.sh [options] [program...]
#   program     any of: cpu_heavy bench_sieve bench_sort (default: all)
#   -n N        runs per program and engine; the best wall time is kept (3)
#   --tsqemu P  tsqemu command (default: bin/tsqemu-arm; "n/a" if missing)
#   --results F append a Markdown table to F (default scripts/bench-results.md)
#   --no-append only print the table
#   --timeout S give up on a single run after S seconds (default 600)
#
# The ARM binaries come from test-binaries/armel (run
# scripts/build-test-binaries.sh first). The native builds go to a temporary
# directory and are deleted afterwards. Every engine must print the same
# stdout as test-binaries/expected/<program>.json, otherwise its time is
# shown as "wrong" (or "fail" if it exits non-zero / times out).
# Ratios: tsq/qemu = tsqemu time / qemu-arm time; qemu/nat = qemu-arm time /
# native time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TB="$ROOT/test-binaries"
RUNS=3
TSQEMU="$ROOT/bin/tsqemu-arm"
RESULTS="$ROOT/scripts/bench-results.md"
APPEND=1
TIMEOUT=600
PROGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        -n) RUNS="$2"; shift ;;
        --tsqemu) TSQEMU="$2"; shift ;;
        --results) RESULTS="$2"; shift ;;
        --no-append) APPEND=0 ;;
        --timeout) TIMEOUT="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) PROGS+=("$1") ;;
    esac
    shift
done
[ ${#PROGS[@]} -gt 0 ] || PROGS=(cpu_heavy bench_sieve bench_sort)

QEMU="${QEMU_ARM:-qemu-arm}"
HOSTCC="${HOST_CC:-gcc}"
command -v "$HOSTCC" >/dev/null || { echo "need a host C compiler ($HOSTCC)" >&2; exit 1; }
HAVE_QEMU=1
command -v "$QEMU" >/dev/null || HAVE_QEMU=0
HAVE_TSQ=1
if [ ! -e "${TSQEMU%% *}" ] && ! command -v "${TSQEMU%% *}" >/dev/null 2>&1; then HAVE_TSQ=0; fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# expected stdout of a program's default case, extracted once
expected_stdout() {
    node -e 'process.stdout.write(require(process.argv[1]).stdout)' "$TB/expected/$1.json"
}

# best_time <prog> <label> <cmd...>: prints best wall seconds, or fail/wrong
best_time() {
    local prog="$1" label="$2"; shift 2
    local best="" i t0 t1 ms rc
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        set +e
        timeout "$TIMEOUT" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null
        rc=$?
        set -e
        t1=$(date +%s%N)
        if [ $rc -ne 0 ]; then
            echo "  $label $prog: exit status $rc: $(head -c 300 "$WORK/err")" >&2
            echo fail; return
        fi
        if ! cmp -s "$WORK/out" "$WORK/$prog.expected"; then
            echo "  $label $prog: output differs from expected" >&2
            echo wrong; return
        fi
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    awk -v ms="$best" 'BEGIN { printf "%.3f", ms / 1000 }'
}

ratio() { # a / b, or n/a
    case "$1$2" in *[!0-9.]*|"") echo "n/a"; return ;; esac
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'
}

rows=()
printf '%-12s %10s %10s %10s %9s %9s\n' program native qemu-arm tsqemu tsq/qemu qemu/nat
for prog in "${PROGS[@]}"; do
    src="$TB/src/$prog.c"
    arm="$TB/armel/$prog"
    [ -f "$src" ] || { echo "no such program: $prog" >&2; exit 2; }
    [ -x "$arm" ] || { echo "missing $arm: run scripts/build-test-binaries.sh" >&2; exit 1; }
    expected_stdout "$prog" > "$WORK/$prog.expected"
    "$HOSTCC" -O2 -o "$WORK/$prog.native" "$src" -lm
    nat=$(best_time "$prog" native "$WORK/$prog.native")
    if [ $HAVE_QEMU = 1 ]; then qem=$(best_time "$prog" qemu-arm "$QEMU" "$arm"); else qem="n/a"; fi
    # shellcheck disable=SC2086 # TSQEMU may carry options
    if [ $HAVE_TSQ = 1 ]; then tsq=$(best_time "$prog" tsqemu $TSQEMU "$arm"); else tsq="n/a"; fi
    r1=$(ratio "$tsq" "$qem")
    r2=$(ratio "$qem" "$nat")
    printf '%-12s %10s %10s %10s %9s %9s\n' "$prog" "$nat" "$qem" "$tsq" "$r1" "$r2"
    rows+=("| $prog | $nat | $qem | $tsq | $r1 | $r2 |")
done
echo "(best of $RUNS wall-clock runs, seconds)"

if [ $APPEND = 1 ]; then
    commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
    dirty=""
    [ -n "$(git -C "$ROOT" status --porcelain -- src targets bin 2>/dev/null)" ] && dirty="+dirty"
    cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown)"
    {
        [ -s "$RESULTS" ] || printf '# tsqemu benchmark results\n\nAppended by scripts/bench.sh. Times are best-of-N wall-clock seconds.\n'
        printf '\n## %s, commit %s%s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$commit" "$dirty"
        printf 'Host: %s, %s cores; %s; node %s; best of %s\n\n' "$cpu" "$(nproc)" \
            "$("$QEMU" --version 2>/dev/null | head -n 1 || echo 'no qemu-arm')" "$(node --version 2>/dev/null || echo n/a)" "$RUNS"
        echo '| program | native s | qemu-arm s | tsqemu s | tsqemu/qemu | qemu/native |'
        echo '|---|---|---|---|---|---|'
        printf '%s\n' "${rows[@]}"
    } >> "$RESULTS"
    echo "results appended to ${RESULTS#"$ROOT"/}"
fi
