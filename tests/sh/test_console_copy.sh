#!/usr/bin/env bash
# test_console_copy.sh - copy with OSC 52 (issue 20): y writes
# ESC ] 52 ; c ; BASE64 BEL to the terminal with the escaped text of the
# value under the cursor (Navigate), the chosen cell or the session's meta
# (Events), the meta or the packets shown (Session view); tmux with
# set-clipboard on turns each into a buffer, whose exact text is checked.
# console.osc52 = 0 turns copying off, and the message line says so.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

std=$(cap lt_en10mb)
esc=$(cap escapes)
export XDG_CONFIG_HOME=$T/config

# copied NAME TEXT: the newest tmux buffer is exactly TEXT (polled: the
# buffer appears once tmux has read the sequence).
copied() {
	local end=$((SECONDS + 15)) got=
	while [ $SECONDS -le $end ]; do
		got=$($TM show-buffer -b "buffer$((nbuf))" 2>/dev/null) &&
		    break
		sleep 0.05
	done
	nbuf=$((nbuf + 1))
	check "$1" "$2" "$got"
}
nbuf=0

start 100 60 -r "$std" -R none
$TM set -g set-clipboard on
loaded || notok "the standard set loads" "$(cat "$T/screen")"
$TM send-keys : alias.host Enter
expect_screen "alias.host is the selected key" '^>.* alias\.host '
$TM send-keys j y
expect_screen "the message says what was copied" \
    '^copied a value of alias\.host \([0-9]+ bytes\) with OSC 52'
first=$("$HUNTCON" -r "$std" -R none --values alias.host | head -1 | cut -f2)
copied "y on a value: the value" "$first"
$TM send-keys k y
copied "y on a key's header: its name" "alias.host"

# Events: the session's meta, then a chosen cell's values.
$TM send-keys / "service = 53 && alias.host = 'www.example.org'" Enter
expect_screen "the DNS session is the path" '1 sessions?$'
$TM send-keys 2
expect_screen "Events lists it" '^> +3 '
$TM send-keys y
expect_screen "the message names the session" \
    '^copied the meta of session 3 \([0-9]+ bytes\) with OSC 52'
$TM show-buffer -b buffer2 >"$T/meta" 2>/dev/null
nbuf=3
check "its first line: sessionid" "sessionid            3" \
    "$(head -1 "$T/meta")"
check_grep "a line of it: alias.host" '^alias\.host           www\.example\.org$' \
    "$T/meta"
check_grep "another: alias.ip" '^alias\.ip             93\.184\.216\.34$' \
    "$T/meta"
$TM send-keys Right Right Right Right y
copied "y on a chosen cell (the destination): its value" "8.8.8.8"
$TM send-keys Left Left Left Left Enter
expect_screen "the Session view opens" '^session 3: 2 packets$'
screen >/dev/null
check "y in the Session view at its head: the meta as the view lists it" \
    "$(sed -n '/^meta$/,/^packets (/p' "$T/screen" | sed '1d;$d' |
	sed 's/^  //; s/ *$//')" \
    "$(sed 's/ *$//' "$T/meta")"
$TM send-keys G y
expect_screen "on the packets: the packets shown" \
    '^copied 1 packet of session 3 as shown \([0-9]+ bytes\) with OSC 52'
last=$("$HUNTCON" -r "$std" -R none -q "sessionid = 3" --packets | tail -1 |
    awk -F'\t' '{ printf "  frame %s  %s %s  %s  %s bytes", $2, $3, $4,
	$5, $6 }')
$TM show-buffer -b buffer$nbuf >"$T/pk" 2>/dev/null
nbuf=$((nbuf + 1))
check "the packet's line first, as shown" "$last" "$(head -1 "$T/pk")"
check "then its bytes in hex, every line" \
    "$(( ( $("$HUNTCON" -r "$std" -R none -q "sessionid = 3" --packets |
	tail -1 | cut -f6) + 15) / 16 + 1))" "$(awk 'END { print NR }' "$T/pk")"
$TM send-keys d y
expect_screen "d then y: the decoded packet" '^copied 1 packet'
$TM show-buffer -b buffer$nbuf >"$T/dec" 2>/dev/null
nbuf=$((nbuf + 1))
check "the decoded lines are copied as shown" \
    "    dns response id 0x3a08 NOERROR, 1 question, 1 answer, 0 authority, 0 additional
      question: www.example.org A IN
      answer: www.example.org A 93.184.216.34 ttl 600" \
    "$(sed 1d "$T/dec")"
quit_rc "quits with 0"

# --- escaped: an ESC in a DNS name reaches the clipboard as \x1b.
start 100 30 -r "$esc" -R none
$TM set -g set-clipboard on
loaded || notok "escapes loads" "$(cat "$T/screen")"
nbuf=0
$TM send-keys / "alias.host contains 'esc.example'" Enter
$TM send-keys : alias.host Enter
expect_screen "alias.host is the selected key" '^>.* alias\.host '
$TM send-keys j y
expect_screen "copied" '^copied a value of alias\.host'
$TM show-buffer -b buffer0 >"$T/v" 2>/dev/null
check "no control byte reaches the clipboard" 0 \
    "$(LC_ALL=C tr -d '\n' <"$T/v" | LC_ALL=C grep -c '[[:cntrl:]]')"
check_grep "an escape in it is written \\x" '\\x' "$T/v"
quit_rc "quits with 0"

# --- console.osc52 = 0: nothing written, and the message line says so.
start 100 30 -r "$std" -R none --set console.osc52=0
$TM set -g set-clipboard on
loaded || notok "loads with console.osc52=0" "$(cat "$T/screen")"
$TM send-keys j y
expect_screen "copying off: the message line says so" \
    '^copying is off \(console\.osc52 = 0\)'
check "no buffer was made" "" "$($TM list-buffers 2>/dev/null)"
$TM send-keys '?' NPage
expect_screen "the help lists y from the key table" \
    '^ y +everywhere +copy to the clipboard \(OSC 52\)'
quit_rc "quits with 0"

check "--keys lists console.osc52" 1 \
    "$("$HUNTCON" --keys | grep -c "^setting	console\.osc52	1	")"
finish
