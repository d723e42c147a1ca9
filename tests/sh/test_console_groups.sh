#!/usr/bin/env bash
# test_console_groups.sh - the Session pane shows which correlation rule
# and group flagged a session, with the group's figures as --groups
# prints them (issue 21); after the rules are applied again from the rule
# editor the groups are those of the new run; a session no group flagged
# shows none.  Driven in tmux, waiting on screen content.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

beacon=$(cap corr_beacon)
export XDG_CONFIG_HOME=$T/config
"$HUNTCON" -r "$beacon" --groups -q "sessionid = 2" >"$T/g"
IFS=$'\t' read -r _ rule group first last sessions distinct size payload \
    rate interval cv <"$T/g"
check "batch: the beacon's group" \
    "possible_beaconing|ip.src = 10.5.0.40 && ip.dst = 203.0.113.80|20" \
    "$rule|$group|$sessions"

# re TEXT: TEXT as an extended regular expression.
re() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'; }

start 100 40 -r "$beacon" -q "'sessionid = 2'"
loaded || notok "corr_beacon loads" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events lists session 2" '^> +2 2024-01-15 10:00:00 '
$TM send-keys Enter
expect_screen "the Session pane names the groups" \
    '^correlation groups that flagged it '
expect_screen "the rule and the group's key values" \
    "^  $(re "$rule: $group")\$"
expect_screen "the group's figures, as --groups" \
    "^    $(re "sessions $sessions  distinct $distinct  size $size  payload $payload  rate $rate  interval $interval  cv $cv")\$"
expect_screen "the group's window" "^    $(re "from $first to $last")\$"

# The rules applied again from the editor: the report of that run.
$TM send-keys 4 r
expect_screen "the rules are applied again" 'rules applied to 60 sessions'
$TM send-keys 2 Enter
expect_screen "after re-apply: the group again" \
    "^  $(re "$rule: $group")\$"
quit_rc "quits with 0"

# A session no group flagged: no groups section.
check "batch: session 1 is in no group" "" \
    "$("$HUNTCON" -r "$beacon" --groups -q "ip.src = 10.5.0.42")"
start 100 40 -r "$beacon" -q "'ip.src = 10.5.0.42'"
loaded || notok "corr_beacon loads again" "$(cat "$T/screen")"
$TM send-keys 2 Enter
expect_screen "an unflagged session opens" '^packets \(t: '
if grep -q '^correlation groups' "$T/screen"; then
	notok "no groups for an unflagged session" "$(cat "$T/screen")"
else
	ok "no groups for an unflagged session"
fi
quit_rc "unflagged: quits with 0"

# A correlation rule reading what an application rule writes: once that
# rule is disabled and the rules applied again, the correlation finds no
# session (it selects through the index, built again before it runs).
mkdir -p "$T/r"
cat >"$T/r/a.nwr" <<'RULES'
name="tagged" rule="ip.src = 10.5.0.40" alert=analysis.session type=application
name=tagged_many type=correlation rule="analysis.session = 'tagged'" group=ip.src window=3600 threshold="sessions >= 5" alert=ioc
RULES
check "batch: the correlation over the tagged sessions" "20	tagged_many" \
    "$("$HUNTCON" -r "$beacon" -R "$T/r" --values ioc)"
start 100 40 -r "$beacon" -R "$T/r"
loaded || notok "corr_beacon loads with the tagging rules" "$(cat "$T/screen")"
$TM send-keys : ioc Enter
expect_screen "Navigate counts the correlation" '^ +20  tagged_many$'
$TM send-keys 4 Home Space
expect_screen "the tagging rule disabled" '^> +1 \[ \] tagged '
$TM send-keys r
expect_screen "the rules are applied again" 'rules applied to 60 sessions'
$TM send-keys 1
wait_gone '^ +20  tagged_many$' &&
	ok "the correlation no longer counts the untagged sessions" ||
	notok "the correlation no longer counts the untagged sessions" \
	    "$(cat "$T/screen")"
$TM send-keys q
expect_screen "quitting asks about the unwritten change" \
    '^rule changes are not written: w write them and quit, q quit without'
$TM send-keys q
quit_rc "tagging: quits with 0, nothing written"

finish
