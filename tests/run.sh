#!/usr/bin/env bash
# run.sh - every test of huntcon: unit tests (sanitized), shell tests (batch
# output, tshark oracle, bad input, screen), fuzz smoke.  Each line gives a
# script's counts and its time; the last line is "N passed, N failed".
#
# run.sh --quick: the inner loop (`make check-quick`): the unit tests linked
# with the ordinary build, and the shell tests but those listed in SLOW; no
# sanitizer build, no fuzzing.
#
# run.sh --corpus (`make check-corpus`): only the tshark oracle, over every
# capture of the corpus's linktypes, benign and arkime_tests folders.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
export TOP CAPS="$TOP/build/caps" ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$TOP/tests/lsan.supp
pass=0 fail=0 log=$TOP/build/test.log start=$SECONDS
: >"$log"
quick=false corpus=false
[ "${1:-}" = --quick ] && quick=true
[ "${1:-}" = --corpus ] && { corpus=true; export ORACLE_CORPUS=full; }
# Shell tests left out of --quick: the tshark oracle (minutes with the
# corpus), the open-session cap (captures of a million flows), the
# sanitized corpus run, the fleet (ClickHouse servers) and live
# capture (network namespaces; live retention waits four seconds).
SLOW="test_corpus_asan test_memory test_oracle test_fleet test_fleet_console test_fleet_session test_live test_retain_live"
units=build/asan/tests
$quick && { units=build/tests; export ASANHC=; }

# count PASSED FAILED: add to the totals.
count() { pass=$((pass + $1)); fail=$((fail + $2)); }

# took SINCE: the seconds since SINCE, as "(N s)".
took() { echo "($((SECONDS - $1)) s)"; }

# Unit tests, built with ASan and UBSan (--quick: without): cmocka reports
# its own counts.
for t in "$units"/test_*; do
	$corpus && break
	[ -x "$t" ] || continue
	t0=$SECONDS
	out=$("$t" 2>&1); rc=$?
	echo "$out" >>"$log"
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0} f=${f:-0}
	[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
	echo "unit $(basename "$t"): $p passed, $f failed $(took $t0)"
	[ "$f" != 0 ] && echo "$out" | grep -E 'FAIL|ERROR|error|Sanitizer' | head -20
	count "$p" "$f"
done

# Shell tests: each prints "ok - NAME" / "not ok - NAME" lines.
for t in tests/sh/test_*.sh; do
	$quick && case " $SLOW " in *" $(basename "$t" .sh) "*) continue ;; esac
	$corpus && [ "$t" != tests/sh/test_oracle.sh ] && continue
	t0=$SECONDS
	out=$(bash "$t" 2>&1); rc=$?
	echo "$out" >>"$log"
	p=$(echo "$out" | grep -c '^ok - ')
	f=$(echo "$out" | grep -c '^not ok - ')
	[ "$rc" != 0 ] && [ "$f" = 0 ] && { f=1; echo "$out" | tail -5; }
	echo "$(basename "$t" .sh): $p passed, $f failed $(took $t0)"
	[ "$f" != 0 ] && echo "$out" | grep -A12 '^not ok - '
	count "$p" "$f"
done

# Fuzz smoke: a short run of every libFuzzer target, two at a time (each
# keeps to one CPU), reported in order with the other tests' counts.
secs=${FUZZ_SECONDS:-20}
# fuzz_start T: run target T in the background, its log apart.
fuzz_start() {
	local t=$1 name dict seeds
	name=$(basename "$t")
	mkdir -p "build/fuzz-corpus/$name"
	seeds=tests/fuzz/seeds/$name
	[ -d "$seeds" ] || seeds=
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
	"$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 $dict \
	    -artifact_prefix=build/ "build/fuzz-corpus/$name" $seeds \
	    >"build/$name.log" 2>&1 &
	fpid+=($!) fname+=("$name")
}
# fuzz_wait: wait for the targets started, say how each went.
fuzz_wait() {
	local i
	for i in "${!fpid[@]}"; do
		if wait "${fpid[$i]}"; then
			echo "fuzz ${fname[$i]}: ${secs}s clean"; count 1 0
		else
			echo "fuzz ${fname[$i]}: FAILED (see build/test.log)"
			count 0 1
		fi
		cat "build/${fname[$i]}.log" >>"$log"
	done
	fpid=() fname=()
}
fpid=() fname=()
for t in build/fuzz/fuzz_*; do
	($quick || $corpus) && break
	[ -x "$t" ] || continue
	fuzz_start "$t"
	[ "${#fpid[@]}" -ge 2 ] && fuzz_wait
done
fuzz_wait

echo "total: $((SECONDS - start)) s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
