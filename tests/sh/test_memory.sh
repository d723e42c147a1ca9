#!/usr/bin/env bash
# test_memory.sh - open sessions are capped by session.max_open: at the cap
# the session idle longest closes early, with session.close 'max_open',
# counted by --stats.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

# stat NAME FILE: the value of a --stats line.
stat() { awk -F'\t' -v k="$1" '$1 == k {print $2}' "$2"; }

# 5,000 UDP flows, all open at once (1 to 2 datagrams each, 10 ms apart).
mkdir -p "$CAPS"
u5k=$CAPS/flows-udp-5000.pcap
[ -f "$u5k" ] || "$CAPGEN" -n 5000 flows-udp "$u5k"
run_hc "$T/out" "$T/err" -r "$u5k" --stats --set session.max_open=1000
check "cap 1000: exit 0" 0 "$rc"
check "cap 1000: one closed per session opened past it" 4000 \
	"$(stat "closed at max_open" "$T/out")"
check "cap 1000: every flow is still a session" 5000 "$(stat sessions "$T/out")"
check "cap 1000: every packet assigned" "$(stat read "$T/out")" \
	"$(stat assigned "$T/out")"
run_hc "$T/out" "$T/err" -r "$u5k" --set session.max_open=1000 --values session.close
check "cap 1000: session.close" "4000	max_open" "$(cat "$T/out")"
# The flows' last packets are in sessionid order: the first 4,000 go.
run_hc "$T/out" "$T/err" -r "$u5k" --set session.max_open=1000 \
	-q "session.close = 'max_open'" --sessions --fields sessionid
check "cap 1000: the sessions idle longest closed" "4000 1 4000" \
	"$(awk 'NR == 1 {a = $1} {b = $1} END {print NR, a, b}' "$T/out")"
run_hc "$T/out" "$T/err" -r "$u5k" --set session.max_open=1000 \
	-q "session.close = 'max_open'" --values packets
check "cap 1000: capped sessions keep their packets" "2000	1
2000	2" "$(sort -k2 "$T/out")"
run_hc "$T/out" "$T/err" -r "$u5k" --stats --set session.max_open=0
check "no cap: none closed at it" 0 "$(stat "closed at max_open" "$T/out")"

# Sessions closed at the cap are parsed like any other, and the cap does
# not close a fetch still under way (20,000 fetches of 48 ms, 2.5 ms apart).
h20k=$CAPS/flows-http-20000.pcap
[ -f "$h20k" ] || "$CAPGEN" -n 20000 flows-http "$h20k"
run_hc "$T/out" "$T/err" -r "$h20k" --set session.max_open=1000 --values client
check "http at cap 1000: every session's user agent" "20000	bench/1.0" "$(cat "$T/out")"
run_hc "$T/out" "$T/err" -r "$h20k" --set session.max_open=1000 --values session.close
check "http at cap 1000: closed at the cap" "19000	max_open" "$(cat "$T/out")"
run_hc "$T/out" "$T/err" -r "$h20k" --set session.max_open=1000 --values packets
check "http at cap 1000: no fetch cut in two" "20000	5" "$(cat "$T/out")"

# Out of range values are refused.
for v in -1:"'-1' is out of range for session.max_open \\(0-1000000000\\)" \
    1000000001:"'1000000001' is out of range for session.max_open" \
    many:"'many' is not a valid value for session.max_open"; do
	run_hc "$T/out" "$T/err" -r "$u5k" --stats --set "session.max_open=${v%%:*}"
	check "max_open=${v%%:*}: exit 2" 2 "$rc"
	check_grep "max_open=${v%%:*}: named" "${v#*:}" "$T/err"
done

# The default does not touch ordinary captures...
for c in basic demo bench; do
	run_hc "$T/out" "$T/err" -r "$(cap "$c")" --stats
	check "$c: none closed at the default cap" 0 "$(stat "closed at max_open" "$T/out")"
done
# ...and holds on a million concurrent UDP flows: the 500,001st closes
# the first, and so on.
run_hc "$T/out" "$T/err" -r "$(cap flows-udp)" -R none --stats
check "a million flows: exit 0" 0 "$rc"
check "a million flows: 500,000 closed at the default cap" 500000 \
	"$(stat "closed at max_open" "$T/out")"
check "a million flows: a million sessions" 1000000 "$(stat sessions "$T/out")"
finish
