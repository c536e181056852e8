#!/bin/sh
# run-tests.sh - Run isolab's cmocka test binaries and add up their results.
#
#   scripts/run-tests.sh BUILD_DIR TEST_BINARY...
#
# Prints each binary's cmocka output, then one line
#   N passed, M failed, K skipped
# and exits 1 if anything failed.  A binary that crashes or hangs (killed
# after ISOLAB_TEST_TIMEOUT seconds, default 900) counts its unfinished
# tests as failed, at least one.
set -u
build=$1
shift
export ISOLAB_BUILD="$build"
timeout_s=${ISOLAB_TEST_TIMEOUT:-900}
log=$(mktemp)
trap 'rm -f "$log" "$log.out" "$log.err"' EXIT
passed=0
failed=0
skipped=0
for t in "$@"; do
	echo "== $(basename "$t")"
	timeout -k 10 "$timeout_s" "$t" >"$log.out" 2>"$log.err"
	rc=$?
	# cmocka prints progress on stdout and its summary on stderr.
	cat "$log.out" "$log.err"
	set -- $(awk '
		/^\[=+\] Running [0-9]+ test/ { total += $3 }
		/^\[  PASSED  \] [0-9]+ test\(s\)\./ { ok += $4 }
		/^\[  SKIPPED \] [0-9]+ test\(s\), listed/ { sk += $4 }
		/^\[  FAILED  \] [0-9]+ test\(s\), listed/ { fl += $4 }
		END { printf "%d %d %d %d\n", total, ok, sk, fl }' "$log.out" "$log.err")
	total=$1 ok=$2 sk=$3 fl=$4
	# A crash or a hang leaves tests unaccounted for: they failed.
	missing=$((total - ok - sk - fl))
	if [ "$rc" -ne 0 ] && [ "$fl" -eq 0 ] && [ "$missing" -le 0 ]; then
		missing=1
	fi
	if [ "$missing" -gt 0 ]; then
		echo "!! $(basename "$t"): exit status $rc, $missing test(s) did not finish" >&2
		fl=$((fl + missing))
	fi
	passed=$((passed + ok))
	skipped=$((skipped + sk))
	failed=$((failed + fl))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
