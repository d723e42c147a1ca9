#!/usr/bin/env bash
# test_console_columns.sh - the Events pane's extra columns (issue 20): C
# opens a "columns: " prompt (Tab completes key names); each key chosen is
# a column after pkts, its header the key's name, its cells the session's
# first value (cut with ~, +N for N more), a cell Left and Right reach; a
# name that is not a key is refused under the line with its column.  The
# choice is written to huntcon.conf as console.columns (the file's other
# lines kept) and a new console shows it again.  A config directory that
# cannot be written (a read-only bind mount in a private mount namespace:
# the tests run as root, so modes stop nothing) is said on the message
# line, the columns still shown.  Driven in tmux, waiting on the screen.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

bcap=$(cap basic)
tcap=$(cap dns_tunnel)
export XDG_CONFIG_HOME=$T/config
conf=$XDG_CONFIG_HOME/huntcon/huntcon.conf
mkdir -p "$XDG_CONFIG_HOME/huntcon"
printf '# mine\nconsole.values = 0\n' >"$conf"

# re TEXT: TEXT as a literal in an extended regular expression.
re() { sed 's/[][\.*^$()+?{}|]/\\&/g' <<<"$1"; }

# Session 1 of basic: its host, and its client cut to the 20 columns of
# the client column ("~" as the 20th).
"$HUNTCON" -r "$bcap" -R none --sessions --fields sessionid,alias.host,client \
    >"$T/s"
host=$(awk -F'\t' '$1 == 1 { print $2 }' "$T/s")
client=$(awk -F'\t' '$1 == 1 { print $3 }' "$T/s")
check "basic: session 1 has a host and a client" "www.example.com yes" \
    "$host $([ ${#client} -gt 20 ] && echo yes)"
cut_client="${client:0:19}~"
nhost=$("$HUNTCON" -r "$bcap" -R none --sessions \
    -q "alias.host = '$host'" | wc -l)

start 200 30 -r "$bcap" -R none
loaded || notok "basic loads" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "the Events pane, no extra column" \
    '^ +id time.* pkts analysis\.session$'
$TM send-keys C
expect_screen "C opens the columns prompt" '^columns:'
$TM send-keys alias.h Tab
expect_screen "Tab completes a key name" '^columns: alias\.host'
$TM send-keys ,nope.key Enter
expect_screen "an unknown key is refused, named, with its column" \
    "column 1[23]: 'nope\.key' is not a meta key \(see --keys\)"
check_file "the refused choice is not written" "# mine
console.values = 0" "$conf"
$TM send-keys C-u "alias.host, client" Enter
expect_screen "the columns' names in the header, after pkts" \
    ' pkts alias\.host +client +analysis\.session$'
expect_screen "session 1's host and its client, cut with ~" \
    "^> +1 .* $(re "$host") +$(re "$cut_client") *$"
expect_screen "the message says where they are saved" \
    "^columns: alias\.host,client \(saved in $(re "$conf")\)"
check_file "console.columns written, the other lines kept" "# mine
console.values = 0
console.columns=alias.host,client" "$conf"
quit_rc "quits with 0"

# A new console shows them again; Right reaches their cells.
start 200 30 -r "$bcap" -R none
loaded || notok "basic loads again" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "restarted: the columns are back" \
    ' pkts alias\.host +client +analysis\.session$'
expect_screen "restarted: session 1's host" "^> +1 .* $(re "$host") "
for i in $(seq 1 10); do $TM send-keys Right; done
expect_screen "Right reaches the alias.host cell" \
    'alias\.host: Enter drills, ! its negation, p a new path +row 1 of'
$TM send-keys Enter
expect_screen "Enter on it drills on its value, as batch -q counts" \
    "^path: alias\.host = '$(re "$host")' +$nhost sessions?$"
quit_rc "restarted: quits with 0"

# At 100 columns the chosen columns take their room from the endpoints
# (down to 20), so the first of them is on the screen.
start 100 30 -r "$bcap" -R none
loaded || notok "basic loads at 100 columns" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "100 columns: the first chosen column in the header" \
    ' pkts alias\.host '
expect_screen "100 columns: session 1's host" "^> +1 .* $(re "$host") "
quit_rc "100 columns: quits with 0"

# A key with many values: the first, cut, and +N for the others.
nnames=$("$HUNTCON" -r "$tcap" -R none --sessions --fields sessionid,alias.host |
    awk -F'\t' '$1 == 1 { print split($2, a, ",") }')
start 200 30 -r "$tcap" -R none
loaded || notok "dns_tunnel loads" "$(cat "$T/screen")"
$TM send-keys 2 C C-u alias.host Enter
expect_screen "many values: the first, cut, then +N ($nnames names)" \
    "^> +1 .*~\+$((nnames - 1))( |$)"
$TM send-keys C C-u Enter
expect_screen "an empty line: no extra column" \
    '^ +id time.* pkts analysis\.session$'
expect_screen "the message says none" '^columns: none \(saved in '
check_file "console.columns written empty, once" "# mine
console.values = 0
console.columns=" "$conf"
quit_rc "dns_tunnel: quits with 0"

# A read-only config directory: the message says why, the columns stay.
probe=$T/probe
mkdir -p "$probe"
if ! unshare -m sh -c 'mount --bind -o ro "$1" "$1" && ! touch "$1/x"' \
    sh "$probe" 2>/dev/null; then
	echo "# skip: no private mount namespace (unshare -m) here"
	finish
fi
cat >"$T/ro-huntcon" <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind -o ro "\$1" "\$1" && shift && exec "\$@"' \\
    sh "$XDG_CONFIG_HOME" "$HUNTCON" "\$@"
EOF
chmod +x "$T/ro-huntcon"
HUNTCON=$T/ro-huntcon start 200 30 -r "$bcap" -R none
loaded || notok "basic loads (read-only config)" "$(cat "$T/screen")"
$TM send-keys 2 C client Enter
expect_screen "read-only: the message names the file and the reason" \
    "^columns not saved: $(re "$conf"): Read-only file system \(shown until you quit\)"
expect_screen "read-only: the column is shown all the same" \
    ' pkts client +analysis\.session$'
quit_rc "read-only: quits with 0"
check_file "read-only: the file is as it was" "# mine
console.values = 0
console.columns=" "$conf"
finish
