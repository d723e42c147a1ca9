#!/usr/bin/env bash
# test_stream_console.sh - the console on a capture stream (SPEC §7, -r -
# and -r FIFO): keys come from /dev/tty while the packets come on standard
# input; the stream's packets go to a spool under $XDG_CACHE_HOME that is
# kept at exit and named; the Session pane reads them back from it; C-c
# ends a stream that stays open; without a terminal to read keys from the
# console says so.  Driven in tmux, waiting on screen content.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "# skip: tmux is not installed"
	finish
fi
command -v python3 >/dev/null || { ok "skipped: no python3 (make deps installs it)"; finish; }

. "$(dirname "$0")/../tmux.sh"
use_asan

cap=$(cap icmp_tunnel)
export XDG_CACHE_HOME=$T/cache
pkts=$("$HUNTCON" -r "$cap" --stats 2>&1 | awk -F'\t' '$1 == "read" {print $2}')
nsess=$("$HUNTCON" -r "$cap" --sessions --fields sessionid | wc -l)

# A whole capture on standard input: the file's counts, keys from the tty.
start 100 30 "-r - <$cap"
expect_screen "stdin: every packet read" "source: -  sessions: $nsess  packets: $pkts"
$TM send-keys 2
expect_screen "stdin: keys reach the console (Events)" '\[Events\]'
$TM send-keys Enter
expect_screen "stdin: the Session pane opens the session" '\[Session\]'
$TM send-keys G
# The session's last packet read back from the spool: its hex dump.
for _ in 1 2 3; do
	wait_for '^    01f0  ' 1 && break
	$TM send-keys NPage
done
expect_screen "stdin: the session's packets read back from the spool" \
    '^    01f0  ([0-9a-f]{2} ){16} '
quit_rc "stdin: quits with 0"
spool=$(ls -d "$T"/cache/huntcon/spool/*/ 2>/dev/null | head -1)
check "stdin: one spool under XDG_CACHE_HOME" 1 \
    "$(ls -d "$T"/cache/huntcon/spool/*/ 2>/dev/null | wc -l)"
check "stdin: the message names it" "huntcon: the packets read are kept in ${spool%/}" \
    "$(cat "$T/stderr")"
check "stdin: the spool holds every packet" "$pkts" \
    "$("$HUNTCON" -r "$spool" --stats 2>&1 | awk -F'\t' '$1 == "read" {print $2}')"

# A stream that stays open (a FIFO whose writer sends everything, then
# waits): the console says it is still reading; C-c ends it, and the
# console hunts in what it sent.
mkfifo "$T/in.fifo"
cat >"$T/writer.py" <<'EOF'
import sys, time
out = open(sys.argv[2], "wb")
out.write(open(sys.argv[1], "rb").read())
out.flush()
time.sleep(60)
EOF
python3 "$T/writer.py" "$cap" "$T/in.fifo" &
wpid=$!
start 100 30 -r "$T/in.fifo"
expect_screen "open FIFO: still reading, C-c ends it" \
    "sessions: [0-9]+ \\([0-9]+ open\\)  packets: $pkts \\([0-9]+/s\\)  spool: [0-9.]+ [KMG]?i?B  C-c: end, P: pause"
# (the sender's clock stops with its packets: sessions stay open)
$TM send-keys / 'ip.proto = 1' Enter
expect_screen "open FIFO: a query answers while it reads" \
    "^path: ip.proto = 1 +[0-9]+ sessions?\$"
$TM send-keys 2
expect_screen "open FIFO: Events lists the open sessions as open" \
    '^    open [-0-9]+ [0-9:]+ '
$TM send-keys 1
$TM send-keys C-c
expect_screen "open FIFO: C-c says the stream ends" '^ending the stream'
expect_screen "open FIFO: every packet sent is counted" "sessions: $nsess  packets: $pkts"
quit_rc "open FIFO: quits with 0"
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null

# Standard input left on the terminal: a usage error, not a console
# waiting for a capture header from the keyboard.
start 100 30 -r -
for i in $(seq 300); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "stdin a terminal: exit 2" 2 "$(cat "$T/rc" 2>/dev/null)"
check_grep "stdin a terminal: message" \
    '^huntcon: -r -: standard input is a terminal; send it a capture' "$T/stderr"

# A cache directory that cannot be made: the spool's message, exit 1.
XDG_CACHE_HOME=/dev/null/cache
start 100 30 "-r - <$cap"
for i in $(seq 300); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "unwritable cache: exit 1" 1 "$(cat "$T/rc" 2>/dev/null)"
check "unwritable cache: message" \
    "huntcon: spool: /dev/null/cache: cannot make it: Not a directory" \
    "$(cat "$T/stderr")"
XDG_CACHE_HOME=$T/cache

# No terminal to read keys from (a new session without a controlling
# terminal, its output still on the pane): said, exit 2.
$TM kill-server 2>/dev/null
TM="tmux -L $SOCK-notty"
rm -f "$T/rc"
$TM new-session -d -x 100 -y 30 \
    "setsid -w $HUNTCON -r - <$cap 2>$T/stderr; echo \$? >$T/rc; sleep 600"
for i in $(seq 300); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "no terminal: exit 2" 2 "$(cat "$T/rc" 2>/dev/null)"
check "no terminal: message" \
    "huntcon: the console needs a terminal: /dev/tty: No such device or address" \
    "$(cat "$T/stderr")"
$TM kill-server 2>/dev/null
# A tiny spool (--spool-size 64K): a session's first packets left the
# spool while the stream was read; the Session pane says so for each of
# them (and how many in its head), and still shows the ones kept.
"$HUNTCON" -r - --spool "$T/tiny" --spool-size 64K --sessions \
    --fields sessionid,packets,packets.missing -q "sessionid = 3" \
    <"$cap" >"$T/tiny.tsv"
IFS=$'\t' read -r _ npk nmiss <"$T/tiny.tsv"
check "tiny spool: session 3 lost some of its packets, not all" yes \
    "$([ "${nmiss:-0}" -gt 0 ] && [ "$nmiss" -lt "$npk" ] && echo yes)"
start 100 50 "-r - --spool-size 64K -q 'sessionid = 3' <$cap"
expect_screen "tiny spool: every packet read" "source: -  sessions: $nsess  packets: $pkts"
$TM send-keys 2
expect_screen "tiny spool: Events lists session 3" '^> +3 '
$TM send-keys Enter
for _ in $(seq 1 5); do
	wait_for '^  packet 1: ' 1 && break
	$TM send-keys NPage
done
expect_screen "tiny spool: the head counts the packets gone" \
    "^  $nmiss of $npk packets no longer in the spool\$"
expect_screen "tiny spool: the first packet is said to be gone" \
    '^  packet 1: no longer in the spool \(its spool file was deleted'
$TM send-keys G
expect_screen "tiny spool: the last packet is still read back" \
    "^session 3: packet $npk of $npk\$"
expect_screen "tiny spool: its frame in the spool" '^  frame [0-9]+-[0-9]+\.pcap:[0-9]+ '
quit_rc "tiny spool: quits with 0"

finish
