#!/usr/bin/env bash
# test_console_events.sh - the Events pane (issue 20): full dates, an
# arrow on the sorted column (ASCII ^ v without UTF-8), r reverses the
# sort, and the last line says "row N of M".  The orders are checked against
# batch --sessions.  Driven in tmux, waiting on screen content.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

bcap=$(cap basic)
export XDG_CONFIG_HOME=$T/config
"$HUNTCON" -r "$bcap" -R none --sessions --fields sessionid,size,time >"$T/s"
n=$(wc -l <"$T/s")
last=$(tail -1 "$T/s")
lastid=$(cut -f1 <<<"$last")
lastdate=$(cut -f3 <<<"$last" | sed 's/T/ /; s/\..*//')
big=$(sort -t$'\t' -k2,2nr -k1,1n "$T/s" | head -1 | cut -f1)
small=$(sort -t$'\t' -k2,2n -k1,1nr "$T/s" | head -1 | cut -f1)

start 100 30 -r "$bcap" -R none
loaded || notok "basic loads" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "full dates in the time column" '^> +1 2024-01-15 10:00:00 '
expect_screen "the time column sorted, oldest first" '^ +id time▴ '
expect_screen "row 1 of M" " row 1 of $n$"
$TM send-keys Down Down
expect_screen "row 3 of M after two moves" " row 3 of $n$"
$TM send-keys r
expect_screen "r: newest first" 'sessions sorted by time, newest first'
expect_screen "r: the arrow turns" '^ +id time▾ '
expect_screen "r: the newest session first, with its date" \
    "^> +$lastid $lastdate "
expect_screen "r: back to row 1" " row 1 of $n$"
$TM send-keys r s
expect_screen "s: by size, the arrow on size" ' size▾ '
expect_screen "s: the largest session first (as batch)" "^> +$big "
$TM send-keys r
expect_screen "r: smallest first" 'sessions sorted by size, smallest first'
expect_screen "r: the size arrow turns" ' size▴ '
expect_screen "r: the smallest session first (as batch)" "^> +$small "
quit_rc "quits with 0"

# At 80 columns the endpoints keep their ports: addresses shortened.
start 80 24 -r "$bcap" -R none
loaded || notok "basic loads (80x24)" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "80x24: the ports stay, the addresses end in ~" \
    '^> +1 2024-01-15 10:00:00 [0-9.]+~?:50000 > [0-9.]+~:80 '
quit_rc "80x24: quits with 0"

# Without UTF-8: ASCII arrows.
SCREEN_LANG=C start 100 30 -r "$bcap" -R none
loaded || notok "basic loads (LANG=C)" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "LANG=C: an ASCII arrow" '^ +id time\^ '
$TM send-keys r
expect_screen "LANG=C: reversed" '^ +id timev '
quit_rc "LANG=C: quits with 0"
finish
