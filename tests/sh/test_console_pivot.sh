#!/usr/bin/env bash
# test_console_pivot.sh - pivots (issue 20): from a cell of the selected
# row in Events (Left/Right choose it) and from a meta line of the Session
# view (the line at the top), Enter drills on the value, ! on its
# negation, p makes it a new path; the path and its count are those batch
# gives for the same query.  Driven in tmux, waiting on screen content.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

bcap=$(cap basic)
export XDG_CONFIG_HOME=$T/config

# re TEXT: TEXT as an extended regular expression.
re() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'; }
# count QUERY: the sessions batch mode gives for it.
count() { "$HUNTCON" -r "$bcap" -R none --sessions -q "$1" | wc -l; }
# expect_path NAME PATH: the breadcrumb shows PATH and batch's count.
expect_path() {
	local n
	n=$(count "$2")
	expect_screen "$1 ($n sessions, as batch)" \
	    "^path: $(re "$2") +$n sessions\$"
}

start 100 30 -r "$bcap" -R none
loaded || notok "basic loads" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events lists the sessions" '^> +1 2024-01-15 10:00:00 '
# Right: the time cell, then the source address.
$TM send-keys Right Right
expect_screen "the chosen cell is named in the header" \
    ' ip\.src: Enter drills, ! its negation, p a new path '
$TM send-keys Enter
expect_path "Enter on a cell drills on its value" "ip.src = 10.0.0.5"
expect_screen "Events lists the path's sessions" '^> +1 2024-01-15 10:00:00 '
# Two more to the right: the source port, then the destination.
$TM send-keys Right Right
expect_screen "the destination cell" ' ip\.dst: Enter drills'
$TM send-keys '!'
expect_path "! drills on the negation" \
    "ip.src = 10.0.0.5 && ip.dst != 93.184.216.34"
# Left of the first cell: none, and Enter opens the session again.
for _ in 1 2 3 4 5; do $TM send-keys Left; done
wait_gone ' ip\.dst: Enter drills' ||
    notok "Left past the first cell chooses none" "$(cat "$T/screen")"
$TM send-keys Enter
expect_screen "with no cell chosen Enter opens the session" \
    '^session 4: [0-9]+ packets$'

# The Session view: the meta line at the top is the one pivots act on.
for _ in $(seq 1 40); do
	wait_for '^session 4: meta ip\.dst ' 0 && break
	$TM send-keys Down
done
expect_screen "the top meta line is chosen" \
    '^session 4: meta ip\.dst  \(Enter: drill, !: its negation, p: a new path\)$'
expect_screen "and shown selected" '^> ip\.dst +8\.8\.8\.8$'
$TM send-keys p
expect_path "p makes it a new path" "ip.dst = 8.8.8.8"
expect_screen "the Events pane shows it" 'new path: ip\.dst = 8\.8\.8\.8'
# A key with several values: Enter drills on any of them.
$TM send-keys c
expect_screen "the path cleared" '^path: \(all sessions\) +18 sessions$'
$TM send-keys Down Down Down Down Down Enter
expect_screen "the ping's session" '^session 6: 8 packets$'
for _ in $(seq 1 40); do
	wait_for '^session 6: meta icmp\.type ' 0 && break
	$TM send-keys Down
done
expect_screen "a meta line with two values" '^> icmp\.type +8, 0$'
$TM send-keys Enter
expect_path "Enter drills on its values" "icmp.type = 8,0"
$TM send-keys 3
for _ in $(seq 1 40); do
	wait_for '^session 6: meta ip\.src ' 0 && break
	$TM send-keys Up
done
$TM send-keys '!'
expect_path "! in the Session view joins the negation" \
    "(icmp.type = 8,0) && ip.src != 10.0.0.5"
quit_rc "quits with 0"
finish
