#!/usr/bin/env bash
# test_live_console.sh - the console on a live interface (huntcon -i) in
# a network namespace, a veth pair to a second one made for the test: the
# status line counts sessions while traffic flows and shows the open ones;
# Events lists an open session as open; a query answers while the capture
# runs, with the count batch gives on the spool afterwards; P pauses the
# view; a rule saved during the capture applies to new sessions; a flood
# with a small capture buffer (-B) drops packets, the console says so and
# still answers a key.  Driven in tmux, waiting on screen content; every
# loop bounded.  Needs root.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../netns.sh"

skip() { ok "live console tests skipped: $1"; finish; }

[ "$(id -u)" = 0 ] || skip "not root (they make network namespaces)"
for tool in ip ping python3 tmux; do
	command -v "$tool" >/dev/null || skip "no $tool (make deps installs it)"
done

. "$(dirname "$0")/../tmux.sh"
use_asan

bg=
cleanup() {
	[ -n "$bg" ] && kill $bg 2>/dev/null
	$TM kill-server 2>/dev/null
	netns_del
	rm -rf "$T"
}
trap cleanup EXIT
netns_pair hl || skip "cannot make network namespaces"

export XDG_CACHE_HOME=$T/cache XDG_CONFIG_HOME=$T/config
HC=$HUNTCON
# live ARGS...: the console on the veth in namespace A.
live() { HUNTCON="ip netns exec $A $HC" start 160 40 -i "$VA" "$@"; }

# udp_ports FIRST N GAP: one datagram from B to each port FIRST..FIRST+N-1,
# GAP seconds apart: one session each.
cat >"$T/udp.py" <<'EOF'
import socket, sys, time
host, first, n, gap = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for p in range(first, first + n):
    s.sendto(b"x" * 40, (host, p))
    time.sleep(gap)
EOF
udp_ports() { ip netns exec "$B" python3 "$T/udp.py" "$NET.1" "$@"; }

# sessions: the status line's session count now.
sessions() {
	screen | sed -nE 's/.*  sessions: ([0-9]+) \(.*/\1/p' | tail -1
}

# pathcount: the breadcrumb's count of the path's sessions now.
pathcount() {
	screen | sed -nE 's/^path: .* ([0-9]+) sessions?$/\1/p' | head -1
}

# 1. Sessions close while the capture runs (idle timeout 1 s): the count
# rises while traffic flows.
live --set session.idle_timeout=1
expect_screen "live: the status line names the interface and its figures" \
    "source: $VA  sessions: 0 \\(0 open\\)  packets: 0 \\(0/s\\)  drops: 0  spool: [0-9.]+ [KMG]?i?B  C-c: stop, P: pause"
udp_ports 7000 150 0.04 &
bg=$!
expect_screen "live: sessions counted while traffic flows" \
    '  sessions: [1-9][0-9]* \(' 10
n1=$(sessions)
p1=$(pathcount)
rising=no
for _ in $(seq 100); do
	n2=$(sessions)
	p2=$(pathcount)
	[ -n "$n2" ] && [ "$n2" -gt "$n1" ] && [ -n "$p2" ] && \
	    [ "$p2" -gt "${p1:-0}" ] && { rising=yes; break; }
	sleep 0.1
done
check "live: the counts rise (status $n1 then ${n2:-none}, path ${p1:-none} then ${p2:-none}) while traffic flows" yes "$rising"
kill -0 "$bg" 2>/dev/null
check "live: ... and the traffic was still flowing" 0 "$?"
wait "$bg"
bg=

# 2. A ping that goes on is an open session: counted open on the status
# line, listed as open in Events (its meta comes at close).
ip netns exec "$B" ping -q -c 900 -i 0.1 "$NET.1" >/dev/null &
bg=$!
expect_screen "open: the status line counts the ping open" \
    '  sessions: [0-9]+ \([1-9][0-9]* open\)'
$TM send-keys 2
expect_screen "open: Events lists it, marked open" \
    "^    open [-0-9]+ [0-9:]+ +$NET.2 > $NET.1 +1 +0 "

# 3. The query answers while the capture runs: the path changes and its
# count is the 150 UDP sessions (closed by the idle timeout; A answers
# some with ICMP port unreachable, sessions of their own).
$TM send-keys 1 / 'udp.dstport >= 7000' Enter
expect_screen "drill: the path changes during the capture" \
    '^path: udp.dstport >= 7000 +150 sessions$'
kill -0 "$bg" 2>/dev/null
check "drill: ... while the capture runs (the ping goes on)" 0 "$?"

# Enter on a Navigate value drills too (the path gains the term), and
# Backspace steps back.
$TM send-keys Home Down Enter
expect_screen "drill: Enter on a value drills during the capture" \
    "^path: udp.dstport >= 7000 && [a-z.]+ = .* [0-9]+ sessions?\$"
$TM send-keys BSpace
expect_screen "drill: Backspace steps back" \
    '^path: udp.dstport >= 7000 +150 sessions$'

# The Session pane reads a session's packets back from the spool while
# the capture writes it: the datagram's 40 bytes of payload ("x").
$TM send-keys 2 g Enter
expect_screen "session: the pane opens during the capture" '^session [0-9]+: '
expect_screen "session: its packet read back from the spool" \
    '^    0020  .* 78 78 78 78 78 78 '
$TM send-keys 1

# 4. P pauses the view: new sessions are not counted until P again.
$TM send-keys P
expect_screen "pause: said on the status line" '  view paused \(P: follow\)$'
n1=$(sessions)
udp_ports 8000 20 0.01
grew=no
for _ in $(seq 50); do
	n2=$(sessions)
	[ -n "$n2" ] && [ "$n2" -ge $((n1 + 20)) ] && { grew=yes; break; }
	sleep 0.1
done
check "pause: the capture goes on ($n1, then ${n2:-none} stored)" yes "$grew"
check_grep "pause: the path's count stays" '^path: udp.dstport >= 7000 +150 sessions$' "$T/screen"
$TM send-keys P
expect_screen "pause: P follows again, the new sessions counted" \
    '^path: udp.dstport >= 7000 +170 sessions$'

# 5. A drill path saved as a rule during the capture: it is written and
# applied to the sessions kept, and to those that close from now on.
$TM send-keys S
expect_screen "rule: S asks for a name" '^save path as rule named:'
$TM send-keys hi_ports Enter
expect_screen "rule: then for the alert key" '^alert key: ioc$'
$TM send-keys Enter
expect_screen "rule: saved and applied during the capture" \
    '^saved as user\.nwr:1 \(order=0\); [0-9]+ rules applied to [0-9]+ sessions'
udp_ports 9000 5 0.01
expect_screen "rule: the new sessions stored" \
    '^path: udp.dstport >= 7000 +175 sessions$' 10
$TM send-keys 1 / C-u "ioc = 'hi_ports'" Enter
expect_screen "rule: the kept and the new sessions have it" \
    "^path: ioc = 'hi_ports' +175 sessions\$"

# 6. A rule change not written: quitting asks first (Esc stays).
$TM send-keys 4 Home Space q
expect_screen "quit: asks when rule changes are unwritten" \
    '^rule changes are not written: w write them and quit, q quit without'
$TM send-keys Escape
wait_gone '^rule changes are not written'
check "quit: Esc stays (still capturing)" 0 \
    "$(grep -cE '^rule changes are not written' "$T/screen")"
$TM send-keys q
expect_screen "quit: asks again" '^rule changes are not written'

# Quitting ends the capture, says where the spool is; batch on the
# spool gives the same count as the drill.
kill "$bg" 2>/dev/null
wait "$bg" 2>/dev/null
bg=
quit_rc "quit: q quits without writing, exit 0"
spool=$(ls -d "$T"/cache/huntcon/spool/*/ 2>/dev/null | head -1)
check "quit: names the spool" "huntcon: the packets read are kept in ${spool%/}" \
    "$(cat "$T/stderr")"
check "batch on the spool: the drill's count" 170 \
    "$("$HC" -r "$spool" -q 'udp.dstport >= 7000 && udp.dstport < 9000' \
    --sessions --fields sessionid | wc -l)"
check "batch on the spool: the first 150 as the drill gave them" 150 \
    "$("$HC" -r "$spool" -q 'udp.dstport >= 7000 && udp.dstport < 8000' \
    --sessions --fields sessionid | wc -l)"

# 7. A flood (ping -f, bounded by its count) with a 1 MiB capture
# buffer: the kernel drops packets, the status line shows them, and a key
# is answered while the flood runs.
live -B 1024
expect_screen "flood: capturing" '  sessions: 0 \(0 open\)' 10
ip netns exec "$B" ping -f -q -s 1400 -c 400000 -w 25 "$NET.1" >/dev/null &
bg=$!
expect_screen "flood: packets counted while it runs" '\([1-9][0-9]{3,}/s\)  drops: ' 15
t0=$(date +%s%N)
$TM send-keys 2
expect_screen "flood: a key answered (Events) during the flood" '\[Events\]' 5
echo "# flood: Events shown $((($(date +%s%N) - t0) / 1000000)) ms after the key (screen polled every 50 ms)"
kill -0 "$bg" 2>/dev/null
check "flood: ... while the flood still runs" 0 "$?"
expect_screen "flood: drops shown, not hidden" '  drops: [1-9][0-9]*  ' 25
echo "# flood figures: $(grep -oE 'sessions: .* drops: [0-9]+' "$T/screen")"
wait "$bg" 2>/dev/null
bg=
quit_rc "flood: quits with 0"

finish
