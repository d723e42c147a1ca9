# lib.sh - helpers for huntcon's shell tests.  Each test script sources this,
# calls check/expect_* and ends with `finish`.  Every assertion prints one
# "ok - NAME" or "not ok - NAME" line; tests/run.sh counts them.
# SPDX-License-Identifier: GPL-3.0-or-later

set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
HUNTCON=${HUNTCON:-$TOP/huntcon}
CAPGEN=${CAPGEN:-$TOP/build/capgen}
CAPS=${CAPS:-$TOP/build/caps}
CORPUS=${CORPUS:-$TOP/../shared/corpus}
T=$(mktemp -d "${TMPDIR:-/tmp}/huntcon-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
_failed=0

# ok NAME / notok NAME [DETAIL]: record one result.
ok() { echo "ok - $1"; }
notok() {
	echo "not ok - $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/    /' | head -40
	_failed=1
}

# check NAME EXPECTED ACTUAL: equal strings.
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		notok "$1" "expected: $2
actual:   $3"; fi
}

# check_file NAME EXPECTED-TEXT FILE: file content equals text.
check_file() {
	local got
	got=$(cat "$3")
	if [ "$2" = "$got" ]; then ok "$1"; else
		notok "$1" "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$got"))"; fi
}

# check_grep NAME PATTERN FILE: the file has a line matching PATTERN.
check_grep() {
	if grep -qE -- "$2" "$3"; then ok "$1"; else
		notok "$1" "no line matches '$2' in: $(head -20 "$3")"; fi
}

# cap NAME: path of a generated capture, made on first use.
cap() {
	mkdir -p "$CAPS"
	[ -f "$CAPS/$1.pcap" ] || "$CAPGEN" "$1" "$CAPS/$1.pcap" ||
		{ echo "capgen $1 failed" >&2; return 1; }
	echo "$CAPS/$1.pcap"
}

# run_hc OUT ERR ARGS...: run huntcon, status in $rc.
run_hc() {
	local out=$1 err=$2
	shift 2
	rc=0
	"$HUNTCON" "$@" >"$out" 2>"$err" || rc=$?
}

# use_asan: run the sanitizer build of huntcon when there is one.  ASANHC=
# (empty, as run.sh sets it for check-quick) keeps the ordinary build, which
# a stale sanitizer build must not stand in for.
use_asan() {
	ASANHC=${ASANHC-$TOP/build/asan/huntcon}
	[ -n "$ASANHC" ] && [ -x "$ASANHC" ] && HUNTCON=$ASANHC
	return 0
}

finish() { exit $_failed; }
