#!/usr/bin/env bash
# retain.sh - retention's figures for `make bench` (issue 18): the RSS of a
# replay eight times longer than its retention window, taken at the start
# (an eighth of the file read: one window in), the middle and the end, with
# retention on and off; then what retention costs on the ingest of the
# standard capture, in interleaved runs (CPU and wall): none, a cap that
# drops half the sessions, and a window that drops none (the bookkeeping
# alone; the capture's sessions start within 70 s, so an age that drops
# some drops nearly all).
# Usage: retain.sh [RUNS [OUTDIR]]; run from the top of the tree.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
N=${1:-5}
OUT=${2:-build/bench}
SESS=${BENCH_RETAIN_SESSIONS:-1000000}
mkdir -p "$OUT"
long=$OUT/retain-$SESS.pcap
[ -f "$long" ] || build/capgen -n "$SESS" retain_long "$long"
cat "$long" >/dev/null
size=$(stat -c %s "$long")
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# sample ARGS...: run huntcon over the long capture and print the RSS (MiB)
# once an eighth, half and all of it was read, then the peak (VmHWM).
# The process is polled every 10 ms (at most 10 minutes).
sample() {
	local pid rchar rss hwm s1="" s2="" last=0 peak=0 i
	./huntcon -r "$long" "$@" >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 60000); do
		[ -r /proc/$pid/io ] || break
		rchar=$(awk '$1 == "rchar:" {print $2}' /proc/$pid/io 2>/dev/null) || break
		rss=$(awk '$1 == "VmRSS:" {print $2}' /proc/$pid/status 2>/dev/null) || break
		hwm=$(awk '$1 == "VmHWM:" {print $2}' /proc/$pid/status 2>/dev/null) || break
		[ -n "$rchar" ] && [ -n "$rss" ] || break
		[ -z "$s1" ] && [ "$rchar" -ge $((size / 8)) ] && s1=$rss
		[ -z "$s2" ] && [ "$rchar" -ge $((size / 2)) ] && s2=$rss
		last=$rss peak=$hwm
		sleep 0.01
	done
	wait "$pid"
	echo "${s1:-0} ${s2:-0} $last ${peak:-0}"
}

mib() { awk '{printf "%.0f", $1 / 1024}'; }
for mode in on off; do
	a=() b=() c=() d=()
	for _ in $(seq "$N"); do
		if [ $mode = on ]; then
			read -r x y z p < <(sample --set store.retain=20m --values ip.dst)
		else
			read -r x y z p < <(sample --values ip.dst)
		fi
		a+=("$x") b+=("$y") c+=("$z") d+=("$p")
	done
	line="start $(printf '%s\n' "${a[@]}" | median | mib), middle $(printf '%s\n' "${b[@]}" | median | mib), end $(printf '%s\n' "${c[@]}" | median | mib), peak $(printf '%s\n' "${d[@]}" | median | mib) MiB"
	if [ $mode = on ]; then
		echo "retention: RSS over a replay 8 x its window ($SESS DNS lookups 10 ms apart, $((SESS / 100)) s; store.retain=20m keeps 120,000), median of $N:"
		echo "  retention on:  $line"
	else
		echo "  retention off: $line"
	fi
done

std=${OUT_STD:-/tmp/huntcon-bench}/std-200000.pcap
[ -f "$std" ] || exit 0
cat "$std" >/dev/null
# one ARGS...: "wall cpu" of huntcon over the standard capture.
one() {
	/usr/bin/time -f "%e %U %S" -o "$OUT/.rtime" ./huntcon -r "$std" -R none "$@" \
	    --values ip.proto >/dev/null 2>&1
	awk '{printf "%s %.2f\n", $1, $2 + $3}' "$OUT/.rtime"
}
w0=() c0=() w1=() c1=() w2=() c2=() r1=() r2=()
for _ in $(seq "$N"); do
	read -r w c < <(one)
	read -r x y < <(one --set store.max_sessions=100000)
	read -r u v < <(one --set store.retain=1h)
	w0+=("$w") c0+=("$c") w1+=("$x") c1+=("$y") w2+=("$u") c2+=("$v")
	r1+=("$(awk -v a="$y" -v b="$c" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
	r2+=("$(awk -v a="$v" -v b="$c" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
done
kept=$(./huntcon -r "$std" -R none --set store.max_sessions=100000 --values ip.proto --stats 2>&1 >/dev/null |
    awk -F'\t' '$1 == "dropped by retention" {d = $2} $1 == "kept" {k = $2} END {print d " dropped, kept " k}')
echo "retention's cost on the standard capture (-R none --values ip.proto), interleaved, median of $N:"
echo "  none: wall $(printf '%s\n' "${w0[@]}" | median) s, CPU $(printf '%s\n' "${c0[@]}" | median) s;" \
	"store.max_sessions=100000 ($kept): wall $(printf '%s\n' "${w1[@]}" | median) s, CPU $(printf '%s\n' "${c1[@]}" | median) s, $(printf '%s\n' "${r1[@]}" | median)% CPU;" \
	"store.retain=1h (nothing dropped): wall $(printf '%s\n' "${w2[@]}" | median) s, CPU $(printf '%s\n' "${c2[@]}" | median) s, $(printf '%s\n' "${r2[@]}" | median)% CPU"
