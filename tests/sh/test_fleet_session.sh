#!/usr/bin/env bash
# test_fleet_session.sh - one session over the store (view/session.h):
# a capture of split conversations shipped to a ClickHouse server on
# 127.0.0.1 (own ports and data under $T, stopped by PID), then one split
# session asked of the store (the unit test_fleet_session): its packets
# fetched from the sensor (local:) give the times, directions and lengths
# --packets gives reading the capture here, its fragments those --sessions
# gives; a sensor with no place, one that cannot be reached and a file cut
# short each say so for every packet.
. "$(dirname "$0")/../lib.sh"

CH=${CLICKHOUSE_SERVER:-/usr/sbin/clickhouse-server}
# The sanitizer build make check makes, else the plain one (check-quick).
UNIT=${UNIT:-$TOP/build/asan/tests/test_fleet_session}
[ -x "$UNIT" ] || UNIT=$TOP/build/tests/test_fleet_session
if [ ! -x "$CH" ]; then
	ok "fleet session: skipped: clickhouse-server is not installed"
	finish
fi
if [ ! -x "$UNIT" ]; then
	notok "fleet session: $UNIT is built (make $UNIT)"
	finish
fi

split=$T/split.pcap
cp "$(cap split_time)" "$split"
. "$(dirname "$0")/../clickhouse.sh"
trap 'stop_servers; rm -rf "$T"' EXIT
ch_servers 1 "fleet session"
S=clickhouse://127.0.0.1:$H1/hc
run_hc "$T/out" "$T/err" --store $S --init
check "init" "0 " "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$split" --ship $S --sensor s1 --run r1
check "ship the split capture as s1" "0 " "$rc $(cat "$T/err")"

# A later fragment of a split conversation, and its first's id.
"$HUNTCON" -r "$split" --sessions \
    --fields sessionid,session.split,session.first >"$T/ids"
id=$(awk -F'\t' '$2 == 2 { print $1; exit }' "$T/ids")
first=$(awk -F'\t' -v id="$id" '$1 == id { print $3 }' "$T/ids")
[ -n "$id" ] && ok "a split session ($id, first $first)" ||
	notok "a split session" "$(cat "$T/ids")"

HUNTCON_TEST_STORE=$S HUNTCON_TEST_SENSOR=s1 HUNTCON_TEST_RUN=r1 \
    HUNTCON_TEST_ID=$id HUNTCON_TEST_OUT=$T/pkts HUNTCON_TEST_CUT=$split \
    "$UNIT" >"$T/unit" 2>&1
urc=$?
check "the session over the store: packets, fragments, no place, \
unreachable, gone" "0 0" "$urc $(grep -c FAILED "$T/unit")"
grep -q "PASSED  ] 5 test" "$T/unit" || notok "every unit test ran" \
    "$(tail -30 "$T/unit")"

# The capture was cut by the last unit test: compare with a fresh copy.
"$HUNTCON" -r "$(cap split_time)" --packets |
    awk -F'\t' -v id="$id" '$1 == id' | cut -f3-6 >"$T/local"
check "packets fetched from the sensor equal --packets here" \
    "$(cat "$T/local")" "$(cat "$T/pkts" 2>/dev/null)"
check "as many packets as the session has" \
    "$(awk -F'\t' -v id="$id" '$1 == id { print $4 }' <("$HUNTCON" \
    -r "$(cap split_time)" --sessions \
    --fields sessionid,session.split,size,packets))" \
    "$(wc -l <"$T/pkts" | tr -d ' ')"
"$HUNTCON" -r "$(cap split_time)" --sessions \
    --fields sessionid,session.split,size,packets \
    -q "sessionid = $first || session.first = $first" >"$T/frag.local"
check "the fragments over the store equal --sessions here" \
    "$(cat "$T/frag.local")" "$(cat "$T/pkts.frag" 2>/dev/null)"
finish
