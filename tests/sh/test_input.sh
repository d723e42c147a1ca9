#!/usr/bin/env bash
# test_input.sh - bad input is normal input: missing, empty, foreign,
# truncated and rejected files; directories; usage errors (SPEC §1, §6).
. "$(dirname "$0")/../lib.sh"

basic=$(cap basic)
nbasic=$("$HUNTCON" -r "$basic" --sessions | wc -l)

# A missing file: one line naming it, exit 1, the other input still read.
run_hc "$T/out" "$T/err" -r "$T/missing.pcap" -r "$basic" --sessions
check "missing: exit 1" 1 "$rc"
check "missing: one error line" \
	"huntcon: $T/missing.pcap: cannot open: No such file or directory" \
	"$(cat "$T/err")"
check "missing: other input still read" "$nbasic" "$(wc -l <"$T/out")"

# An empty file.
: >"$T/empty.pcap"
run_hc "$T/out" "$T/err" -r "$T/empty.pcap" --sessions
check "empty: exit 1" 1 "$rc"
check "empty: message" "huntcon: $T/empty.pcap: empty file, not a capture" \
	"$(cat "$T/err")"

# A file that is not a capture, by magic number not by name.
printf 'hello world\n' >"$T/notes.pcap"
run_hc "$T/out" "$T/err" -r "$T/notes.pcap" --stats
check "foreign: exit 1" 1 "$rc"
check "foreign: message" \
	"huntcon: $T/notes.pcap: not a capture file (magic 0x68656c6c)" \
	"$(cat "$T/err")"
cp "$basic" "$T/capture.txt"
run_hc "$T/out" "$T/err" -r "$T/capture.txt" --sessions
check "capture named .txt is read" "0 $nbasic" "$rc $(wc -l <"$T/out")"

# A directory without captures, and one with captures and other files.
mkdir "$T/nocaps" "$T/caps"
printf 'x' >"$T/nocaps/a.txt"
run_hc "$T/out" "$T/err" -r "$T/nocaps" --sessions
check "dir without captures: exit 1" 1 "$rc"
check_grep "dir without captures: named" \
	"^huntcon: $T/nocaps: no capture files in directory$" "$T/err"
check_grep "dir: foreign file skipped with a warning" \
	"^huntcon: warning: $T/nocaps/a.txt: skipped: not a capture file$" "$T/err"
cp "$basic" "$T/caps/b.pcap"
cp "$(cap lt_raw)" "$T/caps/a.pcap"
printf 'notes' >"$T/caps/c.txt"
run_hc "$T/out" "$T/err" -r "$T/caps" --values did --sort value
check "dir with captures: exit 0" 0 "$rc"
check "dir: files in name order, did joined" \
	"$T/caps/a.pcap
$T/caps/b.pcap" "$(cut -f2 "$T/out")"

# A truncated tail: processed up to the cut, warning, exit 0.
trunc=$(cap truncated)
n=$(tshark -r "$basic" -T fields -e frame.number 2>/dev/null | wc -l)
last=$(tshark -r "$basic" -T fields -e frame.cap_len 2>/dev/null | tail -1)
off=$(( $(stat -c %s "$basic") - 16 - last ))
run_hc "$T/out" "$T/err" -r "$trunc" --stats
check "truncated: exit 0" 0 "$rc"
check "truncated: warning names packets and byte" \
	"huntcon: warning: $trunc: truncated after $((n - 1)) packets at byte $off" \
	"$(cat "$T/err")"
check "truncated: packets up to the cut" "read	$((n - 1))" \
	"$(head -1 "$T/out")"

# A file libpcap rejects (pcap version 3.4): its message, the other inputs
# go on.
cp "$basic" "$T/v3.pcap"
printf '\003\000' | dd of="$T/v3.pcap" bs=1 seek=4 conv=notrunc 2>/dev/null
run_hc "$T/out" "$T/err" -r "$T/v3.pcap" -r "$basic" --sessions
check "rejected: exit 1" 1 "$rc"
check_grep "rejected: libpcap's message" \
	"^huntcon: $T/v3.pcap: cannot read: .*version 3" "$T/err"
check "rejected: other input printed" "1" \
	"$([ "$(wc -l <"$T/out")" -ge "$nbasic" ] && echo 1)"

# A capture with a header and no packets.
head -c 24 "$basic" >"$T/header.pcap"
run_hc "$T/out" "$T/err" -r "$T/header.pcap" --sessions
check "header only: exit 1" 1 "$rc"
check "header only: message" "huntcon: $T/header.pcap: no packets" "$(cat "$T/err")"

# --stats adds up on malformed input.
run_hc "$T/out" "$T/err" -r "$(cap malformed)" --stats
check "malformed: exit 0" 0 "$rc"
sum=$(awk -F'\t' '$1 != "read" && $1 != "sessions" {s += $2} END {print s}' "$T/out")
check "stats: read = assigned + reasons" "$(awk -F'\t' '$1 == "read" {print $2}' "$T/out")" "$sum"
for r in "truncated link header" "bad ip header" "truncated transport header" "not ip"; do
	check_grep "stats: reason '$r' counted" "^$r	[1-9]" "$T/out"
done

# Usage errors exit 2.
run_hc "$T/out" "$T/err" -r "$basic" --values ip.proto --sessions
check "two outputs: exit 2" 2 "$rc"
run_hc "$T/out" "$T/err" -r "$basic" --values ip.proto --sort sideways
check "bad --sort: exit 2" 2 "$rc"
run_hc "$T/out" "$T/err" --sessions
check "no input: exit 2" 2 "$rc"
run_hc "$T/out" "$T/err" -r "$basic"
check "console without a terminal: exit 2" 2 "$rc"
run_hc "$T/out" "$T/err" -r "$basic" --sessions --fields ip.src,nosuch.key
check "unknown field: exit 2" 2 "$rc"
check_grep "unknown field: named" "unknown meta key 'nosuch.key'" "$T/err"
run_hc "$T/out" "$T/err" -r "$basic" --stats --set session.idle_timeout=soon
check "bad --set: exit 2" 2 "$rc"
check_grep "bad --set: named" "'soon' is not a valid value for session.idle_timeout" "$T/err"
# Seconds past 2^31 (pcap's unsigned 32 bits, to 2106) print as their date
# and match time literals.  One UDP packet at the given little-endian
# ts_sec bytes.
onepkt() {
	printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\0\0\0\0\0\0\0\0\xff\xff\0\0\x01\0\0\0'
	printf "$1"'\0\0\0\0\x2a\0\0\0\x2a\0\0\0'
	printf '\0\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\0'
	printf '\x45\0\0\x1c\0\x01\0\0\x40\x11\0\0\x0a\0\0\x01\x0a\0\0\x02'
	printf '\x04\xd2\0\x35\0\x08\0\0'
}
onepkt '\0\0\0\x80' >"$T/t2038.pcap"
onepkt '\x80\x7e\xaa\x83' >"$T/t2040.pcap"
onepkt '\xff\xff\xff\xff' >"$T/t2106.pcap"
check "2^31 s: TSV" "2038-01-19T03:14:08.000000Z" \
	"$("$HUNTCON" -r "$T/t2038.pcap" -R none --sessions --fields time)"
check "2^31 s: JSON" '{"time":"2038-01-19T03:14:08.000000Z"}' \
	"$("$HUNTCON" -r "$T/t2038.pcap" -R none --sessions --fields time --format json)"
check "2^31 s: --values" "1	2038-01-19T03:14:08.000000Z" \
	"$("$HUNTCON" -r "$T/t2038.pcap" -R none --values time)"
check "2^32-1 s: the last pcap second" "2106-02-07T06:28:15.000000Z" \
	"$("$HUNTCON" -r "$T/t2106.pcap" -R none --sessions --fields time)"
check "2040: a date literal matches" "1" \
	"$("$HUNTCON" -r "$T/t2040.pcap" -R none --sessions --fields sessionid -q "time = '2040-jan-01 00:00:00'")"
check "2040: epoch seconds match" "1" \
	"$("$HUNTCON" -r "$T/t2040.pcap" -R none --sessions --fields sessionid -q "time = 2208988800")"
check "2040: a range across 2^31 matches" "1" \
	"$("$HUNTCON" -r "$T/t2040.pcap" -R none --sessions --fields sessionid -q "time = '2038-jan-19 03:14:08'-'2106-feb-07 06:28:15'")"

# -r of a FIFO reads it as a capture stream, as -r - reads standard input
# (did is its name); a device is refused at once with a clear message.
mkfifo "$T/x.fifo"
cat "$basic" >"$T/x.fifo" &
rc=0
timeout 10 "$HUNTCON" -r "$T/x.fifo" -R none --values ip.proto >"$T/out" 2>"$T/err" || rc=$?
check "FIFO: exit 0" 0 "$rc"
check "FIFO: the file's counts" "$("$HUNTCON" -r "$basic" -R none --values ip.proto)" "$(cat "$T/out")"
check "FIFO: did is its name" "$T/x.fifo" \
    "$(cat "$basic" >"$T/x.fifo" & timeout 10 "$HUNTCON" -r "$T/x.fifo" -R none --values did | cut -f2)"
printf 'not a capture' >"$T/x.fifo" &
rc=0
timeout 10 "$HUNTCON" -r "$T/x.fifo" -R none --values ip.proto >"$T/out" 2>"$T/err" || rc=$?
check "FIFO of garbage: exit 1" 1 "$rc"
check_grep "FIFO of garbage: message names it" "^huntcon: $T/x.fifo: cannot read: " "$T/err"
rc=0
cat "$basic" | timeout 10 "$HUNTCON" -r /dev/stdin -R none --values ip.proto >"$T/out" 2>"$T/err" || rc=$?
check "/dev/stdin on a pipe: read as a stream" \
	"0 $("$HUNTCON" -r "$basic" -R none --values ip.proto)" "$rc $(cat "$T/out")"
rc=0
timeout 10 "$HUNTCON" -r - -R none --values ip.proto <"$basic" >"$T/out" 2>"$T/err" || rc=$?
check "-r -: exit 0" 0 "$rc"
check "-r -: the file's counts" "$("$HUNTCON" -r "$basic" -R none --values ip.proto)" "$(cat "$T/out")"
rc=0
timeout 10 "$HUNTCON" -r /dev/zero -R none --values ip.proto >"$T/out" 2>"$T/err" || rc=$?
check "-r /dev/zero: exit 1, no hang" 1 "$rc"
check "-r /dev/zero: message" "huntcon: /dev/zero: is a character device, not a capture file" "$(cat "$T/err")"
rc=0
timeout 10 "$HUNTCON" -r /dev/stdin -R none --values ip.proto <"$basic" >"$T/out" 2>"$T/err" || rc=$?
check "/dev/stdin redirected from a file: read as the file" \
	"0 $("$HUNTCON" -r "$basic" -R none --values ip.proto)" "$rc $(cat "$T/out")"

# A second file older than the first: its 40,000 new sessions are listed
# before the first file's 40,000 open ones.  Each used to walk back over
# all of those (13 s of CPU here); now the whole run takes a fraction of a
# second, well inside a 10 s CPU limit.
"$CAPGEN" -n 40000 flows-udp "$T/fu.pcap" >/dev/null
"$CAPGEN" -n 40000 flows-tcp "$T/ft.pcap" >/dev/null
editcap -t -3600 "$T/ft.pcap" "$T/ft-old.pcap"
rc=0
(ulimit -t 10; exec "$HUNTCON" -r "$T/fu.pcap" -r "$T/ft-old.pcap" -R none \
    --stats) >"$T/out" 2>"$T/err" || rc=$?
check "an older second file: exit 0 within 10 s of CPU" 0 "$rc"
check "an older second file: every session" 80000 \
	"$(awk -F'\t' '$1 == "sessions" {print $2}' "$T/out")"
finish
