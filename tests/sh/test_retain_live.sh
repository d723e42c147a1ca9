#!/usr/bin/env bash
# test_retain_live.sh - retention on a live capture (issue 18) judges age on
# the wall clock: with store.retain=3, a UDP datagram sent more than three
# seconds before the capture ends is dropped and one sent just before it is
# kept, although both sessions are still open (the idle timeout is 60 s)
# when the capture ends.  On a veth pair between two network namespaces
# made for the test, deleted at exit.  Needs root.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../netns.sh"
use_asan

skip() { ok "live retention tests skipped: $1"; finish; }
[ "$(id -u)" = 0 ] || skip "not root (they make network namespaces)"
for tool in ip python3; do
	command -v "$tool" >/dev/null || skip "no $tool (make deps installs it)"
done

. "$(dirname "$0")/../tmux.sh"
hc_pid=
cleanup() {
	[ -n "$hc_pid" ] && kill -KILL "$hc_pid" 2>/dev/null
	$TM kill-server 2>/dev/null
	netns_del
	rm -rf "$T"
}
trap cleanup EXIT
netns_pair hr || skip "cannot make network namespaces"

# send PORT: one UDP datagram from B to A's PORT (nobody answers).
send() {
	ip netns exec "$B" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x" * 20, (sys.argv[1], int(sys.argv[2])))' "$NET.1" "$1"
}
# threads PID: huntcon runs its threads once the interface is open.
threads() { [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -ge 2 ]; }

ip netns exec "$A" "$HUNTCON" -i "$VA" --duration 60 -R none \
    --set store.retain=3 -f udp --sessions --fields udp.dstport --stats \
    >"$T/out" 2>"$T/err" &
hc_pid=$!
for _ in $(seq 200); do threads "$hc_pid" && break; sleep 0.05; done
send 5001
# Four seconds of wall time pass (what is tested), then the second one.
t0=$(date +%s%N)
while [ $(( $(date +%s%N) - t0 )) -lt 4000000000 ]; do sleep 0.1; done
send 5002
kill -INT "$hc_pid"
for _ in $(seq 300); do kill -0 "$hc_pid" 2>/dev/null || break; sleep 0.1; done
rc=0
wait "$hc_pid" || rc=$?
hc_pid=
check "live: exit 0" 0 "$rc"
check "live: the session older than 3 s left, the new one is kept" "5002" \
    "$(grep -E '^[0-9]+$' "$T/out")"
check "live: --stats counts both, one dropped, one kept" \
    "sessions	2 dropped by retention	1 kept	last 3s, 1 session" \
    "$(grep -E '^(sessions|dropped by|kept)' "$T/err" | tr '\n' ' ' |
    sed 's/ $//')"

# The console: the path follows retention.  Three datagrams to ports
# 6001-6003 close at the 1 s idle timeout and are the path's sessions
# (udp.dstport > 6000); 3 s later retention has dropped them, and Events
# says none is left, where the path only ever added sessions before.
export XDG_CACHE_HOME=$T/cache XDG_CONFIG_HOME=$T/config
HC=$HUNTCON
HUNTCON="ip netns exec $A $HC" start 140 30 -i "$VA" -R none -f udp \
    --set store.retain=3 --set session.idle_timeout=1 \
    -q "'udp.dstport > 6000'"
HUNTCON=$HC
# seen WHAT REGEX [SECONDS]: a check that the screen comes to show REGEX.
seen() {
	if wait_for "$2" "${3:-20}"; then ok "$1"; else
		notok "$1" "$(cat "$T/screen")"; fi
}
seen "console: it captures" "C-c: stop"
$TM send-keys 2
for p in 6001 6002 6003; do send $p; done
seen "console: the three sessions are kept" "kept: last 3s, 3 sessions"
seen "console: Events lists them" "row [0-9] of 3"
seen "console: retention dropped them" "kept: last 3s, 0 sessions"
seen "console: Events lists none of them" "no session matches the path"
finish
