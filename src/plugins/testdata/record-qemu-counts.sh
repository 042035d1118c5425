#!/bin/sh
# Record qemu-arm's executed-instruction and executed-block counts for the programs the
# plugin tests run (qemu-counts.json). Instructions: Trace lines of
# `-singlestep -d exec,nochain` (one block per instruction); blocks: Trace lines of
# `-d exec,nochain`. Same command line, empty environment, repository root as cwd, stdin
# /dev/null and stdout a pipe, as the tests run tsqemu (glibc's stdio differs on a tty,
# /dev/null or a pipe, and so does the instruction count).
set -eu
cd "$(dirname "$0")/../../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
count() { { env -i qemu-arm "$@" </dev/null 2>/dev/null || true; } | cat >/dev/null; grep -c '^Trace' "$log"; }
first=1
echo '['
while read -r bin args; do
  [ -n "$bin" ] || continue
  # shellcheck disable=SC2086
  insns=$(count -singlestep -d exec,nochain -D "$log" "test-binaries/$bin" $args)
  # shellcheck disable=SC2086
  tbs=$(count -d exec,nochain -D "$log" "test-binaries/$bin" $args)
  [ $first = 1 ] || echo ','
  first=0
  printf '  { "binary": "%s", "args": "%s", "insns": %s, "blocks": %s }' "$bin" "$args" "$insns" "$tbs"
done <<'LIST'
armel/hello
armel/qsort_strings
armel/arith64
armel/asm_flags
armhf/thumb_it
armhf/interwork
LIST
echo
echo ']'
