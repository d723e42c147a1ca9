#!/usr/bin/env bash
# test_screen.sh - the console driven through tmux: open generated captures,
# drill, step back, query prompt (apply, error caret), Events, Session,
# resize, quit; counts checked against batch mode; packet bytes with ESC
# sequences must not reach the terminal.  Waits on screen content (polling
# capture-pane with a timeout), never on fixed sleeps.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"

# batch_n QUERY: sessions batch mode selects.
batch_n() {
	if [ -n "$1" ]; then
		"$HUNTCON" -r "$cap" --sessions --fields sessionid -q "$1" | wc -l
	else
		"$HUNTCON" -r "$cap" --sessions --fields sessionid | wc -l
	fi
}

# page_until NAME REGEX: page down (PgDn) until a line matches.
page_until() {
	local i
	for i in $(seq 1 30); do
		if wait_for "$2" 1; then ok "$1"; return; fi
		$TM send-keys NPage
	done
	notok "$1" "no line matches '$2' in:
$(cat "$T/screen")"
}
# batch_value KEY VALUE: the --values count of one value.
batch_value() {
	"$HUNTCON" -r "$cap" --values "$1" | awk -F'\t' -v v="$2" '$2 == v { print $1 }'
}

# --- basic at 80x24: drill, back, prompt, error caret, panes, resize, quit.
cap=$(cap basic)
start 80 24 -r "$cap"
loaded || notok "basic loads" "$(cat "$T/screen")"
expect_screen "basic: all sessions counted" \
    "path: \(all sessions\) +$(batch_n '') sessions"
expect_screen "basic: ip.proto key listed" '^>?(▾|-) ip\.proto +[0-9]+ values'
n6=$(batch_value ip.proto 6)
expect_screen "basic: ip.proto 6 count as --values" "^ +$n6  6\$"

select_row ip.proto 1 && ok "basic: cursor on ip.proto 1" ||
	notok "basic: cursor on ip.proto 1" "$(cat "$T/screen")"
$TM send-keys Enter
n=$(batch_n 'ip.proto = 1')
check "basic: --values agrees with -q" "$(batch_value ip.proto 1)" "$n"
expect_screen "basic: breadcrumb after drill" \
    "^path: ip\.proto = 1 +$n sessions\$"
expect_screen "basic: ip.proto narrowed to 1" "^ +$n  1\$"

select_row analysis.session 'icmp reply without request' &&
	ok "basic: cursor on analysis.session value" ||
	notok "basic: cursor on analysis.session value" "$(cat "$T/screen")"
$TM send-keys Enter
n=$(batch_n "ip.proto = 1 && analysis.session = 'icmp reply without request'")
expect_screen "basic: breadcrumb after second drill" \
    "^path: ip\.proto = 1 && analysis\.session = 'icmp reply without request' +$n sessions\$"

$TM send-keys BSpace
expect_screen "basic: Backspace steps back" "^path: ip\.proto = 1 +[0-9]+ sessions\$"

select_row ip.proto 1
$TM send-keys '!'
n=$(batch_n 'ip.proto != 1')
expect_screen "basic: negation drill" "^path: ip\.proto = 1 && ip\.proto != 1 +0 sessions\$"
$TM send-keys BSpace BSpace
expect_screen "basic: back to all sessions" "^path: \(all sessions\)"

q='ip.proto = 17 && udp.dstport = 53'
$TM send-keys / C-u "$q" Enter
n=$(batch_n "$q")
expect_screen "basic: query applied" "^path: ip\.proto = 17 && udp\.dstport = 53 +$n sessions\$"

$TM send-keys / C-u 'ip.proto exsts 6' Enter
expect_screen "basic: query error shown" "\^ column 10: 'exsts' is not an operator"
col=$(awk '/\^ column 10:/ { print index($0, "^") }' "$T/screen")
pcol=$(awk '/^\/ ip\.proto exsts/ { print index($0, "exsts") }' "$T/screen")
check "basic: caret under the column" "$pcol" "$col"
$TM send-keys Escape
wait_gone '\^ column 10' && ok "basic: Esc cancels the prompt" ||
	notok "basic: Esc cancels the prompt" "$(cat "$T/screen")"
expect_screen "basic: path kept after cancel" "^path: ip\.proto = 17 && udp\.dstport = 53 "

$TM send-keys 2
expect_screen "basic: Events pane" 'endpoints +pro +svc'
expect_screen "basic: Events lists the path's sessions" '^> +[0-9]+ .*:53 '
$TM send-keys Space
expect_screen "basic: mark counted" 'marked: 1'
$TM send-keys Up Enter
expect_screen "basic: Session pane" '^session [0-9]+$'
expect_screen "basic: session meta" '^  ip\.proto +17$'
page_until "basic: session meta udp.dstport" '^  udp\.dstport +53$'
page_until "basic: session packets" '^  frame [0-9]+ '
page_until "basic: hex dump" '^    0000  [0-9a-f]{2} '

$TM send-keys '?'
expect_screen "basic: help from the binding table" 'step back one drill'
$TM send-keys '?' 1
expect_screen "basic: back to Navigate" 'sorted by count'

$TM resize-window -x 200 -y 60
expect_screen "basic: resized to 200 columns" "^ huntcon .{150,}keys  q:quit"
[ "$(screen | wc -l)" -ge 60 ] && ok "basic: 60 lines after resize" ||
	notok "basic: 60 lines after resize" "$(wc -l <"$T/screen")"
$TM resize-window -x 39 -y 11
expect_screen "basic: too small screen" 'terminal too small \(39x11'
$TM resize-window -x 80 -y 24
expect_screen "basic: back at 80x24" '^path: ip\.proto = 17'
quit_rc "basic: q exits 0"
[ -s "$XDG_STATE_HOME/huntcon/history" ] && grep -q 'udp.dstport = 53' \
    "$XDG_STATE_HOME/huntcon/history" && ok "basic: history saved" ||
	notok "basic: history saved"

# --- demo at 200x60, started with -q.
cap=$(cap demo)
start 200 60 -r "$cap" -q "'ip.proto = 17'"
loaded || notok "demo loads" "$(cat "$T/screen")"
n=$(batch_n 'ip.proto = 17')
expect_screen "demo: -q is the initial path" "^path: ip\.proto = 17 +$n sessions\$"
nv=$("$HUNTCON" -r "$cap" -q 'ip.proto = 17' --values udp.dstport | head -1)
expect_screen "demo: top udp.dstport as --values -q" \
    "^ +$(echo "$nv" | cut -f1)  $(echo "$nv" | cut -f2)\$"
$TM send-keys BSpace
expect_screen "demo: all sessions" "^path: \(all sessions\) +$(batch_n '') sessions"
$TM send-keys 2 Enter
expect_screen "demo: Session pane at 200x60" '^session [0-9]+$'
quit_rc "demo: q exits 0"

# --- escapes: nothing from a packet reaches the terminal unescaped.
cap=$(cap escapes)
start 80 24 -r "$cap"
loaded || notok "escapes loads" "$(cat "$T/screen")"
title=$($TM display-message -p '#{pane_title}')
$TM send-keys / C-u "alias.host exists && udp.dstport = 53" Enter 2 Enter
expect_screen "escapes: session opened" '^session [0-9]+$'
page_until "escapes: escaped name drawn" '\\x1b\]0;title\\x07\.esc\.example'
$TM send-keys 1 / C-u "tcp.dstport = 80" Enter 2 Enter
expect_screen "escapes: HTTP session opened" "^session [0-9]+$"
page_until "escapes: escaped server header" "evil\\\\x1b\\[5m/1\\.0"
$TM send-keys g t
page_until "escapes: HTTP request text escaped" 'GET /\\x1b\[2J'
check "escapes: window title unchanged" "$title" \
    "$($TM display-message -p '#{pane_title}')"
$TM capture-pane -p -e >"$T/esc-screen"
if grep -aq $'\x1b\]' "$T/esc-screen" || grep -aqE $'\x1b\\[[0-9;]*[^0-9;m]' "$T/esc-screen"; then
	notok "escapes: only attribute sequences in the pane" "$(cat -v "$T/esc-screen" | head)"
else
	ok "escapes: only attribute sequences in the pane"
fi
quit_rc "escapes: q exits 0"

# --- ASCII fallback: LANG=C draws no UTF-8.
SCREEN_LANG=C start 80 24 -r "$(cap basic)"
loaded || true
expect_screen "ascii: plain key markers" '^>?- analysis\.session'
quit_rc "ascii: q exits 0"

# --- A truncated capture: the warning reaches the status line, even when
# the file's name is longer than the screen is wide.
long=$T/$(printf 'a-directory-with-a-long-name/%.0s' 1 2 3)
mkdir -p "$long" && cp "$(cap truncated)" "${long}truncated.pcap"
start 80 24 -r "${long}truncated.pcap"
expect_screen "truncated: warning on the status line" \
	'truncated after [0-9]+ packets at byte [0-9]+'
expect_screen "truncated: long source name shortened, counts kept" \
	'^ source: …/(.*/)?truncated\.pcap  sessions: [0-9]+  packets: [0-9]+'
quit_rc "truncated: q exits 0"

# --- A query that runs long (a catastrophic regex over 100,000 names, each
# stopped at the match limit): its progress shows, Esc and C-c stop it and
# leave the path as it was; run to the end, it says what it gave up on.
cap=$(cap regex_names)
slowq="alias.host regex '^(a|a?)+\$'"
start 80 24 -r "$cap"
loaded || notok "regex_names loads" "$(cat "$T/screen")"
$TM send-keys / C-u "udp.dstport = 53" Enter
expect_screen "slow query: a path to keep" '^path: udp\.dstport = 53 +100000 sessions$'
$TM send-keys / C-u "$slowq" Enter
expect_screen "slow query: progress on the message line" \
	'^querying \(Esc cancels\) +[0-9]+% '
$TM send-keys Escape
expect_screen "slow query: Esc stops it" '^query cancelled$'
expect_screen "slow query: the path is as it was" \
	'^path: udp\.dstport = 53 +100000 sessions$'
$TM send-keys / C-u "$slowq" Enter
expect_screen "slow query: progress again" '^querying \(Esc cancels\) +[0-9]+% '
$TM send-keys C-c
expect_screen "slow query: C-c stops it" '^query cancelled$'
expect_screen "slow query: the path is still as it was" \
	'^path: udp\.dstport = 53 +100000 sessions$'
$TM send-keys '?'
expect_screen "slow query: the key map lists the cancel key" \
	'^ Esc C-c +everywhere +stop a query that runs long'
$TM send-keys '?' / C-u "$slowq" Enter
expect_screen "slow query: run to the end, no session" \
	"^path: alias\.host regex '\^\(a\|a\?\)\+\\$' +0 sessions$" 120
expect_screen "slow query: the give-ups on the message line" \
	"^warning: regex '\^\(a\|a\?\)\+\\$' gave up on 100000 values at the match"
quit_rc "slow query: q exits 0"

# --theme is read once, with main's other options: as NAME and =NAME, the
# last one given wins, and a bad name is an error before the screen opens.
basic=$(cap basic)
start 100 30 -r "$basic" --theme nosuch --theme=mono
expect_screen "--theme=mono after a bad --theme: the console opens" '\[Navigate\]'
quit_rc "--theme=mono: q exits 0"
start 100 30 -r "$basic" --theme light --theme nosuch
for i in $(seq 300); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "--theme nosuch last: exit 2" 2 "$(cat "$T/rc" 2>/dev/null)"
check "--theme nosuch last: message" "huntcon: --theme nosuch: no such theme" \
    "$(cat "$T/stderr")"

finish
