#!/usr/bin/env bash
# fleet.sh - the fleet's figures (make bench-fleet, and make bench when
# clickhouse-server is installed): two 18.16 shards on 127.0.0.1, a
# capgen bench capture of about SESSIONS/2 sessions shipped by two sensors
# (one to each shard), then drill queries over the cluster beside the same
# queries in memory over capgen's capture of SESSIONS sessions (the same
# generator; reading the half twice would send the clock back between the
# files).  Prints the ship rate and the medians of RUNS runs.
# Usage: tests/bench/fleet.sh [SESSIONS [RUNS]]
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
SESSIONS=${1:-1000000}
RUNS=${2:-3}
OUT=${BENCH_OUT:-$TOP/build/bench}
CH=${CLICKHOUSE_SERVER:-/usr/sbin/clickhouse-server}
HC=${HUNTCON:-./huntcon}
if [ ! -x "$CH" ]; then
	echo "fleet: skipped: no clickhouse-server (make, as root, installs it)"
	exit 0
fi
mkdir -p "$OUT"
T=$(mktemp -d "${TMPDIR:-/tmp}/huntcon-bench.XXXXXX")
. tests/clickhouse.sh
trap 'stop_servers; rm -rf "$T"' EXIT

# capgen's bench scenario makes about 1.49 sessions per -n.
n=$((SESSIONS * 100 / 298))
pcap=$OUT/bench-$n.pcap
[ -f "$pcap" ] || build/capgen -n "$n" bench "$pcap"
mpcap=$OUT/bench-$((n * 2)).pcap
[ -f "$mpcap" ] || build/capgen -n $((n * 2)) bench "$mpcap"

ch_ports
config "$T/ch1" $H1 $T1
config "$T/ch2" $H2 $T2
# The bench reads a million rows at once: more memory than the test's.
sed -i 's/1000000000/8000000000/g' "$T"/ch1/users.xml "$T"/ch2/users.xml
ch_start "$T/ch1" $H1 && ch_start "$T/ch2" $H2 ||
	{ echo "fleet: clickhouse-server did not start" >&2; exit 1; }
S1=clickhouse://127.0.0.1:$H1/hunt
S2=clickhouse://127.0.0.1:$H2/hunt
$HC --store $S1 --init --cluster fleet
$HC --store $S2 --init --cluster fleet

# secs CMD...: the wall time of a command, its output dropped.
secs() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$T/err" ||
		{ echo "fleet: failed: $*" >&2; cat "$T/err" >&2; exit 1; }
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f\n", b - a}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

per=$($HC -r "$pcap" -R none --stats | awk -F'\t' '$1 == "sessions" {print $2}')
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "capture: $pcap, $per sessions; two sensors ship it, one to each shard"
ingest=$(secs $HC -r "$pcap" -R none --stats)
w1=$(secs $HC -r "$pcap" -R none --ship $S1 --sensor s1 --run b1)
w2=$(secs $HC -r "$pcap" -R none --ship $S2 --sensor s2 --run b2)
total=$($HC --store $S1 --values ip.proto | awk '{s += $1} END {print s}')
echo "ship (huntcon -r CAPTURE -R none --ship URL, ingest included):"
for w in "$w1" "$w2"; do
	awk -v n="$per" -v w="$w" -v i="$ingest" 'BEGIN {printf "  %d sessions in %.1f s: %.0f sessions/s (the ingest alone %.1f s)\n", n, w, n / w, i}'
done
echo "store: $total sessions in sessions_all"

# The drill: a key's counts under where-clauses of 0, 1 and 2 steps, and
# a page of sessions; over the store, and in memory (the wall time of
# the same run less that of one whose query selects nothing).
queries=(
	"ip.proto||"
	"service|ip.proto = 6|"
	"ip.dst|ip.proto = 6 && direction = 'outbound'|"
	"alias.host|ip.proto = 6 && direction = 'outbound'|"
	"|ip.src = 10.0.0.5 && ip.proto = 6|sessions"
)
base=()
for _ in $(seq "$RUNS"); do
	base+=("$(secs $HC -r "$mpcap" -R none --values ip.proto -q 'ip.proto = 255')")
done
b=$(printf '%s\n' "${base[@]}" | median)
mper=$($HC -r "$mpcap" -R none --stats | awk -F'\t' '$1 == "sessions" {print $2}')
echo "drill, median of $RUNS (in memory: $mper sessions, reading them $b s, not counted):"
printf '  %-62s %9s %9s\n' "query" "store" "memory"
for e in "${queries[@]}"; do
	IFS='|' read -r key q what <<<"$e"
	if [ "$what" = sessions ]; then
		args=(--sessions --fields sessionid,time,ip.src,ip.dst,tcp.dstport)
		name="--sessions -q \"$q\""
	else
		args=(--values "$key")
		name="--values $key${q:+ -q \"$q\"}"
	fi
	[ -n "$q" ] && args+=(-q "$q")
	st=() mem=()
	for _ in $(seq "$RUNS"); do
		st+=("$(secs $HC --store $S1 "${args[@]}")")
		mem+=("$(secs $HC -r "$mpcap" -R none "${args[@]}")")
	done
	printf '  %-62s %8ss %8ss\n' "$name" \
		"$(printf '%s\n' "${st[@]}" | median)" \
		"$(printf '%s\n' "${mem[@]}" | median | awk -v b="$b" '{d = $1 - b; printf "%.2f", d < 0 ? 0 : d}')"
done

# The console over the cluster: what an analyst waits for at each step
# (tests/bench/console.sh over the store: drill, Backspace, contains).
echo "the console over the cluster ($total sessions), median of $RUNS:"
HUNTCON=$(readlink -f "$HC") bash tests/bench/console.sh "$S1" "$RUNS" | sed 's/^/  /'
