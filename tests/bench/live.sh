#!/usr/bin/env bash
# live.sh PCAP [SECONDS [LONG]]: the highest rate at which tcpreplay can
# send PCAP into a veth pair while `huntcon -i` on the other end loses
# nothing; then, given LONG (a capture of many short sessions), its
# resident memory at an eighth, a half and the end of a replay of LONG
# many times longer than a retention window, with and without retention.  Each
# step replays for about SECONDS (default 10) at a packet rate, then SIGINT
# ends huntcon and its --stats say what it read and what the kernel dropped
# (ps_drop + ps_ifdrop).  Rates double until a step drops, then the last
# gap is halved twice.  Prints one line a step and the answer.  The two
# network namespaces and the veth are made here and deleted at exit; the
# capture's addresses never leave them.  Needs root and tcpreplay.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
HC=$TOP/huntcon
pcap=$1 secs=${2:-10} long=${3:-}
[ "$(id -u)" = 0 ] || { echo "live figures skipped: not root"; exit 0; }
command -v tcpreplay >/dev/null ||
	{ echo "live figures skipped: no tcpreplay"; exit 0; }

. "$TOP/tests/netns.sh"
T=$(mktemp -d)
hc_pid=
cleanup() {
	[ -n "$hc_pid" ] && kill -KILL "$hc_pid" 2>/dev/null
	netns_del
	rm -rf "$T"
}
trap cleanup EXIT
netns_pair hb ||
	{ echo "live figures skipped: cannot make network namespaces"; exit 0; }
ip -n "$A" link set "$VA" mtu 9000
ip -n "$B" link set "$VB" mtu 9000

# hc_started: wait (10 s at most) until huntcon captures: its threads
# start once the interface is open.
hc_started() {
	local i
	for i in $(seq 200); do
		[ "$(ls "/proc/$hc_pid/task" 2>/dev/null | wc -l)" -ge 2 ] &&
			return
		sleep 0.05
	done
}
# hc_stop: SIGINT, then wait (30 s at most); its exit status.
hc_stop() {
	local i rc=0
	kill -INT "$hc_pid"
	for i in $(seq 300); do
		kill -0 "$hc_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$hc_pid" 2>/dev/null
	wait "$hc_pid" || rc=$?
	hc_pid=
	return $rc
}

# The packets of one step: the capture's first N packets, where N is what
# the rate sends in the step's time (at least the whole file once for the
# rates it takes less than that).
total=$(capinfos -Mc "$pcap" 2>/dev/null | awk '/Number of packets/ {print $NF}')
[ -n "$total" ] || total=$("$HC" -r "$pcap" -R none --stats |
	awk -F'\t' '$1 == "read" {print $2}')

# step PPS: replay at PPS; prints "sent read dropped ifdropped rate", the
# rate being what tcpreplay reached.
step() {
	local pps=$1 n i rc
	n=$((pps * secs))
	[ "$n" -gt "$total" ] && n=$total
	ip netns exec "$B" "$HC" -i "$VB" -R none --stats >"$T/out" \
	    2>"$T/err" &
	hc_pid=$!
	hc_started
	ip netns exec "$A" tcpreplay -q -i "$VA" --pps="$pps" --limit="$n" \
	    "$pcap" >"$T/tr" 2>&1
	sleep 0.5		# the last packets cross the veth
	hc_stop
	rc=$?
	[ "$rc" = 0 ] || { echo "huntcon failed: $(cat "$T/err")" >&2; return 1; }
	# tcpreplay says what it sent and at what rate it managed.
	sent=$(sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' "$T/tr")
	rate=$(sed -n 's/.*Rated: .* \([0-9.]*\) pps.*/\1/p' "$T/tr")
	awk -F'\t' -v n="${sent:-0}" -v p="${rate:-0}" '
	    $1 == "read" {r = $2} $1 == "dropped" {d = $2}
	    $1 == "ifdropped" {f = $2}
	    END {printf "%d %d %d %d %.0f\n", n, r, d, f, p}' "$T/out"
}

echo "live: tcpreplay into a veth, huntcon -i on the peer (-R none --stats), ${secs} s a step:"
good=0 goodgot=0 bad=0 pps=25000
while [ "$pps" -le 3200000 ]; do
	read -r sent rd dr ifd got < <(step "$pps") || exit 1
	echo "  $pps packets/s asked, $got reached: sent $sent, read $rd, dropped $dr, ifdropped $ifd"
	if [ "$rd" = "$sent" ] && [ "$dr" = 0 ] && [ "$ifd" = 0 ]; then
		good=$pps goodgot=$got
		[ "$got" -lt $((pps * 9 / 10)) ] && break	# tcpreplay's top
		pps=$((pps * 2))
	else
		bad=$pps
		break
	fi
done
for _ in 1 2; do
	[ "$bad" -gt 0 ] || break
	pps=$(((good + bad) / 2))
	read -r sent rd dr ifd got < <(step "$pps") || exit 1
	echo "  $pps packets/s asked, $got reached: sent $sent, read $rd, dropped $dr, ifdropped $ifd"
	if [ "$rd" = "$sent" ] && [ "$dr" = 0 ] && [ "$ifd" = 0 ]; then
		good=$pps goodgot=$got
	else
		bad=$pps
	fi
done
[ "$bad" = 0 ] && echo "  (tcpreplay's own top: huntcon dropped nothing at any rate it reached)"
echo "  highest rate with nothing dropped: $goodgot packets/s" \
    "($(awk -v p="$goodgot" -v b="$(stat -c %s "$pcap")" -v n="$total" \
	'BEGIN {printf "%.0f", p * (b - 24 - 16 * n) / n * 8 / 1e6}') Mbit/s of this capture)"

[ -n "$long" ] || exit 0
# rss_run RATE SECS SETTINGS...: replay LONG at RATE packets/s for SECS
# while huntcon keeps the sessions (--values); prints its VmRSS in MiB at
# an eighth, a half and the end of the replay, and how many it kept.
rss_of() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
rss_run() {
	local pps=$1 s=$2 i r1 r2 r3 tr
	shift 2
	ip netns exec "$B" "$HC" -i "$VB" -R none "$@" --values ip.proto \
	    >"$T/out" 2>"$T/err" &
	hc_pid=$!
	hc_started
	ip netns exec "$A" tcpreplay -q -i "$VA" --pps="$pps" \
	    --limit=$((pps * s)) "$long" >"$T/tr" 2>&1 &
	tr=$!
	sleep "$(awk -v s="$s" 'BEGIN {print s / 8}')"
	r1=$(rss_of "$hc_pid")
	sleep "$(awk -v s="$s" 'BEGIN {print s * 3 / 8}')"
	r2=$(rss_of "$hc_pid")
	wait "$tr"
	r3=$(rss_of "$hc_pid")
	hc_stop
	echo "$r1 $r2 $r3 $(awk '{n += $1} END {print n + 0}' "$T/out")"
}
lrate=40000 lsecs=${LIVE_LONG_SECS:-30}
echo "live: RSS over a ${lsecs} s replay at $lrate packets/s of one-query DNS sessions" \
    "(session.idle_timeout=2), at an eighth, a half and the end (MiB):"
read -r a b c n < <(rss_run $lrate "$lsecs" --set session.idle_timeout=2 \
    --set store.retain=3s)
echo "  store.retain=3s: $a, $b, $c ($n sessions kept at the end)"
read -r a b c n < <(rss_run $lrate "$lsecs" --set session.idle_timeout=2)
echo "  no retention:    $a, $b, $c ($n sessions kept at the end)"
