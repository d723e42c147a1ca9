#!/usr/bin/env bash
# test_console_session.sh - the Session view shows everything (issue 19):
# every packet of a session past the old cut at 500, every byte of a
# packet past 512, read lazily, with the position ("packet 1,399 of
# 1,400"), Wireshark's frame numbers (FILE:N with several inputs), date
# and time with the offset from the session's start, G to the last packet,
# and the payload as text on t; each packet line as --packets prints it.
# Driven in tmux, waiting on screen content.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
use_asan

cap=$(cap icmp_tunnel)
bcap=$(cap basic)
export XDG_CONFIG_HOME=$T/config
"$HUNTCON" -r "$cap" -R none -q "sessionid = 1" --packets --hex >"$T/pk"
npk=$(wc -l <"$T/pk")
check "the session is past the old cut of 500 packets" 1400 "$npk"

# screen_line FIELDS...: a --packets line as the Session view shows it.
screen_line() {
	awk -F'\t' '{ printf "  frame %s  %s %s  %s  %s bytes\n", $2, $3, $4,
	    $5, $6 }'
}
first=$(head -1 "$T/pk" | screen_line)
last=$(tail -1 "$T/pk" | screen_line)
lastlen=$(tail -1 "$T/pk" | cut -f6)

start 100 30 -r "$cap" -R none
loaded || notok "icmp_tunnel loads" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events lists the sessions" '^> +1 2024-01-15 10:00:00 '
$TM send-keys Enter
expect_screen "the Session view counts every packet" \
    '^session 1: 1,400 packets$'
for _ in $(seq 1 10); do
	wait_for '^  frame ' 1 && break
	$TM send-keys NPage
done
expect_screen "the first packet: frame, date and time, offset, direction" \
    "^$(printf '%s' "$first" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
$TM send-keys G
expect_screen "G goes to the last packet" '^session 1: packet 1,400 of 1,400$'
expect_screen "the last packet, numbered as Wireshark numbers it" \
    "^$(printf '%s' "$last" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
# Every byte of it: the dump's last line holds its last bytes.
lastoff=$(printf '%04x' $(((lastlen - 1) / 16 * 16)))
tail_hex=$(tail -1 "$T/pk" | cut -f7 | sed 's/.*\(.\{'"$((2 * (lastlen % 16 == 0 ? 16 : lastlen % 16)))"'\}\)$/\1/' |
    sed 's/../& /g; s/ $//')
for _ in $(seq 1 10); do
	wait_for "^    $lastoff  " 1 && break
	$TM send-keys NPage
done
expect_screen "every byte of a $lastlen-byte packet (past the old 512)" \
    "^    $lastoff  $tail_hex "
$TM send-keys G Up
expect_screen "Up from the last packet: the position moves" \
    '^session 1: packet 1,399 of 1,400$'
$TM send-keys G t
expect_screen "t shows the payload as text" \
    '^session 1: packet 1,400 of 1,400  \(payload as text\)$'
expect_screen "the packet line stays" \
    "^$(printf '%s' "$last" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
expect_screen "the payload, escaped" '^    \\x'
$TM send-keys g
expect_screen "g goes back to the top" '^session 1: 1,400 packets  \(payload as text\)$'
quit_rc "quits with 0"

# --- r: the request/response text of a TCP session, the initiator's
# payload and then the responder's, escaped and wrapped at 80 columns.
"$HUNTCON" -r "$bcap" -R none -q "sessionid = 1" --packets --text >"$T/pk3"
check "the session's request is an HTTP GET" "GET /index.html HTTP/1.1" \
    "$(awk -F'\t' '$5 == "request" && $7 != "" { print $7; exit }' "$T/pk3" |
    sed 's/\\r.*//')"
start 80 24 -r "$bcap" -R none -q "'sessionid = 1'"
loaded || notok "basic loads" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events lists session 1" '^> +1 2024-01-15 10:00:00 '
$TM send-keys Enter r
expect_screen "r shows the request/response text" \
    '^session 1: 11 packets  \(request/response text\)$'
for _ in $(seq 1 10); do
	wait_for '^response \(the responder' 1 && break
	$TM send-keys NPage
done
expect_screen "the initiator's payload, escaped" \
    '^    GET /index\.html HTTP/1\.1\\r$'
# The User-Agent line (84 columns escaped) wraps at 75 after the indent.
ua=$(awk -F'\t' '$5 == "request" && $7 != "" { print $7; exit }' "$T/pk3" |
    sed 's/.*\\r\\nUser-Agent/User-Agent/; s/\\r\\n.*/\\r/')
check "the User-Agent line is longer than the screen" 84 "${#ua}"
expect_screen "a long header wrapped, nothing cut" \
    "^    $(printf '%s' "${ua:0:75}" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
expect_screen "its rest on the next line" \
    "^    $(printf '%s' "${ua:75}" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
expect_screen "then the responder's payload" '^    HTTP/1\.1 200 OK\\r$'
req=$(grep -n '^    GET /index' "$T/screen" | cut -d: -f1)
resp=$(grep -n '^    HTTP/1\.1 200' "$T/screen" | cut -d: -f1)
check "the request comes before the response" 1 \
    "$([ -n "$req" ] && [ -n "$resp" ] && [ "$req" -lt "$resp" ] && echo 1)"
$TM send-keys G
expect_screen "G: the responder's last data packet" \
    '^session 1: response, packet 7 of 11  \(request/response text\)$'
# The line that packet 6 begins and packet 7 ends shows whole, at the
# top of packet 7's part.
joined=$(awk -F'\t' '$2 == 6 { print $7 }' "$T/pk3" | sed 's/.*\\n//')$(
    awk -F'\t' '$2 == 7 { print $7 }' "$T/pk3" | sed 's/\\n.*//')
# Up once per line break of packet 7: the top of its part.
for _ in $(seq 1 "$(awk -F'\t' '$2 == 7 { print $7 }' "$T/pk3" |
    grep -o '\\n' | wc -l)"); do
	$TM send-keys Up
done
for _ in $(seq 1 50); do
	screen >/dev/null
	[ "$(sed -n 4p "$T/screen")" = "    $joined" ] && break
	sleep 0.1
done
check "a line that spans two packets, joined" "    $joined" \
    "$(sed -n 4p "$T/screen")"
$TM send-keys G
expect_screen "the payload's last line as the file holds it" \
    "^    $(awk -F'\t' '$2 == 7 { print $7 }' "$T/pk3" |
    sed 's/.*\\n//; s/ *$//; s/[][\.*^$()+?{}|]/\\&/g')\$"
$TM send-keys r
expect_screen "r again: the packets" '^session 1: packet 7 of 11$'
quit_rc "request/response: quits with 0"

# --- Lines that span packets across the pane's windows of 512 packets:
# a TCP session (capgen tcp_lines) whose client sends "xNNNN" a packet
# and ends a line every third; paging through r shows every line whole,
# once and nothing else (no piece cut at a window's edge, none lost).
lines=$(cap tcp_lines)
npk=$("$HUNTCON" -r "$lines" -R none --sessions --fields packets)
awk 'BEGIN { for (i = 0; i < 1100; i++) { l = l sprintf("x%04d", i);
	if (i % 3 == 2) { print "    " l; l = "" } } if (l != "") print "    " l }' |
    sort >"$T/want"
start 100 30 -r "$lines" -R none
loaded || notok "the lines capture loads" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events lists its session" '^> +1 '
$TM send-keys Enter r
expect_screen "r on the long session" \
    '^session 1: [0-9],[0-9]{3} packets  \(request/response text\)$'
check "the session is past two windows of 512" yes \
    "$([ "$npk" -gt 1024 ] && echo yes)"
: >"$T/seen"
for _ in $(seq 1 40); do
	screen >/dev/null
	grep '^    x' "$T/screen" >>"$T/seen"
	grep -q '^    x1098x1099$' "$T/screen" && break
	before=$(sed -n 3p "$T/screen")
	$TM send-keys NPage
	for _ in $(seq 1 100); do
		screen >/dev/null
		[ "$(sed -n 3p "$T/screen")" != "$before" ] && break
		sleep 0.02
	done
done
sort -u "$T/seen" >"$T/seen.u"
check "every line whole across the windows, nothing else" \
    "$(wc -l <"$T/want") same" \
    "$(wc -l <"$T/seen.u") $(cmp -s "$T/want" "$T/seen.u" && echo same ||
    diff "$T/want" "$T/seen.u" | head -5)"
quit_rc "long session: quits with 0"

# --- Several inputs: the file's name and its frame number.
q="ip.dst = 8.8.4.4 && ip.proto = 1"
"$HUNTCON" -r "$bcap" -r "$cap" -R none -q "$q" --packets >"$T/pk2"
first2=$(head -1 "$T/pk2" | screen_line)
start 100 30 -r "$bcap" -r "$cap" -R none -q "'$q'"
loaded || notok "two inputs load" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events lists the ping" '^> +[0-9]+ 2024-01-15 10:00:30 '
$TM send-keys Enter
expect_screen "the ping's session" '^session [0-9]+: 8 packets$'
$TM send-keys Down
for _ in $(seq 1 5); do
	wait_for '^  frame ' 1 && break
	$TM send-keys NPage
done
expect_screen "with several inputs: FILE:FRAME" \
    "^$(printf '%s' "$first2" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
check "the file is named in the frame" "icmp_tunnel.pcap:733" \
    "$(head -1 "$T/pk2" | cut -f2)"
quit_rc "two inputs: quits with 0"

finish
