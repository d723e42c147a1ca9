#!/usr/bin/env bash
# test_retain.sh - retention (issue 18): store.retain keeps the sessions
# whose last packet is within the window on the packet clock, so that a
# two-hour capture with store.retain=30m counts as the same capture cut to
# its last 30 minutes; store.max_sessions keeps exactly the newest N;
# --stats says how many were dropped and what is kept; the console's
# status line says it too; a correlation window not shorter than the
# retention is warned about with its file, line and column, and a file
# kept in a window is correlated as its sessions are stored.  Under the sanitizer build when there is one.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"
use_asan

full=$(cap retain)		# 720 lookups 10 s apart, one more at 7195 s
tail=$(cap retain_tail)		# the same from 5400 s on: 181 sessions

# --- store.retain on the packet clock: the last 30 minutes.
run_hc "$T/out" "$T/err" -r "$full" --set store.retain=30m --stats \
    --values service
check "retain 30m: exit 0, the sessions kept counted" "0 181	53" \
    "$rc $(cat "$T/out")"
check "retain 30m: every session counted" "sessions	721" \
    "$(grep '^sessions	' "$T/err")"
check "retain 30m: 540 dropped" "dropped by retention	540" \
    "$(grep '^dropped by retention	' "$T/err")"
check "retain 30m: what is kept" "kept	last 30m, 181 sessions" \
    "$(grep '^kept	' "$T/err")"
check "retain 30m: no sanitizer report" "" "$(grep -m1 ERROR "$T/err")"
run_hc "$T/out" "$T/err" -r "$full" --stats --values service
check "no retention: nothing dropped, all kept" \
    "dropped by retention	0 kept	all, 721 sessions" \
    "$(grep -E '^(dropped|kept)' "$T/err" | tr '\n' ' ' | sed 's/ $//')"
run_hc "$T/out" "$T/err" -r "$full" --set store.retain=30m --stats
check "--stats alone keeps none" "kept	none" "$(grep '^kept	' "$T/out")"

for key in alias.host ip.src service; do
	run_hc "$T/want" "$T/err" -r "$tail" --values "$key"
	for pt in 0 1; do
		run_hc "$T/got" "$T/err" -r "$full" --set store.retain=30m \
		    --set parse.thread=$pt --values "$key"
		check "retain 30m, parse.thread=$pt: --values $key as the cut capture" \
		    "$(cat "$T/want")" "$(cat "$T/got")"
	done
done
check "the cut capture has 181 sessions" 181 \
    "$("$HUNTCON" -r "$tail" --sessions --fields sessionid | wc -l)"
run_hc "$T/got" "$T/err" -r "$full" --set store.retain=1800 -R bundled \
    --sessions --fields sessionid
check "retain 1800 (seconds) with the bundled rules: 181 sessions, the newest" \
    "181 541 721" "$(wc -l <"$T/got") $(head -1 "$T/got") $(tail -1 "$T/got")"
run_hc "$T/out" "$T/err" -r "$full" --set store.retain=2d --stats \
    --values service
check "retain 2d keeps the two hours" "kept	last 2d, 721 sessions" \
    "$(grep '^kept	' "$T/err")"

# --- store.max_sessions: exactly the newest N.
for pt in 0 1; do
	run_hc "$T/got" "$T/err" -r "$full" --set store.max_sessions=100 \
	    --set parse.thread=$pt --sessions --fields sessionid
	check "max_sessions 100, parse.thread=$pt: ids 622 to 721" \
	    "100 622 721" \
	    "$(wc -l <"$T/got") $(head -1 "$T/got") $(tail -1 "$T/got")"
done
run_hc "$T/out" "$T/err" -r "$full" --set store.max_sessions=100 --stats \
    --values service
check "max_sessions 100: --stats" \
    "dropped by retention	621 kept	at most 100, 100 sessions" \
    "$(grep -E '^(dropped|kept)' "$T/err" | tr '\n' ' ' | sed 's/ $//')"
check "max_sessions 100: --values counts 100" "100	53" "$(cat "$T/out")"
run_hc "$T/out" "$T/err" -r "$full" --set store.max_sessions=50 \
    --set store.retain=30m --stats --values service
check "both: the tighter wins" \
    "dropped by retention	671 kept	last 30m, at most 50, 50 sessions" \
    "$(grep -E '^(dropped|kept)' "$T/err" | tr '\n' ' ' | sed 's/ $//')"

# --- Bad values name the setting.
run_hc "$T/out" "$T/err" -r "$full" --set store.retain=30x --stats
check "retain 30x: refused" "2 huntcon: --set: '30x' is not a valid value for store.retain (huntcon --help)" \
    "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$full" --set store.retain=-1 --stats
check "retain -1: out of range" "2 huntcon: --set: '-1' is out of range for store.retain (0-1000000000) (huntcon --help)" \
    "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$full" --set store.max_sessions=x --stats
check "max_sessions x: refused" "2" "$rc"

# --- Memory is freed as sessions leave: 50,000 lookups 10 ms apart, a
# minute kept (6,000 and the last; 44,000 dropped), blocks of records freed under the
# sanitizer, with and without rules repacking them.
long=$T/long.pcap
"$CAPGEN" -n 50000 retain_long "$long"
for args in "--set parse.thread=1" "--set parse.thread=0" "-R bundled"; do
	# shellcheck disable=SC2086
	run_hc "$T/out" "$T/err" -r "$long" --set store.retain=1m $args \
	    --stats --values service
	check "long, retain 1m, $args: kept and dropped" \
	    "0 dropped by retention	44000 kept	last 1m, 6001 sessions 6001	53" \
	    "$rc $(grep -E '^(dropped|kept)' "$T/err" | tr '\n' ' ')$(cat "$T/out")"
	check "long, retain 1m, $args: no sanitizer report" "" \
	    "$(grep -m1 -E 'ERROR|leak' "$T/err")"
done

# --- Correlation: a window not shorter than the retention is warned about
# at load with its place.  A file kept in a window is judged on the packet
# clock as its sessions are stored, sliding windows as on a live capture,
# so a session is judged before it leaves: each name repeats every 500 s,
# and every kept session has a partner within repeat's 600 s window, 19 of
# them only in the half hour before the cut.  All 181 kept carry the
# alert, where the capture cut to its last 30 minutes gives 162.
cat >"$T/c.nwr" <<'EOF'
name=repeat type=correlation rule="service = 53" group=alias.host window=600 threshold="sessions >= 2" alert=ioc
name=slow type=correlation rule="service = 53" group=ip.src window=1800 threshold="sessions >= 2" alert=ioc
EOF
run_hc "$T/out" "$T/err" --set store.retain=30m --check-rules "$T/c.nwr"
check "--check-rules: the window warning, exit 0" \
    "0 $T/c.nwr:2:68: warning: window=1800 is not shorter than store.retain (1800 s): its groups count only the sessions kept" \
    "$rc $(cat "$T/out")"
run_hc "$T/out" "$T/err" --set store.retain=31m --check-rules "$T/c.nwr"
check "--check-rules: a window shorter than retention is clean" "0 " \
    "$rc $(cat "$T/out")"
run_hc "$T/want" "$T/err" -r "$tail" -R "$T/c.nwr" --values ioc
check "the cut capture: 162 flagged" "162	repeat" "$(cat "$T/want")"
for pt in 0 1; do
	run_hc "$T/got" "$T/err" -r "$full" -R "$T/c.nwr" \
	    --set store.retain=30m --set parse.thread=$pt --values ioc
	check "retain 30m, parse.thread=$pt: every kept session flagged" \
	    "181	repeat" "$(cat "$T/got")"
done
check "retain 30m: the warning on a run too" 1 \
    "$(grep -c 'c.nwr:2:68: warning: window=1800' "$T/err")"
# --groups lists each flagged session once, with the group of the last
# judgement that flagged it, whichever judgement that was (the last one
# alone covers 82 of them).
run_hc "$T/got" "$T/err" -r "$full" -R "$T/c.nwr" --set store.retain=30m \
    --groups
check "retain 30m: --groups lists the 181, each once" "181 181 0" \
    "$(wc -l <"$T/got") $(cut -f1 "$T/got" | sort -u | wc -l) $(grep -c \
    ERROR "$T/err")"
check "retain 30m: a session's group is its name's" \
    "631	repeat	alias.host = 'h30.example.com'" \
    "$(grep -m1 '^631	' "$T/got" | cut -f1-3)"
run_hc "$T/got" "$T/err" -r "$full" -R "$T/c.nwr" \
    --set store.max_sessions=1000 --values ioc
check "max_sessions above the count: sliding windows flag all 721" \
    "721	repeat" "$(cat "$T/got")"

# --- The console's status line says what is kept.
if command -v tmux >/dev/null 2>&1; then
	. "$(dirname "$0")/../tmux.sh"
	start 100 30 -r "$full" --set store.retain=30m
	expect_screen "console: the status line says what is kept" \
	    'kept: last 30m, 181 sessions  packets: 1442'
	quit_rc "console: quits with 0"
	start 100 30 -r "$full"
	expect_screen "console without retention: the session count" \
	    'sessions: 721  packets: 1442'
	quit_rc "console without retention: quits with 0"
	check "console: no sanitizer report" "" \
	    "$(grep -m1 ERROR "$T/stderr")"
else
	echo "# skip: tmux is not installed"
fi
finish
