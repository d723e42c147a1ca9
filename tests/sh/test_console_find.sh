#!/usr/bin/env bash
# test_console_find.sh - find within a pane (issue 20): f asks for text,
# n finds the next match and N the previous, round the end (said so);
# Navigate matches keys and values, Events the sessions with a meta value
# holding the text, the Session view its lines (packets read again).
# Driven in tmux, waiting on screen content.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

std=$(cap lt_en10mb)
export XDG_CONFIG_HOME=$T/config

# expect_selected NAME KEY VALUE: the selected Navigate row.
expect_selected() {
	local end=$((SECONDS + 15))
	while [ $SECONDS -le $end ]; do
		screen >/dev/null
		selected_in "$2" "$3" && { ok "$1"; return; }
		sleep 0.05
	done
	notok "$1" "$(cat "$T/screen")"
}

# The alias.host values holding "example", in Navigate's order (count).
"$HUNTCON" -r "$std" -R none --values alias.host | cut -f2 >"$T/hosts"
check "three host names hold 'example'" 3 "$(grep -c example "$T/hosts")"
h1=$(sed -n 1p "$T/hosts") h2=$(sed -n 2p "$T/hosts") h3=$(sed -n 3p "$T/hosts")

start 100 50 -r "$std" -R none
loaded || notok "the standard set loads" "$(cat "$T/screen")"
$TM send-keys f
expect_screen "f asks for the text" '^find:'
$TM send-keys example Enter
expect_selected "f: the first value holding it" alias.host "$h1"
expect_screen "the message line says found" \
    '^found example \(n: next, N: previous\)'
$TM send-keys n
expect_selected "n: the next" alias.host "$h2"
$TM send-keys n
expect_selected "n: the next again" alias.host "$h3"
$TM send-keys n
expect_selected "n past the last: round to the first" alias.host "$h1"
expect_screen "and says so" '^found example \(from the other end\)'
$TM send-keys N
expect_selected "N: the previous, round the top" alias.host "$h3"
$TM send-keys N
expect_selected "N again" alias.host "$h2"
$TM send-keys f C-u "dns.querytype" Enter
expect_screen "a key's name is found too" '^>▾ dns\.querytype '
$TM send-keys f C-u "nothing holds this" Enter
expect_screen "not found: said" '^not found: nothing holds this'

# Events: the sessions with a meta value holding the text.
$TM send-keys 2
expect_screen "Events lists the sessions" 'row 1 of 6'
row=$("$HUNTCON" -r "$std" -R none --sessions --fields sessionid |
    grep -nx 3 | cut -d: -f1)
$TM send-keys f C-u 8.8.8.8 Enter
expect_screen "f in Events: the session whose ip.dst is 8.8.8.8" '^> +3 '
expect_screen "its row said" "^found 8\\.8\\.8\\.8: row $row of 6\$"
$TM send-keys f C-u www.example Enter
expect_screen "the first session with a www.example host" '^> +1 '
$TM send-keys n
expect_screen "n: the next one" '^> +3 '
$TM send-keys N
expect_screen "N: back" '^> +1 '

# The Session view: its lines, packets read again.
$TM send-keys N Enter
expect_screen "the session opens" '^session 3: 2 packets$'
frame=$("$HUNTCON" -r "$std" -R none -q "sessionid = 3" --packets |
    tail -1 | cut -f2)
$TM send-keys f C-u "frame $frame " Enter
expect_screen "f in the Session view: the packet's line" \
    '^session 3: packet 2 of 2$'
$TM send-keys n
expect_screen "n: no other line holds it: round to the same" \
    '^found frame [0-9]+  \(from the other end\)'
$TM send-keys f C-u "alias.ip" Enter
expect_screen "round the end to the meta line" \
    '^session 3: meta alias\.ip '
$TM send-keys d f C-u "answer:" Enter
expect_screen "in the decoded view: the answer's packet" \
    '^session 3: packet 2 of 2  \(decoded\)$'
$TM send-keys N
expect_screen "N: the same line, round the top" \
    '^session 3: packet 2 of 2  \(decoded\)$'
$TM send-keys '?'
for _ in $(seq 1 20); do
	wait_for '^ n N +everywhere +the next' 1 && break
	$TM send-keys NPage
done
expect_screen "the help lists f and n N" '^ n N +everywhere +the next'
expect_screen "and f" '^ f +everywhere +find text in the pane'
quit_rc "quits with 0"
finish
