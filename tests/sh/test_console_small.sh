#!/usr/bin/env bash
# test_console_small.sh - small terminals (issue 20): at 80x24 what is too
# long wraps or shows its end (a message and a prompt error on more lines,
# the breadcrumb's newest term after '<', help, Session meta values and a
# rule's condition wrapped under themselves); below 80 columns the compact
# layout (narrower Navigate counts, Events without its least useful
# columns, a short title and status line) down to 40x12, "terminal too
# small" only under that; and resizing between them.  Driven in tmux,
# waiting on screen content.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

# both NAME RE1 RE2: one screen shows a line matching each (waited for).
both() {
	local end=$((SECONDS + 15))
	while [ $SECONDS -le $end ]; do
		screen >/dev/null
		grep -qE -- "$2" "$T/screen" && grep -qE -- "$3" "$T/screen" &&
		    { ok "$1"; return; }
		sleep 0.05
	done
	notok "$1" "no lines match '$2' and '$3' in:
$(cat "$T/screen")"
}

bcap=$(cap basic)
export XDG_CONFIG_HOME=$T/config
mkdir -p "$T/rules"
cond="ip.dst = 10.0.0.1 || ip.dst = 10.0.0.2 || ip.dst = 10.0.0.3"
cond="$cond || ip.dst = 10.0.0.4 || ip.dst = 93.184.216.34"
printf 'name="many hosts" rule="%s" alert=ioc\n' "$cond" \
    >"$T/rules/10-long.nwr"
long=this-is-a-long-value-that-names-something-very-long-indeed-yes-and-more
mid=a-value-long-enough-to-need-a-second-line

# --- 80x24: a message longer than the line wraps onto a second line.
start 80 24 -r "$bcap" -R "$T/rules" -q "\"ip.src = '$mid'\""
loaded || notok "basic loads" "$(cat "$T/screen")"
both "a long message: both its lines" \
    "^-q: column 10: '$mid' is not a valid value\$" \
    '^  for ip\.src \(ipv4, not quoted\)$'
expect_screen "a long message: the status line stays" \
    'sessions: 18  packets: [0-9]+$'
quit_rc "long message: quits with 0"

# --- A prompt error wraps under its caret.
start 80 24 -r "$bcap" -R "$T/rules"
loaded || notok "basic loads again" "$(cat "$T/screen")"
$TM send-keys / C-u "ip.src = '$long'" Enter
both "a prompt error: the caret and its column" \
    '^ +\^ column 10:$' "^  '$long' is\$"
both "a prompt error: its end on the next line" \
    "^  '$long' is\$" \
    '^  not a valid value for ip\.src \(ipv4, not quoted\)$'
$TM send-keys C-g
wait_gone 'not a valid value' && ok "the prompt closes" ||
    notok "the prompt closes" "$(cat "$T/screen")"

# --- The breadcrumb keeps its newest term: its start gives way to '<'.
$TM send-keys / C-u "ip.proto != 99 && ip.proto != 98 && ip.proto != 97" \
    " && ip.proto != 96 && tcp.dstport = 80" Enter
expect_screen "a long path: its newest term after '<'" \
    '^path: < .*ip\.proto != 96 && tcp\.dstport = 80 +[0-9]+ sessions$'
$TM send-keys c
expect_screen "the path cleared" '^path: \(all sessions\) +18 sessions$'

# --- Help: a long description wraps under itself.
$TM send-keys '?'
both "help: a long description wraps under its column" \
    '^ /  +everywhere  query prompt: Enter replaces the path, Esc or C-g$' \
    '^ {26}cancels, Tab completes$'
$TM send-keys '?'
wait_gone '^ key  +where' || notok "help closes" "$(cat "$T/screen")"

# --- Session pane: a long meta value wraps, indented under the values.
$TM send-keys 2
expect_screen "Events lists the sessions" '^> +1 2024-01-15 10:00:00 '
$TM send-keys Enter f Mozilla Enter
both "Session: a long meta value wraps under the values" \
    '^> client +Mozilla/5\.0 \(X11; .*Gecko/20100101$' '^ {23}Firefox/121\.0$'

# --- Rules pane: the selected rule's long condition wraps.
$TM send-keys 4
both "Rules: a long condition wraps under rule=" \
    '^ {10}rule=ip\.dst = 10\.0\.0\.1 \|\| ip\.dst = 10\.0\.0\.2 \|\|' \
    '^ {15}.*ip\.dst = 93\.184\.216\.34$'
quit_rc "80x24: quits with 0"

# --- 60x20: the compact layout, no "terminal too small".
start 60 20 -r "$bcap" -R "$T/rules"
loaded || notok "basic loads at 60x20" "$(cat "$T/screen")"
expect_screen "compact: Navigate shows values and counts" \
    '^ +4  many hosts$'
expect_screen "compact: the narrower count column" '^  sessions  value  '
expect_screen "compact: the title names the pane" '^ \[Navigate\] +\?:keys'
expect_screen "compact: the status line without its label" \
    '^ [^ ].*basic\.pcap  sessions: 18  packets: 107$'
grep -q 'terminal too small' "$T/screen" &&
    notok "compact: not too small" "$(cat "$T/screen")" ||
    ok "compact: not too small"
$TM send-keys 2
expect_screen "compact: Events keeps id, time, endpoints, svc, pkts" \
    '^ +id time▴ +endpoints +svc +pkts$'
expect_screen "compact: an Events row with those columns" \
    '^> +1 10:00:00 10\.0\.0\.5:50000 > .*:80 +80 +11$'
expect_screen "compact: where the cursor is" ' row 1 of 18$'
$TM send-keys s
expect_screen "compact: the sorted column is kept" \
    '^ +id time +endpoints +svc +size▾$'
$TM send-keys Right Right Right Right
expect_screen "compact: the chosen cell and the row" '^ +ip\.dst  row 1 of 18$'

# --- Session pages by screen lines: paging through session 1's meta, with
# many values wrapped at 40x12, shows every key that has values.
want=$("$HUNTCON" -r "$bcap" -R "$T/rules" -q 'sessionid = 1' --sessions \
    --fields all --header | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++)
	h[i] = $i; next } { for (i = 1; i <= NF; i++) if ($i != "")
	print h[i] }' | sort)
$TM resize-window -x 40 -y 12
$TM send-keys Left Left Left Left Left Left Home Enter
expect_screen "40x12: Session view of session 1" '^session 1: '
: >"$T/keys"
for _ in $(seq 1 20); do
	screen >/dev/null
	awk '/^[> ] [a-z][a-z0-9._]*( |$)/ { print $1 == ">" ? $2 : $1 }' \
	    "$T/screen" >>"$T/keys"
	grep -q '^packets (t: hex' "$T/screen" && break
	prev=$(cat "$T/screen")
	$TM send-keys NPage
	end=$((SECONDS + 5))
	while [ $SECONDS -le $end ] && [ "$(screen)" = "$prev" ]; do
		sleep 0.05
	done
done
missing=$(comm -23 <(echo "$want") <(sort -u "$T/keys") | tr '\n' ' ')
check "40x12: Session pages skip no meta line" "" "$missing"
$TM resize-window -x 60 -y 20
$TM send-keys 2

# --- Help pages by screen lines: each page starts with the last line of
# the one before (wrapped actions are not skipped), to the last binding.
$TM send-keys '?'
wait_for '^ key  +where' || notok "compact: help opens" "$(cat "$T/screen")"
skipped=0 pages=0
for _ in $(seq 1 40); do
	prev=$(screen)
	last=$(sed -n 18p <<<"$prev")
	$TM send-keys NPage
	end=$((SECONDS + 5))
	while [ $SECONDS -le $end ] && [ "$(screen)" = "$prev" ]; do
		sleep 0.05
	done
	[ "$(screen)" = "$prev" ] && break
	pages=$((pages + 1))
	grep -qxF -- "$last" "$T/screen" || skipped=$((skipped + 1))
done
check "compact: help pages skip no line" 0 "$skipped"
[ "$pages" -ge 3 ] && ok "compact: help has $pages more pages" ||
    notok "compact: help has more pages" "$pages"
expect_screen "compact: help ends with the last binding" \
    '^ P +everywhere +live capture: pause the view'
$TM send-keys '?'
wait_gone '^ key  +where' || notok "compact: help closes" "$(cat "$T/screen")"

# --- Resizing: full at 80x24, too small under 40x12, compact again.
$TM resize-window -x 80 -y 24
expect_screen "resized to 80x24: the full Events columns" \
    '^ +id time +endpoints +pro +svc +size▾ +pkts'
expect_screen "resized to 80x24: full dates" '^> +1 2024-01-15 10:00:00 '
$TM resize-window -x 39 -y 12
expect_screen "resized to 39x12: terminal too small" \
    '^terminal too small \(39x12, need 40x12\)$'
$TM resize-window -x 40 -y 12
expect_screen "resized to 40x12: the compact Events rows" \
    '^> +1 10:00:00 10\.~:50000 > 93\.~:80$'
$TM resize-window -x 60 -y 20
expect_screen "resized to 60x20: compact again" \
    '^ +id time +endpoints +svc +size▾$'
quit_rc "60x20: quits with 0"

finish
