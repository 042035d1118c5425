#!/usr/bin/env bash
# Run one guest program under qemu-arm (the oracle) and under tsqemu-arm; compare stdout and
# exit status. With --trace, also run both one instruction per block with "-d exec,nochain"
# and report the first point where the sequences of guest PCs differ.
#
# usage: scripts/oracle/compare-program.sh [--trace] [--cpu NAME] [--qemu-cpu NAME]
#                                          [--keep DIR] [--] program [args...]
# env:   QEMU_ARM (default qemu-arm), TSQEMU_ARM (default <repo>/bin/tsqemu-arm)
# exit:  0 same, 1 different, 2 usage / missing tools
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
qemu=${QEMU_ARM:-qemu-arm}
tsqemu=${TSQEMU_ARM:-$root/bin/tsqemu-arm}
trace=0
cpu=max
qemu_cpu=cortex-a15,vfp=off,neon=off
keep=

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --trace) trace=1; shift ;;
    --cpu) cpu=$2; shift 2 ;;
    --qemu-cpu) qemu_cpu=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "compare-program: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
command -v "$qemu" >/dev/null 2>&1 || { echo "compare-program: $qemu not found" >&2; exit 2; }
[ -x "$tsqemu" ] || { echo "compare-program: $tsqemu not found or not executable (node scripts/build.mjs?)" >&2; exit 2; }

if [ -n "$keep" ]; then mkdir -p "$keep"; work=$keep; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

# qemu 8.1 renamed -singlestep to -one-insn-per-tb; qemu 7.2 (Debian 12) only has -singlestep
if "$qemu" -h 2>/dev/null | grep -q -- '-one-insn-per-tb'; then qemu_step=-one-insn-per-tb; else qemu_step=-singlestep; fi

# through env(1): bash puts the command it runs in $_, and the guest would see a different
# environment (and stack layout) under each emulator
env "$qemu" -cpu "$qemu_cpu" "$@" >"$work/qemu.out" 2>"$work/qemu.err" </dev/null
qemu_status=$?
env "$tsqemu" -cpu "$cpu" "$@" >"$work/tsqemu.out" 2>"$work/tsqemu.err" </dev/null
ts_status=$?

result=0
if [ "$qemu_status" != "$ts_status" ]; then
  echo "exit status: qemu-arm $qemu_status, tsqemu-arm $ts_status"
  result=1
fi
if ! cmp -s "$work/qemu.out" "$work/tsqemu.out"; then
  echo "stdout differs (qemu-arm $(wc -c <"$work/qemu.out") bytes, tsqemu-arm $(wc -c <"$work/tsqemu.out") bytes):"
  if LC_ALL=C grep -qP '[^\x09\x0a\x0d\x20-\x7e]' "$work/qemu.out" "$work/tsqemu.out"; then
    cmp "$work/qemu.out" "$work/tsqemu.out" | head -5
  else
    diff -u --label qemu-arm --label tsqemu-arm "$work/qemu.out" "$work/tsqemu.out" | head -40
  fi
  result=1
fi
if [ $result = 0 ]; then echo "same stdout ($(wc -c <"$work/qemu.out") bytes) and exit status $qemu_status"; fi
if [ -s "$work/tsqemu.err" ] && ! cmp -s "$work/qemu.err" "$work/tsqemu.err"; then
  echo "(stderr differs; qemu-arm: $(head -c 200 "$work/qemu.err" | head -1); tsqemu-arm: $(head -c 200 "$work/tsqemu.err" | head -1))"
fi

if [ $trace = 1 ]; then
  env "$qemu" -cpu "$qemu_cpu" $qemu_step -d exec,nochain -D "$work/qemu.log" "$@" >/dev/null 2>&1 </dev/null
  env "$tsqemu" -cpu "$cpu" -one-insn-per-tb -d exec,nochain -D "$work/tsqemu.log" "$@" >/dev/null 2>&1 </dev/null
  # "Trace 0: 0x7f... [00000480/00010054/00000000/00000201] sym": the guest PC is field 2
  # qemu runs a kuser helper (page 0xffff0000) as one step; tsqemu executes its code, so a
  # run of PCs inside that page counts as its first PC on both sides
  pcs() {
    sed -n 's/^Trace [0-9]*: 0x[0-9a-f]* \[[0-9a-f]*\/\([0-9a-f]*\)\/.*/\1/p' "$1" |
      awk '{ k = (substr($1, 1, 5) == "ffff0"); if (!(k && prev)) print; prev = k }'
  }
  pcs "$work/qemu.log" >"$work/qemu.pcs"
  pcs "$work/tsqemu.log" >"$work/tsqemu.pcs"
  nq=$(wc -l <"$work/qemu.pcs"); nt=$(wc -l <"$work/tsqemu.pcs")
  line=$(cmp "$work/qemu.pcs" "$work/tsqemu.pcs" 2>/dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p')
  if [ "$nq" = 0 ] || [ "$nt" = 0 ]; then
    echo "trace: no exec log (qemu-arm: $nq instructions, tsqemu-arm: $nt)"
    result=1
  elif [ -z "$line" ] && [ "$nq" = "$nt" ]; then
    echo "trace: same $nq instructions"
  else
    if [ -z "$line" ]; then line=$(( (nq < nt ? nq : nt) + 1 )); fi
    echo "trace: first divergence at instruction $line (qemu-arm ran $nq, tsqemu-arm $nt)"
    from=$(( line > 6 ? line - 5 : 1 ))
    echo "  #        qemu-arm  tsqemu-arm"
    paste "$work/qemu.pcs" "$work/tsqemu.pcs" | sed -n "${from},$((line + 2))p" |
      awk -v first="$from" -v bad="$line" -F'\t' '{ n = first + NR - 1; printf "  %-8d %-9s %-9s%s\n", n, ($1 == "" ? "-" : $1), ($2 == "" ? "-" : $2), (n == bad ? "   <== differs" : "") }'
    result=1
  fi
  [ -n "$keep" ] && echo "logs kept in $keep"
fi
exit $result
