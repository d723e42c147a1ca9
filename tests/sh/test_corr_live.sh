#!/usr/bin/env bash
# test_corr_live.sh - correlation rules on a live capture: on the wall
# clock, windows slide.  Four one-datagram UDP sessions from one host, at
# 0, 2, 4 and 4.5 s, against a rule wanting three within 3 s: a sliding
# window (1.5, 4.5] holds the last three, which are flagged, the first is
# not; read again from the spooled packets (a file: tumbling windows from
# the first session, [0, 3) and [4, 7), two each) nothing is.  A veth pair
# between two network namespaces made for the test, deleted at exit, as in
# test_live.sh.  Needs root.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../netns.sh"

skip() { ok "live correlation tests skipped: $1"; finish; }

[ "$(id -u)" = 0 ] || skip "not root (they make network namespaces)"
for tool in ip python3; do
	command -v "$tool" >/dev/null || skip "no $tool (make deps installs it)"
done

hc_pid=
cleanup() {
	[ -n "$hc_pid" ] && kill -KILL "$hc_pid" 2>/dev/null
	netns_del
	rm -rf "$T"
}
trap cleanup EXIT
netns_pair hc || skip "cannot make network namespaces"

printf '%s\n' 'name=slide type=correlation rule="udp.dstport = 7000" group=ip.src window=3 threshold="sessions >= 3" alert=ioc' >"$T/slide.nwr"

# huntcon in A until --duration ends it, sessions closed 1 s after their
# datagram; it captures once it runs more than one thread.
ip netns exec "$A" "$HUNTCON" -i "$VA" --duration 9 --spool "$T/spool" \
    -R "$T/slide.nwr" --set session.idle_timeout=1 --sessions \
    --fields udp.srcport,ioc -q "udp.dstport = 7000" >"$T/live.out" \
    2>"$T/live.err" &
hc_pid=$!
for _ in $(seq 200); do
	[ "$(ls "/proc/$hc_pid/task" 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.05
done
# Each datagram from a new socket (a new port, so a session of its own);
# the ports in order on stdout.
ip netns exec "$B" python3 -c '
import socket, sys, time
t0 = time.monotonic()
for at in (0, 2, 4, 4.5):
    time.sleep(max(0, t0 + at - time.monotonic()))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x" * 32, (sys.argv[1], 7000))
    print(s.getsockname()[1], flush=True)
    s.close()
' "$NET.1" >"$T/ports"
rc=0
for _ in $(seq 300); do
	kill -0 "$hc_pid" 2>/dev/null || break
	sleep 0.1
done
wait "$hc_pid" || rc=$?
hc_pid=
check "live: exit 0, nothing on stderr" "0 " "$rc $(cat "$T/live.err")"
want=$(awk 'NR == 1 {print $1 "\t"; next} {print $1 "\tslide"}' "$T/ports" | sort)
check "live: the last three flagged, the first not" "$want" \
	"$(sort "$T/live.out")"
check "file: the four sessions spooled" "$(printf '4\t7000')" \
	"$("$HUNTCON" -r "$T/spool" --set session.idle_timeout=1 -R none \
	    --values udp.dstport -q "udp.dstport = 7000")"
check "file: tumbling windows flag none of them" "" \
	"$("$HUNTCON" -r "$T/spool" --set session.idle_timeout=1 \
	    -R "$T/slide.nwr" --values ioc)"

# The cap on a judgement's open groups: with one, a second host's
# datagrams (from 10.232.X.3, between the first host's) evict the first
# host's group, judged early, and the end says so.
ip -n "$B" addr add "$NET.3/24" dev "$VB"
ip -n "$A" neigh replace "$NET.3" lladdr $MB dev "$VA" nud permanent
HUNTCON_CORR_GROUPS=1 ip netns exec "$A" "$HUNTCON" -i "$VA" --duration 8 \
    -R "$T/slide.nwr" --set session.idle_timeout=1 --values ioc \
    >"$T/cap.out" 2>"$T/cap.err" &
hc_pid=$!
for _ in $(seq 200); do
	[ "$(ls "/proc/$hc_pid/task" 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.05
done
ip netns exec "$B" python3 -c '
import socket, sys, time
t0 = time.monotonic()
for at, src in ((0, 2), (0.5, 3), (1, 2), (1.5, 3), (2, 2)):
    time.sleep(max(0, t0 + at - time.monotonic()))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1] + "." + str(src), 0))
    s.sendto(b"x" * 32, (sys.argv[1] + ".1", 7000))
    s.close()
' "$NET"
rc=0
for _ in $(seq 300); do
	kill -0 "$hc_pid" 2>/dev/null || break
	sleep 0.1
done
wait "$hc_pid" || rc=$?
hc_pid=
check "live cap: exit 0, the groups cut short flag nothing" "0 " \
	"$rc $(cat "$T/cap.out")"
check_grep "live cap: evictions counted at the end" \
	"^huntcon: correlation rule 'slide': [0-9][0-9]* groups judged early and evicted \(at most 1 open\)$" \
	"$T/cap.err"
finish
